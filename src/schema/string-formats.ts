/**
 * OpenAPI string `format`s as the API server validates them for custom
 * resources (kube-openapi strfmt). Only string values are checked; integer
 * formats (`int32`, `int64`) are not enforced, and formats the API server
 * does not know are ignored, as there.
 */
import {isIpv4Format, isIpv6Format} from './ip-address.js'

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?| (\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)$/

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
  return day <= days
}

/**
 * The layouts strfmt accepts: RFC 3339 with or without fraction and with
 * `Z07:00` or `Z0700` zones, local time without zone, minutes precision
 * (`2006-01-02T15:04Z`, `2006-01-02T15:04`), and `2006-01-02 15:04:05`.
 * The empty string is accepted, as there.
 */
export function isDateTime(value: string): boolean {
  if (value === '') return true
  const m = DATE_TIME.exec(value)
  if (!m) return false
  if (!isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false
  const [hour, minute, second] = m[4] !== undefined ? [m[4], m[5], m[6]] : [m[8], m[9], m[10]]
  if (Number(hour) > 23 || Number(minute) > 59 || (second !== undefined && Number(second) > 59)) return false
  const zone = m[7]
  if (m[4] !== undefined && second === undefined && zone !== undefined && zone !== 'Z') return false
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '')
    if (Number(digits.slice(1, 3)) > 24 || Number(digits.slice(3, 5)) > 59) return false
  }
  return true
}

const FORMATS: Record<string, (value: string) => boolean> = {
  'date-time': isDateTime,
  datetime: isDateTime,
  ipv4: isIpv4Format,
  ipv6: isIpv6Format,
}

/** True/false for a format the API server checks, undefined for one it ignores. */
export function checkStringFormat(format: string, value: string): boolean | undefined {
  const check = FORMATS[format]
  return check ? check(value) : undefined
}
