/**
 * HTTP/2 to backends (h2c with prior knowledge, or h2 over TLS with ALPN
 * when a BackendTLSPolicy applies): one session per backend target, shared
 * by concurrent requests, reopened after GOAWAY or an error and closed after
 * the idle timeout. A request is an `Http2BackendRequest`: a Writable for the
 * request body that emits 'response' with an `Http2BackendResponse` (status,
 * flat raw headers, body, then raw trailers) and 'error' with the
 * connection's own error code (ECONNREFUSED, ETIMEDOUT, TLS codes) — the
 * part of `http.ClientRequest`/`IncomingMessage` the proxies and mirrors
 * use, so an HTTP/2 backend is driven exactly like an HTTP/1.1 one.
 */
import {connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders, type SecureClientSessionOptions} from 'node:http2'
import {STATUS_CODES} from 'node:http'
import {PassThrough, Writable} from 'node:stream'
import type {BackendTarget} from './backend-targets.js'

/** Request headers HTTP/2 forbids (RFC 9113 §8.2.2) or carries as pseudo-headers. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings'])

/** A backend's HTTP/2 response, shaped as the `IncomingMessage` fields the proxies read. */
export class Http2BackendResponse extends PassThrough {
  readonly statusMessage: string
  readonly rawHeaders: string[] = []
  readonly headers: Record<string, string | undefined> = {}
  rawTrailers: string[] = []

  constructor(readonly statusCode: number | undefined, headers: IncomingHttpHeaders, rawHeaders: readonly string[], readonly endStream: boolean) {
    super()
    this.statusMessage = STATUS_CODES[statusCode ?? 0] ?? ''
    for (let i = 0; i < rawHeaders.length; i += 2) {
      if (!rawHeaders[i].startsWith(':')) this.rawHeaders.push(rawHeaders[i], rawHeaders[i + 1])
    }
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':')) this.headers[name] = Array.isArray(value) ? value.join(', ') : value
    }
  }
}

/** Turn a flat header list (HTTP/1.1 style, `host` included) into HTTP/2 request headers. */
export function buildHttp2RequestHeaders(method: string, path: string, scheme: 'http' | 'https', headers: readonly string[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {[constants.HTTP2_HEADER_METHOD]: method, [constants.HTTP2_HEADER_PATH]: path, [constants.HTTP2_HEADER_SCHEME]: scheme}
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i].toLowerCase()
    const value = headers[i + 1]
    if (name === 'host') {
      out[constants.HTTP2_HEADER_AUTHORITY] ??= value
      continue
    }
    if (NOT_FORWARDED.has(name) || name.startsWith(':')) continue
    if (name === 'te') {
      if (value.split(',').some((token) => token.trim().toLowerCase() === 'trailers')) out.te = 'trailers'
      continue
    }
    const existing = out[name]
    out[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [String(existing), value]
  }
  return out
}

/** The flat raw list of a received header block, without pseudo-headers. */
function rawWithoutPseudo(raw: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < raw.length; i += 2) {
    if (!raw[i].startsWith(':')) out.push(raw[i], raw[i + 1])
  }
  return out
}

/** The underlying connection error (ECONNREFUSED, ...) of a stream cancelled because its session failed. */
function connectionError(error: Error & {code?: string; cause?: unknown}): NodeJS.ErrnoException {
  const cause = error.cause as (Error & {code?: string}) | undefined
  if (error.code === 'ERR_HTTP2_STREAM_CANCEL' && cause instanceof Error) return cause
  return error
}

export class Http2BackendRequest extends Writable {
  private readonly stream: ClientHttp2Stream | undefined
  private failed = false
  private responded = false

