/**
 * `gwctl lint -o stylish` (default): human output in the manner of ESLint's
 * stylish formatter. Findings are grouped by file (sorted), one aligned row
 * each, `line:column  severity  message  ruleId`, then a summary line; a
 * clean run prints one "No problems" line. The summary counts the
 * suppressed findings (gwctl/ignore, .gwctl.yaml) and the skipped files (no
 * Kubernetes object, or excluded); `verbose` lists the skipped files, with
 * why, before it. Colours only when
 * `options.color` (see shouldUseColor). Control and bidi-override
 * characters from manifests are shown escaped, never sent to the terminal.
 */
import {Chalk} from 'chalk'
import type {ChalkInstance} from 'chalk'
import type {Finding, Severity} from '../../findings/finding.js'
import {describeSuppressed, sortFindings, summarizeReport} from '../report.js'
import type {LintReport, ReportSummary, SkippedFile} from '../report.js'
import type {FormatOptions} from './format-options.js'

export function formatStylish(report: LintReport, options: FormatOptions): string {
  const chalk = new Chalk({level: options.color ? 1 : 0})
  const summary = summarizeReport(report)
  const verbose = options.verbose === true
  const lines: string[] = []
  for (const [file, findings] of groupByFile(sortFindings(report.findings))) {
    lines.push(chalk.underline(escapeForTerminal(file)), ...formatRows(findings, chalk), '')
  }
  if (verbose && report.skipped.length > 0) lines.push(chalk.underline('Skipped files:'), ...formatSkippedRows(report.skipped, chalk), '')
  const note = [describeSuppressed(report), formatSkippedNote(summary.skipped, verbose)].filter((part) => part !== '').join('; ')
  lines.push(report.findings.length === 0 ? formatCleanLine(summary, note, chalk) : formatSummaryLine(summary, note, chalk))
  return lines.join('\n')
}

function formatSkippedRows(skipped: readonly SkippedFile[], chalk: ChalkInstance): string[] {
  const files = skipped.map((entry) => escapeForTerminal(entry.file))
  const width = Math.max(...files.map((file) => file.length))
  return skipped.map((entry, index) => `  ${files[index].padEnd(width)}  ${chalk.dim(escapeForTerminal(entry.reason))}`)
}

/** `5 files skipped`, with a pointer to -v when they are not listed; '' when none was. */
function formatSkippedNote(skipped: number, verbose: boolean): string {
  if (skipped === 0) return ''
  return `${countNoun(skipped, 'file')} skipped${verbose ? '' : ', -v lists them'}`
}

function groupByFile(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>()
  for (const finding of findings) {
    const group = groups.get(finding.file)
    if (group) group.push(finding)
    else groups.set(finding.file, [finding])
  }
  return groups
}

function formatRows(findings: Finding[], chalk: ChalkInstance): string[] {
  const cells = findings.map((finding) => ({
    line: String(finding.line),
    column: String(finding.column),
    severity: finding.severity,
    message: escapeForTerminal(finding.message),
    ruleId: escapeForTerminal(finding.ruleId),
  }))
  const width = (pick: (cell: (typeof cells)[number]) => string) => Math.max(...cells.map((cell) => pick(cell).length))
  const lineWidth = width((cell) => cell.line)
  const columnWidth = width((cell) => cell.column)
  const severityWidth = width((cell) => cell.severity)
  const messageWidth = width((cell) => cell.message)
  return cells.map((cell) => {
    const position = chalk.dim(`${cell.line.padStart(lineWidth)}:${cell.column.padEnd(columnWidth)}`)
    const severity = colorSeverity(cell.severity, chalk)(cell.severity) + ' '.repeat(severityWidth - cell.severity.length)
    return `  ${position}  ${severity}  ${cell.message.padEnd(messageWidth)}  ${chalk.dim(cell.ruleId)}`
  })
}

function colorSeverity(severity: Severity, chalk: ChalkInstance): ChalkInstance {
  if (severity === 'error') return chalk.red
  if (severity === 'warning') return chalk.yellow
  return chalk.blue
}

/** The summary line; `note` (suppressed findings, skipped files) follows it, dimmed. */
function formatSummaryLine(summary: ReportSummary, note: string, chalk: ChalkInstance): string {
  const total = summary.errors + summary.warnings + summary.infos
  const counts = [
    countNoun(summary.errors, 'error'),
    countNoun(summary.warnings, 'warning'),
    countNoun(summary.infos, 'info'),
  ].join(', ')
  const text = `${countNoun(total, 'problem')} (${counts})`
  const tail = note === '' ? '' : chalk.dim(`; ${note}`)
  if (summary.errors > 0) return chalk.red.bold(`✖ ${text}`) + tail
  if (summary.warnings > 0) return chalk.yellow.bold(`✖ ${text}`) + tail
  return chalk.blue.bold(`ℹ ${text}`) + tail
}

function formatCleanLine(summary: ReportSummary, note: string, chalk: ChalkInstance): string {
  const scope = `${countNoun(summary.files, 'file')}, ${countNoun(summary.resources, 'resource')}${note === '' ? '' : `; ${note}`}`
  return chalk.green(`✔ No problems (${scope})`)
}

function countNoun(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

const SHORT_ESCAPES: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

/** Shows control and bidi-override characters as JSON-style escapes. */
function escapeForTerminal(text: string): string {
  return text.replace(
    UNSAFE_FOR_TERMINAL,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
