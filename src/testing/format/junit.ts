/**
 * `gwctl test -o junit`: JUnit XML for CI test reports. One <testsuite>
 * per test file, one <testcase> per test (classname: the file without its
 * extension, as lint's junit does); a failed test has a <failure> whose
 * message is what differs and whose text holds the checks, trace and
 * causes; a test nothing of which could be observed is <skipped> with the
 * reason. A live or target run lists what it ran against as properties of
 * each suite. Escaping and counts as lint's junit format.
 */
import {escapeXmlText, formatAttributes} from '../../lint/format/junit.js'
import type {TestReport, TestResult} from '../run-routing-tests.js'
import {describeResultDetails, summarizeFailure} from './describe-check.js'

function count(results: readonly TestResult[]): {tests: number; failures: number; errors: number; skipped: number} {
  return {tests: results.length, failures: results.filter((result) => result.status === 'failed').length, errors: 0, skipped: results.filter((result) => result.status === 'not-checkable').length}
}

export function formatJunit(report: TestReport): string {
  const files = [...new Set(report.results.map((result) => result.file))]
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites ${formatAttributes({name: `gwctl test (${report.executor})`, ...count(report.results)})}>`]
  for (const file of files) {
    const results = report.results.filter((result) => result.file === file)
    lines.push(`  <testsuite ${formatAttributes({name: file, file, ...count(results)})}>`)
    if (report.executorDetails !== undefined) {
      lines.push('    <properties>', ...report.executorDetails.map((line) => `      <property ${formatAttributes({name: report.executor, value: line})}/>`), '    </properties>')
    }
    for (const result of results) {
      const attributes = formatAttributes({name: result.name, classname: file.replace(/\.[^./]+$/, ''), file, line: result.line})
      if (result.status === 'passed') {
        lines.push(`    <testcase ${attributes}/>`)
        continue
      }
      const details = describeResultDetails(result)
      lines.push(`    <testcase ${attributes}>`)
      if (result.status === 'not-checkable') {
        lines.push(`      <skipped ${formatAttributes({message: `not checkable: ${details.notCheckable.join('; ')}`})}/>`)
      } else {
        const body = [...details.failed, ...details.notCheckable, 'trace:', ...details.trace, ...details.causes.map((cause) => `cause: ${cause}`)].join('\n')
        lines.push(`      <failure ${formatAttributes({message: summarizeFailure(result), type: 'RoutingTestFailure'})}>${escapeXmlText(body)}</failure>`)
      }
      lines.push('    </testcase>')
    }
    lines.push('  </testsuite>')
  }
  lines.push('</testsuites>')
  return lines.join('\n')
}
