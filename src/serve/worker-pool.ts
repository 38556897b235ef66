/**
 * `serve --workers N` (N > 1), the primary process: forks N workers
 * (node:cluster, each runs the same `gwctl serve` command line) that share
 * the listener sockets — every worker accepts on them itself
 * (SCHED_NONE, as nginx workers do), so the primary stays out of the data
 * path. The primary fixes the local port of every `--port-map L=0` listener
 * before forking, so workers, restarted workers and reloads all bind the
 * same ports. It reports ready once every worker is listening (one report,
 * with the worker PIDs). Access log lines never interleave mid-line: when
 * stdout is a regular file, workers write to it directly (each writes a
 * batch of whole lines in one write(), which the kernel applies atomically
 * at the shared file offset); otherwise (a pipe, a terminal) the primary is
 * the only writer and relays whole lines from the workers' pipes; --watch reloads reach every worker (a change the primary cannot
 * load reaches none, so all keep the last good configuration); SIGINT and
 * SIGTERM drain every worker and end the process by drain timeout + 1 s; a
 * worker that dies is logged and replaced (with a growing delay when it
 * keeps dying at start).
 */
import cluster, {type Worker} from 'node:cluster'
import {fstatSync} from 'node:fs'
import {createServer} from 'node:net'
import {availableParallelism} from 'node:os'
import type {Readable} from 'node:stream'
import {UserError, type UserErrorKind} from '../errors/user-error.js'
import type {AccessLog} from './access-log.js'
import type {DataPlane} from './data-plane.js'
import {INTERNAL_ERROR_EXIT_CODE} from './internal-error-guard.js'
import type {BoundListener} from './gateway-server.js'
import {loadDataPlane, type ServeInputs} from './load-data-plane.js'

/** Environment of a worker: the fixed local port of each listener port, JSON `[[listenerPort, localPort], ...]`. */
export const WORKER_PORTS_ENV = 'GWCTL_SERVE_WORKER_PORTS'
/** Marks a process forked by the pool (with node:cluster's own marker). */
export const WORKER_ENV = 'GWCTL_SERVE_WORKER'
const MAX_WORKERS = 256
const RESTART_DELAY_MS = 100
const MAX_RESTART_DELAY_MS = 30_000
/** A worker that dies sooner than this after it was forked counts as failing at start (the restart delay grows). */
const STABLE_AFTER_MS = 5000

/** Messages from a worker to the primary. */
export type WorkerMessage =
  | {gwctl: 'ready'; listeners: BoundListener[]}
  | {gwctl: 'failed'; kind: UserErrorKind; message: string; file?: string; hint?: string}
  | {gwctl: 'reloaded'; listeners: BoundListener[]}
  | {gwctl: 'reload-rejected'; message: string}
  | {gwctl: 'stopped'; drained: number; destroyed: number}

/** Messages from the primary to a worker. */
export type PrimaryMessage =
  | {gwctl: 'reload'; ports: Array<[number, number]>}
  | {gwctl: 'stop'}

/** True in a process the pool forked. */
export function isPoolWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1'
}

/** `--workers`: a whole number from 1, or `auto` (the number of cores this process may use). */
export function parseWorkersFlag(value: string, cores = availableParallelism()): number {
  const text = value.trim()
  if (text === 'auto') return Math.max(1, Math.min(MAX_WORKERS, cores))
  const count = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!(count >= 1 && count <= MAX_WORKERS)) throw new UserError('usage', `--workers ${JSON.stringify(value)}: expected a whole number from 1 to ${MAX_WORKERS}, or auto (${cores} here)`)
  return count
}

/**
 * What a pool cannot share, refused before forking: UDP listener sockets
 * (each worker would bind the port itself, exclusively) and stub backends
 * (each worker would start its own, with its own CA).
 */
export function refuseWorkerPool(dataPlane: DataPlane, options: {stubBackends: boolean}): void {
  if (dataPlane.plan.datagramSockets.length > 0) {
    const ports = [...new Set(dataPlane.plan.datagramSockets.map((socket) => socket.port))].join(', ')
    throw new UserError('usage', `--workers: UDP listener port${ports.includes(',') ? 's' : ''} ${ports} can only be served by one process`, {hint: 'use --workers 1 (the default) for configurations with UDPRoutes'})
  }
  if (options.stubBackends) throw new UserError('usage', '--workers with --stub-backends: stub backends are for smoke tests and run in one process', {hint: 'use --workers 1, or map real backends with --backend for load tests'})
}

