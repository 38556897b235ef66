/**
 * One routing test's request as real traffic to an address, the way a client
 * makes it: a TLS ClientHello with the test's SNI (or none), ALPN h2 and
 * http/1.1 for HTTPS (HTTP/2 when the server picks h2, as curl does), h2 only
 * for gRPC; the served certificate judged (served-certificate.ts); then an
 * HTTP/1.1 or HTTP/2 request with the test's method, path, headers and Host,
 * a unary gRPC call (an empty message: valid for every protobuf type), or for
 * TCP/TLS/UDP a probe line, reading the answer. A refusal is the TLS alert the
 * server sent, or `closed`. The backend is whatever identity the backend
 * echoes (backend-identity.ts); without one the result says why.
 * `localPort` is the client's port, which names the connection in serve's
 * access log. Every step is a trace line.
 */
import {createSocket} from 'node:dgram'
import {request as httpRequest, type IncomingHttpHeaders} from 'node:http'
import {connect as http2Connect, type ClientHttp2Session, type IncomingHttpHeaders as Http2Headers} from 'node:http2'
import {connect as netConnect, isIP, type Socket} from 'node:net'
import {connect as tlsConnect, type TLSSocket} from 'node:tls'
import type {ObservedCertificate, TestProtocol, TestRequest} from '../routing-test.js'
import {hasFirstLine, readBackendBanner, readBackendHeader} from './backend-identity.js'
import {judgeServedCertificate} from './served-certificate.js'
import {describeRefusal} from './tls-alert-names.js'

export interface ProbeAddress {
  host: string
  port: number
}

export interface ProbeSettings {
  address: ProbeAddress
  protocol: TestProtocol
  /** gRPC and HTTP: over TLS (HTTPS listener) or plaintext (HTTP listener; gRPC as h2c with prior knowledge). */
  secure: boolean
  request: TestRequest
  /** PEM CA certificates the client trusts; undefined: Node's default CA store. */
  ca?: string[]
  trustDescription: string
  clientCertificate?: {cert: Buffer; key: Buffer}
  /** Response header (gRPC: initial metadata) naming the backend. */
  backendHeader: string
  secretsByFingerprint: ReadonlyMap<string, readonly string[]>
  now: () => Date
  /** Bound on the whole exchange. */
  timeoutMs: number
  /** Judge the certificate (skipped for the extra connections of a weighted sample). */
  judgeCertificate: boolean
}

export interface ProbeResult {
  /** The client's end of the connection, as the server sees it (`127.0.0.1`, port). */
  localAddress?: string
  localPort?: number
  refused?: string
  status?: number
  redirect?: string
  grpcStatus?: number
  headers?: Record<string, string>
  backend?: string
  /** Why the backend could not be identified. */
  backendUnknown?: string
  certificate?: ObservedCertificate
  /** The exchange could not be made (nothing listening, a timeout): what happened. */
  failure?: string
  trace: string[]
}

const PROBE_LINE = 'gwctl-live-probe\n'
const MAX_BODY_BYTES = 64 * 1024

export async function probeRequest(settings: ProbeSettings): Promise<ProbeResult> {
  const result: ProbeResult = {trace: []}
  const timer = new AbortController()
  const deadline = setTimeout(() => timer.abort(), settings.timeoutMs)
  try {
    await Promise.race([runProbe(settings, result), new Promise<void>((_resolve, reject) => {
      timer.signal.addEventListener('abort', () => reject(new Error(`no answer within ${settings.timeoutMs} ms`)))
    })])
  } catch (error) {
    const refused = describeRefusal(error)
    if (refused === undefined) {
      result.failure = (error as Error).message
      result.trace.push(`probe failed: ${result.failure}`)
    } else {
      result.refused = refused
      result.trace.push(`refused: ${refused} (${(error as Error).message.split('\n')[0]})`)
    }
  } finally {
    clearTimeout(deadline)
    for (const close of closers.get(result) ?? []) close()
    closers.delete(result)
  }
  return result
}

/** What to tear down once the probe ends, however it ends. */
const closers = new WeakMap<ProbeResult, Array<() => void>>()

function trackCloser(result: ProbeResult, close: () => void): void {
  const list = closers.get(result) ?? []
  list.push(close)
  closers.set(result, list)
}

