/**
 * Reads of a backend socket into a pool of reused 64 KiB buffers (Node's
 * `onread` option) instead of a fresh allocation per read: a bulk transfer
 * through the gateway then allocates almost nothing, which keeps V8's major
 * garbage collections (driven by external memory) out of the data path. A
 * buffer returns to the pool when the write that carried it has completed;
 * a refused write pauses reading until the sink drains. Node takes the
 * buffer for the next read in advance, so a socket always holds one unused
 * buffer: `release` (on close) returns it, or every connection would
 * allocate a fresh 64 KiB of external memory and feed the major GC.
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
  /** The buffer Node holds for the socket's next read. */
  private next: Buffer | undefined

  /** The `onread` option for net.connect. */
  readonly option = {
    buffer: () => {
      this.next = takeBuffer()
      return this.next
    },
    callback: (bytes: number, buffer: Uint8Array): boolean => {
      if (buffer === this.next) this.next = undefined
      return this.deliver(bytes, buffer as Buffer)
    },
  }

  /** The socket has closed: the buffer it held for its next read goes back to the pool. */
  release(): void {
    if (this.next !== undefined) releaseBuffer(this.next)
    this.next = undefined
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
