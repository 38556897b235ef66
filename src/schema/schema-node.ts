/**
 * A CRD's openAPIV3Schema compiled into a tree of SchemaNodes: the
 * structural-schema view the API server validates with (types, properties,
 * value validations, defaults, x-kubernetes-* extensions, CEL rules), with
 * property maps and flags precomputed so validating an object is one walk.
 * Patterns are compiled on first use.
 */
import {compileRe2Cached, type Re2Matcher} from './re2-regexp.js'

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'

/** One `x-kubernetes-validations` entry. */
export interface CelRuleSpec {
  rule: string
  message?: string
  messageExpression?: string
  fieldPath?: string
  reason?: string
  optionalOldSelf?: boolean
}

export interface SchemaNode {
  type?: SchemaType
  nullable: boolean
  intOrString: boolean
  preserveUnknownFields: boolean
  properties?: Map<string, SchemaNode>
  /** additionalProperties given as a schema (a map). */
  additionalProperties?: SchemaNode
  /** additionalProperties: true (a map of anything). */
  additionalPropertiesAny: boolean
  items?: SchemaNode
  required: readonly string[]
  enum?: readonly unknown[]
  pattern?: string
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum: boolean
  exclusiveMaximum: boolean
  multipleOf?: number
  minItems?: number
  maxItems?: number
  uniqueItems: boolean
  minProperties?: number
  maxProperties?: number
  hasDefault: boolean
  default?: unknown
  listType?: 'atomic' | 'set' | 'map'
  listMapKeys?: readonly string[]
  allOf?: readonly SchemaNode[]
  anyOf?: readonly SchemaNode[]
  oneOf?: readonly SchemaNode[]
  not?: SchemaNode
  rules: readonly CelRuleSpec[]
  /** A CEL value of this node is needed (rules here or on an ancestor). */
  needsCelValue: boolean
}

type RawSchema = Record<string, unknown>

function asRecord(value: unknown): RawSchema | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawSchema) : undefined
}

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}

const SCHEMA_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean'])

function compileList(value: unknown): SchemaNode[] | undefined {
  if (!Array.isArray(value)) return undefined
  return value.map((branch) => compileNode(asRecord(branch) ?? {}))
}

function compileNode(raw: RawSchema): SchemaNode {
  const type = typeof raw.type === 'string' && SCHEMA_TYPES.has(raw.type) ? (raw.type as SchemaType) : undefined
  const node: SchemaNode = {
    type,
    nullable: raw.nullable === true,
    intOrString: raw['x-kubernetes-int-or-string'] === true,
    preserveUnknownFields: raw['x-kubernetes-preserve-unknown-fields'] === true,
    additionalPropertiesAny: raw.additionalProperties === true,
    required: Array.isArray(raw.required) ? (raw.required as string[]) : [],
    exclusiveMinimum: raw.exclusiveMinimum === true,
    exclusiveMaximum: raw.exclusiveMaximum === true,
    uniqueItems: raw.uniqueItems === true,
    hasDefault: 'default' in raw,
    rules: Array.isArray(raw['x-kubernetes-validations']) ? (raw['x-kubernetes-validations'] as CelRuleSpec[]) : [],
    needsCelValue: false,
  }
  const properties = asRecord(raw.properties)
  if (properties) {
    node.properties = new Map(Object.entries(properties).map(([k, v]) => [k, compileNode(asRecord(v) ?? {})]))
  }
  const additional = asRecord(raw.additionalProperties)
  if (additional) node.additionalProperties = compileNode(additional)
  const items = asRecord(raw.items)
  if (items) node.items = compileNode(items)
  if (Array.isArray(raw.enum)) node.enum = raw.enum
  if (typeof raw.pattern === 'string') node.pattern = raw.pattern
  if (typeof raw.format === 'string') node.format = raw.format
  node.minLength = asNumber(raw.minLength)
  node.maxLength = asNumber(raw.maxLength)
  node.minimum = asNumber(raw.minimum)
  node.maximum = asNumber(raw.maximum)
  node.multipleOf = asNumber(raw.multipleOf)
  node.minItems = asNumber(raw.minItems)
  node.maxItems = asNumber(raw.maxItems)
  node.minProperties = asNumber(raw.minProperties)
  node.maxProperties = asNumber(raw.maxProperties)
  if (node.hasDefault) node.default = raw.default
  const listType = raw['x-kubernetes-list-type']
  if (listType === 'atomic' || listType === 'set' || listType === 'map') node.listType = listType
  if (Array.isArray(raw['x-kubernetes-list-map-keys'])) node.listMapKeys = raw['x-kubernetes-list-map-keys'] as string[]
  node.allOf = compileList(raw.allOf)
  node.anyOf = compileList(raw.anyOf)
  node.oneOf = compileList(raw.oneOf)
  const not = asRecord(raw.not)
  if (not) node.not = compileNode(not)
  return node
}

function childNodes(node: SchemaNode): SchemaNode[] {
  const children: SchemaNode[] = []
  if (node.properties) children.push(...node.properties.values())
  if (node.additionalProperties) children.push(node.additionalProperties)
  if (node.items) children.push(node.items)
  return children
}

function markNeedsCelValue(node: SchemaNode, ancestorHasRules: boolean): void {
  const here = ancestorHasRules || node.rules.length > 0
  node.needsCelValue = here
  for (const child of childNodes(node)) markNeedsCelValue(child, here)
}

/** Compiles an openAPIV3Schema (the root of a CRD version). */
export function compileSchema(openApiV3Schema: unknown): SchemaNode {
  const root = compileNode(asRecord(openApiV3Schema) ?? {})
  markNeedsCelValue(root, false)
  return root
}

/** The matcher for a node's `pattern` (compiled once per distinct pattern). */
export function patternMatcher(node: SchemaNode): Re2Matcher | undefined {
  return node.pattern === undefined ? undefined : compileRe2Cached(node.pattern)
}
