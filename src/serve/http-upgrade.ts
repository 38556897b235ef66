/**
 * HTTP/1.1 protocol upgrades (RFC 9110 §7.8: WebSocket's handshake, and any
 * other Upgrade token) on HTTP and HTTPS listeners. The request is routed by
 * the engine like any other (DataPlane.decideRequest: listener, HTTPRoute
 * rule, redirects and the gateway's own 4xx/5xx answers, backend by weight,
 * the chosen backend's filters), then forwarded with its `Connection:
 * Upgrade` and `Upgrade` headers. When the backend answers 101 Switching
 * Protocols to one of the protocols the client asked for, the 101 is relayed
 * (with the route's response header filters) and the two connections are
 * piped both ways with the idle timeout; a backend that answers anything
 * else refuses the upgrade, and its answer is passed through, after which
 * the connection closes. `Upgrade: h2c` alone is declined by the gateway,
 * as Envoy does: the request is forwarded without it and answered over
 * HTTP/1.1. A request body (Content-Length) is forwarded before the switch;
 * a chunked one is refused with 501. RequestMirror copies are not made of
 * upgrade requests: a mirror cannot take over a connection. One access-log
 * line per upgrade: status 101 and the bytes carried each way once switched.
 */
import {STATUS_CODES, type ClientRequest, type IncomingMessage} from 'node:http'
import type {Socket} from 'node:net'
import type {Duplex} from 'node:stream'
import {applyHeaderOperations, type ForwardPlan} from '../gatewayapi/http-filters.js'
import {parseRequestTarget} from '../gatewayapi/http-match.js'
import type {AccessEntry} from './access-log.js'
import {findBadResponse} from './backend-response.js'
import type {BackendTarget} from './backend-targets.js'
import {classifyConnectError, STATUS_FOR_CONNECT_FAILURE} from './connect-backend.js'
import {settleRequestAnswer} from './settle-request-answer.js'
import {describeDecision, listenerLogName} from './data-plane.js'
import {endWithLinger} from './end-with-linger.js'
import type {HttpConnectionContext} from './http-proxy.js'
import {pipeSockets} from './pipe-sockets.js'
import {normalizeRequestTarget} from './request-target.js'
import type {ServeRuntime} from './serve-runtime.js'

type TimedDuplex = Duplex & {setTimeout(ms: number, callback?: () => void): unknown}

/** What the upgrade path borrows from the HTTP proxy: request headers as forwarded, and the backend request. */
export interface UpgradeForwarder {
  buildRequestHeaders(req: IncomingMessage, context: HttpConnectionContext, forward: Pick<ForwardPlan, 'requestHeaders' | 'hostname'>, hostHeader: string): string[]
  send(target: BackendTarget, method: string, path: string, headers: string[]): ClientRequest
  stripHopByHop(raw: readonly string[]): string[]
}

/** The protocol tokens of an Upgrade header value, lower-cased (`websocket`, `h2c`, `foo/2`). */
export function listUpgradeProtocols(value: string | undefined): string[] {
  return (value ?? '').split(',').map((token) => token.trim().toLowerCase()).filter((token) => token !== '')
}