async function runProbe(settings: ProbeSettings, result: ProbeResult): Promise<void> {
  const {protocol, secure} = settings
  if (protocol === 'udp') return probeDatagram(settings, result)
  const tls = protocol === 'tls' || protocol === 'https' || (protocol === 'grpc' && secure)
  const socket = tls ? await openTls(settings, result) : await openTcp(settings, result)
  // An alert or reset may come at any time after the handshake (TLS 1.3: certificate_required
  // once the client has finished), before or while a stage listens: it ends the probe either way.
  const failure = new Promise<never>((_resolve, reject) => socket.on('error', reject))
  failure.catch(() => {})
  return Promise.race([runStage(socket, settings, result, tls), failure])
}

function runStage(socket: Socket, settings: ProbeSettings, result: ProbeResult, tls: boolean): Promise<void> {
  const {protocol} = settings
  if (protocol === 'tls' || protocol === 'tcp') return probeStream(socket, settings, result)
  if (protocol === 'grpc') return probeGrpc(socket, settings, result, tls)
  if (tls && (socket as TLSSocket).alpnProtocol === 'h2') return probeHttp2(socket, settings, result)
  return probeHttp1(socket, settings, result)
}

function chooseHost(settings: ProbeSettings): string {
  const {request, address} = settings
  return request.host ?? (request.sni !== undefined && request.sni !== '' ? request.sni : formatAuthorityHost(address.host))
}

function formatAuthorityHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host
}

/** The SNI a client sends: the test's (`''` = none), else the Host for HTTPS and gRPC, else none. */
export function chooseSni(request: TestRequest, protocol: TestProtocol): string {
  if (request.sni !== undefined) return request.sni
  return protocol === 'https' || protocol === 'grpc' ? request.host ?? '' : ''
}

function openTcp(settings: ProbeSettings, result: ProbeResult): Promise<Socket> {
  const {host, port} = settings.address
  return new Promise((resolve, reject) => {
    const socket = netConnect({host, port})
    trackCloser(result, () => socket.destroy())
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.off('error', reject)
      result.localAddress = socket.localAddress
      result.localPort = socket.localPort
      result.trace.push(`connected to ${host}:${port} from port ${socket.localPort}`)
      resolve(socket)
    })
  })
}

function openTls(settings: ProbeSettings, result: ProbeResult): Promise<TLSSocket> {
  const {host, port} = settings.address
  const sni = chooseSni(settings.request, settings.protocol)
  const alpn = settings.protocol === 'grpc' ? ['h2'] : settings.protocol === 'https' ? ['h2', 'http/1.1'] : undefined
  return new Promise((resolve, reject) => {
    // servername '' sends no SNI extension (Node sends one only for a non-empty name).
    const socket = tlsConnect({
      host, port, servername: sni, ALPNProtocols: alpn, ca: settings.ca, rejectUnauthorized: false, checkServerIdentity: () => undefined,
      ...(settings.clientCertificate === undefined ? {} : {cert: settings.clientCertificate.cert, key: settings.clientCertificate.key}),
    })
    trackCloser(result, () => socket.destroy())
    socket.once('connect', () => {
      result.localAddress = socket.localAddress
      result.localPort = socket.localPort
    })
    const failed = (error: Error) => reject(error)
    socket.once('error', failed)
    socket.once('close', () => reject(Object.assign(new Error('connection closed during the TLS handshake'), {code: 'ECONNRESET'})))
    socket.once('secureConnect', () => {
      socket.off('error', failed)
      socket.removeAllListeners('close')
      // Until runProbe listens: an alert during the certificate judgement must not go unhandled.
      const early = (error: Error) => reject(error)
      socket.once('error', early)
      const handOver = (value: TLSSocket) => {
        socket.off('error', early)
        resolve(value)
      }
      result.localPort = socket.localPort
      result.trace.push(`TLS ${socket.getProtocol() ?? ''} handshake with ${host}:${port} from port ${socket.localPort}, SNI ${sni === '' ? '(none)' : sni}${alpn === undefined ? '' : `, ALPN offered ${alpn.join(',')} → ${socket.alpnProtocol || '(none)'}`}${settings.clientCertificate === undefined ? '' : ', client certificate sent'}`)
      if (!settings.judgeCertificate) {
        handOver(socket)
        return
      }
      const name = sni !== '' ? sni : settings.request.host
      judgeServedCertificate(socket, {name, secretsByFingerprint: settings.secretsByFingerprint, trustDescription: settings.trustDescription, now: settings.now()})
        .then((judgement) => {
          result.certificate = judgement.certificate
          result.trace.push(...judgement.trace)
          handOver(socket)
        }, reject)
    })
  })
}

/** How long a stream or datagram backend may stay silent before the probe ends without its identity (not a failure: many protocols answer nothing to an unknown line). */
function chooseQuietMs(settings: ProbeSettings): number {
  return Math.ceil(settings.timeoutMs / 2)
}

