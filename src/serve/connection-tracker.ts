/**
 * Every client socket the gateway holds, for the connection cap and the
 * graceful drain: `admit` refuses a socket beyond the cap (or while
 * draining); `drain` waits for open connections to finish and destroys what
 * is left when the drain timeout expires.
 */
import type {Socket} from 'node:net'

export class ConnectionTracker {
  private readonly sockets = new Set<Socket>()
  private emptied: (() => void) | undefined
  draining = false

  constructor(readonly maxConnections: number) {}

  get size(): number {
    return this.sockets.size
  }

  /** Track a new client socket; false when the cap is reached (the caller closes it). */
  admit(socket: Socket): boolean {
    if (this.draining || this.sockets.size >= this.maxConnections) return false
    this.sockets.add(socket)
    socket.once('close', () => {
      this.sockets.delete(socket)
      if (this.sockets.size === 0) this.emptied?.()
    })
    return true
  }

  /** Wait for open connections up to `timeoutMs`, then destroy the rest. */
  async drain(timeoutMs: number): Promise<{drained: number; destroyed: number}> {
    this.draining = true
    const before = this.sockets.size
    if (before === 0) return {drained: 0, destroyed: 0}
    let timer: NodeJS.Timeout | undefined
    await new Promise<void>((resolve) => {
      this.emptied = resolve
      timer = setTimeout(resolve, timeoutMs)
    })
    clearTimeout(timer)
    const destroyed = this.sockets.size
    for (const socket of this.sockets) socket.destroy()
    return {drained: before - destroyed, destroyed}
  }
}
