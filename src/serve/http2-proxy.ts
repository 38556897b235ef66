/**
 * The HTTP/2 side of the gateway: h2 connections on HTTPS listeners (ALPN
 * `h2`) and h2c with prior knowledge on HTTP listeners. Each stream is one
 * request, routed by the engine exactly as HTTP/1.1 ones are
 * (DataPlane.decideRequest: HTTPRoute and GRPCRoute precedence, 404/421,
 * redirects) and forwarded with the engine's forward plan of the chosen
 * backend (rewritten path and :authority, header operations, mirrors),
 * over HTTP/1.1 or HTTP/2 as the engine decides for the backend
 * (HttpProxy.send). Trailers pass through both ways; the gateway's own
 * gRPC answers — status 12 UNIMPLEMENTED when no GRPCRoute matches, 14
 * UNAVAILABLE for an invalid, unmapped, unreachable or failing backend —
 * are trailers-only responses (HTTP 200, grpc-status and grpc-message in
 * the one HEADERS frame). A request without a usable :authority/Host, or
 * with conflicting ones, is a 400 (request-target.ts). One access-log line
 * per stream, as for HTTP/1.1, with `protocol=h2|h2c`.
 */
import {constants, createServer, type Http2Server, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream} from 'node:http2'
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'
import {decideBackendHttpVersion} from '../gatewayapi/backend-protocol.js'
import {applyHeaderOperations, rewriteRequestHeaders, selectMirrors, type ForwardPlan} from '../gatewayapi/http-filters.js'
import {parseRequestTarget} from '../gatewayapi/http-match.js'
import type {AccessEntry} from './access-log.js'
import {findBadResponse} from './backend-response.js'
import {classifyConnectError, STATUS_FOR_CONNECT_FAILURE} from './connect-backend.js'
import {GRPC_UNAVAILABLE, settleRequestAnswer} from './settle-request-answer.js'
import {describeDecision, listenerLogName} from './data-plane.js'
import type {Http2BackendResponse} from './http2-backend.js'
import {searchOf, stripHopByHop, type HttpConnectionContext} from './http-proxy.js'
import {mirrorRequest, type MirroredRequest} from './request-mirror.js'
import {encodeGrpcMessage} from './grpc-message.js'
import {findHttp2Authority} from './request-target.js'
import {REFUSAL_LINGER_MS} from './end-with-linger.js'
import type {ServeRuntime} from './serve-runtime.js'

/** Concurrent streams a client may open on one connection. */
const MAX_CONCURRENT_STREAMS = 128
const FORWARDED = new Set(['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'])

/** A flat header list as HTTP/2 headers (names lower-cased, repeated names as arrays); `:status` first. */
function toHttp2Headers(status: number, raw: readonly string[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {[constants.HTTP2_HEADER_STATUS]: status}
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase()
    if (name.startsWith(':') || name === 'host') continue
    const existing = out[name]
    out[name] = existing === undefined ? raw[i + 1] : Array.isArray(existing) ? [...existing, raw[i + 1]] : [String(existing), raw[i + 1]]
  }
  return out
}

/** Answer on a stream the client may have closed or reset meanwhile: then there is no one to answer. */
function respondSafely(stream: ServerHttp2Stream, respond: () => void): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return
  try {
    respond()
  } catch {
    stream.close(constants.NGHTTP2_INTERNAL_ERROR)
  }
}

export class Http2Proxy {
  private readonly server: Http2Server
  private readonly sessions = new Map<ServerHttp2Session, HttpConnectionContext>()
  private pending: HttpConnectionContext | undefined

