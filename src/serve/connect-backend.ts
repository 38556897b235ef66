/**
 * Open a connection to a backend target: TCP, or TLS when a BackendTLSPolicy
 * re-encrypts (ready once the backend's certificate is verified against the
 * policy). Fails with a classified error after the connect timeout, on
 * refusal, reset or a certificate the policy rejects.
 */
import {connect as connectTcp, type NetConnectOpts, type Socket} from 'node:net'
import {connect as connectTls, type ConnectionOptions} from 'node:tls'
import type {BackendTarget} from './backend-targets.js'
import type {PooledReads} from './pooled-reads.js'
import {SOCKET_BUFFER_BYTES} from './socket-buffer.js'

export type ConnectFailure = 'refused' | 'reset' | 'timeout' | 'tls' | 'error'

/** The HTTP status a failed backend connection answers (a reset or other error is a bad gateway). */
export const STATUS_FOR_CONNECT_FAILURE: Readonly<Record<ConnectFailure, number>> = {refused: 503, reset: 502, timeout: 504, tls: 502, error: 502}

export interface BackendConnectError {
  failure: ConnectFailure
  message: string
}

export function classifyConnectError(error: NodeJS.ErrnoException): ConnectFailure {
  if (error.code === 'ECONNREFUSED') return 'refused'
  // A backend that accepts and resets at once may do so before the connect completes: a reset all the same.
  if (error.code === 'ECONNRESET') return 'reset'
  if (error.code === 'ETIMEDOUT') return 'timeout'
  // Node's TLS errors (ERR_TLS_*, ERR_SSL_*) and OpenSSL's certificate verification codes (UNABLE_TO_*, *CERT*, *SELF_SIGNED*, HOSTNAME_MISMATCH).
  const code = error.code ?? ''
  if (/^(ERR_TLS|ERR_SSL|UNABLE_TO_)|CERT|SELF_SIGNED|HOSTNAME_MISMATCH/.test(code)) return 'tls'
  return 'error'
}

/**
 * Connect; `reads`, for a plain TCP backend, receives what the backend sends
 * (pooled buffers) instead of 'data' events.
 */
export function connectBackend(target: BackendTarget, timeoutMs: number, callback: (error: BackendConnectError | undefined, socket: Socket) => void, reads?: PooledReads): Socket {
  const {host, port} = target.address
  const socket: Socket = target.tls === undefined
    ? connectTcp({host, port, allowHalfOpen: true, noDelay: true, highWaterMark: SOCKET_BUFFER_BYTES, onread: reads?.option} as NetConnectOpts)
    : connectTls({...target.tls, host, port, allowHalfOpen: true, noDelay: true, highWaterMark: SOCKET_BUFFER_BYTES} as ConnectionOptions)
  let settled = false
  const settle = (error: BackendConnectError | undefined) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    socket.off('error', onError)
    callback(error, socket)
  }
  const onError = (error: NodeJS.ErrnoException) => {
    const failure = classifyConnectError(error)
    const where = `${target.key} at ${host}:${port}: ${error.message}`
    settle({failure, message: failure === 'reset' ? `the backend reset the connection (${where})` : where})
    socket.destroy()
  }
  const timer = timeoutMs > 0
    ? setTimeout(() => {
      settle({failure: 'timeout', message: `${target.key} at ${host}:${port}: no connection within ${timeoutMs} ms`})
      socket.destroy()
    }, timeoutMs)
    : undefined
  socket.once(target.tls === undefined ? 'connect' : 'secureConnect', () => settle(undefined))
  socket.on('error', onError)
  if (reads !== undefined) socket.once('close', () => reads.release())
  return socket
}
