/**
 * The validity period of a new certificate, from `--days N` or from
 * `--not-before T --not-after T`. Times are ISO 8601 (a date alone is UTC
 * midnight, a time without offset is UTC) or offsets from now such as `-2d`,
 * `+12h`, `30m`. A period computed from `--days` starts one minute in the
 * past, to tolerate clock skew between the issuing and the checking machine.
 * Expired and not-yet-valid periods are allowed (rotation and expiry tests)
 * and come back with a warning. Times X.509 cannot encode (RFC 5280
 * §4.1.2.5: UTCTime from 1950, GeneralizedTime up to 9999-12-31T23:59:59Z)
 * are refused here, before anything is generated or written.
 */
import {UserError} from '../errors/user-error.js'

export interface ValidityPeriod {
  notBefore: Date
  notAfter: Date
  /** Set when the period does not include `now`. */
  warning?: string
}

export const DEFAULT_LEAF_DAYS = 365
export const DEFAULT_CA_DAYS = 3650
const DAY_MS = 86_400_000
const BACKDATE_MS = 60_000
const UNIT_MS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS}
/** The earliest and latest instants a certificate's validity can hold. */
export const EARLIEST_X509_TIME = Date.UTC(1950, 0, 1)
export const LATEST_X509_TIME = Date.UTC(9999, 11, 31, 23, 59, 59)
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

export function parseTime(text: string, now: Date, flag: string): Date {
  const value = text.trim()
  const relative = value.match(/^([+-]?)(\d+)([smhd])$/)
  if (relative) {
    const sign = relative[1] === '-' ? -1 : 1
    return new Date(now.getTime() + sign * Number(relative[2]) * UNIT_MS[relative[3]])
  }
  const iso = value.match(ISO_TIME)
  if (iso) {
    const zoned = value.length > 10 && iso[1] === undefined ? `${value}Z` : value
    const date = new Date(zoned.replace(' ', 'T'))
    if (!Number.isNaN(date.getTime())) return date
  }
  throw new UserError('usage', `--${flag} ${text}: expected an ISO 8601 time (2026-01-31, 2026-01-31T12:00:00Z) or an offset from now (-2d, +12h)`)
}

export function resolveValidityPeriod(
  input: {days?: number; notBefore?: string; notAfter?: string},
  now: Date,
  defaultDays: number,
): ValidityPeriod {
  let notBefore: Date
  let notAfter: Date
  if (input.notBefore !== undefined || input.notAfter !== undefined) {
    if (input.days !== undefined) throw new UserError('usage', '--days cannot be combined with --not-before/--not-after')
    if (input.notBefore === undefined || input.notAfter === undefined) throw new UserError('usage', '--not-before and --not-after go together')
    notBefore = parseTime(input.notBefore, now, 'not-before')
    notAfter = parseTime(input.notAfter, now, 'not-after')
  } else {
    const days = input.days ?? defaultDays
    if (!Number.isInteger(days) || days < 1) throw new UserError('usage', `--days ${days}: expected a whole number of days, at least 1`)
    notBefore = new Date(now.getTime() - BACKDATE_MS)
    notAfter = new Date(now.getTime() + days * DAY_MS)
  }
  checkEncodable(notBefore, 'not-before', input)
  checkEncodable(notAfter, 'not-after', input)
  if (notAfter.getTime() <= notBefore.getTime()) {
    throw new UserError('usage', `--not-after ${notAfter.toISOString()} is not after --not-before ${notBefore.toISOString()}`)
  }
  if (notAfter.getTime() < now.getTime()) return {notBefore, notAfter, warning: `the certificate is already expired (not after ${notAfter.toISOString()})`}
  if (notBefore.getTime() > now.getTime()) return {notBefore, notAfter, warning: `the certificate is not valid yet (not before ${notBefore.toISOString()})`}
  return {notBefore, notAfter}
}

function checkEncodable(time: Date, flag: 'not-before' | 'not-after', input: {days?: number; notBefore?: string; notAfter?: string}): void {
  const ms = time.getTime()
  if (ms >= EARLIEST_X509_TIME && ms <= LATEST_X509_TIME) return
  const given = input.days !== undefined || (input.notBefore === undefined && input.notAfter === undefined) ? `--days ${input.days ?? ''}`.trim() : `--${flag} ${flag === 'not-before' ? input.notBefore : input.notAfter}`
  const when = Number.isNaN(ms) ? 'a time beyond any calendar' : ms < EARLIEST_X509_TIME ? `${new Date(ms).toISOString()}, before 1950` : `year ${new Date(ms).getUTCFullYear()}`
  throw new UserError('usage', `${given}: the certificate would ${flag === 'not-before' ? 'start' : 'end'} at ${when}; X.509 validity times run from 1950-01-01T00:00:00Z to 9999-12-31T23:59:59Z`)
}
