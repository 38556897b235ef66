/**
 * The running gateway: one listening socket per planned listener port,
 * each connection dispatched by the port's transport (TLS: ClientHello
 * first; HTTP: HTTP/1.x, or HTTP/2 when the client opens with the h2c
 * preface; TCP) under the connection cap; UDP listener ports are
 * datagram sockets with per-client sessions (udp-listener.ts). `reload` swaps in a new
 * configuration generation (opening and closing ports as the plan changes;
 * open connections keep the generation they started with); `shutdown` stops
 * accepting, drains, then closes.
 */
import {createServer, type Server, type Socket} from 'node:net'
import type {AccessLog} from './access-log.js'
import {ConnectionTracker} from './connection-tracker.js'
import type {DataPlane} from './data-plane.js'
import {Http2Proxy} from './http2-proxy.js'
import {HttpProxy} from './http-proxy.js'
import {InternalErrorGuard} from './internal-error-guard.js'
import {socketKey, type PlannedSocket} from './port-plan.js'
import type {ServeLimits, ServeRuntime} from './serve-runtime.js'
import {routeStream} from './stream-connection.js'
import {SOCKET_BUFFER_BYTES} from './socket-buffer.js'
import {handleTlsConnection} from './tls-connection.js'
import {UdpListeners} from './udp-listener.js'
import {readHttp2Preface} from './read-http2-preface.js'

export interface GatewayOptions {
  limits: ServeLimits
  maxConnections: number
  log: AccessLog
  /** UDP sessions: idle timeout and cap (defaults: 60 s, 10 000). */
  udp?: {idleTimeoutMs: number; maxSessions: number}
  /** Exit the process on an internal error (test suites), rather than closing only its connection. */
  fatalInternalErrors?: boolean
}

export interface BoundListener {
  gateway: string
  listener: string
  protocol: string
  mode?: string
  hostname: string
  /** Gateway listener port. */
  port: number
  /** `host:port` actually bound. */
  address: string
}

interface OpenSocket {
  server: Server
  localPort: number
}

export class GatewayServer implements ServeRuntime {
  readonly tracker: ConnectionTracker
  readonly http: HttpProxy
  readonly http2: Http2Proxy
  readonly log: AccessLog
  readonly limits: ServeLimits
  readonly guard: InternalErrorGuard
  readonly udp: UdpListeners
  /** Bound sockets by `socketKey` (local address and listener port). */
  private readonly open = new Map<string, OpenSocket>()

  constructor(public dataPlane: DataPlane, private readonly options: GatewayOptions) {
    this.tracker = new ConnectionTracker(options.maxConnections)
    this.log = options.log
    this.limits = options.limits
    this.guard = new InternalErrorGuard(options.log, options.fatalInternalErrors === true)
    this.http = new HttpProxy(() => this)
    this.udp = new UdpListeners(() => this, {idleTimeoutMs: options.udp?.idleTimeoutMs ?? 60_000, maxSessions: options.udp?.maxSessions ?? 10_000})
    this.http2 = new Http2Proxy(() => this)
  }

  /** Bind every planned socket; rejects (closing what was bound) when one cannot be bound. */
  async start(): Promise<BoundListener[]> {
    try {
      for (const planned of this.dataPlane.plan.sockets) await this.bind(planned)
      for (const planned of this.dataPlane.plan.datagramSockets) await this.udp.bind(planned)
    } catch (error) {
      await this.closeSockets([...this.open.keys()])
      await this.udp.close(this.udp.keys())
      throw error
    }
    return this.describeBound()
  }

  /** Serve a new configuration generation; returns the listeners now bound. */
  async reload(next: DataPlane): Promise<BoundListener[]> {
    const wanted = new Set(next.plan.sockets.map(socketKey))
    const gone = [...this.open.keys()].filter((key) => !wanted.has(key))
    for (const planned of next.plan.sockets) {
      if (!this.open.has(socketKey(planned))) await this.bind(planned)
    }
    for (const planned of next.plan.datagramSockets) {
      if (!this.udp.has(socketKey(planned))) await this.udp.bind(planned)
    }
    const wantedDatagrams = new Set(next.plan.datagramSockets.map(socketKey))
    this.dataPlane = next
    await this.closeSockets(gone)
    await this.udp.close(this.udp.keys().filter((key) => !wantedDatagrams.has(key)))
    return this.describeBound()
  }

