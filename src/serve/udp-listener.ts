/**
 * UDP listeners (UDPRoute): one datagram socket per UDP listener port and a
 * session table keyed by client address. A client's first datagram opens its
 * session: the engine's decision for the port (DataPlane.decideDatagram, the
 * same answer as `gwctl resolve --port`), a backend picked by weight once per
 * session (pickBackend, with the randomness passed in) and an upstream socket
 * connected to that backend. The client's datagrams go upstream unchanged;
 * the backend's replies go back to the client from the listener socket, so
 * the client sees the address it sent to. A session ends after the idle
 * timeout with no datagram either way (one access-log line per session with
 * its bytes and datagram counts), when the backend refuses (ICMP port
 * unreachable), when its port leaves the configuration, or at shutdown
 * (UDP has nothing to drain). Sessions are bounded: beyond the cap a new
 * client's datagrams are dropped and counted in a `refused` event at most
 * once a second. A client whose traffic cannot be routed (no route, invalid
 * or unmapped backend) is logged once and its datagrams dropped for the
 * session's lifetime. Open sessions keep the configuration generation they
 * started with.
 */
import {createSocket, type RemoteInfo, type Socket as DatagramSocket} from 'node:dgram'
import {isIPv6} from 'node:net'
import {pickBackend, type Decision} from '../gatewayapi/decide.js'
import type {AccessEntry, AccessLog} from './access-log.js'
import {describeDecision, type DataPlane} from './data-plane.js'
import {socketKey, type PlannedSocket} from './port-plan.js'

export interface UdpOptions {
  /** A session with no datagram either way for this long ends (0: never). */
  idleTimeoutMs: number
  /** Sessions held at once over every UDP listener. */
  maxSessions: number
  /** Randomness for the weighted backend choice, in [0, 1). */
  random?: () => number
}

export interface UdpRuntime {
  readonly dataPlane: DataPlane
  readonly log: AccessLog
}

/** Datagrams a session holds while its upstream socket connects. */
const MAX_PENDING_DATAGRAMS = 64
/** How often dropped datagrams of new clients beyond the session cap are reported. */
const CAP_REPORT_MS = 1000

interface Session {
  key: string
  listener: OpenDatagramSocket
  client: RemoteInfo
  decision: Decision
  entry: Omit<AccessEntry, 'bytesIn' | 'bytesOut' | 'durationMs' | 'outcome'>
  started: number
  lastActive: number
  /** Undefined for a refused session: its datagrams are dropped. */
  upstream?: DatagramSocket
  connected: boolean
  pending: Buffer[]
  bytesIn: number
  bytesOut: number
  datagramsIn: number
  datagramsOut: number
  dropped: number
  timer?: NodeJS.Timeout
  ended: boolean
}

interface OpenDatagramSocket {
  /** `socketKey` of the planned socket (local address and listener port). */
  key: string
  /** Gateway listener port. */
  port: number
  localPort: number
  socket: DatagramSocket
  sessions: Map<string, Session>
}

export class UdpListeners {
  private readonly open = new Map<string, OpenDatagramSocket>()
  private sessionCount = 0
  private droppedAtCap = 0
  private capReport: NodeJS.Timeout | undefined
  private readonly random: () => number

  constructor(private readonly runtime: () => UdpRuntime, private readonly options: UdpOptions) {
    this.random = options.random ?? Math.random
  }

  /** Sessions open now. */
  get size(): number {
    return this.sessionCount
  }

  /** Local port a planned UDP socket (by `socketKey`) is bound at, if bound. */
  localPort(key: string): number | undefined {
    return this.open.get(key)?.localPort
  }

  has(key: string): boolean {
    return this.open.has(key)
  }

  /** `socketKey`s bound now. */
  keys(): string[] {
    return [...this.open.keys()]
  }

