/**
 * The HTTP side of the gateway: requests on terminated HTTPS listeners and
 * on plain HTTP listeners. Each request is routed by the engine
 * (DataPlane.decideRequest: listener isolation, 421/404, HTTPRoute
 * precedence), then answered by the gateway itself (redirect, 404, 421,
 * 500 for an invalid backend's share, 503 for an unmapped backend) or
 * proxied over HTTP/1.1 with keep-alive to the backend chosen by weight:
 * method, path, headers and streamed bodies preserved, hop-by-hop headers
 * dropped, X-Forwarded-For/Proto/Host/Port added, the engine's forward
 * plan of the chosen backend executed (rewritten path and Host, header
 * operations, request mirrors); HTTPS to the backend when a
 * BackendTLSPolicy applies; HTTP/2 (http2-backend.ts) to a backend the
 * engine says speaks it (backend-protocol.ts). `send` is shared with the
 * HTTP/2 side (http2-proxy.ts).
 * Backend failures: 503 refused, 504 timeout, 502 otherwise (a response
 * that cannot be relayed, e.g. status 000 or control bytes, included, and a
 * 101 to a request that asked for no upgrade). Requests asking for a
 * protocol upgrade (WebSocket) go to http-upgrade.ts. GRPCRoute answers of
 * the gateway (12 no route, 14 failed backend) are HTTP 200 with
 * grpc-status in the headers, as gRPC-Web clients read them.
 */
import {Agent as HttpAgent, createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {Agent as HttpsAgent, request as httpsRequest} from 'node:https'
import type {Socket} from 'node:net'
import type {Duplex} from 'node:stream'
import {decideBackendHttpVersion, type BackendHttpVersion} from '../gatewayapi/backend-protocol.js'
import type {ListenerBinding} from '../gatewayapi/binding.js'
import {parseRequestTarget} from '../gatewayapi/http-match.js'
import type {AccessEntry} from './access-log.js'
import {findBadResponse} from './backend-response.js'
import {endWithLinger} from './end-with-linger.js'
import type {BackendTarget} from './backend-targets.js'
import {classifyConnectError, STATUS_FOR_CONNECT_FAILURE} from './connect-backend.js'
import {GRPC_UNAVAILABLE, settleRequestAnswer} from './settle-request-answer.js'
import {describeDecision, listenerLogName, type DataPlane} from './data-plane.js'
import {applyHeaderOperations, rewriteRequestHeaders, selectMirrors, type ForwardPlan} from '../gatewayapi/http-filters.js'
import {Http2Backends} from './http2-backend.js'
import {encodeGrpcMessage} from './grpc-message.js'
import type {PlannedSocket} from './port-plan.js'
import {proxyUpgrade} from './http-upgrade.js'
import {mirrorRequest} from './request-mirror.js'
import {normalizeRequestTarget} from './request-target.js'
import type {ServeRuntime} from './serve-runtime.js'

export interface HttpConnectionContext {
  planned: PlannedSocket
  dataPlane: DataPlane
  /** SNI of a terminated TLS connection; undefined for plaintext HTTP. */
  sni?: string
  /** The raw client socket. */
  raw: Socket
  /** The listener the TLS handshake chose (HTTPS). */
  listener?: ListenerBinding
  /** `address:port` of the client, computed on the first request. */
  client?: string
  /** The client certificate verdict, when the listener validates client certificates. */
  clientCert?: string
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])
const FORWARDED = new Set(['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'])

/** Responses up to this size (by Content-Length) are written in one go. */
const SMALL_BODY_BYTES = 16 * 1024

export class HttpProxy {
  private readonly server: Server
  private readonly contexts = new WeakMap<Duplex, HttpConnectionContext>()
  private readonly agent = new HttpAgent({keepAlive: true, scheduling: 'lifo', noDelay: true} as ConstructorParameters<typeof HttpAgent>[0])
  private readonly tlsAgents = new Map<string, HttpsAgent>()
  private readonly http2Backends: Http2Backends

