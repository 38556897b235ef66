/**
 * Carry a stream both ways between a client and a backend: backpressure by
 * pipe(), half-close (one side's FIN ends the other's write side and the
 * other direction keeps flowing), an idle timeout, and one idempotent
 * teardown that destroys both sides and reports how it ended (a backend
 * that resets the connection is reported as `backend-reset`).
 */
import type {Duplex} from 'node:stream'
import type {PooledReads} from './pooled-reads.js'

export interface PipeEnd {
  outcome: 'ok' | 'idle-timeout' | 'client-error' | 'backend-error' | 'backend-reset'
  reason?: string
}

type TimedDuplex = Duplex & {setTimeout(ms: number, callback?: () => void): unknown}

/** Pipe both ways; with `reads`, the backend's data arrives through those pooled reads rather than 'data' events. */
export function pipeSockets(client: TimedDuplex, backend: TimedDuplex, idleTimeoutMs: number, done: (end: PipeEnd) => void, reads?: PooledReads): void {
  let finished = false
  const finish = (end: PipeEnd) => {
    if (finished) return
    finished = true
    client.destroy()
    backend.destroy()
    done(end)
  }
  // A reset from a side that already sent its FIN (a late RST, e.g. for a close_notify it never
  // read) ends only that side: the other still flushes what it was given, then closes.
  const onError = (side: TimedDuplex, outcome: PipeEnd['outcome']) => (error: NodeJS.ErrnoException) => {
    if (side.readableEnded) side.destroy()
    else if (outcome === 'backend-error' && error.code === 'ECONNRESET') finish({outcome: 'backend-reset', reason: `the backend reset the connection (${error.message})`})
    else finish({outcome, reason: error.message})
  }
  client.on('error', onError(client, 'client-error'))
  backend.on('error', onError(backend, 'backend-error'))
  // The client may have ended or closed already (e.g. right after its TLS handshake, while the backend connected).
  const onClose = (side: TimedDuplex, other: TimedDuplex) => {
    if (client.closed && backend.closed) finish({outcome: 'ok'})
    // A side that went away without a clean FIN (reset, destroy) takes the other with it; so
    // does one closed (e.g. at the drain timeout) while the other may still send: nobody would read it.
    else if (side.closed && (!side.readableEnded || !other.readableEnded)) other.destroy()
  }
  client.once('close', () => onClose(client, backend))
  backend.once('close', () => onClose(backend, client))
  if (client.closed) onClose(client, backend)
  // The client socket's timer sees both directions: its reads and its writes refresh it.
  if (idleTimeoutMs > 0) client.setTimeout(idleTimeoutMs, () => finish({outcome: 'idle-timeout', reason: `no data either way for ${idleTimeoutMs} ms`}))
  forward(client, backend)
  if (reads === undefined) {
    backend.pipe(client)
    return
  }
  reads.attach(client, () => backend.resume())
  if (backend.readableEnded) client.end()
  else backend.once('end', () => client.end())
  backend.resume()
}

/** pipe() without its bookkeeping: write, pause on a full buffer, resume on drain, end on end. */
function forward(from: Duplex, to: Duplex): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause()
  })
  to.on('drain', () => from.resume())
  if (from.readableEnded) to.end()
  else from.once('end', () => to.end())
}
