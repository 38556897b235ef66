/**
 * `gwctl lint -o json`: the stable machine-readable contract of DESIGN.md.
 * `version: 1`, `summary` (with the counts of suppressed findings and
 * skipped files), sorted `findings`, sorted `suppressed` findings (each a
 * finding plus its `suppression`: `kind` annotation or config, and
 * `justification`), `resources` with their computed status, then the
 * `skipped` files (file and reason), every object built key by key so the
 * key order is the documented one, 2-space indent. Optional members (finding `resource` and
 * `field`, resource `namespace` and `status`) are omitted when undefined.
 */
import type {Finding, SuppressedFinding} from '../../findings/finding.js'
import {sortFindings, summarizeReport} from '../report.js'
import type {LintReport, ReportResource} from '../report.js'
import type {FormatOptions} from './format-options.js'

export function formatJson(report: LintReport, _options: FormatOptions): string {
  const document = {
    version: 1,
    summary: summarizeReport(report),
    findings: sortFindings(report.findings).map(toJsonFinding),
    suppressed: sortFindings(report.suppressed).map(toJsonSuppressed),
    resources: report.resources.map(toJsonResource),
    skipped: report.skipped.map(skipped => ({file: skipped.file, reason: skipped.reason})),
  }
  return JSON.stringify(document, null, 2)
}

function toJsonFinding(finding: Finding): Record<string, unknown> {
  const {resource} = finding
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    category: finding.category,
    message: finding.message,
    resource: resource && {
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      namespace: resource.namespace,
      name: resource.name,
    },
    field: finding.field,
    file: finding.file,
    line: finding.line,
    column: finding.column,
  }
}

function toJsonSuppressed(finding: SuppressedFinding): Record<string, unknown> {
  return {
    ...toJsonFinding(finding),
    suppression: {kind: finding.suppression.kind, justification: finding.suppression.justification},
  }
}

function toJsonResource(resource: ReportResource): Record<string, unknown> {
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: {name: resource.metadata.name, namespace: resource.metadata.namespace},
    status: resource.status,
  }
}
