/**
 * `gwctl test -o FORMAT`: the report in one of stylish (default, human),
 * json (the TestReport as is, version 1), junit, tap and github.
 */
import type {TestReport} from '../run-routing-tests.js'
import {formatGithub} from './github.js'
import {formatJunit} from './junit.js'
import {formatStylish} from './stylish.js'
import {formatTap} from './tap.js'

export const TEST_OUTPUT_FORMATS = ['stylish', 'json', 'junit', 'tap', 'github'] as const

export type TestOutputFormat = typeof TEST_OUTPUT_FORMATS[number]

export function formatTestReport(report: TestReport, format: TestOutputFormat, options: {color: boolean}): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2)
    case 'junit':
      return formatJunit(report)
    case 'tap':
      return formatTap(report)
    case 'github':
      return formatGithub(report)
    default:
      return formatStylish(report, options)
  }
}
