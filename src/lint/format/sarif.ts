/**
 * `gwctl lint -o sarif`: a SARIF 2.1.0 log for code scanning (GitHub, Azure
 * DevOps, IDE viewers), shaped by what GitHub code scanning accepts.
 *
 * One run. `tool.driver.rules` is the report's rule list (first entry wins
 * for a repeated id; a rule a result names but the list lacks is taken from
 * the catalogue), each with its summary, full description, help (text and
 * Markdown: why, how to fix, an example), default level and tags (the
 * category; certificate rules are also tagged `security`, with a
 * `security-severity`). Levels: error → error, warning → warning, info →
 * note.
 *
 * Every result has a physical location, standard input included: the
 * finding's file as a URI relative to `%SRCROOT%` (the working directory,
 * declared in `originalUriBaseIds` as a file URI), with forward slashes and
 * percent-encoding (`<stdin>` → `%3Cstdin%3E`, or the `--stdin-filename`
 * name); an absolute path under the working directory is made relative, one
 * outside it becomes a `file://` URI. The region starts at the finding's
 * line and column (UTF-16 code units, as the loader counts them), at least
 * 1:1. The logical location is the Kubernetes object, `Kind/namespace/name`.
 *
 * `partialFingerprints["gwctlFingerprint/v1"]` identifies a result across
 * runs while lines move: a SHA-256 of the rule, file, object, field and the
 * message with positions removed, then `:N` numbering results that would
 * otherwise share one. Suppressed findings (gwctl/ignore annotations,
 * .gwctl.yaml) are results with `suppressions` (inSource or external, with
 * the justification). Validated in tests against the official schema and
 * GitHub's own constraints.
 */
import {createHash} from 'node:crypto'
import {compareFindings, type Finding, type RuleMeta, type Severity} from '../../findings/finding.js'
import {formatRuleHelpMarkdown, formatRuleHelpText} from '../../findings/rule-help.js'
import {findRule} from '../../pipeline/rule-catalogue.js'
import type {LintReport, SuppressedFinding} from '../report.js'
import type {FormatOptions} from './format-options.js'

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'

/** The base id relative artifact URIs are resolved against. */
export const SOURCE_ROOT_ID = '%SRCROOT%'

/** Key of the fingerprint in `partialFingerprints`; bump the version if the recipe changes. */
export const FINGERPRINT_KEY = 'gwctlFingerprint/v1'

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {error: 'error', warning: 'warning', info: 'note'}

/** GitHub's scale for `security-severity`: high (7.0–8.9), medium (4.0–6.9), low (0.1–3.9). */
const SECURITY_SEVERITY: Record<Severity, string> = {error: '7.5', warning: '5.0', info: '2.0'}

const SUPPRESSION_KINDS = {annotation: 'inSource', config: 'external'} as const

type Result = Finding | SuppressedFinding

export function formatSarif(report: LintReport, options: FormatOptions): string {
  const results: Result[] = [...report.findings, ...report.suppressed].sort(compareFindings)
  const rules = listReportedRules(report.rules, results)
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]))
  const cwd = options.cwd === undefined ? undefined : toSlashes(options.cwd).replace(/\/+$/, '')
  const fingerprints = computeFingerprints(results)
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gwctl',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: rules.map(toReportingDescriptor),
          },
        },
        originalUriBaseIds: cwd === undefined ? undefined : {[SOURCE_ROOT_ID]: {uri: toDirectoryUri(cwd)}},
        columnKind: 'utf16CodeUnits',
        results: results.map((result, index) => toResult(result, ruleIndex.get(result.ruleId), fingerprints[index], cwd)),
      },
    ],
  }
  return JSON.stringify(log, null, 2)
}

/** The report's rules without repeats, then any rule a result names that the list lacks (from the catalogue). */
function listReportedRules(rules: readonly RuleMeta[], results: readonly Result[]): RuleMeta[] {
  const byId = new Map<string, RuleMeta>()
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule)
  for (const result of results) {
    if (byId.has(result.ruleId)) continue
    const rule = findRule(result.ruleId)
    if (rule !== undefined) byId.set(rule.id, rule)
  }
  return [...byId.values()]
}

