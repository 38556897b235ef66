/**
 * Day counts in certificate messages, written once so that every command
 * says the same of one certificate ("expired 1350 days ago" in inspect,
 * "(1350 days ago)" in lint): whole days are counted toward zero, and spans
 * under a day are said in whole hours.
 */

export const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/** Whole days in a signed span, truncated toward zero (-1350.6 days → -1350). */
export function countWholeDays(ms: number): number {
  return Math.trunc(ms / DAY_MS) || 0
}

/** `1 day`, `12 days`, or for less than a day `5 hours` (of a span's absolute size). */
export function describeSpan(ms: number): string {
  const size = Math.abs(ms)
  const days = countWholeDays(size)
  if (days >= 1) return days === 1 ? '1 day' : `${days} days`
  const hours = Math.trunc(size / HOUR_MS)
  return hours === 1 ? '1 hour' : `${hours} hours`
}