  /** Stop accepting, drain open connections for up to `drainTimeoutMs`, then close everything. */
  async shutdown(drainTimeoutMs: number): Promise<{drained: number; destroyed: number}> {
    const closing = this.closeSockets([...this.open.keys()])
    const closingDatagrams = this.udp.shutdown()
    this.tracker.draining = true
    this.http.closeIdleConnections()
    this.http2.closeIdleConnections()
    const result = await this.tracker.drain(drainTimeoutMs)
    await closing
    await closingDatagrams
    this.http.close()
    this.http2.close()
    return result
  }

  describeBound(): BoundListener[] {
    const out: BoundListener[] = []
    for (const planned of this.dataPlane.plan.sockets) {
      const open = this.open.get(socketKey(planned))
      if (open === undefined) continue
      const {meta} = planned.gateway.gateway
      for (const listener of planned.listeners) {
        out.push({gateway: `${meta.namespace}/${meta.name}`, listener: listener.spec.name, protocol: listener.spec.protocol, mode: listener.mode,
          hostname: listener.spec.hostname ?? '*', port: planned.port, address: formatAddress(planned.address, open.localPort)})
      }
    }
    for (const planned of this.dataPlane.plan.datagramSockets) {
      const localPort = this.udp.localPort(socketKey(planned))
      if (localPort === undefined) continue
      const {meta} = planned.gateway.gateway
      for (const listener of planned.listeners) {
        out.push({gateway: `${meta.namespace}/${meta.name}`, listener: listener.spec.name, protocol: listener.spec.protocol,
          hostname: listener.spec.hostname ?? '*', port: planned.port, address: formatAddress(planned.address, localPort)})
      }
    }
    return out
  }

  private bind(planned: PlannedSocket): Promise<void> {
    const key = socketKey(planned)
    const server = createServer({allowHalfOpen: true, noDelay: true, highWaterMark: SOCKET_BUFFER_BYTES}, (socket) => this.guard.run('accept', () => socket.destroy(), () => this.accept(key, planned.port, socket)))
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        // 127.0.0.2 and up are loopback on Linux; macOS configures only 127.0.0.1 unless told otherwise.
        const unavailable = error.code === 'EADDRNOTAVAIL' && planned.address.startsWith('127.')
          ? ` (this system does not route ${planned.address} to loopback; on macOS: sudo ifconfig lo0 alias ${planned.address} up)` : ''
        reject(new Error(`cannot listen on ${formatAddress(planned.address, planned.localPort)} for listener port ${planned.port} of Gateway ${planned.gateway.gateway.meta.namespace}/${planned.gateway.gateway.meta.name}: ${error.code ?? error.message}${unavailable}`))
      })
      server.listen({host: planned.address, port: planned.localPort, backlog: 4096}, () => {
        const address = server.address()
        this.open.set(key, {server, localPort: typeof address === 'object' && address !== null ? address.port : planned.localPort})
        server.removeAllListeners('error')
        server.on('error', (error) => this.log.event('error', `listener port ${planned.port}: ${error.message}`))
        resolve()
      })
    })
  }

  private async closeSockets(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => {
      const open = this.open.get(key)
      this.open.delete(key)
      return open === undefined ? undefined : new Promise<void>((resolve) => open.server.close(() => resolve()))
    }))
  }

  private accept(key: string, port: number, socket: Socket): void {
    // Errors are handled by whoever owns the socket next; this keeps a reset during set-up from throwing.
    socket.on('error', () => {})
    if (!this.tracker.admit(socket)) {
      this.log.event('refused', `connection from ${socket.remoteAddress}:${socket.remotePort} on port ${port}: ${this.tracker.draining ? 'shutting down' : `connection cap of ${this.tracker.maxConnections} reached`}`)
      socket.resetAndDestroy()
      return
    }
    const dataPlane = this.dataPlane
    const planned = dataPlane.socketFor(key)
    if (planned === undefined) {
      socket.destroy()
      return
    }
    if (planned.transport === 'tls') {
      handleTlsConnection(this, socket, planned).catch((error: unknown) => this.guard.report(error, 'TLS connection', () => socket.destroy()))
    } else if (planned.transport === 'http') {
      readHttp2Preface(socket, this.limits.clientHelloTimeoutMs, (protocol) => this.guard.run('accept', () => socket.destroy(), () => {
        if (socket.destroyed) return
        if (protocol === 'h2c') {
          this.http2.accept(socket, {planned, dataPlane, raw: socket})
          return
        }
        this.http.accept(socket, {planned, dataPlane, raw: socket})
        socket.resume()
      }))
    } else {
      const decision = dataPlane.decideStream(planned)
      const started = Date.now()
      routeStream({runtime: this, raw: socket, client: socket, decision, started,
        entry: {time: new Date(started).toISOString(), client: `${socket.remoteAddress}:${socket.remotePort}`, port}})
    }
  }
}

function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