/** Serve one upgrade request on `client` (the socket the HTTP server handed over, `head` = bytes read past the request head). */
export function proxyUpgrade(runtime: ServeRuntime, forwarder: UpgradeForwarder, context: HttpConnectionContext, req: IncomingMessage, client: TimedDuplex, head: Buffer): void {
  client.pause()
  const started = Date.now()
  const hostHeader = req.headers.host ?? ''
  context.client ??= `${context.raw.remoteAddress}:${context.raw.remotePort}`
  const entry: AccessEntry = {
    time: new Date(started).toISOString(), client: context.client, port: context.planned.port, sni: context.sni, clientCert: context.clientCert,
    host: hostHeader, method: req.method, path: req.url, status: 0, listener: listenerLogName(context.listener), bytesIn: 0, bytesOut: 0, durationMs: 0, outcome: '',
  }
  let logged = false
  const log = (status: number, outcome: string, reason?: string, bytes: {in: number; out: number} = {in: 0, out: 0}) => {
    if (logged) return
    logged = true
    runtime.log.access({...entry, status, bytesIn: bytes.in, bytesOut: bytes.out, durationMs: Date.now() - started, outcome, reason})
  }
  const answer = (status: number, outcome: string, reason: string, extraHeaders: string[] = []) => {
    const body = `${reason}\n`
    const headers = ['content-type', 'text/plain; charset=utf-8', 'content-length', String(Buffer.byteLength(body)), 'connection', 'close', ...extraHeaders]
    endWithLinger(client, `${formatHead(status, STATUS_CODES[status] ?? '', headers)}${body}`)
    log(status, outcome, reason, {in: 0, out: Buffer.byteLength(body)})
  }

  const badTarget = normalizeRequestTarget(req)
  if (badTarget !== undefined) {
    entry.path = req.url
    answer(400, 'bad-request', badTarget)
    return
  }
  entry.host = req.headers.host ?? ''
  const target = parseRequestTarget(req.url ?? '/')
  const headers: Array<[string, string]> = []
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]])
  const decision = context.dataPlane.decideRequest(context.planned, context.sni, entry.host, {method: req.method ?? 'GET', path: target.path, query: target.query, headers})
  const names = describeDecision(decision)
  entry.listener = names.listener ?? entry.listener
  entry.route = names.route
  const answered = settleRequestAnswer(decision, context.dataPlane.targets, {random: Math.random(), search: searchOf(req.url ?? ''), grpc: false})
  if (answered.kind === 'redirect') {
    answer(answered.statusCode, 'redirect', `redirect to ${answered.location}`, ['location', answered.location])
    return
  }
  if (answered.kind !== 'forward') {
    entry.backend = answered.backend
    answer(answered.kind === 'status' ? answered.status : 500, answered.outcome, answered.reason)
    return
  }
  const {backend: chosen, target: backendTarget} = answered
  if (req.headers['transfer-encoding'] !== undefined) {
    answer(501, 'bad-request', 'an Upgrade request with a chunked body is not supported by gwctl serve')
    return
  }
  const forward = chosen.forward!
  const backendKey = backendTarget.key
  entry.backend = backendKey
  const upstream = `${backendTarget.address.host}:${backendTarget.address.port}`
  entry.upstream = upstream
  // h2c is negotiated hop by hop, and the gateway declines it (RFC 9113 §3.1 deprecates it): the request is served over HTTP/1.1.
  const offered = (req.headers.upgrade ?? '').split(',').map((token) => token.trim()).filter((token) => token !== '' && token.toLowerCase() !== 'h2c')
  const asked = listUpgradeProtocols(offered.join(','))
  const outgoing = forwarder.buildRequestHeaders(req, context, forward, entry.host)
  if (offered.length > 0) outgoing.push('Connection', 'Upgrade', 'Upgrade', offered.join(', '))
  const proxyReq = forwarder.send(backendTarget, req.method ?? 'GET', `${forward.path}${searchOf(req.url ?? '')}`, outgoing)

  let settled = false
  const fail = (status: number, outcome: string, reason: string) => {
    if (settled) return
    settled = true
    clearTimeout(answerTimer)
    proxyReq.destroy()
    answer(status, outcome, reason)
  }
  const answerTimer = runtime.limits.idleTimeoutMs > 0
    ? setTimeout(() => fail(504, 'backend-timeout', `${backendKey}: no answer for ${runtime.limits.idleTimeoutMs} ms`), runtime.limits.idleTimeoutMs)
    : undefined
  proxyReq.on('socket', (socket: Socket) => {
    if (!socket.connecting || runtime.limits.connectTimeoutMs === 0) return
    const timer = setTimeout(() => fail(504, 'backend-timeout', `${backendKey}: no connection within ${runtime.limits.connectTimeoutMs} ms`), runtime.limits.connectTimeoutMs)
    socket.once('connect', () => clearTimeout(timer))
    socket.once('close', () => clearTimeout(timer))
  })
  proxyReq.on('error', (error: NodeJS.ErrnoException) => {
    const failure = classifyConnectError(error)
    fail(STATUS_FOR_CONNECT_FAILURE[failure], `backend-${failure}`, `${backendKey} at ${upstream}: ${error.message}`)
  })
  client.once('close', () => {
    if (settled) return
    settled = true
    clearTimeout(answerTimer)
    proxyReq.destroy()
    log(0, 'client-gone', 'client closed before the backend answered the upgrade')
  })

  proxyReq.on('upgrade', (res: IncomingMessage, backend: Socket, backendHead: Buffer) => runtime.guard.run('upgrade response', () => {
    backend.destroy()
    client.destroy()
  }, () => {
    if (settled) {
      backend.destroy()
      return
    }
    const chosenProtocols = listUpgradeProtocols(res.headers.upgrade)
    const bad = findBadResponse(res.statusCode, res.statusMessage, res.rawHeaders)
      ?? (chosenProtocols.length === 0 ? '101 Switching Protocols without an Upgrade header' : undefined)
      ?? (chosenProtocols.every((protocol) => asked.includes(protocol)) ? undefined : `switched to ${res.headers.upgrade}, which the client did not ask for (${offered.join(', ') || 'none'})`)
    if (bad !== undefined) {
      backend.destroy()
      fail(502, 'backend-bad-response', `${backendKey} at ${upstream}: ${bad}`)
      return
    }
    settled = true
    clearTimeout(answerTimer)
    const responseHeaders = applyHeaderOperations(forwarder.stripHopByHop(res.rawHeaders), forward.responseHeaders)
    const clientRead = context.raw.bytesRead
    const clientWritten = context.raw.bytesWritten
    client.write(formatHead(101, res.statusMessage || 'Switching Protocols', ['Connection', 'Upgrade', 'Upgrade', res.headers.upgrade!, ...responseHeaders]))
    if (backendHead.length > 0) client.write(backendHead)
    if (head.length > 0) backend.write(head)
    pipeSockets(client, backend, runtime.limits.idleTimeoutMs, (end) => log(101, end.outcome, end.reason, {in: context.raw.bytesRead - clientRead, out: context.raw.bytesWritten - clientWritten}))
    backend.resume()
    client.resume()
  }))

  proxyReq.on('response', (res: IncomingMessage) => runtime.guard.run('upgrade refusal', () => client.destroy(), () => {
    if (settled) {
      res.destroy()
      return
    }
    const bad = findBadResponse(res.statusCode, res.statusMessage, res.rawHeaders)
    if (bad !== undefined) {
      res.destroy()
      fail(502, 'backend-bad-response', `${backendKey} at ${upstream}: ${bad}`)
      return
    }
    settled = true
    clearTimeout(answerTimer)
    // Refused: the answer is passed through and the connection closes after it (a body without a length ends at the close).
    const passed = applyHeaderOperations(forwarder.stripHopByHop(res.rawHeaders), forward.responseHeaders)
    client.write(formatHead(res.statusCode!, res.statusMessage ?? '', [...passed, 'connection', 'close']))
    let bytesOut = 0
    res.on('data', (chunk: Buffer) => {
      bytesOut += chunk.length
      if (!client.write(chunk)) res.pause()
    })
    client.on('drain', () => res.resume())
    res.once('end', () => {
      endWithLinger(client, '')
      log(res.statusCode!, 'ok', offered.length === 0 ? 'h2c upgrade declined: served over HTTP/1.1' : `the backend did not switch protocols (asked: ${offered.join(', ')})`, {in: 0, out: bytesOut})
    })
    res.once('error', () => {
      client.destroy()
      log(res.statusCode!, 'backend-error', 'backend response aborted', {in: 0, out: bytesOut})
    })
  }))

  sendBody(req, client, head, proxyReq, (rest) => {
    head = rest
  })
}

