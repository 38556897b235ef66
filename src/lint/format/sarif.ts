/**
 * `gwctl lint -o sarif`: a SARIF 2.1.0 log for code scanning (GitHub, Azure
 * DevOps, IDE viewers). One run; `tool.driver.rules` is the report's rule
 * list (first entry wins for a repeated id) and each result points at its
 * rule by `ruleId` and `ruleIndex` (no index for an id absent from the
 * list). Levels: error → error, warning → warning, info → note. A result's
 * physical location is the finding's file as a relative URI with forward
 * slashes (an absolute path becomes a `file://` URI; `<stdin>` has none)
 * with its start line and column (UTF-16 code units, as the loader
 * counts them); its logical location is the Kubernetes object, named
 * `Kind/namespace/name`. Validated in tests against the official schema.
 */
import type {Finding, ResourceRef, RuleMeta, Severity} from '../../findings/finding.js'
import {sortFindings, STDIN_FILE} from '../report.js'
import type {LintReport} from '../report.js'
import type {FormatOptions} from './format-options.js'

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {error: 'error', warning: 'warning', info: 'note'}

export function formatSarif(report: LintReport, _options: FormatOptions): string {
  const rules = dedupeRules(report.rules)
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]))
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gwctl',
            version: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: rules.map(toReportingDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: sortFindings(report.findings).map((finding) => toResult(finding, ruleIndex.get(finding.ruleId))),
      },
    ],
  }
  return JSON.stringify(log, null, 2)
}

function dedupeRules(rules: readonly RuleMeta[]): RuleMeta[] {
  const byId = new Map<string, RuleMeta>()
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule)
  return [...byId.values()]
}

function toReportingDescriptor(rule: RuleMeta): Record<string, unknown> {
  const fullText = rule.source ? `${rule.description} Source: ${rule.source}.` : rule.description
  return {
    id: rule.id,
    shortDescription: {text: rule.description},
    fullDescription: {text: fullText},
    defaultConfiguration: {level: LEVELS[rule.defaultSeverity]},
    properties: {category: rule.category},
  }
}

function toResult(finding: Finding, ruleIndex: number | undefined): Record<string, unknown> {
  const location = {
    physicalLocation: toPhysicalLocation(finding),
    logicalLocations: finding.resource && [toLogicalLocation(finding.resource)],
  }
  const hasLocation = location.physicalLocation !== undefined || location.logicalLocations !== undefined
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: {text: finding.message},
    locations: hasLocation ? [location] : undefined,
    properties: {category: finding.category, field: finding.field},
  }
}

function toPhysicalLocation(finding: Finding): Record<string, unknown> | undefined {
  if (finding.file === STDIN_FILE) return undefined
  const region =
    finding.line > 0
      ? {startLine: finding.line, startColumn: finding.column > 0 ? finding.column : undefined}
      : undefined
  return {artifactLocation: {uri: toArtifactUri(finding.file)}, region}
}

function toLogicalLocation(resource: ResourceRef): Record<string, unknown> {
  const path =
    resource.namespace === undefined ? [resource.kind, resource.name] : [resource.kind, resource.namespace, resource.name]
  return {name: resource.name, fullyQualifiedName: path.join('/'), kind: 'resource'}
}

/**
 * A file path as a URI reference: separators become `/`, a leading `./` is
 * dropped, each segment is percent-encoded; absolute POSIX and Windows paths
 * become `file://` URIs.
 */
function toArtifactUri(file: string): string {
  const slashed = file.replaceAll('\\', '/')
  const drive = /^([A-Za-z]):\//.exec(slashed)
  if (drive) return `file:///${drive[1]}:/${encodePath(slashed.slice(3))}`
  if (slashed.startsWith('/')) return `file://${encodePath(slashed)}`
  return encodePath(slashed.replace(/^(\.\/)+/, ''))
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}
