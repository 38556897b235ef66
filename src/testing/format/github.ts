/**
 * `gwctl test -o github`: a GitHub Actions `::error` annotation per failed
 * test at the test's file:line:col (title: the test name, message: what
 * differs and the cause), a `::notice` per test nothing of which could be
 * observed, and a closing `::notice` counting the results. Escaped as the
 * runner expects (lint's github format).
 */
import {escapeData, escapeProperty} from '../../lint/format/github.js'
import type {TestReport} from '../run-routing-tests.js'
import {describeResultDetails, summarizeCounts, summarizeFailure} from './describe-check.js'

export function formatGithub(report: TestReport): string {
  const lines: string[] = []
  for (const result of report.results) {
    if (result.status === 'passed') continue
    const where = `file=${escapeProperty(result.file)},line=${result.line},col=${result.column},title=${escapeProperty(`gwctl test: ${result.name}`)}`
    if (result.status === 'failed') {
      const {trace} = describeResultDetails(result)
      lines.push(`::error ${where}::${escapeData(`${summarizeFailure(result)}\ntrace:\n${trace.join('\n')}`)}`)
    } else {
      lines.push(`::notice ${where}::${escapeData(`not checkable: ${describeResultDetails(result).notCheckable.join('; ')}`)}`)
    }
  }
  lines.push(`::notice title=gwctl test::${escapeData([summarizeCounts(report.summary, report.executor), ...(report.executorDetails ?? []).map((line) => `${report.executor}: ${line}`)].join('\n'))}`)
  return lines.join('\n')
}
