/**
 * `gwctl test -o tap`: TAP version 14. One `ok`/`not ok` per test in
 * report order; a test nothing of which could be observed is `ok ... # SKIP`
 * with the reason; a failure carries a YAML diagnostic block (message,
 * file, line, column, the failed checks, trace and causes). A live or
 * target run's setup is a comment line each, before the plan.
 */
import type {TestReport} from '../run-routing-tests.js'
import {describeResultDetails, summarizeFailure} from './describe-check.js'

function describeName(name: string): string {
  return name.replaceAll('\\', '\\\\').replaceAll('#', '\\#').replace(/\s+/g, ' ')
}

function quote(text: string): string {
  return JSON.stringify(text)
}

export function formatTap(report: TestReport): string {
  const lines = ['TAP version 14', ...(report.executorDetails ?? []).map((line) => `# ${report.executor}: ${line}`), `1..${report.results.length}`]
  report.results.forEach((result, index) => {
    const number = index + 1
    const name = `${describeName(result.name)} (${result.file}:${result.line})`
    if (result.status === 'passed') {
      lines.push(`ok ${number} - ${name}`)
      return
    }
    const details = describeResultDetails(result)
    if (result.status === 'not-checkable') {
      lines.push(`ok ${number} - ${name} # SKIP not checkable: ${details.notCheckable.join('; ').replaceAll('#', '\\#')}`)
      return
    }
    lines.push(`not ok ${number} - ${name}`, '  ---', `  message: ${quote(summarizeFailure(result))}`, `  file: ${quote(result.file)}`, `  line: ${result.line}`, `  column: ${result.column}`)
    lines.push('  failed:', ...details.failed.map((line) => `    - ${quote(line)}`))
    if (details.causes.length > 0) lines.push('  causes:', ...details.causes.map((line) => `    - ${quote(line)}`))
    lines.push('  trace:', ...details.trace.map((line) => `    - ${quote(line)}`), '  ...')
  })
  return lines.join('\n')
}
