/**
 * The one parser of duration flags (lint and certs inspect --expiry-warning,
 * serve's timeouts): a number with a unit, `500ms`, `90s`, `15m`, `12h`,
 * `30d`, `2w`, fractions (`1.5h`) and sums in Go's style (`1h30m`).
 * Returns milliseconds. `0` alone is zero in every unit; any other bare
 * number is refused, since it meant days to one flag and milliseconds to
 * another: the error names the flag and suggests the flag's usual unit.
 */
import {UserError} from '../errors/user-error.js'

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w'

const UNIT_MS: Record<DurationUnit, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000}
const TERM = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h|d|w)/y
const BARE_NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)$/
const UNIT_LIST = 'ms, s, m, h, d, w'

export const DAY_MS = UNIT_MS.d

/**
 * Milliseconds of `value`, a duration given to `--FLAG`; `usualUnit` is the
 * unit a bare number is suggested with (`30` → `use 30d`).
 */
export function parseDurationFlag(value: string, flag: string, usualUnit: DurationUnit): number {
  const text = value.trim()
  if (text === '') throw new UserError('usage', `--${flag} needs a duration`, {hint: `use e.g. 30d, 12h, 90s; units: ${UNIT_LIST}`})
  if (/^0+(?:\.0+)?$/.test(text)) return 0
  if (BARE_NUMBER.test(text)) {
    throw new UserError('usage', `--${flag} '${value}' has no unit`, {hint: `use ${text}${usualUnit}; units: ${UNIT_LIST}`})
  }
  let total = 0
  TERM.lastIndex = 0
  while (TERM.lastIndex < text.length) {
    const match = TERM.exec(text)
    if (match === null) {
      throw new UserError('usage', `--${flag} '${value}' is not a duration`, {hint: `use e.g. 30d, 12h, 90s, 500ms, 1h30m; units: ${UNIT_LIST}`})
    }
    total += Number(match[1]) * UNIT_MS[match[2] as DurationUnit]
  }
  return Math.round(total)
}
