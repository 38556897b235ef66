/**
 * API-server-grade validation of one Gateway API object, offline: what
 * `kubectl apply --validate=strict` against a cluster with the v1.6.1 CRDs
 * of the chosen channel would reject, as `schema` findings, plus a
 * `practice` warning for apiVersions the standard channel no longer serves.
 *
 *   validateObject(obj, {channel}) → {known, findings, defaulted, skippedTransitionRules}
 *
 * - known: false for objects outside the Gateway API groups (Service,
 *   Secret, ...): no findings, they are context for later stages.
 * - apiVersion: an unknown kind or a version the channel does not serve is
 *   `schema-unserved-version` (nothing else is checked, as the server
 *   refuses the request); with channel `standard` the standard schema
 *   applies, so experimental-only fields are unknown fields.
 * - defaulted: the object as the API server would store it (unknown fields
 *   pruned, schema defaults applied), undefined when not validated.
 * - skippedTransitionRules: CEL rules reading oldSelf met on present fields.
 *
 * Loads @bufbuild/cel: import this module lazily (`await import(...)`) where
 * start-up time matters. Schemas load and CEL rules compile on first use.
 */
import type {Finding, ResourceRef} from '../findings/finding.js'
import {formatFieldPath, type FieldPath} from '../manifests/field-path.js'
import type {SourceObject} from '../manifests/source.js'
import {
  findCrdKind,
  findServedVersion,
  isGatewayApiGroup,
  loadCompiledSchema,
  loadSchemaIndex,
  type Channel,
  type CrdKind,
} from './crd-index.js'
import {checkObjectMeta} from './object-meta.js'
import type {SchemaIssue} from './schema-issue.js'
import type {SchemaNode} from './schema-node.js'
import {walkSchema} from './structural-walk.js'
import {toOneLine} from '../manifests/quote-text.js'

export interface ValidateOptions {
  /** Which CRD bundle the cluster runs; `standard` rejects experimental-only versions and fields. */
  channel: Channel
}

export interface SchemaValidation {
  known: boolean
  findings: Finding[]
  defaulted: Record<string, unknown> | undefined
  skippedTransitionRules: number
}

function splitApiVersion(apiVersion: string): {group: string; version: string} {
  const slash = apiVersion.lastIndexOf('/')
  return slash < 0 ? {group: '', version: apiVersion} : {group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1)}
}

function listServedVersions(crd: CrdKind, channel: Channel): string[] {
  return crd.channels[channel]?.versions.filter((v) => v.served).map((v) => v.name) ?? []
}

/** True when the experimental schema of the kind has the field at `path` (indexes skipped). */
function hasSchemaPath(root: SchemaNode, path: FieldPath): boolean {
  let node: SchemaNode | undefined = root
  for (const part of path) {
    if (!node) return false
    node = typeof part === 'number' ? node.items : (node.properties?.get(part) ?? node.additionalProperties)
  }
  return node !== undefined
}

function loadExperimentalSchema(crd: CrdKind, version: string): SchemaNode | undefined {
  const experimental = crd.channels.experimental
  if (!experimental) return undefined
  const entry = findServedVersion(crd, 'experimental', version) ?? findServedVersion(crd, 'experimental', experimental.storageVersion)
  return entry ? loadCompiledSchema(entry) : undefined
}

class FindingBuilder {
  readonly findings: Finding[] = []
  constructor(
    private readonly obj: SourceObject,
    private readonly resource: ResourceRef,
  ) {}

  add(issue: SchemaIssue, severity: Finding['severity'] = 'error', category: Finding['category'] = 'schema'): void {
    const position = this.obj.locate(issue.locatePath ?? issue.path, issue.target)
    const field = formatFieldPath(issue.path)
    this.findings.push({
      ruleId: issue.ruleId,
      severity,
      category,
      message: toOneLine(issue.message),
      resource: this.resource,
      ...(field === '' ? {} : {field}),
      file: this.obj.file,
      line: position.line,
      column: position.column,
    })
  }
}

/**
 * schema-deprecated-version: the kind is in the standard channel but this
 * version is not served there (or is marked deprecated).
 */