/** TCP or TLS stream: send a probe line, read the first line back (a stub's banner) or the end. */
function probeStream(socket: Socket, settings: ProbeSettings, result: ProbeResult): Promise<void> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0)
    const quiet = setTimeout(() => finish(), chooseQuietMs(settings))
    let finished = false
    const finish = () => {
      if (finished) return
      finished = true
      clearTimeout(quiet)
      socket.removeAllListeners('data')
      const backend = readBackendBanner(received)
      if (backend !== undefined) {
        result.backend = backend
        result.trace.push(`backend says: gwctl-stub-backend ${backend}`)
      } else {
        result.backendUnknown = received.length === 0 ? `the backend sent nothing back to the probe line within ${chooseQuietMs(settings)} ms` : 'the backend answered without a `gwctl-stub-backend NS/NAME:PORT` line'
        result.trace.push(`answer: ${received.length} bytes, no backend identity`)
      }
      resolve()
    }
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (hasFirstLine(received)) finish()
    })
    socket.once('error', (error) => {
      clearTimeout(quiet)
      if (received.length > 0) finish()
      else reject(error)
    })
    socket.once('end', () => {
      clearTimeout(quiet)
      if (received.length > 0) finish()
      else reject(Object.assign(new Error('the connection was closed without an answer'), {code: 'ECONNRESET'}))
    })
    socket.write(PROBE_LINE)
    result.trace.push(`sent ${JSON.stringify(PROBE_LINE)}`)
  })
}

function buildRequestHeaders(settings: ProbeSettings): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(settings.request.headers ?? {})) headers[name.toLowerCase()] = value
  return headers
}

function flattenHeaders(headers: IncomingHttpHeaders | Http2Headers): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue
    flat[name] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return flat
}

function recordHttpAnswer(settings: ProbeSettings, result: ProbeResult, status: number, headers: IncomingHttpHeaders | Http2Headers, protocol: string): void {
  result.status = status
  result.headers = flattenHeaders(headers)
  const location = result.headers.location
  if (status >= 300 && status < 400 && location !== undefined) result.redirect = location
  result.trace.push(`${protocol} ${status}${result.redirect === undefined ? '' : ` Location ${result.redirect}`}`)
  const backend = readBackendHeader(result.headers, settings.backendHeader)
  if (backend === undefined) {
    result.backendUnknown = `the answer has no ${settings.backendHeader} header`
  } else {
    result.backend = backend
    result.trace.push(`backend says: ${settings.backendHeader}: ${backend}`)
  }
}

function probeHttp1(socket: Socket, settings: ProbeSettings, result: ProbeResult): Promise<void> {
  const method = settings.request.method ?? 'GET'
  const path = settings.request.path ?? '/'
  const host = chooseHost(settings)
  result.trace.push(`HTTP/1.1 ${method} ${path} Host ${host}`)
  return new Promise((resolve, reject) => {
    const request = httpRequest({createConnection: () => socket, method, path, setHost: false, headers: {...buildRequestHeaders(settings), host, connection: 'close'}})
    request.once('error', reject)
    request.once('response', (response) => {
      recordHttpAnswer(settings, result, response.statusCode ?? 0, response.headers, `HTTP/${response.httpVersion}`)
      drainBody(response, result, resolve)
    })
    request.end()
  })
}

/**
 * Read the body (up to a bound) and, when a stub backend answered with its
 * JSON echo, trace what the backend received: the request after the
 * gateway's filters (rewritten path, Host, added headers) and the protocol.
 */
function drainBody(stream: NodeJS.ReadableStream & {destroy(): void}, result: ProbeResult, done: () => void): void {
  const chunks: Buffer[] = []
  let bytes = 0
  let finished = false
  const finish = () => {
    if (finished) return
    finished = true
    const echo = result.backend === undefined || !result.headers?.['content-type']?.startsWith('application/json') ? undefined : readStubEcho(Buffer.concat(chunks))
    if (echo !== undefined) result.trace.push(echo)
    done()
  }
  stream.on('data', (chunk: Buffer) => {
    bytes += chunk.length
    if (bytes <= MAX_BODY_BYTES) chunks.push(chunk)
    else {
      stream.destroy()
      finish()
    }
  })
  stream.once('end', finish)
  stream.once('close', finish)
  stream.once('error', finish)
}

