/**
 * Durations for serve's timeout flags: `250ms`, `10s`, `2m`, or a bare
 * number of milliseconds; `0` disables a timeout.
 */
import {UserError} from '../errors/user-error.js'

const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000}

export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (match === null) throw new UserError('usage', `--${flag} ${JSON.stringify(text)} is not a duration`, {hint: 'use e.g. 500ms, 10s, 2m; 0 disables'})
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms'])
}