  constructor(private readonly runtime: () => ServeRuntime) {
    const limits = runtime().limits
    this.http2Backends = new Http2Backends(() => runtime().limits)
    // Headers must arrive within the ClientHello timeout (slowloris), checked twice per period;
    // a connection with no data either way for the idle timeout is closed (server.timeout).
    this.server = createServer({
      keepAliveTimeout: limits.idleTimeoutMs, headersTimeout: limits.clientHelloTimeoutMs, requestTimeout: 0,
      // Host is checked by normalizeRequestTarget, which also takes it from an absolute-form target.
      requireHostHeader: false,
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(limits.clientHelloTimeoutMs / 2))),
    }, (req, res) => runtime().guard.run('request', () => req.socket.destroy(), () => this.handle(req, res)))
    this.server.timeout = limits.idleTimeoutMs
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => this.refuseClient(error, socket))
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => runtime().guard.run('upgrade', () => socket.destroy(), () => this.upgrade(req, socket, head)))
    // The server never listens itself (connections are handed to it); 'listening' starts
    // Node's connection list, which enforces headersTimeout and closeIdleConnections().
    this.server.emit('listening')
  }

  /**
   * A request the server cannot parse, or whose headers are too slow: 400 or
   * 408, logged, connection closed. A TLS error (a handshake the client or a
   * client-certificate check failed) is the TLS side's to log: the socket is
   * only closed.
   */
  private refuseClient(error: NodeJS.ErrnoException, socket: Duplex): void {
    if (error.code?.startsWith('ERR_SSL_') || error.code === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
      socket.destroy()
      return
    }
    const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    const context = this.contexts.get(socket)
    if (context !== undefined && error.code !== 'ECONNRESET') {
      this.runtime().log.access({time: new Date().toISOString(), client: `${context.raw.remoteAddress}:${context.raw.remotePort}`, port: context.planned.port,
        sni: context.sni, bytesIn: context.raw.bytesRead, bytesOut: 0, durationMs: 0, outcome: timeout ? 'request-timeout' : 'bad-request', reason: error.message})
    }
    if (!socket.writable || error.code === 'ECONNRESET') socket.destroy()
    else endWithLinger(socket, `HTTP/1.1 ${timeout ? '408 Request Timeout' : '400 Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
  }

  /** A request whose target or Host cannot be trusted (RFC 9112 §3.2): 400, logged, connection closed. */
  private refuseRequest(req: IncomingMessage, res: ServerResponse, context: HttpConnectionContext, reason: string): void {
    const body = `${reason}\n`
    req.resume()
    res.shouldKeepAlive = false
    res.writeHead(400, ['content-type', 'text/plain; charset=utf-8', 'content-length', String(Buffer.byteLength(body))])
    res.end(body)
    this.runtime().log.access({time: new Date().toISOString(), client: `${context.raw.remoteAddress}:${context.raw.remotePort}`, port: context.planned.port, sni: context.sni,
      method: req.method, path: req.url, status: 400, listener: listenerLogName(context.listener), bytesIn: 0, bytesOut: Buffer.byteLength(body), durationMs: 0, outcome: 'bad-request', reason})
  }

  /** Close keep-alive connections that have no request in flight (drain). */
  closeIdleConnections(): void {
    this.server.closeIdleConnections()
  }

  close(): void {
    this.server.close()
    this.agent.destroy()
    for (const agent of this.tlsAgents.values()) agent.destroy()
    this.http2Backends.close()
  }

  /** A connection to serve HTTP/1.1 on: the TLSSocket of an HTTPS listener, or the socket of an HTTP listener. */
  accept(socket: Duplex, context: HttpConnectionContext): void {
    this.contexts.set(socket, context)
    this.server.emit('connection', socket)
  }

  /** A request with `Connection: upgrade` and `Upgrade` (WebSocket, ...): routed the same way, then switched or refused by the backend. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const context = this.contexts.get(socket)
    if (context === undefined) {
      socket.destroy()
      return
    }
    const forwarder = {
      buildRequestHeaders: this.buildRequestHeaders.bind(this),
      // Upgrades are an HTTP/1.1 mechanism: always HTTP/1.1 to the backend (RFC 9110 §7.8).
      send: (target: BackendTarget, method: string, path: string, headers: string[]) => this.send(target, method, path, headers, {httpVersion: 'HTTP/1.1', hasBody: true}),
      stripHopByHop,
    }
    proxyUpgrade(this.runtime(), forwarder, context, req, socket as Duplex & {setTimeout(ms: number, callback?: () => void): unknown}, head)
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const context = this.contexts.get(req.socket)!
    const runtime = this.runtime()
    const badTarget = normalizeRequestTarget(req)
    if (badTarget !== undefined) {
      this.refuseRequest(req, res, context, badTarget)
      return
    }
    const started = Date.now()
    const hostHeader = req.headers.host ?? ''
    const target = parseRequestTarget(req.url ?? '/')
    const headers: Array<[string, string]> = []
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]])
    const decision = context.dataPlane.decideRequest(context.planned, context.sni, hostHeader, {method: req.method ?? 'GET', path: target.path, query: target.query, headers})
    if (runtime.tracker.draining) res.shouldKeepAlive = false

    let bytesIn = 0
    let bytesOut = 0
    context.client ??= `${context.raw.remoteAddress}:${context.raw.remotePort}`
    const names = describeDecision(decision)
    const entry: AccessEntry = {
      time: '', client: context.client, port: context.planned.port, sni: context.sni, clientCert: context.clientCert, host: hostHeader, method: req.method, path: req.url, status: 0,
      listener: names.listener ?? listenerLogName(context.listener), route: names.route, backend: undefined, upstream: undefined,
      bytesIn: 0, bytesOut: 0, durationMs: 0, outcome: '', reason: undefined,
    }
    const log = (outcome: string, reason?: string) => {
      entry.time = new Date(started).toISOString()
      entry.status = res.statusCode
      entry.bytesIn = bytesIn
      entry.bytesOut = bytesOut
      entry.durationMs = Date.now() - started
      entry.outcome = outcome
      entry.reason = reason
      runtime.log.access(entry)
    }

    const answer = (status: number, outcome: string, reason: string, extraHeaders: string[] = []) => {
      req.resume()
      const body = `${reason}\n`
      bytesOut = Buffer.byteLength(body)
      res.writeHead(status, ['content-type', 'text/plain; charset=utf-8', 'content-length', String(bytesOut), ...extraHeaders])
      res.end(body)
      log(outcome, reason)
    }

    // The engine's gRPC answers (GRPCRoute) in the headers, as gRPC-Web clients over HTTP/1.1 read a trailers-only response.
    const answerGrpc = (code: number, outcome: string, reason: string) => {
      req.resume()
      res.writeHead(200, ['content-type', 'application/grpc', 'grpc-status', String(code), 'grpc-message', encodeGrpcMessage(reason), 'content-length', '0'])
      res.end()
      log(outcome, `${reason} (grpc-status ${code})`)
    }
    const settled = settleRequestAnswer(decision, context.dataPlane.targets, {random: Math.random(), search: searchOf(req.url ?? ''), grpc: true})
    if (settled.kind === 'redirect') {
      answer(settled.statusCode, 'redirect', `redirect to ${settled.location}`, ['location', settled.location])
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
    entry.backend = backendTarget.key
    entry.upstream = `${backendTarget.address.host}:${backendTarget.address.port}`

    const outgoing = this.buildRequestHeaders(req, context, forward, hostHeader)
    const path = `${forward.path}${searchOf(req.url ?? '')}`
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined
    const routeKind = decision.route?.route.kind ?? 'HTTPRoute'
    for (const mirror of selectMirrors(forward.mirrors, Math.random)) {
      mirrorRequest(req, mirror, {targets: context.dataPlane.targets, log: runtime.log, search: searchOf(req.url ?? ''),
        hasBody, idleTimeoutMs: runtime.limits.idleTimeoutMs,
        headers: (plan) => this.buildRequestHeaders(req, context, plan, hostHeader),
        send: (target, headers, mirrorPath) => this.send(target, req.method ?? 'GET', mirrorPath, headers, {httpVersion: decideBackendHttpVersion(routeKind, mirror.backend), hasBody})})
    }
    const proxyReq = this.send(backendTarget, req.method ?? 'GET', path, outgoing, {httpVersion: chosen.httpVersion, hasBody})
    let failed = false
    const fail = (status: number, outcome: string, reason: string) => {
      if (failed) return
      failed = true
      clearTimeout(answerTimer)
      proxyReq.destroy()
      if (res.headersSent) {
        res.destroy()
        log(outcome, reason)
      } else {
        if (grpcRoute) answerGrpc(GRPC_UNAVAILABLE, outcome, reason)
        else answer(status, outcome, reason)
      }
    }
    proxyReq.on('socket', (socket: Socket) => {
      if (!socket.connecting || runtime.limits.connectTimeoutMs === 0) return
      const timer = setTimeout(() => fail(504, 'backend-timeout', `${backendTarget.key}: no connection within ${runtime.limits.connectTimeoutMs} ms`), runtime.limits.connectTimeoutMs)
      socket.once('connect', () => clearTimeout(timer))
      socket.once('close', () => clearTimeout(timer))
    })
    const answerTimer = runtime.limits.idleTimeoutMs > 0
      ? setTimeout(() => fail(504, 'backend-timeout', `${backendTarget.key}: no answer for ${runtime.limits.idleTimeoutMs} ms`), runtime.limits.idleTimeoutMs)
      : undefined
    proxyReq.on('error', (error: NodeJS.ErrnoException) => {
      const failure = classifyConnectError(error)
      fail(STATUS_FOR_CONNECT_FAILURE[failure], `backend-${failure}`, `${backendTarget.key} at ${entry.upstream}: ${error.message}`)
    })
    // llhttp takes every 101 as a switch; a backend may only switch when the client asked (RFC 9110 §15.2.2).
    proxyReq.on('upgrade', (_proxyRes: IncomingMessage, socket: Socket) => {
      socket.destroy()
      fail(502, 'backend-bad-response', `${backendTarget.key} at ${entry.upstream}: 101 Switching Protocols to a request that asked for no upgrade`)
    })
    proxyReq.on('response', (proxyRes) => runtime.guard.run('backend response', () => res.destroy(), () => {
      clearTimeout(answerTimer)
      const bad = findBadResponse(proxyRes.statusCode, proxyRes.statusMessage, proxyRes.rawHeaders)
      if (bad !== undefined) {
        fail(502, 'backend-bad-response', `${backendTarget.key} at ${entry.upstream}: ${bad}`)
        return
      }
      const responseHeaders = applyHeaderOperations(stripHopByHop(proxyRes.rawHeaders), forward.responseHeaders)
      try {
        res.writeHead(proxyRes.statusCode!, proxyRes.statusMessage, responseHeaders)
      } catch (error) {
        fail(502, 'backend-bad-response', `${backendTarget.key} at ${entry.upstream}: ${(error as Error).message}`)
        return
      }
      // A small body with a known length goes out with its headers in one TLS record and one write
      // (writeHead only stores the head: it is sent with the first body write).
      const small = Number(proxyRes.headers['content-length'] ?? Number.POSITIVE_INFINITY) <= SMALL_BODY_BYTES
      if (small) {
        res.cork()
        proxyRes.once('end', () => process.nextTick(() => res.uncork()))
      }
      proxyRes.on('data', (chunk: Buffer) => {
        bytesOut += chunk.length
      })
      proxyRes.pipe(res)
      proxyRes.on('error', () => fail(502, 'backend-error', 'backend response aborted'))
      res.once('finish', () => log('ok'))
    }))
    res.once('close', () => {
      if (!res.writableFinished && !failed) {
        failed = true
        proxyReq.destroy()
        log('client-gone', 'client closed before the response ended')
      }
    })
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      // No request body (RFC 9112 §6.3): send the request now rather than a turn later.
      req.resume()
      proxyReq.end()
      return
    }
    req.on('data', (chunk: Buffer) => {
      bytesIn += chunk.length
    })
    req.pipe(proxyReq)
  }

  private buildRequestHeaders(req: IncomingMessage, context: HttpConnectionContext, forward: Pick<ForwardPlan, 'requestHeaders' | 'hostname'>, hostHeader: string): string[] {
    const raw = stripHopByHop(req.rawHeaders)
    const out: string[] = []
    let forwardedFor: string | undefined
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase()
      if (name === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? raw[i + 1] : `${forwardedFor}, ${raw[i + 1]}`
      else if (!FORWARDED.has(name)) out.push(raw[i], raw[i + 1])
    }
    const client = context.raw.remoteAddress ?? ''
    out.push(
      'X-Forwarded-For', forwardedFor === undefined ? client : `${forwardedFor}, ${client}`,
      'X-Forwarded-Proto', context.sni === undefined ? 'http' : 'https',
      'X-Forwarded-Host', hostHeader,
      'X-Forwarded-Port', String(context.planned.port),
    )
    return rewriteRequestHeaders(out, forward)
  }

  /**
   * A request to a backend over HTTP/1.1 (keep-alive pools) or HTTP/2 (shared
   * sessions); `headers` is a flat list with Host. An HTTP/2 request is driven
   * through the same ClientRequest surface (see http2-backend.ts).
   */
  send(target: BackendTarget, method: string, path: string, headers: string[], options: {httpVersion?: BackendHttpVersion; hasBody: boolean}): ClientRequest {
    if (options.httpVersion === 'HTTP/2') return this.http2Backends.request(target, method, path, headers, options.hasBody) as unknown as ClientRequest
    const {host, port} = target.address
    if (target.tls === undefined) return httpRequest({agent: this.agent, host, port, method, path, headers: headers as unknown as Record<string, string>, setHost: false})
    let agent = this.tlsAgents.get(target.tlsKey!)
    if (agent === undefined) {
      agent = new HttpsAgent({...target.tls, keepAlive: true, scheduling: 'lifo'})
      this.tlsAgents.set(target.tlsKey!, agent)
    }
    return httpsRequest({agent, host, port, method, path, headers: headers as unknown as Record<string, string>, setHost: false, servername: target.tls.servername})
  }
}

export function searchOf(url: string): string {
  const question = url.indexOf('?')
  return question === -1 ? '' : url.slice(question)
}

/** Drop hop-by-hop headers and those the Connection header names (RFC 9110 §7.6.1). */
export function stripHopByHop(raw: readonly string[]): string[] {
  let named: Set<string> | undefined
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() === 'connection') {
      named ??= new Set()
      for (const token of raw[i + 1].split(',')) named.add(token.trim().toLowerCase())
    }
  }
  const out: string[] = []
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase()
    if (!HOP_BY_HOP.has(name) && !named?.has(name)) out.push(raw[i], raw[i + 1])
  }
  return out
}