/**
 * Forward a Content-Length body (taken from `head`, then from the client),
 * then end the backend request; the bytes past the body (the new protocol's
 * first bytes) are handed back through `keep` for after the switch.
 */
function sendBody(req: IncomingMessage, client: Duplex, head: Buffer, proxyReq: ClientRequest, keep: (rest: Buffer) => void): void {
  let remaining = Number(req.headers['content-length'] ?? 0)
  if (!Number.isSafeInteger(remaining) || remaining <= 0) {
    proxyReq.end()
    return
  }
  const take = (chunk: Buffer): Buffer => {
    const part = chunk.subarray(0, remaining)
    remaining -= part.length
    proxyReq.write(part)
    return chunk.subarray(part.length)
  }
  const rest = take(head)
  if (remaining === 0) {
    keep(rest)
    proxyReq.end()
    return
  }
  keep(Buffer.alloc(0))
  const onData = (chunk: Buffer) => {
    const extra = take(chunk)
    if (remaining > 0) return
    client.off('data', onData)
    client.pause()
    if (extra.length > 0) client.unshift(extra)
    proxyReq.end()
  }
  client.on('data', onData)
  client.resume()
}

function formatHead(status: number, message: string, headers: readonly string[]): string {
  let head = `HTTP/1.1 ${status} ${message}\r\n`
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`
  return `${head}\r\n`
}

function searchOf(url: string): string {
  const question = url.indexOf('?')
  return question === -1 ? '' : url.slice(question)
}