  /** `hasBody`: false sends the request headers with END_STREAM (nothing is written). */
  constructor(session: ClientHttp2Session, headers: OutgoingHttpHeaders, private readonly hasBody: boolean) {
    // Not destroyed when the request body is finished: the response is still to come.
    super({highWaterMark: 64 * 1024, autoDestroy: false})
    let stream: ClientHttp2Stream
    try {
      stream = session.request(headers, {endStream: !hasBody})
    } catch (error) {
      queueMicrotask(() => this.fail(error as Error))
      return
    }
    this.stream = stream
    stream.on('error', (error) => this.fail(connectionError(error)))
    stream.on('response', (received: IncomingHttpHeaders & {[constants.HTTP2_HEADER_STATUS]?: number}, flags: number, rawHeaders: unknown) => {
      this.responded = true
      const response = new Http2BackendResponse(Number(received[constants.HTTP2_HEADER_STATUS]), received, (rawHeaders as unknown as string[] | undefined) ?? [],
        (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0)
      stream.on('trailers', (_trailers, _flags, rawTrailers) => {
        response.rawTrailers = rawWithoutPseudo((rawTrailers as unknown as string[] | undefined) ?? [])
      })
      stream.on('error', (error) => response.destroy(error))
      stream.on('close', () => {
        if (!response.writableEnded) response.destroy(new Error(`backend stream closed before its end (HTTP/2 error code ${stream.rstCode ?? 0})`))
      })
      stream.pipe(response)
      this.emit('response', response)
    })
    stream.on('close', () => {
      if (!this.responded) this.fail(Object.assign(new Error(`backend closed the stream without a response (HTTP/2 error code ${stream.rstCode ?? 0})`), {code: 'ERR_HTTP2_STREAM_ERROR'}))
    })
  }

  setTimeout(ms: number, callback: () => void): this {
    this.stream?.setTimeout(ms, callback)
    return this
  }

  private fail(error: NodeJS.ErrnoException): void {
    if (this.failed) return
    this.failed = true
    if (this.stream !== undefined && !this.stream.closed) this.stream.close(constants.NGHTTP2_CANCEL)
    this.emit('error', error)
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.stream === undefined || !this.hasBody || this.stream.destroyed) {
      callback()
      return
    }
    this.stream.write(chunk, callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.stream === undefined || !this.hasBody || this.stream.destroyed) {
      callback()
      return
    }
    this.stream.end(() => callback())
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.failed = true
    if (this.stream !== undefined && !this.stream.closed) this.stream.close(constants.NGHTTP2_CANCEL)
    callback(error)
  }
}

export interface Http2BackendLimits {
  connectTimeoutMs: number
  idleTimeoutMs: number
}

export class Http2Backends {
  private readonly sessions = new Map<string, ClientHttp2Session>()

  constructor(private readonly limits: () => Http2BackendLimits) {}

  /** Start a request to the target over its (shared) HTTP/2 session; `headers` is a flat list with `host`. */
  request(target: BackendTarget, method: string, path: string, headers: readonly string[], hasBody: boolean): Http2BackendRequest {
    const scheme = target.tls === undefined ? 'http' : 'https'
    return new Http2BackendRequest(this.sessionFor(target), buildHttp2RequestHeaders(method, path, scheme, headers), hasBody)
  }

  /** Close every session (shutdown). */
  close(): void {
    for (const session of this.sessions.values()) session.destroy()
    this.sessions.clear()
  }

  private sessionFor(target: BackendTarget): ClientHttp2Session {
    const {host, port} = target.address
    const key = `${target.tls === undefined ? 'h2c' : `h2 ${target.tlsKey}`} ${host}:${port}`
    const existing = this.sessions.get(key)
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing
    const authority = `${target.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`
    const options: SecureClientSessionOptions = target.tls === undefined ? {} : {...target.tls, ALPNProtocols: ['h2']} as SecureClientSessionOptions
    const session = connect(authority, options)
    this.sessions.set(key, session)
    const forget = () => {
      if (this.sessions.get(key) === session) this.sessions.delete(key)
    }
    const {connectTimeoutMs, idleTimeoutMs} = this.limits()
    const timer = connectTimeoutMs > 0
      ? setTimeout(() => session.destroy(Object.assign(new Error(`no connection within ${connectTimeoutMs} ms`), {code: 'ETIMEDOUT'})), connectTimeoutMs)
      : undefined
    session.once('connect', () => {
      clearTimeout(timer)
      const socket = session.socket as {alpnProtocol?: string | false}
      if (target.tls !== undefined && socket.alpnProtocol !== 'h2') {
        session.destroy(Object.assign(new Error(`the backend did not negotiate HTTP/2 (ALPN ${JSON.stringify(socket.alpnProtocol ?? false)})`), {code: 'ERR_SSL_NO_APPLICATION_PROTOCOL'}))
      }
    })
    session.on('error', forget)
    session.once('goaway', forget)
    session.once('close', () => {
      clearTimeout(timer)
      forget()
    })
    if (idleTimeoutMs > 0) session.setTimeout(idleTimeoutMs, () => session.close())
    session.unref()
    return session
  }
}
