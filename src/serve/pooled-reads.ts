/**
 * Reads of a backend socket into a pool of reused 64 KiB buffers (Node's
 * `onread` option) instead of a fresh allocation per read: a bulk transfer
 * through the gateway then allocates almost nothing, which keeps V8's major
 * garbage collections (driven by external memory) out of the data path. A
 * buffer returns to the pool when the write that carried it has completed;
 * a refused write pauses reading until the sink drains.
 */
import type {Writable} from 'node:stream'

const READ_BUFFER_BYTES = 64 * 1024
const MAX_POOLED_BUFFERS = 256
const pool: Buffer[] = []

function takeBuffer(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_BYTES)
}

function releaseBuffer(buffer: Buffer): void {
  if (pool.length < MAX_POOLED_BUFFERS) pool.push(buffer)
}

export class PooledReads {
  private sink: Writable | undefined
  /** Chunks read before a sink was attached (copies). */
  private early: Buffer[] = []
  private pause: (() => void) | undefined

  /** The `onread` option for net.connect. */
  readonly option = {
    buffer: () => takeBuffer(),
    callback: (bytes: number, buffer: Uint8Array): boolean => this.deliver(bytes, buffer as Buffer),
  }

  /** Start writing what is read into `sink`; `resume` restarts reading once the sink drains. */
  attach(sink: Writable, resume: () => void): void {
    this.sink = sink
    for (const chunk of this.early) sink.write(chunk)
    this.early = []
    sink.on('drain', resume)
  }

  private deliver(bytes: number, buffer: Buffer): boolean {
    const chunk = buffer.subarray(0, bytes)
    if (this.sink === undefined || this.sink.destroyed) {
      if (this.sink === undefined) this.early.push(Buffer.from(chunk))
      releaseBuffer(buffer)
      return true
    }
    return this.sink.write(chunk, () => releaseBuffer(buffer))
  }
}