function toReportingDescriptor(rule: RuleMeta): Record<string, unknown> {
  const security = rule.category === 'certificate'
  return {
    id: rule.id,
    shortDescription: {text: rule.description},
    fullDescription: {text: `${rule.description} ${rule.why}`},
    help: {text: formatRuleHelpText(rule), markdown: formatRuleHelpMarkdown(rule)},
    defaultConfiguration: {level: LEVELS[rule.defaultSeverity]},
    properties: {
      category: rule.category,
      tags: security ? [rule.category, 'security'] : [rule.category],
      'security-severity': security ? SECURITY_SEVERITY[rule.defaultSeverity] : undefined,
      source: rule.source,
    },
  }
}

function toResult(result: Result, ruleIndex: number | undefined, fingerprint: string, cwd: string | undefined): Record<string, unknown> {
  const suppression = 'suppression' in result ? result.suppression : undefined
  return {
    ruleId: result.ruleId,
    ruleIndex,
    level: LEVELS[result.severity],
    message: {text: result.message},
    locations: [
      {
        physicalLocation: {
          artifactLocation: toArtifactLocation(result.file, cwd),
          region: {startLine: Math.max(1, result.line), startColumn: Math.max(1, result.column)},
        },
        logicalLocations: result.resource && [toLogicalLocation(result.resource)],
      },
    ],
    partialFingerprints: {[FINGERPRINT_KEY]: fingerprint},
    suppressions: suppression && [{kind: SUPPRESSION_KINDS[suppression.kind], justification: suppression.justification}],
    properties: {category: result.category, field: result.field},
  }
}

function toLogicalLocation(resource: NonNullable<Finding['resource']>): Record<string, unknown> {
  const path =
    resource.namespace === undefined ? [resource.kind, resource.name] : [resource.kind, resource.namespace, resource.name]
  return {name: resource.name, fullyQualifiedName: path.join('/'), kind: 'resource'}
}

/**
 * Fingerprints of the results, in order: what identifies a finding without
 * its position. Line and column references in messages (`a.yaml:12`,
 * `line 12`) are removed so that moving lines keeps the fingerprint.
 */
export function computeFingerprints(results: readonly Finding[]): string[] {
  const files = [...new Set(results.map((result) => result.file))].sort((a, b) => b.length - a.length)
  const seen = new Map<string, number>()
  return results.map((result) => {
    const resource = result.resource && [result.resource.kind, result.resource.namespace ?? '', result.resource.name]
    const identity = JSON.stringify([result.ruleId, result.file, resource ?? null, result.field ?? null, removePositions(result.message, files)])
    const hash = createHash('sha256').update(identity).digest('hex')
    const occurrence = (seen.get(hash) ?? 0) + 1
    seen.set(hash, occurrence)
    return `${hash}:${occurrence}`
  })
}

function removePositions(message: string, files: readonly string[]): string {
  let text = message
  for (const file of files) text = text.replace(new RegExp(`${escapeRegExp(file)}:\\d+(?::\\d+)?`, 'g'), file)
  return text.replace(/\b(line|column|col)s? \d+(?:[:,-]\d+)?/gi, '$1')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * A finding's file as an artifactLocation: relative to `%SRCROOT%` when it is
 * relative or under the working directory (a leading `./` dropped), else an
 * absolute `file://` URI (POSIX or Windows path). Segments are
 * percent-encoded, so `<stdin>` is `%3Cstdin%3E`.
 */
function toArtifactLocation(file: string, cwd: string | undefined): {uri: string; uriBaseId?: string} {
  const slashed = toSlashes(file)
  const absolute = slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)
  if (absolute && cwd !== undefined && slashed.startsWith(`${cwd}/`)) return relativeLocation(slashed.slice(cwd.length + 1), cwd)
  if (absolute) return {uri: toFileUri(slashed)}
  return relativeLocation(slashed.replace(/^(\.\/)+/, ''), cwd)
}

function relativeLocation(path: string, cwd: string | undefined): {uri: string; uriBaseId?: string} {
  return cwd === undefined ? {uri: encodePath(path)} : {uri: encodePath(path), uriBaseId: SOURCE_ROOT_ID}
}

function toFileUri(absolute: string): string {
  const drive = /^([A-Za-z]):\//.exec(absolute)
  return drive ? `file:///${drive[1]}:/${encodePath(absolute.slice(3))}` : `file://${encodePath(absolute)}`
}

/** The working directory as a file URI ending in `/`, as SARIF requires of a base URI. */
function toDirectoryUri(cwd: string): string {
  return `${toFileUri(cwd === '' ? '/' : cwd).replace(/\/?$/, '/')}`
}

function toSlashes(path: string): string {
  return path.replaceAll('\\', '/')
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}