function checkDeprecatedVersion(crd: CrdKind, group: string, version: string): SchemaIssue | undefined {
  const standard = crd.channels.standard
  const entries = [...(standard?.versions ?? []), ...(crd.channels.experimental?.versions ?? [])].filter((v) => v.name === version)
  if (entries.length === 0) return undefined
  const servedByStandard = standard?.versions.some((v) => v.name === version && v.served) ?? false
  const deprecated = entries.some((v) => v.deprecated)
  if (!deprecated && (servedByStandard || !standard)) return undefined
  const target = standard?.storageVersion ?? crd.channels.experimental?.storageVersion ?? version
  const warning = entries.find((v) => v.deprecationWarning)?.deprecationWarning
  const why = servedByStandard ? 'is deprecated' : 'is deprecated and not served by the standard channel'
  return {
    ruleId: 'schema-deprecated-version',
    path: ['apiVersion'],
    target: 'value',
    message: `${crd.kind} ${group}/${version} ${why}: move to ${group}/${target}${warning ? ` (${warning})` : ''}`,
  }
}

export function validateObject(obj: SourceObject, options: ValidateOptions): SchemaValidation {
  const {group, version} = splitApiVersion(obj.apiVersion)
  if (!isGatewayApiGroup(group)) return {known: false, findings: [], defaulted: undefined, skippedTransitionRules: 0}
  const crd = findCrdKind(group, obj.kind)
  const namespaced = crd?.scope !== 'Cluster'
  const resource: ResourceRef = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    ...(namespaced ? {namespace: obj.namespace} : {}),
    name: obj.name,
  }
  const out = new FindingBuilder(obj, resource)
  const {channel} = options
  if (!crd) {
    const kinds = loadSchemaIndex()
      .kinds.filter((k) => k.group === group)
      .map((k) => k.kind)
    out.add({
      ruleId: 'schema-unserved-version',
      path: ['kind'],
      target: 'value',
      message: `no kind "${obj.kind}" in ${group} (Gateway API ${loadSchemaIndex().bundleVersion}); kinds: ${kinds.join(', ')}`,
    })
    return {known: true, findings: out.findings, defaulted: undefined, skippedTransitionRules: 0}
  }
  const deprecation = checkDeprecatedVersion(crd, group, version)
  if (deprecation) out.add(deprecation, 'warning', 'practice')
  const served = findServedVersion(crd, channel, version)
  if (!served) {
    const elsewhere = channel === 'standard' && findServedVersion(crd, 'experimental', version) !== undefined
    const message = !crd.channels[channel]
      ? `${crd.kind} is served by the experimental channel only (validating for the ${channel} channel)`
      : elsewhere
        ? `${crd.kind} ${group}/${version} is served by the experimental channel only; the standard channel serves ${listServedVersions(crd, channel).join(', ')}`
        : `${crd.kind} ${group}/${version} is not served; the ${channel} channel serves ${listServedVersions(crd, channel).join(', ')}`
    out.add({ruleId: 'schema-unserved-version', path: ['apiVersion'], target: 'value', message})
    return {known: true, findings: out.findings, defaulted: undefined, skippedTransitionRules: 0}
  }
  const schema = loadCompiledSchema(served)
  let input = obj.object
  if (served.statusSubresource && Object.hasOwn(input, 'status')) {
    // With the status subresource, create and apply drop `status` before validation: it is neither checked nor stored.
    input = Object.fromEntries(Object.entries(input).filter(([key]) => key !== 'status'))
    out.add({ruleId: 'schema-status-ignored', path: ['status'], target: 'key',
      message: `status is ignored: the API server drops it on create and apply (status subresource), and a controller writes its own (gwctl lint -o json shows the status gwctl computes)`}, 'info')
  }
  const result = walkSchema(input, schema, {
    checkRootMetadata: (metadata, report) => checkObjectMeta(metadata, {namespaced}, report),
  })
  const experimental = channel === 'standard' ? loadExperimentalSchema(crd, version) : undefined
  for (const issue of result.issues) {
    if (experimental && issue.ruleId === 'schema-unknown-field' && hasSchemaPath(experimental, issue.path)) {
      out.add({...issue, message: `${issue.message} (a field of the experimental channel; validating for standard)`})
    } else {
      out.add(issue)
    }
  }
  return {
    known: true,
    findings: out.findings,
    defaulted: result.value as Record<string, unknown>,
    skippedTransitionRules: result.skippedTransitionRules,
  }
}
