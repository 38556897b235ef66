/**
 * grpc-message as it goes on the wire (gRPC over HTTP/2, "Responses"): the
 * UTF-8 bytes of the text, percent-encoded outside printable ASCII, '%'
 * included, so any reason fits in one header value.
 */
export function encodeGrpcMessage(message: string): string {
  let out = ''
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}