export interface WorkerPoolOptions {
  count: number
  inputs: ServeInputs
  /** The configuration the primary loaded (validated) at start. */
  dataPlane: DataPlane
  /** The primary's log: events only (workers write the access lines). */
  log: AccessLog
  drainTimeoutMs: number
  /** Test suites: a worker that exits on an internal error ends the whole pool with the same code, rather than being replaced. */
  fatalInternalErrors?: boolean
}

interface PoolWorker {
  worker: Worker
  forkedAt: number
  ready: boolean
  relays: Array<{flush: () => void}>
  /** Resolves once the process has exited and its output pipes have ended. */
  gone: Promise<void>
}

interface Pending<T> {
  expected: Set<number>
  replies: Map<number, T>
  resolve: (replies: Map<number, T>) => void
}

export class WorkerPool {
  /** Local port of each listener port, for every worker. */
  private readonly ports: Map<number, number>
  private readonly workers = new Map<number, PoolWorker>()
  private readonly everyWorker = new Set<Promise<void>>()
  private stopping = false
  private restartDelayMs = RESTART_DELAY_MS
  private listeners: BoundListener[] = []
  private startFailure: ((error: UserError) => void) | undefined
  private pendingReady: Pending<BoundListener[]> | undefined
  private pendingReload: Pending<WorkerMessage> | undefined
  private pendingStop: Pending<{drained: number; destroyed: number}> | undefined
  /** Called with the new worker PIDs after a worker was replaced. */
  onWorkersChanged: (() => void) | undefined

  constructor(private readonly options: WorkerPoolOptions) {
    this.ports = new Map(options.inputs.ports.portMap)
  }

  get pids(): number[] {
    return [...this.workers.values()].filter((entry) => entry.ready).map((entry) => entry.worker.process.pid!).sort((a, b) => a - b)
  }

