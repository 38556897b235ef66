/**
 * TLS alert records the gateway sends itself, before any handshake: a fatal
 * alert in a plaintext record (RFC 8446 §6), so a client such as
 * `openssl s_client` reports why it was turned away instead of seeing a bare
 * reset.
 */

export const ALERT_UNRECOGNIZED_NAME = 112
export const ALERT_DECODE_ERROR = 50
export const ALERT_ILLEGAL_PARAMETER = 47
export const ALERT_HANDSHAKE_FAILURE = 40
export const ALERT_INTERNAL_ERROR = 80

/** A fatal alert record with the given description, in the client's record version. */
export function buildFatalAlert(description: number, recordVersion = 0x0303): Uint8Array {
  return Uint8Array.of(21, (recordVersion >> 8) & 0xff, recordVersion & 0xff, 0, 2, 2, description)
}
