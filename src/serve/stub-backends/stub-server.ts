/**
 * One running stub backend on 127.0.0.1 at an OS-chosen port: a stream
 * socket that looks at each connection's first bytes (first-bytes.ts) and
 * answers as the HTTP/1.x, h2c or TCP stub — a `tls` stub first terminates
 * TLS (ALPN h2 and http/1.1) with its certificate, then answers HTTP/2 when
 * ALPN chose h2 and otherwise does the same on the decrypted stream — and/or a datagram socket (UDP stub) on
 * the same port. `close` stops listening and destroys every open
 * connection.
 */
import {createSocket, type Socket as DatagramSocket} from 'node:dgram'
import {createServer as createHttpServer} from 'node:http'
import {createServer as createHttp2Server} from 'node:http2'
import {createServer, Socket, type Server} from 'node:net'
import type {Duplex} from 'node:stream'
import {createServer as createTlsServer, type Server as TlsServer} from 'node:tls'
import {answerHttp, echoStream, formatBanner} from './echo-answers.js'
import {classifyFirstBytes, type FirstBytesKind} from './first-bytes.js'

export const STUB_HOST = '127.0.0.1'

export interface StubServerOptions {
  key: string
  /** Serve a stream socket (HTTP, h2c, gRPC, TCP; TLS first with `tls`). */
  stream: boolean
  /** Serve a datagram socket too (UDP stub), on the same port when `stream`. */
  datagrams: boolean
  /** Terminate TLS with this certificate chain and key, PEM (the `tls` stub). */
  tls?: {cert: string; key: string}
}

interface Sniffed {
  kind: Exclude<FirstBytesKind, 'need-more'>
  bytes: Buffer
  /** The client ended (or the socket closed) before the bytes were decided. */
  ended: boolean
}

export class StubServer {
  private readonly connections = new Set<Duplex>()
  private readonly http1 = createHttpServer((req, res) => this.answer(req, res))
  private readonly http2 = createHttp2Server((req, res) => this.answer(req, res))
  /** The TLS stub's TLS side (handed connections, never listening itself). */
  private readonly tlsServer?: TlsServer
  private server?: Server
  private datagramSocket?: DatagramSocket

  private constructor(private readonly options: StubServerOptions, public port = 0) {
    this.http2.on('sessionError', () => {})
    if (options.tls !== undefined) {
      this.tlsServer = createTlsServer({...options.tls, ALPNProtocols: ['h2', 'http/1.1']}, (tlsSocket) => {
        this.track(tlsSocket)
        // ALPN h2: the client speaks HTTP/2; otherwise its first decrypted bytes tell (HTTP/1.x, or TCP).
        if (tlsSocket.alpnProtocol === 'h2') this.http2.emit('connection', tlsSocket)
        else void this.dispatch(tlsSocket)
      })
      this.tlsServer.on('tlsClientError', () => {})
    }
  }

  static async start(options: StubServerOptions): Promise<StubServer> {
    const stub = new StubServer(options)
    try {
      if (options.stream) await stub.listenStream()
      if (options.datagrams) await stub.listenDatagrams()
    } catch (error) {
      await stub.close()
      throw error
    }
    return stub
  }

  get address(): string {
    return `${STUB_HOST}:${this.port}`
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.destroy()
    this.connections.clear()
    await Promise.all([
      this.server === undefined ? undefined : new Promise<void>((resolve) => this.server!.close(() => resolve())),
      this.datagramSocket === undefined ? undefined : new Promise<void>((resolve) => this.datagramSocket!.close(() => resolve())),
    ])
    this.server = undefined
    this.datagramSocket = undefined
  }

  private listenStream(): Promise<void> {
    const server = createServer({allowHalfOpen: true, noDelay: true}, (socket) => this.accept(socket))
    this.server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen({host: STUB_HOST, port: this.port}, () => {
        server.off('error', reject)
        server.on('error', () => {})
        this.port = (server.address() as {port: number}).port
        resolve()
      })
    })
  }

  private listenDatagrams(): Promise<void> {
    const socket = createSocket('udp4')
    this.datagramSocket = socket
    const banner = formatBanner(this.options.key)
    socket.on('message', (message, remote) => socket.send(Buffer.concat([banner, message]), remote.port, remote.address))
    return new Promise((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(this.port, STUB_HOST, () => {
        socket.off('error', reject)
        socket.on('error', () => {})
        this.port = socket.address().port
        resolve()
      })
    })
  }

  /** A request the stub cannot answer (its client gone mid-way) costs that request only, never the process. */
  private answer(req: Parameters<typeof answerHttp>[1], res: Parameters<typeof answerHttp>[2]): void {
    try {
      answerHttp(this.options.key, req, res)
    } catch {
      req.socket?.destroy()
    }
  }

  private accept(socket: Socket): void {
    this.track(socket)
    if (this.tlsServer === undefined) {
      void this.dispatch(socket)
      return
    }
    // Half-open is for the TCP echo; under TLS, the end of the client's stream ends the stub's.
    socket.allowHalfOpen = false
    this.tlsServer.emit('connection', socket)
  }

  private track(connection: Duplex): void {
    connection.on('error', () => {})
    this.connections.add(connection)
    connection.once('close', () => this.connections.delete(connection))
  }

  /** Answer a connection by its first bytes: HTTP/1.x, h2c or TCP. */
  private async dispatch(connection: Duplex): Promise<void> {
    const sniffed = await sniff(connection)
    if (sniffed.ended || sniffed.kind === 'other') {
      echoStream(this.options.key, connection, sniffed.bytes, sniffed.ended)
      return
    }
    // HTTP servers answer, then end their side when the client's ends (no half-open: that is the TCP echo's).
    if (connection instanceof Socket) connection.allowHalfOpen = false
    connection.unshift(sniffed.bytes)
    if (sniffed.kind === 'h2') {
      // The HTTP/2 session reads what is already buffered (the preface) itself, on the next tick.
      this.http2.emit('connection', connection)
      return
    }
    this.http1.emit('connection', connection)
    connection.resume()
  }
}

/** Read until the first bytes are decided; the socket is left paused, the bytes handed back. */
function sniff(connection: Duplex): Promise<Sniffed> {
  return new Promise((resolve) => {
    let bytes: Buffer = Buffer.alloc(0)
    const finish = (kind: Sniffed['kind'], ended: boolean) => {
      connection.off('data', onData)
      connection.off('end', onEnd)
      connection.off('close', onEnd)
      connection.pause()
      resolve({kind, bytes, ended})
    }
    const onData = (chunk: Buffer) => {
      bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk])
      const kind = classifyFirstBytes(bytes)
      if (kind !== 'need-more') finish(kind, false)
    }
    const onEnd = () => finish('other', true)
    connection.on('data', onData)
    connection.once('end', onEnd)
    connection.once('close', onEnd)
  })
}
