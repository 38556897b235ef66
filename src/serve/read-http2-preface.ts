/**
 * Tell HTTP/2 with prior knowledge (h2c, RFC 9113 §3.3) from HTTP/1.x on a
 * plaintext HTTP listener: the client's first bytes are the connection
 * preface `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`, or they are not. Reads until
 * the bytes received either are the whole preface or stop being a prefix of
 * it, then puts them back (unshift) and leaves the socket paused for the
 * protocol's server. A client silent past the timeout, or one that closes
 * first, is handed on as HTTP/1.x, whose server times it out or sees it go.
 */
import type {Socket} from 'node:net'

export const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

/** 'h2c': the preface; 'http/1': anything else; 'more': a proper prefix of the preface (read on). */
export function classifyFirstBytes(bytes: Uint8Array): 'h2c' | 'http/1' | 'more' {
  const length = Math.min(bytes.length, HTTP2_PREFACE.length)
  for (let i = 0; i < length; i++) {
    if (bytes[i] !== HTTP2_PREFACE[i]) return 'http/1'
  }
  return bytes.length >= HTTP2_PREFACE.length ? 'h2c' : 'more'
}

export function readHttp2Preface(socket: Socket, timeoutMs: number, callback: (protocol: 'h2c' | 'http/1') => void): void {
  let received: Buffer | undefined
  let done = false
  const finish = (protocol: 'h2c' | 'http/1') => {
    if (done) return
    done = true
    clearTimeout(timer)
    socket.off('data', onData)
    socket.off('end', onEnd)
    socket.off('close', onEnd)
    socket.pause()
    if (received !== undefined && !socket.destroyed) socket.unshift(received)
    callback(protocol)
  }
  const onData = (chunk: Buffer) => {
    received = received === undefined ? chunk : Buffer.concat([received, chunk])
    const kind = classifyFirstBytes(received)
    if (kind !== 'more') finish(kind)
  }
  const onEnd = () => finish('http/1')
  const timer = timeoutMs > 0 ? setTimeout(() => finish('http/1'), timeoutMs) : undefined
  socket.on('data', onData)
  socket.once('end', onEnd)
  socket.once('close', onEnd)
}
