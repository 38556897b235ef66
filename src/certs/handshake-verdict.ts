/**
 * OpenSSL judges a certificate chain, through the TLS stack Node itself
 * runs: one TLS handshake over an in-memory socket pair (no port, no
 * network). For a server certificate the server side presents the chain
 * with its key and the client verifies it against the given trust anchors
 * (OpenSSL's purpose sslserver: basicConstraints, pathLen, keyUsage,
 * extendedKeyUsage, validity, name constraints, signatures); for a client
 * certificate the roles swap and the server verifies (purpose sslclient).
 * Hostnames are not checked here (gwctl checks SAN coverage itself), and
 * security level 0 keeps key-size and digest floors out of the verdict, as
 * in `openssl verify`: gwctl reports those floors as findings of their own.
 * Verdicts are cached by content and handshakes run a few at a time, each
 * with a timeout. Needs the private key of the certificate under test: a
 * TLS peer proves it holds it.
 */
import {createHash} from 'node:crypto'
import {Duplex} from 'node:stream'
import {connect, createSecureContext, createServer, TLSSocket} from 'node:tls'
import {verifyErrorFromNode, type VerifyError} from './x509-verify-errors.js'

export type Purpose = 'server' | 'client'

export interface HandshakeRequest {
  /** PEM: the certificate under test first, then the certificates its peer sends along (untrusted). */
  chainPem: string
  /** PEM private key of the first certificate. */
  keyPem: string
  /** PEM trust anchors. */
  anchorsPem: readonly string[]
  /** Trust an anchor that is not self-signed (X509_V_FLAG_PARTIAL_CHAIN). */
  partialChain: boolean
  purpose: Purpose
}

export type HandshakeVerdict =
  | {outcome: 'verified'}
  /** OpenSSL's verification result: the last error it met on the chain. */
  | {outcome: 'rejected'; error: VerifyError}
  /** No verification took place: the TLS stack refused the certificate and key, or the handshake broke off. */
  | {outcome: 'failed'; reason: string}

const SECURITY_LEVEL_ZERO = 'DEFAULT:@SECLEVEL=0'
const TIMEOUT_MS = 20_000
const MAX_PARALLEL = 4
const MAX_CACHE_ENTRIES = 512

const cache = new Map<string, Promise<HandshakeVerdict>>()
let running = 0
const waiting: Array<() => void> = []

/** The verdict for a chain; the same content is judged once per process. */
export function judgeByHandshake(request: HandshakeRequest): Promise<HandshakeVerdict> {
  const key = createHash('sha256').update(JSON.stringify([request.purpose, request.partialChain, request.chainPem, request.keyPem, request.anchorsPem])).digest('hex')
  const known = cache.get(key)
  if (known !== undefined) return known
  if (cache.size >= MAX_CACHE_ENTRIES) cache.clear()
  const verdict = runLimited(() => handshake(request))
  cache.set(key, verdict)
  return verdict
}

/** At most MAX_PARALLEL handshakes at once; a finished one hands its slot to the next in line. */
async function runLimited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve))
  else running++
  try {
    return await task()
  } finally {
    const next = waiting.shift()
    if (next === undefined) running--
    else next()
  }
}

function handshake(request: HandshakeRequest): Promise<HandshakeVerdict> {
  return new Promise((resolve) => {
    const sockets: Duplex[] = []
    let settled = false
    const finish = (verdict: HandshakeVerdict) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      for (const socket of sockets) socket.destroy()
      resolve(verdict)
    }
    const timer = setTimeout(() => finish({outcome: 'failed', reason: `the TLS handshake did not finish within ${TIMEOUT_MS / 1000} s`}), TIMEOUT_MS)
    timer.unref()
    const [serverEnd, clientEnd] = createSocketPair()
    sockets.push(serverEnd, clientEnd)
    try {
      if (request.purpose === 'server') verifyServer(request, serverEnd, clientEnd, sockets, finish)
      else verifyClient(request, serverEnd, clientEnd, sockets, finish)
    } catch (error) {
      finish({outcome: 'failed', reason: describeStackError(error)})
    }
  })
}

/** The client verifies the server's chain; a verification error arrives as the client's error after the handshake. */
function verifyServer(request: HandshakeRequest, serverEnd: Duplex, clientEnd: Duplex, sockets: Duplex[], finish: (verdict: HandshakeVerdict) => void): void {
  const context = createSecureContext({cert: request.chainPem, key: request.keyPem, ciphers: SECURITY_LEVEL_ZERO})
  const server = new TLSSocket(serverEnd, {isServer: true, secureContext: context})
  sockets.push(server)
  server.on('error', () => undefined)
  const client = connect({
    socket: clientEnd,
    ca: [...request.anchorsPem],
    allowPartialTrustChain: request.partialChain,
    ciphers: SECURITY_LEVEL_ZERO,
    checkServerIdentity: () => undefined,
    rejectUnauthorized: true,
  })
  sockets.push(client)
  let handshakeDone = false
  client.on('secure', () => {
    handshakeDone = true
    if (client.authorized) finish({outcome: 'verified'})
  })
  client.on('error', (error: NodeJS.ErrnoException) => {
    finish(handshakeDone ? {outcome: 'rejected', error: verifyErrorFromNode(error.code, error.message)} : {outcome: 'failed', reason: describeStackError(error)})
  })
}

/** The server requests and verifies the client's chain (the client's own chain doubles as the server's identity). */
function verifyClient(request: HandshakeRequest, serverEnd: Duplex, clientEnd: Duplex, sockets: Duplex[], finish: (verdict: HandshakeVerdict) => void): void {
  const server = createServer({
    cert: request.chainPem,
    key: request.keyPem,
    ca: [...request.anchorsPem],
    allowPartialTrustChain: request.partialChain,
    requestCert: true,
    rejectUnauthorized: false,
    ciphers: SECURITY_LEVEL_ZERO,
  })
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.push(socket)
    if (socket.authorized) finish({outcome: 'verified'})
    else finish({outcome: 'rejected', error: verifyErrorFromNode(String(socket.authorizationError ?? 'UNSPECIFIED'), undefined)})
  })
  server.on('tlsClientError', (error: Error) => finish({outcome: 'failed', reason: describeStackError(error)}))
  server.emit('connection', serverEnd)
  const client = connect({socket: clientEnd, cert: request.chainPem, key: request.keyPem, rejectUnauthorized: false, ciphers: SECURITY_LEVEL_ZERO})
  sockets.push(client)
  client.on('error', () => undefined)
}

/** Two connected in-memory duplex streams: what one writes, the other reads. */
function createSocketPair(): [Duplex, Duplex] {
  const ends: Duplex[] = []
  const makeEnd = (index: number) => new Duplex({
    read() {},
    write(chunk, _encoding, callback) {
      ends[1 - index].push(chunk)
      callback()
    },
    final(callback) {
      ends[1 - index].push(null)
      callback()
    },
    destroy(error, callback) {
      const other = ends[1 - index]
      if (!other.destroyed) other.push(null)
      callback(error)
    },
  })
  ends.push(makeEnd(0), makeEnd(1))
  return [ends[0], ends[1]]
}

/** OpenSSL's reason without its error-queue decoration: `key values mismatch`, `sslv3 alert handshake failure`. */
function describeStackError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const reason = message.match(/(?:^|[0-9A-F]+:)error:[0-9A-F]+:[^:]*:[^:]*:([^:\n]+)/)?.[1]
  return (reason ?? message.split('\n')[0]).trim()
}
