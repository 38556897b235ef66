/**
 * `gwctl test` default output: per test file, one line per test (✔ passed,
 * ✗ failed, ? not checkable), a failed test followed by expected vs actual
 * for each failed check, the trace of what happened and the findings that
 * name the cause; a passed test lists what it could not check. A closing
 * line counts the results. A live or target run starts with what it ran
 * against (serve and its listeners, the target addresses).
 */
import {Chalk} from 'chalk'
import type {TestReport} from '../run-routing-tests.js'
import {describeResultDetails, summarizeCounts} from './describe-check.js'

export function formatStylish(report: TestReport, options: {color: boolean}): string {
  const chalk = new Chalk({level: options.color ? 1 : 0})
  const lines: string[] = (report.executorDetails ?? []).map((line) => chalk.dim(`${report.executor}: ${line}`))
  if (lines.length > 0) lines.push('')
  let file: string | undefined
  for (const result of report.results) {
    if (result.file !== file) {
      if (file !== undefined) lines.push('')
      file = result.file
      lines.push(chalk.underline(file))
    }
    const details = describeResultDetails(result)
    if (result.status === 'passed') {
      lines.push(`  ${chalk.green('✔')} ${result.name}`)
      for (const line of details.notCheckable) lines.push(chalk.dim(`      ? ${line}`))
      continue
    }
    if (result.status === 'not-checkable') {
      lines.push(`  ${chalk.yellow('?')} ${result.name} ${chalk.dim(`(line ${result.line}): nothing it expects can be observed by this executor`)}`)
      for (const line of details.notCheckable) lines.push(chalk.dim(`      ? ${line}`))
      continue
    }
    lines.push(`  ${chalk.red('✗')} ${result.name} ${chalk.dim(`(${result.file}:${result.line}:${result.column})`)}`)
    for (const line of details.failed) lines.push(`      ${chalk.red(line)}`)
    for (const line of details.notCheckable) lines.push(chalk.dim(`      ? ${line}`))
    lines.push(chalk.dim('      trace:'))
    for (const line of details.trace) lines.push(chalk.dim(`        ${line}`))
    for (const line of details.causes) lines.push(`      ${chalk.yellow('cause:')} ${line}`)
  }
  if (lines.length > 0) lines.push('')
  const counts = summarizeCounts(report.summary, report.executor)
  lines.push(report.summary.failed > 0 ? chalk.red(counts) : chalk.green(counts))
  return lines.join('\n')
}
