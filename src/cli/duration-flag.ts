/**
 * Durations as flags take them: `30d`, `12h`, `2w`, `90m`, or a bare number
 * of days. Returns days (fractional for hours and minutes).
 */
import {UserError} from '../errors/user-error.js'

const UNIT_DAYS: Record<string, number> = {w: 7, d: 1, h: 1 / 24, m: 1 / 1440}

export function parseDurationDays(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)([wdhm]?)$/.exec(value.trim())
  if (match === null) throw new UserError('usage', `--${flag} '${value}' is not a duration`, {hint: 'use e.g. 30d, 12h, 2w'})
  return Number(match[1]) * UNIT_DAYS[match[2] || 'd']
}