  constructor(private readonly runtime: () => ServeRuntime) {
    this.server = createServer({settings: {maxConcurrentStreams: MAX_CONCURRENT_STREAMS}})
    this.server.on('session', (session: ServerHttp2Session) => this.track(session))
    this.server.on('sessionError', () => {})
    this.server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, rawHeaders: string[]) => {
      stream.on('error', () => {})
      this.runtime().guard.run('HTTP/2 request', () => stream.close(constants.NGHTTP2_INTERNAL_ERROR), () => this.handle(stream, headers, flags, rawHeaders))
    })
  }

  /** A connection to serve HTTP/2 on: a TLSSocket that negotiated h2, or an HTTP listener's socket that sent the h2c preface. */
  accept(socket: Duplex, context: HttpConnectionContext): void {
    // A TLSSocket made over an accepted socket (not by a tls.Server) keeps secureConnecting after its
    // handshake; the HTTP/2 session would wait for a 'secureConnect' that a server socket never emits.
    const tls = socket as Duplex & {secureConnecting?: boolean}
    if (tls.secureConnecting === true) tls.secureConnecting = false
    this.pending = context
    try {
      this.server.emit('connection', socket)
    } finally {
      this.pending = undefined
    }
  }

  /** Tell every client to open no new streams (GOAWAY); streams in flight finish (drain). */
  closeIdleConnections(): void {
    for (const session of this.sessions.keys()) session.close()
  }

  close(): void {
    for (const session of this.sessions.keys()) session.destroy()
    this.sessions.clear()
  }

  private track(session: ServerHttp2Session): void {
    const context = this.pending
    if (context === undefined) {
      session.destroy()
      return
    }
    this.sessions.set(session, context)
    session.on('error', () => {})
    const {idleTimeoutMs} = this.runtime().limits
    // Nothing either way for the idle timeout: GOAWAY, and the connection is gone after a short linger even
    // if a stream the client never finishes is still open.
    if (idleTimeoutMs > 0) {
      session.setTimeout(idleTimeoutMs, () => {
        session.close()
        setTimeout(() => session.destroy(), REFUSAL_LINGER_MS).unref()
      })
    }
    session.once('close', () => this.sessions.delete(session))
    if (this.runtime().tracker.draining) session.close()
  }

  private handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, rawHeaders: string[]): void {
    const context = this.sessions.get(stream.session as ServerHttp2Session)
    if (context === undefined) {
      stream.close(constants.NGHTTP2_REFUSED_STREAM)
      return
    }
    const runtime = this.runtime()
    const started = Date.now()
    const method = String(headers[constants.HTTP2_HEADER_METHOD] ?? 'GET')
    const url = headers[constants.HTTP2_HEADER_PATH] as string | undefined
    const hosts: string[] = []
    const fields: string[] = []
    const cookies: string[] = []
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]
      if (name.startsWith(':')) continue
      if (name === 'host') hosts.push(rawHeaders[i + 1])
      else if (name === 'cookie') cookies.push(rawHeaders[i + 1])
      else fields.push(name, rawHeaders[i + 1])
    }
    // Cookie crumbs are joined into one field for whatever comes next (RFC 9113 §8.2.3).
    if (cookies.length > 0) fields.push('cookie', cookies.join('; '))
    const authority = findHttp2Authority(headers[constants.HTTP2_HEADER_AUTHORITY] as string | undefined, hosts)
    context.client ??= `${context.raw.remoteAddress}:${context.raw.remotePort}`
    const entry: AccessEntry = {
      time: new Date(started).toISOString(), client: context.client, port: context.planned.port, sni: context.sni, clientCert: context.clientCert,
      host: authority.host, protocol: context.sni === undefined ? 'h2c' : 'h2', method, path: url, status: 0, listener: listenerLogName(context.listener),
      bytesIn: 0, bytesOut: 0, durationMs: 0, outcome: '',
    }
    let bytesIn = 0
    let bytesOut = 0
    let logged = false
    const log = (outcome: string, reason?: string) => {
      if (logged) return
      logged = true
      runtime.log.access({...entry, bytesIn, bytesOut, durationMs: Date.now() - started, outcome, reason})
    }
    const isGrpc = String(headers[constants.HTTP2_HEADER_CONTENT_TYPE] ?? '').startsWith('application/grpc')
    const answer = (status: number, outcome: string, reason: string, extra: OutgoingHttpHeaders = {}) => {
      stream.resume()
      const body = `${reason}\n`
      const head = method === 'HEAD'
      bytesOut = head ? 0 : Buffer.byteLength(body)
      entry.status = status
      respondSafely(stream, () => {
        stream.respond({[constants.HTTP2_HEADER_STATUS]: status, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), ...extra}, {endStream: head})
        if (!head) stream.end(body)
      })
      log(outcome, reason)
    }
    const answerGrpc = (code: number, outcome: string, reason: string) => {
      stream.resume()
      entry.status = 200
      respondSafely(stream, () => stream.respond({[constants.HTTP2_HEADER_STATUS]: 200, 'content-type': 'application/grpc', 'grpc-status': String(code),
        'grpc-message': encodeGrpcMessage(reason)}, {endStream: true}))
      log(outcome, `${reason} (grpc-status ${code})`)
    }

    if (authority.problem !== undefined || typeof url !== 'string' || method === 'CONNECT' || !(url.startsWith('/') || (url === '*' && method === 'OPTIONS'))) {
      const reason = authority.problem ?? (method === 'CONNECT' ? 'CONNECT is not supported' : `invalid :path ${JSON.stringify(url ?? null)}`)
      answer(400, 'bad-request', reason)
      return
    }
    const host = authority.host
    const target = parseRequestTarget(url)
    const requestHeaders: Array<[string, string]> = [['host', host]]
    for (let i = 0; i < fields.length; i += 2) requestHeaders.push([fields[i], fields[i + 1]])
    const decision = context.dataPlane.decideRequest(context.planned, context.sni, host, {method, path: target.path, query: target.query, headers: requestHeaders})
    const names = describeDecision(decision)
    entry.listener = names.listener ?? entry.listener
    entry.route = names.route

    const settled = settleRequestAnswer(decision, context.dataPlane.targets, {random: Math.random(), search: searchOf(url), grpc: true})
    if (settled.kind === 'redirect') {
      answer(settled.statusCode, 'redirect', `redirect to ${settled.location}`, {location: settled.location})
      return
    }
    if (settled.kind !== 'forward') {
      entry.backend = settled.backend
      if (settled.kind === 'grpc') answerGrpc(settled.code, settled.outcome, settled.reason)
      else answer(settled.status, settled.outcome, settled.reason)
      return
    }
    const grpcRoute = decision.route?.route.kind === 'GRPCRoute'
    const {backend: chosen, target: backendTarget} = settled
    const forward = chosen.forward!
    const httpVersion = chosen.httpVersion
    entry.backend = backendTarget.key
    entry.upstream = `${backendTarget.address.host}:${backendTarget.address.port}`
    const hasBody = (flags & constants.NGHTTP2_FLAG_END_STREAM) === 0
    const search = searchOf(url)
    const wantsTrailers = fields.some((name, index) => index % 2 === 0 && name === 'te' && /(?:^|,)\s*trailers\s*(?:,|$)/i.test(fields[index + 1]))
    const buildHeaders = (plan: Pick<ForwardPlan, 'requestHeaders' | 'hostname'>, version: string | undefined) =>
      this.buildRequestHeaders(fields, host, context, plan, version === 'HTTP/2' && wantsTrailers)

    if (forward.mirrors.length > 0) {
      const mirrored: MirroredRequest = {
        method,
        get complete() {
          return stream.readableEnded
        },
        on: (event, listener) => stream.on(event, listener),
        once: (event, listener) => stream.once(event, listener),
      }
      const routeKind = decision.route?.route.kind ?? 'HTTPRoute'
      for (const mirror of selectMirrors(forward.mirrors, Math.random)) {
        const version = decideBackendHttpVersion(routeKind, mirror.backend)
        mirrorRequest(mirrored, mirror, {targets: context.dataPlane.targets, log: runtime.log, search, hasBody, idleTimeoutMs: runtime.limits.idleTimeoutMs,
          headers: (plan) => buildHeaders(plan, version),
          send: (mirrorTarget, mirrorHeaders, mirrorPath) => runtime.http.send(mirrorTarget, method, mirrorPath, mirrorHeaders, {httpVersion: version, hasBody})})
      }
    }
    const proxyReq = runtime.http.send(backendTarget, method, `${forward.path}${search}`, buildHeaders(forward, httpVersion), {httpVersion, hasBody})
    let failed = false
    const fail = (status: number, outcome: string, reason: string) => {
      if (failed) return
      failed = true
      clearTimeout(answerTimer)
      proxyReq.destroy()
      if (stream.headersSent || stream.destroyed) {
        if (!stream.destroyed) stream.close(constants.NGHTTP2_INTERNAL_ERROR)
        log(outcome, reason)
      } else if (grpcRoute) {
        answerGrpc(GRPC_UNAVAILABLE, outcome, reason)
      } else {
        answer(status, outcome, reason)
      }
    }
    const answerTimer = runtime.limits.idleTimeoutMs > 0
      ? setTimeout(() => fail(504, 'backend-timeout', `${backendTarget.key}: no answer for ${runtime.limits.idleTimeoutMs} ms`), runtime.limits.idleTimeoutMs)
      : undefined
    proxyReq.on('socket', (socket) => {
      if (!socket.connecting || runtime.limits.connectTimeoutMs === 0) return
      const timer = setTimeout(() => fail(504, 'backend-timeout', `${backendTarget.key}: no connection within ${runtime.limits.connectTimeoutMs} ms`), runtime.limits.connectTimeoutMs)
      socket.once('connect', () => clearTimeout(timer))
      socket.once('close', () => clearTimeout(timer))
    })
    proxyReq.on('error', (error: NodeJS.ErrnoException) => {
      const failure = classifyConnectError(error)
      fail(STATUS_FOR_CONNECT_FAILURE[failure], `backend-${failure}`, `${backendTarget.key} at ${entry.upstream}: ${error.message}`)
    })
    proxyReq.on('response', (proxyRes: IncomingMessage) => runtime.guard.run('backend response', () => stream.close(constants.NGHTTP2_INTERNAL_ERROR), () => {
      clearTimeout(answerTimer)
      const bad = findBadResponse(proxyRes.statusCode, proxyRes.statusMessage, proxyRes.rawHeaders)
      if (bad !== undefined) {
        fail(502, 'backend-bad-response', `${backendTarget.key} at ${entry.upstream}: ${bad}`)
        return
      }
      if (stream.destroyed) {
        proxyRes.resume()
        return
      }
      const status = proxyRes.statusCode!
      const responseHeaders = toHttp2Headers(status, applyHeaderOperations(stripHopByHop(proxyRes.rawHeaders), forward.responseHeaders))
      const noBody = (proxyRes as unknown as Partial<Http2BackendResponse>).endStream === true || method === 'HEAD' || status === 204 || status === 205 || status === 304
      // Only an HTTP/2 or a chunked HTTP/1.1 answer can end with trailers; any other ends with its last
      // DATA frame, without a wantTrailers round trip and an empty closing frame per response.
      const mayHaveTrailers = httpVersion === 'HTTP/2' || /(?:^|,)\s*chunked\s*$/i.test(String(proxyRes.headers['transfer-encoding'] ?? ''))
      try {
        stream.respond(responseHeaders, noBody ? {endStream: true} : mayHaveTrailers ? {waitForTrailers: true} : {})
      } catch (error) {
        fail(502, 'backend-bad-response', `${backendTarget.key} at ${entry.upstream}: ${(error as Error).message}`)
        return
      }
      entry.status = status
      proxyRes.on('error', () => fail(502, 'backend-error', 'backend response aborted'))
      if (noBody) {
        proxyRes.resume()
        return
      }
      if (mayHaveTrailers) stream.once('wantTrailers', () => {
        const trailers = toHttp2Headers(0, stripHopByHop(proxyRes.rawTrailers))
        delete trailers[constants.HTTP2_HEADER_STATUS]
        try {
          stream.sendTrailers(trailers)
        } catch {
          stream.close(constants.NGHTTP2_INTERNAL_ERROR)
        }
      })
      proxyRes.on('data', (chunk: Buffer) => {
        bytesOut += chunk.length
      })
      proxyRes.pipe(stream)
    }))
    stream.once('close', () => {
      clearTimeout(answerTimer)
      if (failed || logged) return
      if (stream.rstCode === constants.NGHTTP2_NO_ERROR && entry.status !== 0) {
        log('ok')
        return
      }
      failed = true
      proxyReq.destroy()
      log('client-gone', `client closed the stream before the response ended (HTTP/2 error code ${stream.rstCode ?? 0})`)
    })
    if (!hasBody) {
      proxyReq.end()
      return
    }
    stream.on('data', (chunk: Buffer) => {
      bytesIn += chunk.length
    })
    stream.pipe(proxyReq)
  }

  /** The request headers a backend gets: the client's (hop-by-hop dropped), Host, X-Forwarded-*, then the plan's operations. */
  private buildRequestHeaders(fields: readonly string[], host: string, context: HttpConnectionContext, plan: Pick<ForwardPlan, 'requestHeaders' | 'hostname'>, keepTrailers: boolean): string[] {
    const out: string[] = ['host', host]
    let forwardedFor: string | undefined
    const kept = stripHopByHop(fields)
    for (let i = 0; i < kept.length; i += 2) {
      const name = kept[i]
      if (name === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? kept[i + 1] : `${forwardedFor}, ${kept[i + 1]}`
      else if (!FORWARDED.has(name)) out.push(name, kept[i + 1])
    }
    if (keepTrailers) out.push('te', 'trailers')
    const client = context.raw.remoteAddress ?? ''
    out.push(
      'x-forwarded-for', forwardedFor === undefined ? client : `${forwardedFor}, ${client}`,
      'x-forwarded-proto', context.sni === undefined ? 'http' : 'https',
      'x-forwarded-host', host,
      'x-forwarded-port', String(context.planned.port),
    )
    return rewriteRequestHeaders(out, plan)
  }
}