function readStubEcho(body: Buffer): string | undefined {
  try {
    const echo = JSON.parse(body.toString('utf8')) as {protocol?: unknown; request?: {method?: unknown; path?: unknown; headers?: Record<string, unknown>}}
    if (typeof echo.request?.method !== 'string' || typeof echo.request.path !== 'string') return undefined
    const host = echo.request.headers?.host ?? echo.request.headers?.[':authority']
    return `backend received ${echo.request.method} ${echo.request.path}${typeof host === 'string' ? ` Host ${host}` : ''}${typeof echo.protocol === 'string' ? ` over ${echo.protocol}` : ''}`
  } catch {
    return undefined
  }
}

function openSession(socket: Socket, settings: ProbeSettings, result: ProbeResult, tls: boolean): ClientHttp2Session {
  const session = http2Connect(`${tls ? 'https' : 'http'}://${chooseHost(settings)}`, {createConnection: () => socket})
  trackCloser(result, () => session.destroy())
  return session
}

function probeHttp2(socket: Socket, settings: ProbeSettings, result: ProbeResult): Promise<void> {
  const method = settings.request.method ?? 'GET'
  const path = settings.request.path ?? '/'
  const host = chooseHost(settings)
  result.trace.push(`HTTP/2 ${method} ${path} :authority ${host}`)
  return new Promise((resolve, reject) => {
    const session = openSession(socket, settings, result, true)
    session.once('error', reject)
    const stream = session.request({...buildRequestHeaders(settings), ':method': method, ':path': path, ':authority': host})
    stream.once('error', reject)
    stream.once('response', (headers) => {
      recordHttpAnswer(settings, result, Number(headers[':status']), headers, 'HTTP/2')
      drainBody(stream, result, resolve)
    })
    stream.end()
  })
}

/** A unary gRPC call: POST PATH, an empty length-prefixed message, grpc-status from the trailers (or a trailers-only answer). */
function probeGrpc(socket: Socket, settings: ProbeSettings, result: ProbeResult, tls: boolean): Promise<void> {
  const path = settings.request.path ?? '/grpc.health.v1.Health/Check'
  const host = chooseHost(settings)
  if (tls && (socket as TLSSocket).alpnProtocol !== 'h2') result.trace.push('the server did not pick ALPN h2: gRPC needs HTTP/2')
  result.trace.push(`gRPC ${tls ? 'h2' : 'h2c'} POST ${path} :authority ${host}`)
  return new Promise((resolve, reject) => {
    const session = openSession(socket, settings, result, tls)
    session.once('error', reject)
    const stream = session.request({...buildRequestHeaders(settings), ':method': 'POST', ':path': path, ':authority': host, 'content-type': 'application/grpc', te: 'trailers'})
    stream.once('error', reject)
    let finished = false
    const finish = (trailers: Http2Headers | undefined) => {
      if (finished) return
      finished = true
      const status = trailers?.['grpc-status'] ?? result.headers?.['grpc-status']
      if (status !== undefined) {
        result.grpcStatus = Number(status)
        const message = trailers?.['grpc-message'] ?? result.headers?.['grpc-message']
        result.trace.push(`grpc-status ${result.grpcStatus}${message === undefined ? '' : ` (${decodeURIComponent(String(message))})`}`)
      } else {
        result.trace.push('no grpc-status in the answer')
      }
      resolve()
    }
    stream.once('response', (headers) => recordHttpAnswer(settings, result, Number(headers[':status']), headers, 'HTTP/2'))
    stream.once('trailers', (trailers) => finish(trailers))
    stream.on('data', () => {})
    stream.once('end', () => finish(undefined))
    stream.once('close', () => finish(undefined))
    stream.end(Buffer.alloc(5))
  })
}

function probeDatagram(settings: ProbeSettings, result: ProbeResult): Promise<void> {
  const {host, port} = settings.address
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4')
    trackCloser(result, () => socket.close())
    const quiet = setTimeout(() => {
      result.backendUnknown = `no answer datagram within ${chooseQuietMs(settings)} ms`
      result.trace.push(result.backendUnknown)
      resolve()
    }, chooseQuietMs(settings))
    trackCloser(result, () => clearTimeout(quiet))
    socket.once('error', reject)
    socket.once('message', (message) => {
      clearTimeout(quiet)
      const backend = readBackendBanner(message)
      if (backend === undefined) {
        result.backendUnknown = 'the answer datagram has no `gwctl-stub-backend NS/NAME:PORT` line'
      } else {
        result.backend = backend
        result.trace.push(`backend says: gwctl-stub-backend ${backend}`)
      }
      resolve()
    })
    socket.connect(port, host, () => {
      result.localAddress = socket.address().address
      result.localPort = socket.address().port
      socket.send(PROBE_LINE)
      result.trace.push(`UDP datagram ${JSON.stringify(PROBE_LINE)} to ${host}:${port} from port ${result.localPort}`)
    })
  })
}
