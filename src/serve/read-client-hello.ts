/**
 * Read a ClientHello off a fresh socket: collect bytes until the pure parser
 * has the whole message (several TCP segments and TLS records allowed), a
 * byte limit or a timeout is hit, or the client goes away. The bytes read are
 * handed back so the caller can replay them (to a backend in Passthrough, to
 * the TLS server in Terminate); the socket is left paused with no listener
 * of ours attached.
 */
import type {Socket} from 'node:net'
import {parseClientHello, type ClientHello, type ClientHelloErrorCode} from './client-hello.js'

export type ClientHelloRead =
  | {status: 'complete'; hello: ClientHello; bytes: Buffer}
  | {status: 'error'; code: ClientHelloErrorCode | 'timeout' | 'closed'; message: string; bytes: Buffer}

export interface ReadClientHelloOptions {
  maxBytes: number
  timeoutMs: number
}

export function readClientHello(socket: Socket, options: ReadClientHelloOptions): Promise<ClientHelloRead> {
  return new Promise((resolve) => {
    let bytes: Buffer = Buffer.alloc(0)
    const finish = (result: ClientHelloRead) => {
      clearTimeout(timer)
      socket.off('data', onData)
      socket.off('end', onClosed)
      socket.off('close', onClosed)
      socket.off('error', onClosed)
      socket.pause()
      resolve(result)
    }
    const onData = (chunk: Buffer) => {
      bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk])
      const parsed = parseClientHello(bytes, options.maxBytes)
      if (parsed.status === 'complete') finish({status: 'complete', hello: parsed.hello, bytes})
      else if (parsed.status === 'error') finish({status: 'error', code: parsed.code, message: parsed.message, bytes})
    }
    const onClosed = () => finish({status: 'error', code: 'closed', message: `client went away after ${bytes.length} bytes of ClientHello`, bytes})
    const timer = setTimeout(() => finish({status: 'error', code: 'timeout', message: `no complete ClientHello within ${options.timeoutMs} ms (${bytes.length} bytes received)`, bytes}), options.timeoutMs)
    socket.on('data', onData)
    socket.on('end', onClosed)
    socket.on('close', onClosed)
    socket.on('error', onClosed)
  })
}
