/**
 * One walk of an object against a compiled structural schema, in the API
 * server's order for a create with strict field validation:
 * - unknown fields are reported and dropped (pruned); below
 *   x-kubernetes-preserve-unknown-fields they are kept;
 * - a null field that is not nullable is pruned, or replaced by its default;
 * - defaults are applied first, where the parent object is present
 *   (apply-defaults.ts; nested defaults apply too), then validated;
 * - value validations: type (x-kubernetes-int-or-string, nullable), enum,
 *   string length in code points, pattern (RE2), format, numeric bounds,
 *   item and property counts, required, allOf/anyOf/oneOf/not;
 * - x-kubernetes-list-type set/map: duplicate entries;
 * - x-kubernetes-validations at each present node, unless the node's subtree
 *   has a blocking error (wrong type, missing required field, unsupported
 *   enum value, too long, too many items or properties), as the API server
 *   does not run CEL on such values.
 * Returns the pruned and defaulted copy and the issues; the input is not modified.
 */
import {celList, celMap, type CelInput} from '@bufbuild/cel'
import {formatFieldPath, type FieldPath} from '../manifests/field-path.js'
import {evaluateRules} from './cel-rules.js'
import {escapeCelFieldName, toCelNumber, toCelUntyped} from './cel-value.js'
import type {SchemaIssue} from './schema-issue.js'
import {applyDefaults} from './apply-defaults.js'
import {cloneJson, describeJsonType, isPlainObject, setOwnProperty} from './json-value.js'
import {patternMatcher, type SchemaNode} from './schema-node.js'
import {checkStringFormat} from './string-formats.js'
import {suggestName} from '../errors/suggest-name.js'

export interface WalkOptions {
  /**
   * Called for the root's `metadata` (undefined when absent) instead of the
   * CRD's schema for it, which the API server replaces with ObjectMeta.
   */
  checkRootMetadata?: (metadata: unknown, report: (issue: SchemaIssue) => void) => void
}

export interface WalkResult {
  /** The object as the API server would store it: unknown fields pruned, defaults applied. */
  value: unknown
  issues: SchemaIssue[]
  /** Transition rules (oldSelf) met at present nodes and not evaluated. */
  skippedTransitionRules: number
}

interface NodeResult {
  value: unknown
  cel: CelInput | undefined
  blocked: boolean
}




function describeExpectedType(node: SchemaNode): string {
  return node.intOrString ? 'integer or string' : (node.type ?? 'any')
}

function hasSchemaType(node: SchemaNode, value: unknown): boolean {
  if (node.intOrString) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))
  switch (node.type) {
    case undefined:
      return true
    case 'object':
      return isPlainObject(value)
    case 'array':
      return Array.isArray(value)
    case 'string':
      return typeof value === 'string'
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number'
    case 'boolean':
      return typeof value === 'boolean'
  }
}

