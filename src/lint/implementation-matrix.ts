/**
 * `gwctl lint --implementation all`: one row per implementation (its
 * newest report) and generic — whether that controller accepts the
 * configuration (no finding at or above --fail-on), the counts, and the
 * findings it adds to and removes from generic's. Text and JSON (pure).
 */
import {compareFindings, SEVERITY_RANK, type Finding, type Severity} from '../findings/finding.js'
import type {FailOn} from './report.js'

export interface MatrixEntry {
  /** `generic` or the implementation's name. */
  name: string
  /** The reported version played; undefined for generic. */
  version?: string
  findings: readonly Finding[]
}

export interface MatrixRow {
  name: string
  version?: string
  accepts: boolean
  counts: Record<Severity, number>
  /** Findings this implementation reports and generic does not. */
  added: Finding[]
  /** Findings generic reports and this implementation does not. */
  removed: Finding[]
}

export interface ImplementationMatrix {
  failOn: FailOn
  rows: MatrixRow[]
}

function keyOf(finding: Finding): string {
  return JSON.stringify([finding.ruleId, finding.file, finding.line, finding.column, finding.severity, finding.message])
}

function passes(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'none') return true
  return !findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn])
}

/** `entries[0]` is generic, the baseline of added and removed. */
export function buildImplementationMatrix(entries: readonly MatrixEntry[], failOn: FailOn): ImplementationMatrix {
  const [generic] = entries
  const baseline = new Set(generic.findings.map(keyOf))
  const rows = entries.map((entry): MatrixRow => {
    const own = new Set(entry.findings.map(keyOf))
    const counts: Record<Severity, number> = {error: 0, warning: 0, info: 0}
    for (const finding of entry.findings) counts[finding.severity]++
    return {
      name: entry.name,
      version: entry.version,
      accepts: passes(entry.findings, failOn),
      counts,
      added: entry.findings.filter((finding) => !baseline.has(keyOf(finding))).sort(compareFindings),
      removed: generic.findings.filter((finding) => !own.has(keyOf(finding))).sort(compareFindings),
    }
  })
  return {failOn, rows}
}

function summarizeRules(findings: readonly Finding[]): string {
  const counts = new Map<string, number>()
  for (const finding of findings) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1)
  return [...counts].map(([rule, count]) => (count === 1 ? rule : `${rule} ×${count}`)).join(', ')
}

export function renderMatrixText(matrix: ImplementationMatrix): string {
  const header = ['IMPLEMENTATION', 'VERSION', 'VERDICT', 'ERRORS', 'WARNINGS', 'ADDS', 'REMOVES']
  const rows = matrix.rows.map((row) => [
    row.name, row.version ?? '', row.accepts ? 'accepts' : 'rejects', String(row.counts.error), String(row.counts.warning),
    summarizeRules(row.added) || '-', summarizeRules(row.removed) || '-',
  ])
  const table = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column].length)))
  const lines = table.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd())
  for (const row of matrix.rows) {
    if (row.added.length === 0 && row.removed.length === 0) continue
    lines.push('', `${row.name}${row.version === undefined ? '' : ` ${row.version}`}:`)
    for (const finding of row.added) lines.push(`  + ${finding.file}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.message}  ${finding.ruleId}`)
    for (const finding of row.removed) lines.push(`  - ${finding.file}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.message}  ${finding.ruleId}`)
  }
  const accepting = matrix.rows.filter((row) => row.accepts && row.name !== 'generic').length
  lines.push('', `${accepting} of ${matrix.rows.length - 1} implementations accept the configuration (no finding at or above ${matrix.failOn}); + a finding that implementation adds to generic's, - one it does not report`)
  return lines.join('\n')
}

export function renderMatrixJson(matrix: ImplementationMatrix): string {
  return JSON.stringify({failOn: matrix.failOn, implementations: matrix.rows}, null, 2)
}
