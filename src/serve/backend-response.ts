/**
 * What makes a backend's HTTP response impossible to relay faithfully: a
 * status code outside 100–599 (RFC 9110 §15), a reason phrase with bytes
 * other than HTAB, SP, VCHAR and obs-text (RFC 9112 §4), a header name that
 * is not a token or a value with control characters (RFC 9110 §5). The
 * proxy answers such a response with 502 instead of relaying it.
 */
import {validateHeaderName, validateHeaderValue} from 'node:http'

const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/

/** Why the response cannot be relayed, or undefined when it can. */
export function findBadResponse(statusCode: number | undefined, statusMessage: string | undefined, rawHeaders: readonly string[]): string | undefined {
  if (statusCode === undefined || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return `invalid status code ${JSON.stringify(statusCode ?? null)}`
  if (statusMessage !== undefined && !REASON_PHRASE.test(statusMessage)) return `invalid reason phrase ${JSON.stringify(statusMessage)}`
  for (let i = 0; i < rawHeaders.length; i += 2) {
    try {
      validateHeaderName(rawHeaders[i])
      validateHeaderValue(rawHeaders[i], rawHeaders[i + 1])
    } catch {
      return `invalid header ${JSON.stringify(rawHeaders[i])}: ${JSON.stringify(rawHeaders[i + 1])}`
    }
  }
  return undefined
}