  /** Bind the datagram socket of a planned UDP listener port. */
  bind(planned: PlannedSocket): Promise<void> {
    const socket = createSocket({type: isIPv6(planned.address) ? 'udp6' : 'udp4'})
    return new Promise((resolve, reject) => {
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.close()
        reject(new Error(`cannot listen on UDP ${formatAddress(planned.address, planned.localPort)} for listener port ${planned.port}: ${error.code ?? error.message}`))
      })
      socket.bind({address: planned.address, port: planned.localPort, exclusive: true}, () => {
        const open: OpenDatagramSocket = {key: socketKey(planned), port: planned.port, localPort: socket.address().port, socket, sessions: new Map()}
        this.open.set(open.key, open)
        socket.removeAllListeners('error')
        socket.on('error', (error) => this.runtime().log.event('error', `UDP listener port ${planned.port}: ${error.message}`))
        socket.on('message', (message, client) => this.receive(open, message, client))
        resolve()
      })
    })
  }

  /** Close the sockets of these `socketKey`s, ending their sessions. */
  async close(keys: readonly string[], outcome = 'listener-removed', reason = 'the listener port left the configuration'): Promise<void> {
    await Promise.all(keys.map((key) => {
      const open = this.open.get(key)
      if (open === undefined) return undefined
      this.open.delete(key)
      for (const session of [...open.sessions.values()]) this.end(session, outcome, reason)
      return new Promise<void>((resolve) => open.socket.close(() => resolve()))
    }))
  }

  /** End every session and close every socket; returns how many sessions were open. */
  async shutdown(): Promise<number> {
    const open = this.sessionCount
    await this.close([...this.open.keys()], 'shutdown', 'the gateway is shutting down')
    clearTimeout(this.capReport)
    this.reportCap()
    return open
  }

  private receive(open: OpenDatagramSocket, message: Buffer, client: RemoteInfo): void {
    const key = `${client.address}\0${client.port}`
    let session = open.sessions.get(key)
    if (session === undefined) {
      if (this.sessionCount >= this.options.maxSessions) {
        this.dropAtCap()
        return
      }
      session = this.openSession(open, key, client)
      if (session === undefined) return
    }
    session.lastActive = Date.now()
    session.datagramsIn++
    session.bytesIn += message.length
    if (session.upstream === undefined) {
      session.dropped++
    } else if (session.connected) {
      session.upstream.send(message)
    } else if (session.pending.length < MAX_PENDING_DATAGRAMS) {
      session.pending.push(message)
    } else {
      session.dropped++
    }
  }

  private openSession(open: OpenDatagramSocket, key: string, client: RemoteInfo): Session | undefined {
    const dataPlane = this.runtime().dataPlane
    const planned = dataPlane.plan.datagramSockets.find((socket) => socketKey(socket) === open.key)
    if (planned === undefined) return undefined
    const decision = dataPlane.decideDatagram(planned)
    const started = Date.now()
    const session: Session = {
      key, listener: open, client, decision, started, lastActive: started, connected: false, pending: [],
      entry: {time: new Date(started).toISOString(), client: `${client.address}:${client.port}`, port: open.port, ...describeDecision(decision)},
      bytesIn: 0, bytesOut: 0, datagramsIn: 0, datagramsOut: 0, dropped: 0, ended: false,
    }
    open.sessions.set(key, session)
    this.sessionCount++
    this.armIdleTimer(session)
    const chosen = pickBackend(decision.backends, this.random())
    if (chosen === undefined) {
      this.logRefusal(session, 'no-backend', decision.reason)
      return session
    }
    const choice = dataPlane.targets.choose(chosen)
    session.entry.backend = choice.refusal === undefined ? choice.target.key : choice.key
    if (choice.refusal !== undefined) {
      this.logRefusal(session, choice.refusal, choice.reason)
      return session
    }
    const {host, port} = choice.target.address
    session.entry.upstream = `${host}:${port}`
    const upstream = createSocket({type: isIPv6(host) ? 'udp6' : 'udp4'})
    session.upstream = upstream
    upstream.on('error', (error: NodeJS.ErrnoException) => this.end(session, error.code === 'ECONNREFUSED' ? 'backend-refused' : 'backend-error',
      `${session.entry.backend} at ${session.entry.upstream}: ${error.code === 'ECONNREFUSED' ? 'nothing listens there (ICMP port unreachable)' : error.message}`))
    upstream.on('message', (reply) => {
      session.lastActive = Date.now()
      session.datagramsOut++
      session.bytesOut += reply.length
      open.socket.send(reply, client.port, client.address)
    })
    upstream.connect(port, host, () => {
      if (session.ended) return
      session.connected = true
      for (const datagram of session.pending) upstream.send(datagram)
      session.pending = []
    })
    return session
  }

  /** Refused at its first datagram: logged now, then its datagrams are dropped until it idles out. */
  private logRefusal(session: Session, outcome: string, reason: string): void {
    session.ended = true
    this.runtime().log.access({...session.entry, bytesIn: 0, bytesOut: 0, durationMs: 0, outcome, reason: `${reason}; datagrams from this client are dropped ${this.options.idleTimeoutMs === 0 ? 'from now on' : `until it is idle for ${this.options.idleTimeoutMs} ms`}`})
  }

  private armIdleTimer(session: Session): void {
    if (this.options.idleTimeoutMs === 0) return
    const check = () => {
      const idle = Date.now() - session.lastActive
      if (idle >= this.options.idleTimeoutMs) this.end(session, 'ok', `session idle for ${this.options.idleTimeoutMs} ms`)
      else session.timer = setTimeout(check, this.options.idleTimeoutMs - idle)
    }
    session.timer = setTimeout(check, this.options.idleTimeoutMs)
  }

  private end(session: Session, outcome: string, reason: string): void {
    if (session.listener.sessions.get(session.key) !== session) return
    session.listener.sessions.delete(session.key)
    this.sessionCount--
    clearTimeout(session.timer)
    session.upstream?.close()
    if (session.ended) return
    session.ended = true
    const counts = `${session.datagramsIn} datagrams in, ${session.datagramsOut} out${session.dropped > 0 ? `, ${session.dropped} dropped` : ''}`
    this.runtime().log.access({...session.entry, bytesIn: session.bytesIn, bytesOut: session.bytesOut, durationMs: Date.now() - session.started, outcome, reason: `${reason}; ${counts}`})
  }

  private dropAtCap(): void {
    this.droppedAtCap++
    this.capReport ??= setTimeout(() => {
      this.capReport = undefined
      this.reportCap()
    }, CAP_REPORT_MS)
  }

  private reportCap(): void {
    if (this.droppedAtCap === 0) return
    this.runtime().log.event('refused', `${this.droppedAtCap} datagrams from new UDP clients dropped: UDP session cap of ${this.options.maxSessions} reached`)
    this.droppedAtCap = 0
  }
}

function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
