/**
 * `gwctl lint -o github`: GitHub Actions workflow commands, one line per
 * finding (sorted): `::error file=F,line=L,col=C,title=RULE::MESSAGE`, with
 * `::warning` and `::notice` for the other severities. Escaping follows the
 * runner's rules: in data `%`, CR and LF; in properties also `:` and `,`.
 * Findings on `<stdin>` carry no file, line or col (there is no file to
 * annotate), nor do findings without a position (line 0). Suppressed
 * findings are not annotated; when there are any, a last `::notice` without
 * a file counts them (it shows in the run's summary). A clean run with
 * nothing suppressed prints nothing.
 */
import type {Finding, Severity} from '../../findings/finding.js'
import {describeSuppressed, sortFindings, STDIN_FILE} from '../report.js'
import type {LintReport} from '../report.js'
import type {FormatOptions} from './format-options.js'

const COMMANDS: Record<Severity, string> = {error: 'error', warning: 'warning', info: 'notice'}

export function formatGithub(report: LintReport, _options: FormatOptions): string {
  const lines = sortFindings(report.findings).map(formatCommand)
  const suppressed = describeSuppressed(report)
  if (suppressed !== '') lines.push(`::notice title=gwctl suppressed findings::${escapeData(`${suppressed}; gwctl lint -o json lists them with their justification`)}`)
  return lines.join('\n')
}

function formatCommand(finding: Finding): string {
  const properties: Array<[string, string]> = []
  if (finding.file !== STDIN_FILE) {
    properties.push(['file', finding.file])
    if (finding.line > 0) {
      properties.push(['line', String(finding.line)])
      if (finding.column > 0) properties.push(['col', String(finding.column)])
    }
  }
  properties.push(['title', finding.ruleId])
  const list = properties.map(([name, value]) => `${name}=${escapeProperty(value)}`).join(',')
  return `::${COMMANDS[finding.severity]} ${list}::${escapeData(finding.message)}`
}

export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C')
}
