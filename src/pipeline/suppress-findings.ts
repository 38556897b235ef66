/**
 * Suppressions, the last step of the pipeline (pure): what the user asked
 * not to see, moved from the findings to the suppressed list with where the
 * suppression came from.
 *
 * 1. `.gwctl.yaml` `rules: {ID: error|warning|info}` changes the severity of
 *    that rule's findings.
 * 2. A `gwctl/ignore` annotation (grammar in ignore-annotation.ts) silences
 *    the rules it lists for the findings about its own object (same file,
 *    apiVersion, kind, namespace and name), with the reason written.
 *    An entry gwctl cannot read, or that names an unknown rule, is an
 *    `ignore-annotation-invalid` finding (did-you-mean included); a listed
 *    rule that silenced nothing on the object is `ignore-annotation-unused`.
 *    The annotation cannot silence those two (turn them off in .gwctl.yaml).
 * 3. `rules: {ID: off}` silences what is left of that rule, the two above
 *    included.
 * Only reporting changes: what makes input unusable for serve and resolve
 * is decided on the findings before this step (see analyze.ts).
 */
import {suggestName} from '../errors/suggest-name.js'
import {compareFindings, type Finding, type RuleLevel, type SuppressedFinding} from '../findings/finding.js'
import {formatFieldPath} from '../manifests/field-path.js'
import type {SourceObject} from '../manifests/source.js'
import {describeResource} from './engine-findings.js'
import {IGNORE_ANNOTATION, parseIgnoreAnnotation} from './ignore-annotation.js'
import {SUPPRESSION_RULES, type SuppressionRuleId} from './suppression-rules.js'

/** `rules:` of .gwctl.yaml, and the file it came from (named in the justification of what `off` silences). */
export interface RuleSettings {
  levels: Readonly<Record<string, RuleLevel>>
  file: string
}

export interface SuppressOptions {
  rules?: RuleSettings
  /** Every rule id gwctl has (the annotation is checked against it). */
  knownRuleIds: readonly string[]
}

export interface SuppressionResult {
  findings: Finding[]
  suppressed: SuppressedFinding[]
}

interface ObjectIgnores {
  object: SourceObject
  /** Rule id → reason, and whether it silenced anything. */
  rules: Map<string, {reason: string; used: boolean}>
}

const ANNOTATION_PATH = ['metadata', 'annotations', IGNORE_ANNOTATION] as const
const ANNOTATION_FIELD = formatFieldPath(ANNOTATION_PATH)
const UNSILENCEABLE = new Set(SUPPRESSION_RULES.map((rule) => rule.id))

export function suppressFindings(findings: readonly Finding[], objects: readonly SourceObject[], options: SuppressOptions): SuppressionResult {
  const levels = options.rules?.levels ?? {}
  const withLevel = (finding: Finding): Finding => {
    const level = levels[finding.ruleId]
    return level === undefined || level === 'off' || level === finding.severity ? finding : {...finding, severity: level}
  }
  const known = new Set(options.knownRuleIds)
  const annotationFindings: Finding[] = []
  const ignores = collectIgnores(objects, known, options.knownRuleIds, annotationFindings)

  const kept: Finding[] = []
  const suppressed: SuppressedFinding[] = []
  for (const raw of findings) {
    const finding = withLevel(raw)
    const ignore = findIgnore(ignores, finding)
    if (ignore === undefined) {
      kept.push(finding)
      continue
    }
    ignore.used = true
    suppressed.push({...finding, suppression: {kind: 'annotation', justification: ignore.reason}})
  }
  for (const entry of ignores.values()) {
    for (const object of entry) {
      for (const [ruleId, ignore] of object.rules) {
        if (ignore.used) continue
        annotationFindings.push(createAnnotationFinding(object.object, 'ignore-annotation-unused',
          `${IGNORE_ANNOTATION} lists ${ruleId}, which reports nothing on ${object.object.kind} ${describeName(object.object)}: the suppression can go`))
      }
    }
  }
  kept.push(...annotationFindings.map(withLevel))

  const findingsOut: Finding[] = []
  for (const finding of kept) {
    if (levels[finding.ruleId] === 'off') {
      suppressed.push({...finding, suppression: {kind: 'config', justification: `${options.rules!.file}: rules.${finding.ruleId} is off`}})
    } else {
      findingsOut.push(finding)
    }
  }
  return {findings: findingsOut.sort(compareFindings), suppressed: suppressed.sort(compareFindings)}
}

