/**
 * One expectation check of a test as a line of text — `key: expected X, got
 * Y (note)` — and a test's failure as the lines every text format shows:
 * the failed checks, what could not be checked, the trace, and the causes
 * (findings about what the test touches).
 */
import type {ExpectationCheck} from '../compare-observation.js'
import type {TestResult} from '../run-routing-tests.js'

export function formatValue(value: unknown): string {
  if (value === undefined) return '(nothing)'
  if (typeof value === 'string') return value
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value).map(([key, entry]) => `${key} ${typeof entry === 'number' ? `${entry}%` : formatValue(entry)}`).join(', ')
  }
  return JSON.stringify(value)
}

export function describeCheck(check: ExpectationCheck): string {
  if (check.outcome === 'not-checkable') return `${check.key}: not checkable: ${check.note ?? ''}`
  if (check.outcome === 'passed') return `${check.key}: ${formatValue(check.expected)}`
  const got = check.actual === undefined ? check.note ?? '(nothing)' : `${formatValue(check.actual)}${check.note === undefined ? '' : ` (${check.note})`}`
  return `${check.key}: expected ${formatValue(check.expected)}, got ${got}`
}

/** The lines explaining a result that did not pass: failed checks, not checkable ones, trace, causes. */
export function describeResultDetails(result: TestResult): {failed: string[]; notCheckable: string[]; trace: string[]; causes: string[]} {
  return {
    failed: result.checks.filter((check) => check.outcome === 'failed').map(describeCheck),
    notCheckable: result.checks.filter((check) => check.outcome === 'not-checkable').map(describeCheck),
    trace: result.trace,
    causes: result.causes.map((cause) => `${cause.ruleId} (${cause.severity}) ${cause.file}:${cause.line}:${cause.column}: ${cause.message}`),
  }
}

/** The one-line summary of a failure (annotations, TAP and JUnit messages). */
export function summarizeFailure(result: TestResult): string {
  const {failed, causes} = describeResultDetails(result)
  return `${failed.join('; ')}${causes.length === 0 ? '' : ` — cause: ${causes[0]}${causes.length > 1 ? ` (and ${causes.length - 1} more)` : ''}`}`
}

export function summarizeCounts(summary: {tests: number; passed: number; failed: number; notCheckable: number}, executor: string): string {
  return `${summary.tests} test${summary.tests === 1 ? '' : 's'}: ${summary.passed} passed, ${summary.failed} failed, ${summary.notCheckable} not checkable (${executor})`
}
