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

export type ConnectFailure = 'refused' | 'timeout' | 'tls' | 'error'

export interface BackendConnectError {
  failure: ConnectFailure
  message: string
}

export function classifyConnectError(error: NodeJS.ErrnoException): ConnectFailure {
  if (error.code === 'ECONNREFUSED') return 'refused'
  if (error.code === 'ETIMEDOUT') return 'timeout'
  if (typeof error.code === 'string' && (error.code.startsWith('ERR_TLS') || error.code.includes('CERT') || error.code.startsWith('ERR_SSL') || error.code === 'DEPTH_ZERO_SELF_SIGNED_CERT')) return 'tls'
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
    settle({failure: classifyConnectError(error), message: `${target.key} at ${host}:${port}: ${error.message}`})
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