/** Annotations by `file|apiVersion|kind|name` (objects of one identity may differ in namespace). */
function collectIgnores(objects: readonly SourceObject[], known: ReadonlySet<string>, knownList: readonly string[], out: Finding[]): Map<string, ObjectIgnores[]> {
  const ignores = new Map<string, ObjectIgnores[]>()
  for (const object of objects) {
    const metadata = object.object.metadata
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) continue
    const annotations = (metadata as Record<string, unknown>).annotations
    if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) continue
    if (!Object.hasOwn(annotations, IGNORE_ANNOTATION)) continue
    const value = (annotations as Record<string, unknown>)[IGNORE_ANNOTATION]
    if (typeof value !== 'string') {
      out.push(createAnnotationFinding(object, 'ignore-annotation-invalid', `${IGNORE_ANNOTATION} must be a string such as "backend-not-found: reason", got ${describeType(value)}`))
      continue
    }
    const parsed = parseIgnoreAnnotation(value)
    for (const problem of parsed.problems) out.push(createAnnotationFinding(object, 'ignore-annotation-invalid', `${IGNORE_ANNOTATION} ${problem}; it silences nothing`))
    const rules = new Map<string, {reason: string; used: boolean}>()
    for (const entry of parsed.entries) {
      for (const ruleId of entry.ruleIds) {
        if (UNSILENCEABLE.has(ruleId)) {
          out.push(createAnnotationFinding(object, 'ignore-annotation-invalid', `${IGNORE_ANNOTATION} cannot silence ${ruleId}: set "rules: {${ruleId}: off}" in .gwctl.yaml instead`))
        } else if (!known.has(ruleId)) {
          const suggestion = suggestName(ruleId, knownList)
          const hint = suggestion === undefined ? ' (gwctl rules lists them)' : ` (did you mean '${suggestion}'?)`
          out.push(createAnnotationFinding(object, 'ignore-annotation-invalid', `${IGNORE_ANNOTATION} names unknown rule '${ruleId}'${hint}; it silences nothing`))
        } else if (!rules.has(ruleId)) {
          rules.set(ruleId, {reason: entry.reason, used: false})
        }
      }
    }
    if (rules.size === 0) continue
    const key = identify(object.file, object.apiVersion, object.kind, object.name)
    const list = ignores.get(key)
    if (list === undefined) ignores.set(key, [{object, rules}])
    else list.push({object, rules})
  }
  return ignores
}

function findIgnore(ignores: ReadonlyMap<string, ObjectIgnores[]>, finding: Finding): {reason: string; used: boolean} | undefined {
  const {resource} = finding
  if (resource === undefined) return undefined
  const candidates = ignores.get(identify(finding.file, resource.apiVersion, resource.kind, resource.name))
  if (candidates === undefined) return undefined
  for (const candidate of candidates) {
    if (resource.namespace !== undefined && resource.namespace !== candidate.object.namespace) continue
    const ignore = candidate.rules.get(finding.ruleId)
    if (ignore !== undefined) return ignore
  }
  return undefined
}

function identify(file: string, apiVersion: string, kind: string, name: string): string {
  return JSON.stringify([file, apiVersion, kind, name])
}

function createAnnotationFinding(object: SourceObject, ruleId: SuppressionRuleId, message: string): Finding {
  const position = object.locate(ANNOTATION_PATH, 'value')
  const meta = SUPPRESSION_RULES.find((rule) => rule.id === ruleId)!
  return {
    ruleId, severity: meta.defaultSeverity, category: meta.category, message,
    resource: describeResource(object), field: ANNOTATION_FIELD, file: object.file, line: position.line, column: position.column,
  }
}

function describeName(object: SourceObject): string {
  return object.kind === 'Namespace' || object.kind === 'GatewayClass' ? object.name : `${object.namespace}/${object.name}`
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`
}
