/**
 * Turn a client away for good: send the last bytes (a TLS alert, a 400) and
 * FIN, discard whatever the client still sends, and destroy the socket when
 * the client closes its side or after a short linger, whichever comes first.
 * A client that never closes cannot keep a connection slot.
 */
import type {Duplex} from 'node:stream'

/** How long a refused client has to read the last bytes and close. */
export const REFUSAL_LINGER_MS = 1000

export function endWithLinger(socket: Duplex, last: Uint8Array | string, lingerMs = REFUSAL_LINGER_MS): void {
  if (socket.destroyed) return
  const timer = setTimeout(() => socket.destroy(), lingerMs)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
  socket.once('end', () => socket.destroy())
  socket.on('error', () => socket.destroy())
  socket.end(last)
  socket.resume()
}
