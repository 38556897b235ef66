/**
 * The exit status of `gwctl certs inspect`, as `gwctl lint --fail-on`: 1 when
 * a problem is at or above `failOn`, or when a key matches no certificate or
 * a chain does not verify (both count as errors); `none` never fails; else 0.
 */
import {SEVERITY_RANK, type Severity} from '../findings/finding.js'
import type {InspectReport} from './inspect-certificates.js'

export function exitCodeForInspection(report: InspectReport, failOn: Severity | 'none'): 0 | 1 {
  if (failOn === 'none') return 0
  if (!report.ok) return 1
  const threshold = SEVERITY_RANK[failOn]
  return report.sources.some((source) => source.problems.some((problem) => SEVERITY_RANK[problem.severity] >= threshold)) ? 1 : 0
}
