/**
 * A connection on a TLS port (HTTPS and TLS listeners, Passthrough and
 * Terminate may share the port): read the ClientHello, ask the engine which
 * listener and route take this SNI, then carry it out — passthrough to the
 * backend, or terminate with the listener's certificate (requesting and
 * judging a client certificate when the listener validates them, Gateway
 * spec.tls.frontend) and hand the decrypted stream to the HTTP proxy (HTTPS:
 * ALPN `h2` to the HTTP/2 proxy, `http/1.1` or none to the HTTP/1.1 one)
 * or to a stream backend (TLS Terminate). A client whose SNI no listener
 * takes gets a fatal `unrecognized_name` alert; a malformed hello gets
 * `decode_error`; either is closed after a short linger, whether or not the
 * client closes.
 */
import type {Socket} from 'node:net'
import {TLSSocket} from 'node:tls'
import type {AccessEntry} from './access-log.js'
import {listenerLogName} from './data-plane.js'
import {clientCertificateOptions, judgeClientCertificate, type ClientCertificateVerdict} from './client-certificate.js'
import type {HttpConnectionContext} from './http-proxy.js'
import {endWithLinger} from './end-with-linger.js'
import type {PlannedSocket} from './port-plan.js'
import {readClientHello} from './read-client-hello.js'
import type {ServeRuntime} from './serve-runtime.js'
import {routeStream} from './stream-connection.js'
import {ALERT_DECODE_ERROR, ALERT_ILLEGAL_PARAMETER, ALERT_INTERNAL_ERROR, ALERT_UNRECOGNIZED_NAME, buildFatalAlert} from './tls-alert.js'

const ALERT_FOR_ERROR: Record<string, number | undefined> = {'malformed': ALERT_DECODE_ERROR, 'too-large': ALERT_DECODE_ERROR, 'invalid-sni': ALERT_ILLEGAL_PARAMETER}

export async function handleTlsConnection(runtime: ServeRuntime, socket: Socket, planned: PlannedSocket): Promise<void> {
  const started = Date.now()
  const entry: Omit<AccessEntry, 'bytesIn' | 'bytesOut' | 'durationMs' | 'outcome'> = {
    time: new Date(started).toISOString(), client: `${socket.remoteAddress}:${socket.remotePort}`, port: planned.port,
  }
  const log = (outcome: string, reason?: string, extra: Partial<AccessEntry> = {}) => runtime.log.access({
    ...entry, ...extra, bytesIn: socket.bytesRead, bytesOut: socket.bytesWritten, durationMs: Date.now() - started, outcome, reason,
  })
  const refuse = (alert: number | undefined, recordVersion: number | undefined, outcome: string, reason: string, extra: Partial<AccessEntry> = {}) => {
    if (alert === undefined || socket.destroyed) socket.destroy()
    else endWithLinger(socket, buildFatalAlert(alert, recordVersion))
    socket.once('close', () => log(outcome, reason, extra))
  }

  const read = await readClientHello(socket, {maxBytes: runtime.limits.maxClientHelloBytes, timeoutMs: runtime.limits.clientHelloTimeoutMs})
  if (read.status === 'error') {
    refuse(ALERT_FOR_ERROR[read.code], read.bytes.length >= 3 ? read.bytes.readUInt16BE(1) : undefined, read.code === 'closed' ? 'client-gone' : `client-hello-${read.code}`, read.message)
    return
  }
  const {hello, bytes} = read
  entry.sni = hello.sni
  const dataPlane = runtime.dataPlane
  const decision = dataPlane.decideTls(planned, hello.sni)
  const listener = decision.listener
  if (listener === undefined) {
    refuse(ALERT_UNRECOGNIZED_NAME, hello.recordVersion, 'no-listener', decision.reason)
    return
  }
  entry.listener = listenerLogName(listener)
  if (decision.mode === 'Passthrough') {
    if (decision.route === undefined) {
      refuse(ALERT_UNRECOGNIZED_NAME, hello.recordVersion, 'no-route', decision.reason)
      return
    }
    routeStream({runtime, raw: socket, client: socket, decision, replay: bytes, entry, started})
    return
  }

  const validation = decision.clientValidation
  const certificate = dataPlane.certificates.get(decision.certificate, validation)
  if (certificate.context === undefined) {
    refuse(ALERT_INTERNAL_ERROR, hello.recordVersion, 'no-certificate', certificate.problem)
    return
  }
  const isHttps = listener.spec.protocol === 'HTTPS'
  if (!isHttps && decision.route === undefined) {
    refuse(ALERT_UNRECOGNIZED_NAME, hello.recordVersion, 'no-route', decision.reason)
    return
  }
  socket.unshift(bytes)
  const tlsSocket = new TLSSocket(socket, {
    isServer: true, secureContext: certificate.context, ALPNProtocols: isHttps ? ['h2', 'http/1.1'] : undefined, ...clientCertificateOptions(validation),
  })
  const handshakeTimer = setTimeout(() => tlsSocket.destroy(new Error(`TLS handshake not finished within ${runtime.limits.clientHelloTimeoutMs} ms`)), runtime.limits.clientHelloTimeoutMs)
  const httpContext: HttpConnectionContext = {planned, dataPlane, sni: hello.sni, raw: socket, listener}
  let handshakeError: (Error & {code?: string}) | undefined
  let secured = false
  let refused: ClientCertificateVerdict | undefined
  // Registered before anything else reads the socket: a client certificate is judged before any request.
  tlsSocket.once('secure', () => {
    secured = true
    clearTimeout(handshakeTimer)
    if (validation === undefined) return
    const verdict = judgeClientCertificate(tlsSocket, validation)
    entry.clientCert = verdict.summary
    httpContext.clientCert = verdict.summary
    if (!verdict.accepted) {
      refused = verdict
      tlsSocket.destroy()
    }
  })
  tlsSocket.on('error', (error) => {
    handshakeError ??= error
  })
  tlsSocket.once('close', () => {
    clearTimeout(handshakeTimer)
    if (refused !== undefined) {
      log('client-certificate-rejected', refused.summary)
    } else if (!secured && validation !== undefined && handshakeError?.code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE') {
      log('client-certificate-rejected', 'no client certificate (AllowValidOnly)', {clientCert: 'none'})
    } else if (!secured) {
      log('tls-handshake-failed', handshakeError?.message ?? 'client closed during the TLS handshake')
    }
  })
  if (isHttps) {
    tlsSocket.once('secure', () => {
      if (tlsSocket.destroyed) return
      if (tlsSocket.alpnProtocol === 'h2') runtime.http2.accept(tlsSocket, httpContext)
      else runtime.http.accept(tlsSocket, httpContext)
    })
    return
  }
  tlsSocket.once('secure', () => {
    if (!tlsSocket.destroyed) routeStream({runtime, raw: socket, client: tlsSocket, decision, entry, started})
  })
}
