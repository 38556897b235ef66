/**
 * A connection the engine routed to a stream backend: TLSRoute passthrough
 * (the ClientHello bytes replayed first, so the client sees the backend's own
 * certificate), TLS Terminate + TLSRoute/TCPRoute (decrypted stream), and TCP
 * listeners. Picks the backend by weight per connection (pickBackend), and
 * refuses invalid or unmapped backends with a reset and a log line.
 */
import type {Socket} from 'node:net'
import type {Duplex} from 'node:stream'
import {pickBackend, type Decision} from '../gatewayapi/decide.js'
import type {AccessEntry} from './access-log.js'
import {connectBackend} from './connect-backend.js'
import {describeDecision} from './data-plane.js'
import {pipeSockets} from './pipe-sockets.js'
import {PooledReads} from './pooled-reads.js'
import type {ServeRuntime} from './serve-runtime.js'

export interface StreamConnection {
  runtime: ServeRuntime
  /** The raw TCP socket of the client (byte counts, reset). */
  raw: Socket
  /** What carries the client's bytes: the raw socket, or the TLSSocket over it. */
  client: Duplex & {setTimeout(ms: number, callback?: () => void): unknown}
  decision: Decision
  /** Bytes to send the backend before piping (the ClientHello in passthrough). */
  replay?: Buffer
  entry: Omit<AccessEntry, 'bytesIn' | 'bytesOut' | 'durationMs' | 'outcome'>
  started: number
}

export function routeStream(connection: StreamConnection): void {
  const {runtime, raw, client, decision, entry} = connection
  const finishLog = (outcome: string, reason?: string, upstream?: string) => {
    runtime.log.access({...entry, upstream, ...describeDecision(decision),
      bytesIn: raw.bytesRead, bytesOut: raw.bytesWritten, durationMs: Date.now() - connection.started, outcome, reason})
  }
  const chosen = pickBackend(decision.backends, Math.random())
  if (chosen === undefined) {
    raw.resetAndDestroy()
    finishLog('no-backend', decision.reason)
    return
  }
  const choice = runtime.dataPlane.targets.choose(chosen)
  entry.backend = choice.refusal === undefined ? choice.target.key : choice.key
  if (choice.refusal !== undefined) {
    raw.resetAndDestroy()
    finishLog(choice.refusal, choice.reason)
    return
  }
  const {target} = choice
  const upstream = `${target.address.host}:${target.address.port}`
  const reads = target.tls === undefined ? new PooledReads() : undefined
  const backend = connectBackend(target, runtime.limits.connectTimeoutMs, (error) => {
    if (error !== undefined) {
      if (!raw.destroyed) raw.resetAndDestroy()
      finishLog(`backend-${error.failure}`, error.message, upstream)
      return
    }
    if (raw.destroyed) {
      backend.destroy()
      finishLog('client-gone', 'client closed before the backend answered', upstream)
      return
    }
    if (connection.replay !== undefined) backend.write(connection.replay)
    pipeSockets(client, backend, runtime.limits.idleTimeoutMs, (end) => finishLog(end.outcome, end.reason, upstream), reads)
    client.resume()
  }, reads)
}

