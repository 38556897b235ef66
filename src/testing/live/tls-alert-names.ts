/**
 * Why a server turned a client away, in the words of a routing test's
 * `refused`: the TLS alert's RFC 8446 §6 name (`unrecognized_name`,
 * `handshake_failure`, `certificate_required`, ...) read from the alert
 * number OpenSSL reports in Node's error, or `closed` when the connection
 * ended (reset, EOF) without an alert.
 */

const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed', 22: 'record_overflow',
  30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate', 43: 'unsupported_certificate',
  44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca',
  49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error', 60: 'export_restriction', 70: 'protocol_version',
  71: 'insufficient_security', 80: 'internal_error', 86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation',
  109: 'missing_extension', 110: 'unsupported_extension', 111: 'certificate_unobtainable', 112: 'unrecognized_name',
  113: 'bad_certificate_status_response', 114: 'bad_certificate_hash_value', 115: 'unknown_psk_identity', 116: 'certificate_required',
  120: 'no_application_protocol',
}

export const CLOSED = 'closed'

/** The RFC name of an alert number (`alert_N` for an unassigned one). */
export function nameTlsAlert(description: number): string {
  return ALERT_NAMES[description] ?? `alert_${description}`
}

/** The alert a connection error reports (OpenSSL's `SSL alert number N`), else undefined. */
export function findReceivedAlert(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error)
  const match = /SSL alert number (\d{1,3})/.exec(message)
  return match === null ? undefined : nameTlsAlert(Number(match[1]))
}

/** Connection errors that mean the peer went away without an alert. */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_SSL_UNEXPECTED_EOF_WHILE_READING'])

/** True when the error is the peer closing or resetting the connection (no alert). */
export function isConnectionClosed(error: unknown): boolean {
  const {code, message} = error as {code?: string; message?: string}
  return (code !== undefined && CLOSED_CODES.has(code))
    || /socket disconnected before secure TLS connection|socket hang up|unexpected eof|stream was destroyed|Premature close/i.test(message ?? '')
}

/** `refused` for a failed connection: the alert, `closed`, or undefined when it is neither (refused port, timeout, a bug). */
export function describeRefusal(error: unknown): string | undefined {
  return findReceivedAlert(error) ?? (isConnectionClosed(error) ? CLOSED : undefined)
}
