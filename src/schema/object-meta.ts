/**
 * `metadata` of a custom resource, checked as the API server does on create
 * (ObjectMeta decoding with strict field validation, then
 * ValidateObjectMetaAccessor with NameIsDNSSubdomain): known fields and their
 * types, name or generateName, namespace as a DNS label (namespaced kinds;
 * the server clears it on cluster-scoped ones), label and annotation keys
 * and values, finalizers, ownerReferences. A null field counts as absent, as
 * Go's JSON decoding treats it.
 */
import {formatFieldPath, type FieldPath} from '../manifests/field-path.js'
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkQualifiedName,
  maskTrailingDash,
} from './kubernetes-names.js'
import {describeJsonType, isPlainObject} from './json-value.js'
import type {SchemaIssue} from './schema-issue.js'
import {isDateTime} from './string-formats.js'

type Report = (issue: SchemaIssue) => void
type FieldKind = 'string' | 'integer' | 'boolean' | 'timestamp' | 'stringMap' | 'stringList' | 'objectList' | 'object'

const OBJECT_META_FIELDS: Record<string, FieldKind> = {
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  selfLink: 'string',
  uid: 'string',
  resourceVersion: 'string',
  generation: 'integer',
  creationTimestamp: 'timestamp',
  deletionTimestamp: 'timestamp',
  deletionGracePeriodSeconds: 'integer',
  labels: 'stringMap',
  annotations: 'stringMap',
  ownerReferences: 'objectList',
  finalizers: 'stringList',
  managedFields: 'objectList',
}

const OWNER_REFERENCE_FIELDS: Record<string, FieldKind> = {
  apiVersion: 'string',
  kind: 'string',
  name: 'string',
  uid: 'string',
  controller: 'boolean',
  blockOwnerDeletion: 'boolean',
}

const MANAGED_FIELDS_ENTRY_FIELDS: Record<string, FieldKind> = {
  manager: 'string',
  operation: 'string',
  apiVersion: 'string',
  time: 'timestamp',
  fieldsType: 'string',
  fieldsV1: 'object',
  subresource: 'string',
}

/** Sum of annotation key and value lengths the API server allows (256 KiB). */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024



function reportTypeError(report: Report, path: FieldPath, expected: string, value: unknown): void {
  report({ruleId: 'schema-type', path, target: 'value', message: `must be of type ${expected}, got ${describeJsonType(value)}`})
}

function reportMetadataProblems(report: Report, path: FieldPath, value: string, problems: string[], target: 'key' | 'value' = 'value'): void {
  if (problems.length === 0) return
  report({ruleId: 'schema-metadata', path, target, message: `Invalid value: ${JSON.stringify(value)}: ${problems.join('; ')}`})
}

/** Checks the declared type of each field of an ObjectMeta-like object; returns the fields present and well typed. */
function checkFields(
  value: Record<string, unknown>,
  fields: Record<string, FieldKind>,
  path: FieldPath,
  report: Report,
): Map<string, unknown> {
  const present = new Map<string, unknown>()
  for (const [key, field] of Object.entries(value)) {
    const fieldPath = [...path, key]
    const kind = fields[key]
    if (kind === undefined) {
      report({ruleId: 'schema-unknown-field', path: fieldPath, target: 'key', message: `unknown field "${formatFieldPath(fieldPath)}"`})
      continue
    }
    if (field === null) continue
    if (checkFieldType(kind, field, fieldPath, report)) present.set(key, field)
  }
  return present
}

const KIND_TYPE_NAMES: Record<FieldKind, string> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  timestamp: 'string (RFC 3339 time)',
  object: 'object',
  stringMap: 'object',
  stringList: 'array',
  objectList: 'array',
}

function hasKindType(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
    case 'timestamp':
      return typeof value === 'string'
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'object':
    case 'stringMap':
      return isPlainObject(value)
    case 'stringList':
    case 'objectList':
      return Array.isArray(value)
  }
}

