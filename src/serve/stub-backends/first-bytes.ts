/**
 * What a stub backend's client speaks, from its first bytes: `h2` (the
 * HTTP/2 connection preface: h2c prior knowledge, or h2 over TLS without
 * ALPN), `http1` (an HTTP/1.x request line) or `other` (echoed as TCP, a
 * TLS handshake sent to a plaintext stub included); `need-more` while the
 * bytes so far could still be a preface or a request line (a request line
 * is read up to its end, at most 8 KiB). Pure.
 */
export type FirstBytesKind = 'h2' | 'http1' | 'other' | 'need-more'

export const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

const MAX_REQUEST_LINE_BYTES = 8 * 1024
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ [!-~]+ HTTP\/1\.\d\r?$/
/** What may precede the end of a request line: a method token, then visible characters and single spaces. */
const REQUEST_LINE_START = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+( [!-~]*( [!-~]*\r?)?)?$/

export function classifyFirstBytes(bytes: Buffer): FirstBytesKind {
  if (bytes.length === 0) return 'need-more'
  const prefaceLength = Math.min(bytes.length, H2_PREFACE.length)
  if (bytes.subarray(0, prefaceLength).equals(H2_PREFACE.subarray(0, prefaceLength))) {
    if (bytes.length >= H2_PREFACE.length) return 'h2'
    // `PRI * HTTP/2.0` is also where an HTTP/1 line would be ended by \r\n: wait for the whole preface.
    return 'need-more'
  }
  const newline = bytes.indexOf(0x0a)
  const line = bytes.subarray(0, newline === -1 ? Math.min(bytes.length, MAX_REQUEST_LINE_BYTES) : newline).toString('latin1')
  if (newline !== -1) return REQUEST_LINE.test(line) ? 'http1' : 'other'
  if (bytes.length >= MAX_REQUEST_LINE_BYTES) return 'other'
  return REQUEST_LINE_START.test(line) ? 'need-more' : 'other'
}