  /** Fork every worker and wait until all listen; rejects (the pool stopped) when one cannot start. */
  async start(): Promise<BoundListener[]> {
    await this.fixPorts(this.options.dataPlane)
    // Workers accept on the shared sockets themselves; their stderr (and stdout but into a file) comes to the primary as pipes.
    if (process.env.NODE_CLUSTER_SCHED_POLICY === undefined) cluster.schedulingPolicy = cluster.SCHED_NONE
    cluster.setupPrimary({stdio: ['ignore', isRegularFile(1) ? 'inherit' : 'pipe', 'pipe', 'ipc']})
    cluster.on('message', (worker, message: WorkerMessage) => this.receive(worker, message))
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal))
    const failed = new Promise<never>((_resolve, reject) => {
      this.startFailure = reject
    })
    const ready = new Promise<Map<number, BoundListener[]>>((resolve) => {
      this.pendingReady = {expected: new Set(), replies: new Map(), resolve}
    })
    for (let index = 0; index < this.options.count; index++) this.pendingReady!.expected.add(this.fork())
    try {
      const replies = await Promise.race([ready, failed])
      this.listeners = [...replies.values()][0]
      return this.listeners
    } catch (error) {
      this.stopping = true
      for (const {worker} of this.workers.values()) worker.process.kill('SIGKILL')
      throw error
    } finally {
      this.startFailure = undefined
      this.pendingReady = undefined
    }
  }

  /**
   * Reload every worker: the primary loads the inputs first, so a broken
   * change reaches no worker; returns the listeners now bound, or throws
   * what was wrong (every worker keeps its configuration).
   */
  async reload(): Promise<{listeners: BoundListener[]; dataPlane: DataPlane}> {
    const next = await loadDataPlane(this.inputs())
    await this.fixPorts(next)
    const ready = [...this.workers.values()].filter((entry) => entry.ready && entry.worker.isConnected())
    const replies = await new Promise<Map<number, WorkerMessage>>((resolve) => {
      this.pendingReload = {expected: new Set(ready.map((entry) => entry.worker.id)), replies: new Map(), resolve}
      for (const {worker} of ready) worker.send({gwctl: 'reload', ports: [...this.ports]} satisfies PrimaryMessage)
      this.settle(this.pendingReload)
    })
    this.pendingReload = undefined
    const rejected = [...replies].filter(([, reply]) => reply.gwctl === 'reload-rejected')
    if (rejected.length > 0) {
      const [id, reply] = rejected[0]
      const others = replies.size - rejected.length
      throw new Error(`worker ${this.workers.get(id)?.worker.process.pid ?? id}: ${(reply as {message: string}).message}${others > 0 ? ` (${others} other workers reloaded)` : ''}`)
    }
    const listeners = [...replies.values()].find((reply): reply is Extract<WorkerMessage, {gwctl: 'reloaded'}> => reply.gwctl === 'reloaded')?.listeners
    if (listeners !== undefined) this.listeners = listeners
    return {listeners: this.listeners, dataPlane: next}
  }

  /** Drain every worker (they stop accepting at once); resolves with the totals, or after the drain timeout with what answered. */
  async shutdown(): Promise<{drained: number; destroyed: number}> {
    this.stopping = true
    const live = [...this.workers.values()]
    const replies = await new Promise<Map<number, {drained: number; destroyed: number}>>((resolve) => {
      this.pendingStop = {expected: new Set(live.map((entry) => entry.worker.id)), replies: new Map(), resolve}
      for (const {worker} of live) {
        if (worker.isConnected()) worker.send({gwctl: 'stop'} satisfies PrimaryMessage)
        else this.pendingStop.expected.delete(worker.id)
      }
      this.settle(this.pendingStop)
    })
    let drained = 0
    let destroyed = 0
    for (const reply of replies.values()) {
      drained += reply.drained
      destroyed += reply.destroyed
    }
    return {drained, destroyed}
  }

  /** Resolves once every worker has exited and all its output is relayed. */
  async exited(): Promise<void> {
    await Promise.all([...this.everyWorker])
  }

  /** Every worker's remaining output, written now (before exit). */
  flush(): void {
    for (const entry of this.workers.values()) for (const relay of entry.relays) relay.flush()
  }

  /** Kill what is left (the hard stop at drain timeout + 1 s). */
  kill(): void {
    for (const {worker} of this.workers.values()) worker.process.kill('SIGKILL')
  }

  private inputs(): ServeInputs {
    return {...this.options.inputs, ports: {...this.options.inputs.ports, portMap: this.ports}}
  }

  /** Give every listener port planned at local port 0 a free port now, the same for every worker. */
  private async fixPorts(dataPlane: DataPlane): Promise<void> {
    // One local port per listener port, whatever the Gateway's address: found free on the first address that needs it.
    const fixed = new Set<number>()
    for (const planned of dataPlane.plan.sockets) {
      if (planned.localPort !== 0 || fixed.has(planned.port)) continue
      this.ports.set(planned.port, await findFreePort(planned.address))
      fixed.add(planned.port)
    }
  }

  private fork(): number {
    const worker = cluster.fork({[WORKER_ENV]: '1', [WORKER_PORTS_ENV]: JSON.stringify([...this.ports])})
    // A message to a worker that is going away fails; its exit is handled on 'exit'.
    worker.on('error', (error: Error) => this.options.log.event('error', `worker ${worker.process.pid}: ${error.message}`))
    const {stdout, stderr} = worker.process
    const ended = (stream: Readable | null) => stream === null ? undefined : new Promise<void>((resolve) => stream.once('close', resolve))
    const gone = Promise.all([new Promise<void>((resolve) => worker.once('exit', () => resolve())), ended(stdout), ended(stderr)]).then(() => undefined)
    const entry: PoolWorker = {worker, forkedAt: Date.now(), ready: false, relays: [], gone}
    this.workers.set(worker.id, entry)
    this.everyWorker.add(gone)
    void gone.then(() => this.everyWorker.delete(gone))
    if (stdout) entry.relays.push(relayLines(stdout, process.stdout))
    if (stderr) entry.relays.push(relayLines(stderr, process.stderr))
    return worker.id
  }

  private receive(worker: Worker, message: WorkerMessage): void {
    const entry = this.workers.get(worker.id)
    if (entry === undefined || typeof message !== 'object' || message === null) return
    switch (message.gwctl) {
      case 'ready': {
        entry.ready = true
        if (this.pendingReady !== undefined) {
          this.reply(this.pendingReady, worker.id, message.listeners)
        } else {
          this.options.log.event('worker-ready', `worker ${worker.process.pid} is serving`)
          this.onWorkersChanged?.()
        }
        break
      }
      case 'failed': {
        const error = new UserError(message.kind, message.message, {file: message.file, hint: message.hint})
        if (this.startFailure !== undefined) {
          this.startFailure(error)
        } else {
          this.options.log.event('worker-failed', `worker ${worker.process.pid} could not start: ${message.file === undefined ? '' : `${message.file}: `}${message.message}`)
        }
        break
      }
      case 'reloaded':
      case 'reload-rejected': {
        if (this.pendingReload !== undefined) this.reply(this.pendingReload, worker.id, message)
        break
      }
      case 'stopped': {
        if (this.pendingStop !== undefined) this.reply(this.pendingStop, worker.id, {drained: message.drained, destroyed: message.destroyed})
        break
      }
    }
  }

  private reply<T>(pending: Pending<T>, id: number, value: T): void {
    if (!pending.expected.has(id)) return
    pending.replies.set(id, value)
    this.settle(pending)
  }

  private settle<T>(pending: Pending<T>): void {
    if ([...pending.expected].every((id) => pending.replies.has(id))) pending.resolve(pending.replies)
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const entry = this.workers.get(worker.id)
    if (entry === undefined) return
    this.workers.delete(worker.id)
    // A worker that is gone answers nothing: stop waiting for it.
    for (const pending of [this.pendingReload, this.pendingStop] as Array<Pending<unknown> | undefined>) {
      if (pending === undefined) continue
      pending.expected.delete(worker.id)
      this.settle(pending)
    }
    if (this.stopping) return
    if (this.options.fatalInternalErrors === true && code === INTERNAL_ERROR_EXIT_CODE) {
      this.stopping = true
      this.kill()
      this.options.log.event('worker-exited', `worker ${worker.process.pid} exited on an internal error; stopping (fatal internal errors)`)
      this.options.log.flush()
      process.exit(INTERNAL_ERROR_EXIT_CODE)
    }
    if (this.pendingReady !== undefined && this.startFailure !== undefined) {
      this.startFailure(new UserError('usage', `worker ${worker.process.pid} exited before it was ready (${signal ?? `exit code ${code}`})`))
      return
    }
    const quick = Date.now() - entry.forkedAt < STABLE_AFTER_MS
    this.restartDelayMs = quick ? Math.min(MAX_RESTART_DELAY_MS, this.restartDelayMs * 2) : RESTART_DELAY_MS
    const delay = quick ? this.restartDelayMs : 0
    this.options.log.event('worker-exited', `worker ${worker.process.pid} exited (${signal ?? `exit code ${code}`}); starting another${delay > 0 ? ` in ${delay} ms` : ''}`)
    this.onWorkersChanged?.()
    setTimeout(() => {
      if (!this.stopping) this.fork()
    }, delay)
  }
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile()
  } catch {
    return false
  }
}

/** A local port nothing listens on now (the OS picks it). */
async function findFreePort(address: string): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({host: address, port: 0, exclusive: true}, resolve)
  })
  const bound = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (typeof bound !== 'object' || bound === null) throw new Error(`cannot find a free port on ${address}`)
  return bound.port
}

/** Copy whole lines from a worker's pipe to our stream (one write per chunk of whole lines; an unfinished last line is ended at the pipe's end). */
function relayLines(from: Readable, to: NodeJS.WritableStream): {flush: () => void} {
  let tail: Buffer | undefined
  const flush = () => {
    if (tail === undefined) return
    to.write(Buffer.concat([tail, Buffer.from('\n')]))
    tail = undefined
  }
  from.once('end', flush)
  from.on('data', (chunk: Buffer) => {
    const end = chunk.lastIndexOf(0x0a)
    if (end === -1) {
      tail = tail === undefined ? chunk : Buffer.concat([tail, chunk])
      return
    }
    const whole = chunk.subarray(0, end + 1)
    to.write(tail === undefined ? whole : Buffer.concat([tail, whole]))
    tail = end + 1 === chunk.length ? undefined : Buffer.from(chunk.subarray(end + 1))
  })
  return {flush}
}
