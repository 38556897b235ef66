/**
 * The lint report: everything one `gwctl lint` run found, as plain data that
 * every output format renders. Built by the lint command from the loader,
 * the schema stage and the binding engine; never read from files here.
 * Helpers are pure: sorting (compareFindings), the summary of
 * `gwctl lint -o json`, and the `--fail-on` exit code (0 or 1; the exit code
 * 2 for unusable input is the command's decision, not the report's).
 */
import {compareFindings, SEVERITY_RANK} from '../findings/finding.js'
import type {Finding, RuleMeta, Severity, SuppressedFinding} from '../findings/finding.js'

export type {Suppression, SuppressedFinding} from '../findings/finding.js'

/** How the loader names standard input in `Finding.file` and `SourceObject.file`. */
export const STDIN_FILE = '<stdin>'

/** One Kubernetes object of the input, with the status gwctl computed for it. */
export interface ReportResource {
  apiVersion: string
  kind: string
  metadata: {name: string; namespace?: string}
  /**
   * The Gateway API status a conformant controller would write (binding
   * engine); omitted from every output when undefined.
   */
  status?: Record<string, unknown>
  /** File the object came from (or `<stdin>`); used for grouping, not part of `-o json`. */
  file: string
}

export interface ToolInfo {
  /** gwctl's version (package.json `version`). */
  version: string
  /** Project home page, for SARIF `tool.driver.informationUri`; omitted when undefined. */
  informationUri?: string
}

/** A file found while walking a directory that holds no Kubernetes object (package.json, a Helm values.yaml): skipped, not an error. */
export interface SkippedFile {
  file: string
  /** Why it was skipped, e.g. `no apiVersion/kind in any document`. */
  reason: string
}

export interface LintReport {
  /** Number of files read (stdin counts as one). */
  files: number
  findings: Finding[]
  /** Files skipped while walking directories because they hold no Kubernetes object. */
  skipped: SkippedFile[]
  /** Findings silenced by a `gwctl/ignore` annotation or by .gwctl.yaml. */
  suppressed: SuppressedFinding[]
  /** Every object of the input, in input order. */
  resources: ReportResource[]
  /** Every rule that could have fired in this run (SARIF rule metadata). */
  rules: RuleMeta[]
  tool: ToolInfo
}

/** The `summary` object of `gwctl lint -o json`, keys in output order. */
export interface ReportSummary {
  files: number
  resources: number
  errors: number
  warnings: number
  infos: number
  /** Findings silenced by `gwctl/ignore` annotations or `.gwctl.yaml` (not counted above). */
  suppressed: number
  /** Files left out: found in a directory but holding no Kubernetes object, or excluded. */
  skipped: number
}

export type FailOn = Severity | 'none'

export const FAIL_ON_LEVELS: readonly FailOn[] = ['error', 'warning', 'info', 'none']

/** A sorted copy of the findings: file, line, column, ruleId, message. */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort(compareFindings)
}

/** Suppressed findings by where the suppression came from. */
export function countSuppressed(report: Pick<LintReport, 'suppressed'>): Record<SuppressedFinding['suppression']['kind'], number> {
  const counts = {annotation: 0, config: 0}
  for (const finding of report.suppressed) counts[finding.suppression.kind]++
  return counts
}

/**
 * `1 suppressed by .gwctl.yaml`, `3 suppressed: 2 by gwctl/ignore, 1 by
 * .gwctl.yaml`, or '' when nothing was: the phrase the text formats share.
 */
export function describeSuppressed(report: Pick<LintReport, 'suppressed'>): string {
  const total = report.suppressed.length
  if (total === 0) return ''
  const counts = countSuppressed(report)
  if (counts.annotation === total) return `${total} suppressed by gwctl/ignore`
  if (counts.config === total) return `${total} suppressed by .gwctl.yaml`
  return `${total} suppressed: ${counts.annotation} by gwctl/ignore, ${counts.config} by .gwctl.yaml`
}

export function summarizeReport(report: LintReport): ReportSummary {
  const counts: Record<Severity, number> = {error: 0, warning: 0, info: 0}
  for (const finding of report.findings) counts[finding.severity]++
  return {
    files: report.files,
    resources: report.resources.length,
    errors: counts.error,
    warnings: counts.warning,
    infos: counts.info,
    suppressed: report.suppressed.length,
    skipped: report.skipped.length,
  }
}

/** 1 when any finding is at or above `failOn` (`none` never fails), else 0. */
export function exitCodeFor(report: LintReport, failOn: FailOn): 0 | 1 {
  if (failOn === 'none') return 0
  const threshold = SEVERITY_RANK[failOn]
  return report.findings.some((finding) => SEVERITY_RANK[finding.severity] >= threshold) ? 1 : 0
}