function countCodePoints(value: string): number {
  let n = 0
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

/** Stable JSON text of a value (object keys sorted), for equality of list entries. */
function stringifyStable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stringifyStable).join(',')}]`
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stringifyStable(value[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/**
 * Problems of a value against an allOf/anyOf/oneOf/not branch: value
 * validations only (no pruning, defaults or CEL), as messages prefixed with
 * the relative field path.
 */
function checkBranch(value: unknown, node: SchemaNode, prefix: string): string[] {
  const at = prefix === '' ? '' : `${prefix}: `
  if (value === null) return node.nullable || (!node.type && !node.intOrString) ? [] : [`${at}must not be null`]
  if (!hasSchemaType(node, value)) return [`${at}must be of type ${describeExpectedType(node)}`]
  const problems = checkValue(value, node).map((p) => at + p.detail)
  if (isPlainObject(value)) {
    for (const key of node.required) if (!(key in value)) problems.push(`${prefix === '' ? '' : `${prefix}.`}${key}: Required value`)
    for (const [key, child] of Object.entries(value)) {
      const sub = node.properties?.get(key) ?? node.additionalProperties
      if (sub) problems.push(...checkBranch(child, sub, prefix === '' ? key : `${prefix}.${key}`))
    }
  } else if (Array.isArray(value) && node.items) {
    value.forEach((item, i) => problems.push(...checkBranch(item, node.items as SchemaNode, `${prefix}[${i}]`)))
  }
  problems.push(...checkCombinators(value, node).map((p) => at + p))
  return problems
}

function checkCombinators(value: unknown, node: SchemaNode): string[] {
  const problems: string[] = []
  for (const branch of node.allOf ?? []) problems.push(...checkBranch(value, branch, ''))
  if (node.anyOf) {
    const results = node.anyOf.map((b) => checkBranch(value, b, ''))
    if (!results.some((r) => r.length === 0)) {
      problems.push(`must match at least one of [${results.map((r) => r.join(', ')).join(' | ')}]`)
    }
  }
  if (node.oneOf) {
    const results = node.oneOf.map((b) => checkBranch(value, b, ''))
    const matching = results.filter((r) => r.length === 0).length
    if (matching === 0) problems.push(`must match exactly one of [${results.map((r) => r.join(', ')).join(' | ')}]`)
    else if (matching > 1) problems.push(`must match exactly one of the oneOf forms, but matches ${matching}`)
  }
  if (node.not && checkBranch(value, node.not, '').length === 0) {
    problems.push(node.not.enum ? `must not be one of ${node.not.enum.map(formatValue).join(', ')}` : 'must not match the forbidden form')
  }
  return problems
}

interface ValueProblem {
  ruleId: string
  /** The API server's error text, e.g. `Invalid value: 0: should be greater than or equal to 1`. */
  message: string
  /** The same without the value, for problems nested in allOf/anyOf/oneOf/not. */
  detail: string
  blocking: boolean
}

function createInvalidProblem(ruleId: string, value: unknown, detail: string): ValueProblem {
  return {ruleId, blocking: false, detail, message: `Invalid value: ${formatValue(value)}: ${detail}`}
}

function createBlockingProblem(ruleId: string, message: string, detail: string): ValueProblem {
  return {ruleId, blocking: true, detail, message}
}

/** enum, string, number, array and object bounds of one value (its type already checked). */
function checkValue(value: unknown, node: SchemaNode): ValueProblem[] {
  const problems: ValueProblem[] = []
  if (node.enum && !node.enum.some((e) => e === value || stringifyStable(e) === stringifyStable(value))) {
    const supported = node.enum.map(formatValue).join(', ')
    problems.push(createBlockingProblem('schema-enum', `Unsupported value: ${formatValue(value)}: supported values: ${supported}`, `must be one of ${supported}`))
  }
  if (typeof value === 'string') {
    if (node.maxLength !== undefined && value.length > node.maxLength) {
      const length = countCodePoints(value)
      if (length > node.maxLength) {
        const detail = `may not be more than ${node.maxLength} characters`
        problems.push(createBlockingProblem('schema-range', `Too long: ${detail} (got ${length})`, detail))
      }
    }
    if (node.minLength !== undefined && value.length < 2 * node.minLength && countCodePoints(value) < node.minLength) {
      problems.push(createInvalidProblem('schema-range', value, `should be at least ${node.minLength} characters long`))
    }
    const matcher = patternMatcher(node)
    if (matcher && !matcher.test(value)) problems.push(createInvalidProblem('schema-pattern', value, `should match '${node.pattern}'`))
    if (node.format && checkStringFormat(node.format, value) === false) problems.push(createInvalidProblem('schema-format', value, `must be a valid ${node.format}`))
  } else if (typeof value === 'number') {
    if (node.minimum !== undefined && (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum)) {
      problems.push(createInvalidProblem('schema-range', value, `should be greater than ${node.exclusiveMinimum ? '' : 'or equal to '}${node.minimum}`))
    }
    if (node.maximum !== undefined && (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum)) {
      problems.push(createInvalidProblem('schema-range', value, `should be less than ${node.exclusiveMaximum ? '' : 'or equal to '}${node.maximum}`))
    }
    if (node.multipleOf !== undefined && !Number.isInteger(value / node.multipleOf)) {
      problems.push(createInvalidProblem('schema-range', value, `should be a multiple of ${node.multipleOf}`))
    }
  } else if (Array.isArray(value)) {
    if (node.maxItems !== undefined && value.length > node.maxItems) {
      const detail = `must have at most ${node.maxItems} items`
      problems.push(createBlockingProblem('schema-range', `Too many: ${value.length}: ${detail}`, detail))
    }
    if (node.minItems !== undefined && value.length < node.minItems) {
      const detail = `should have at least ${node.minItems} items`
      problems.push({ruleId: 'schema-range', blocking: false, detail, message: `Invalid value: ${value.length} items: ${detail}`})
    }
  } else if (isPlainObject(value)) {
    const count = Object.keys(value).length
    if (node.maxProperties !== undefined && count > node.maxProperties) {
      const detail = `must have at most ${node.maxProperties} properties`
      problems.push(createBlockingProblem('schema-range', `Too many: ${count}: ${detail}`, detail))
    }
    if (node.minProperties !== undefined && count < node.minProperties) {
      const detail = `should have at least ${node.minProperties} properties`
      problems.push({ruleId: 'schema-range', blocking: false, detail, message: `Invalid value: ${count} properties: ${detail}`})
    }
  }
  return problems
}

class Walker {
  readonly issues: SchemaIssue[] = []
  skippedTransitionRules = 0
  private readonly path: Array<string | number> = []

  constructor(private readonly options: WalkOptions) {}

  private report(ruleId: string, message: string, target: 'key' | 'value', extra: FieldPath = [], locatePath?: FieldPath): void {
    const path = extra.length === 0 ? this.path.slice() : [...this.path, ...extra]
    this.issues.push({ruleId, path, message, target, ...(locatePath ? {locatePath} : {})})
  }

  /** Containers are pointed at by their key, scalars by their value. */
  private targetFor(value: unknown): 'key' | 'value' {
    return value !== null && typeof value === 'object' ? 'key' : 'value'
  }

  walk(value: unknown, node: SchemaNode): NodeResult {
    if (value === null) {
      if (node.nullable || (!node.type && !node.intOrString)) return {value: null, cel: node.needsCelValue ? null : undefined, blocked: false}
      this.report('schema-type', `must be of type ${describeExpectedType(node)}, got null`, 'value')
      return {value: null, cel: undefined, blocked: true}
    }
    if (!hasSchemaType(node, value)) {
      this.report('schema-type', `must be of type ${describeExpectedType(node)}, got ${describeJsonType(value)} ${formatValue(value)}`, this.targetFor(value))
      return {value: cloneJson(value), cel: undefined, blocked: true}
    }
    let result: NodeResult
    if (Array.isArray(value)) result = this.walkArray(value, node)
    else if (isPlainObject(value)) result = this.walkObject(value, node)
    else result = {value, cel: node.needsCelValue ? this.scalarCel(value, node) : undefined, blocked: false}
    const target = this.targetFor(value)
    for (const problem of checkValue(result.value, node)) {
      this.report(problem.ruleId, problem.message, target)
      if (problem.blocking) result.blocked = true
    }
    for (const problem of checkCombinators(result.value, node)) this.report('schema-format', problem, target)
    if (node.rules.length > 0 && !result.blocked && result.cel !== undefined) this.evaluate(node, result.cel, target)
    return result
  }

  private scalarCel(value: unknown, node: SchemaNode): CelInput {
    if (typeof value !== 'number') return value as CelInput
    return node.type === 'number' ? value : toCelNumber(value)
  }

  private evaluate(node: SchemaNode, self: CelInput, target: 'key' | 'value'): void {
    const outcome = evaluateRules(node.rules, self)
    this.skippedTransitionRules += outcome.skippedTransitionRules
    for (const violation of outcome.violations) {
      if (violation.fieldPath) {
        this.report('schema-cel', violation.message, 'key', violation.fieldPath)
        continue
      }
      const [first, ...others] = violation.culprits
      if (!first) {
        this.report('schema-cel', violation.message, target)
        continue
      }
      const base = this.path.slice()
      const message = others.length === 0 ? violation.message : `${violation.message} (also ${others.map((o) => formatFieldPath([...base, ...o])).join(', ')})`
      this.report('schema-cel', message, typeof first[0] === 'string' ? 'key' : 'value', first)
    }
  }

  private unknownField(key: string, node: SchemaNode): void {
    const suggestion = node.properties ? suggestName(key, node.properties.keys()) : undefined
    const text = formatFieldPath([...this.path, key])
    this.report('schema-unknown-field', `unknown field "${text}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`, 'key', [key])
  }

  private walkObject(value: Record<string, unknown>, node: SchemaNode): NodeResult {
    const out: Record<string, unknown> = {}
    const cel = node.needsCelValue ? new Map<string, CelInput>() : undefined
    const keepUnknown = node.preserveUnknownFields || node.additionalPropertiesAny || (!node.type && !node.properties && !node.additionalProperties)
    const atRoot = this.path.length === 0
    let blocked = false
    const addCel = (key: string, celValue: CelInput | undefined) => {
      if (!cel || celValue === undefined) return
      const name = node.properties ? escapeCelFieldName(key) : key
      if (name !== undefined) cel.set(name, celValue)
    }
    for (const key of Object.keys(value)) {
      const child = value[key]
      if (atRoot && key === 'metadata' && this.options.checkRootMetadata) {
        if (child !== null) setOwnProperty(out, key, cloneJson(child))
        continue
      }
      const sub = node.properties?.get(key) ?? node.additionalProperties
      if (!sub) {
        if (!keepUnknown) {
          this.unknownField(key, node)
          continue
        }
        setOwnProperty(out, key, cloneJson(child))
        addCel(key, cel ? toCelUntyped(child) : undefined)
        continue
      }
      // Defaults are in place (applyDefaults ran first): a null left here has none and is pruned.
      if (child === null && !sub.nullable) continue
      this.path.push(key)
      const r = this.walk(child, sub)
      this.path.pop()
      setOwnProperty(out, key, r.value)
      if (r.blocked) blocked = true
      addCel(key, r.cel)
    }
    if (atRoot && this.options.checkRootMetadata) {
      const metadata = value.metadata
      this.options.checkRootMetadata(metadata, (issue) => this.issues.push(issue))
      if (cel && isPlainObject(metadata)) {
        const visible = new Map<string, CelInput>()
        for (const field of ['name', 'generateName']) if (typeof metadata[field] === 'string') visible.set(field, metadata[field] as string)
        cel.set('metadata', celMap(visible))
      }
    }
    for (const key of node.required) {
      if (!Object.hasOwn(out, key)) {
        this.report('schema-required', `Required value: missing required field "${key}"`, 'key', [key])
        blocked = true
      }
    }
    return {value: out, cel: cel ? celMap(cel) : undefined, blocked}
  }

  private walkArray(value: unknown[], node: SchemaNode): NodeResult {
    const out: unknown[] = []
    const cel: CelInput[] | undefined = node.needsCelValue ? [] : undefined
    let blocked = false
    for (let i = 0; i < value.length; i++) {
      if (!node.items) {
        out.push(cloneJson(value[i]))
        cel?.push(toCelUntyped(value[i]))
        continue
      }
      this.path.push(i)
      const r = this.walk(value[i], node.items)
      this.path.pop()
      out.push(r.value)
      if (r.blocked) blocked = true
      if (cel && r.cel !== undefined) cel.push(r.cel)
    }
    if (node.listType === 'set' || node.listType === 'map') this.checkListEntries(out, node)
    return {value: out, cel: cel ? celList(cel) : undefined, blocked}
  }

  /** x-kubernetes-list-type set (unique values) and map (unique key tuples). */
  private checkListEntries(items: unknown[], node: SchemaNode): void {
    const seen = new Map<string, number>()
    const keys = node.listType === 'map' ? (node.listMapKeys ?? []) : undefined
    items.forEach((item, i) => {
      let identity: string
      if (keys) {
        if (!isPlainObject(item)) return
        if (keys.some((k) => !Object.hasOwn(item, k))) return
        identity = stringifyStable(keys.map((k) => item[k]))
      } else {
        identity = stringifyStable(item)
      }
      const first = seen.get(identity)
      if (first === undefined) {
        seen.set(identity, i)
        return
      }
      const firstPath = formatFieldPath([...this.path, first])
      if (keys) {
        const described = keys.map((k) => `${k} ${formatValue((item as Record<string, unknown>)[k])}`).join(', ')
        const locate = keys.length === 1 ? [...this.path, i, keys[0]] : undefined
        this.report('schema-duplicate', `Duplicate value: an entry with ${described} already exists at ${firstPath}`, 'value', [i], locate)
      } else {
        this.report('schema-duplicate', `Duplicate value: ${formatValue(item)} already appears at ${firstPath}`, 'value', [i])
      }
    })
  }
}

/** Validates `value` against a compiled schema (a CRD version's root, or any node of it). */
export function walkSchema(value: unknown, root: SchemaNode, options: WalkOptions = {}): WalkResult {
  const walker = new Walker(options)
  const result = walker.walk(applyDefaults(value, root), root)
  return {value: result.value, issues: walker.issues, skippedTransitionRules: walker.skippedTransitionRules}
}