/** Checks a field's type and, for collections, the type of each element. */
function checkFieldType(kind: FieldKind, value: unknown, path: FieldPath, report: Report): boolean {
  if (!hasKindType(kind, value)) {
    reportTypeError(report, path, KIND_TYPE_NAMES[kind], value)
    return false
  }
  let ok = true
  if (kind === 'timestamp' && value !== '' && !isDateTime(value as string)) {
    report({ruleId: 'schema-format', path, target: 'value', message: `Invalid value: ${JSON.stringify(value)}: must be an RFC 3339 time`})
    ok = false
  } else if (kind === 'stringMap') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== null && typeof v !== 'string') {
        reportTypeError(report, [...path, k], 'string', v)
        ok = false
      }
    }
  } else if (kind === 'stringList' || kind === 'objectList') {
    const expected = kind === 'stringList' ? 'string' : 'object'
    ;(value as unknown[]).forEach((v, i) => {
      if (kind === 'stringList' ? typeof v !== 'string' : !isPlainObject(v)) {
        reportTypeError(report, [...path, i], expected, v)
        ok = false
      }
    })
  }
  return ok
}

function checkLabels(labels: Record<string, unknown>, path: FieldPath, report: Report): void {
  for (const [key, value] of Object.entries(labels)) {
    reportMetadataProblems(report, [...path, key], key, checkQualifiedName(key), 'key')
    if (typeof value === 'string') reportMetadataProblems(report, [...path, key], value, checkLabelValue(value))
  }
}

function checkAnnotations(annotations: Record<string, unknown>, path: FieldPath, report: Report): void {
  let total = 0
  for (const [key, value] of Object.entries(annotations)) {
    reportMetadataProblems(report, [...path, key], key, checkQualifiedName(key.toLowerCase()), 'key')
    total += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0)
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
    report({ruleId: 'schema-metadata', path, target: 'key', message: `Too long: annotations must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes in total, got ${total}`})
  }
}

function checkOwnerReferences(refs: unknown[], path: FieldPath, report: Report): void {
  let controllers = 0
  refs.forEach((ref, i) => {
    const refPath = [...path, i]
    const present = checkFields(ref as Record<string, unknown>, OWNER_REFERENCE_FIELDS, refPath, report)
    for (const field of ['apiVersion', 'kind', 'name', 'uid']) {
      if (!present.get(field)) {
        report({ruleId: 'schema-required', path: [...refPath, field], target: 'key', message: `Required value: ownerReferences[].${field} must not be empty`})
      }
    }
    if (present.get('controller') === true) controllers++
  })
  if (controllers > 1) {
    report({ruleId: 'schema-metadata', path, target: 'key', message: 'Invalid value: only one reference can have Controller set to true'})
  }
}


/**
 * Checks `metadata` (undefined when absent) of a custom resource. Reports
 * under `metadata.*` paths.
 */
export function checkObjectMeta(metadata: unknown, options: {namespaced: boolean}, report: Report): void {
  const path: FieldPath = ['metadata']
  if (metadata !== undefined && metadata !== null && !isPlainObject(metadata)) {
    reportTypeError(report, path, 'object', metadata)
    return
  }
  const present = metadata ? checkFields(metadata, OBJECT_META_FIELDS, path, report) : new Map<string, unknown>()
  const name = present.get('name') as string | undefined
  const generateName = present.get('generateName') as string | undefined
  if (name) reportMetadataProblems(report, [...path, 'name'], name, checkDns1123Subdomain(name))
  else if (generateName) reportMetadataProblems(report, [...path, 'generateName'], generateName, checkDns1123Subdomain(maskTrailingDash(generateName)))
  else report({ruleId: 'schema-metadata', path: [...path, 'name'], target: 'key', message: 'Required value: name or generateName is required'})
  const namespace = present.get('namespace') as string | undefined
  if (options.namespaced && namespace) reportMetadataProblems(report, [...path, 'namespace'], namespace, checkDns1123Label(namespace))
  const labels = present.get('labels')
  if (labels) checkLabels(labels as Record<string, unknown>, [...path, 'labels'], report)
  const annotations = present.get('annotations')
  if (annotations) checkAnnotations(annotations as Record<string, unknown>, [...path, 'annotations'], report)
  const finalizers = present.get('finalizers') as string[] | undefined
  finalizers?.forEach((f, i) => reportMetadataProblems(report, [...path, 'finalizers', i], f, checkQualifiedName(f)))
  const owners = present.get('ownerReferences') as unknown[] | undefined
  if (owners) checkOwnerReferences(owners, [...path, 'ownerReferences'], report)
  const managed = present.get('managedFields') as unknown[] | undefined
  managed?.forEach((entry, i) => checkFields(entry as Record<string, unknown>, MANAGED_FIELDS_ENTRY_FIELDS, [...path, 'managedFields', i], report))
}
