/**
 * A `gwctl serve` child process of the installed CLI (this package's
 * bin/run.js, run by the same Node), started for live tests: every listener
 * port at an OS-chosen local port (`--port-map P=0`), `--json` and
 * `--log-format json`, so its stdout carries the ready report (listeners and
 * their bound addresses, stub backends) and then one JSON access-log line per
 * connection or request. `accessEntry` finds the line of a connection by the
 * client's port: what serve decided for that very traffic (listener, route,
 * backend). `stop` sends SIGTERM and waits for the exit (SIGKILL after the
 * drain timeout has long passed).
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {UserError} from '../../errors/user-error.js'
import type {AccessEntry} from '../../serve/access-log.js'
import type {BoundListener} from '../../serve/gateway-server.js'

export interface ServeStub {
  backend: string
  address: string
  protocol?: string
}

export interface ServeReady {
  listeners: BoundListener[]
  warnings: string[]
  /** Stub backends (`--stub-backends`), when serve started some. */
  stubs: ServeStub[]
  /** The CA file the TLS stubs' certificates chain to, when serve started a TLS stub. */
  stubCa?: string
}

export interface ServeProcessOptions {
  /** Arguments after `serve`: paths and flags; --json, --log-format and --port-map are added. */
  args: string[]
  /** Listener ports to bind at OS-chosen local ports. */
  ports: number[]
  /** The CLI to run; default: this package's bin/run.js. */
  cliPath?: string
  cwd?: string
  /** Bound on start-up. */
  startTimeoutMs?: number
}

const MAX_PENDING_ENTRIES = 4096
const STOP_GRACE_MS = 3000

/** Children to kill when this process exits: one exit handler for all of them (a run may start one serve per Gateway). */
const children = new Set<ChildProcess>()

function killOnExit(child: ChildProcess): void {
  if (children.size === 0) process.once('exit', killChildren)
  children.add(child)
  child.once('exit', () => {
    children.delete(child)
    if (children.size === 0) process.off('exit', killChildren)
  })
}

function killChildren(): void {
  for (const child of children) child.kill('SIGKILL')
}

/** This package's bin/run.js, found by walking up to the package.json named gwctl (from src/, dist/ or the bundle). */
export function findCliPath(): string {
  let directory = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(directory, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'gwctl') return join(directory, 'bin', 'run.js')
    const parent = dirname(directory)
    if (parent === directory) throw new Error('cannot find the gwctl package (bin/run.js) to start gwctl serve')
    directory = parent
  }
}

export class ServeProcess {
  private readonly entries = new Map<string, AccessEntry>()
  private readonly waiters = new Map<string, {since: number; resolve: (entry: AccessEntry) => void}>()
  private readonly exited: Promise<number | null>

  private constructor(private readonly child: ChildProcess, readonly ready: ServeReady, readonly command: string, private readonly stderr: () => string) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode)
      else child.once('exit', (code) => resolve(code))
    })
  }

  static async start(options: ServeProcessOptions): Promise<ServeProcess> {
    const cli = options.cliPath ?? findCliPath()
    const args = [cli, 'serve', ...options.args, ...options.ports.flatMap((port) => ['--port-map', `${port}=0`]), '--json', '--log-format', 'json']
    const child = spawn(process.execPath, args, {cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
    const command = `gwctl ${args.slice(1).join(' ')}`
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString()
    })
    let instance: ServeProcess | undefined
    const early: string[] = []
    let pending = ''
    const ready = new Promise<ServeReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${command}: not ready within ${options.startTimeoutMs ?? 30_000} ms`)), options.startTimeoutMs ?? 30_000)
      child.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new UserError('input', `gwctl serve exited ${code} before it was ready: ${stderr.trim().split('\n').slice(0, 3).join(' ') || '(no error output)'}`, {hint: `the live run started: ${command}`}))
      })
      child.stdout!.on('data', (chunk: Buffer) => {
        pending += chunk.toString()
        const lines = pending.split('\n')
        pending = lines.pop()!
        for (const line of lines) {
          if (instance !== undefined) {
            instance.consume(line)
            continue
          }
          if (!line.startsWith('{"event":"ready"')) {
            early.push(line)
            continue
          }
          clearTimeout(timer)
          const report = JSON.parse(line) as {listeners: BoundListener[]; warnings?: string[]; stubs?: ServeStub[]; stubCa?: string}
          resolve({listeners: report.listeners, warnings: report.warnings ?? [], stubs: report.stubs ?? [], ...(report.stubCa === undefined ? {} : {stubCa: report.stubCa})})
        }
      })
    })
    let report: ServeReady
    try {
      report = await ready
    } catch (error) {
      child.kill('SIGKILL')
      throw error
    }
    child.removeAllListeners('exit')
    // A test run that ends without close() (an error, a signal) must not leave serve running.
    killOnExit(child)
    instance = new ServeProcess(child, report, command, () => stderr)
    for (const line of early) instance.consume(line)
    return instance
  }

  /** `host:port` serve bound for a listener port of a Gateway (`namespace/name`). */
  addressOf(gateway: string, port: number): {host: string; port: number} | undefined {
    const listener = this.ready.listeners.find((entry) => entry.gateway === gateway && entry.port === port)
    if (listener === undefined) return undefined
    const match = /^\[?([^\]]*)\]?:(\d+)$/.exec(listener.address)
    return match === null ? undefined : {host: match[1], port: Number(match[2])}
  }

  /**
   * serve's access-log line for the connection from this client address
   * (`127.0.0.1:P`) that started at or after `since` (a client port is
   * reused over many connections), once written; undefined after `timeoutMs`.
   */
  accessEntry(client: string, since: number, timeoutMs: number): Promise<AccessEntry | undefined> {
    const found = this.entries.get(client)
    this.entries.delete(client)
    if (found !== undefined && Date.parse(found.time) >= since) return Promise.resolve(found)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(client)
        resolve(undefined)
      }, timeoutMs)
      this.waiters.set(client, {since, resolve: (entry) => {
        clearTimeout(timer)
        resolve(entry)
      }})
    })
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  describeExit(): string {
    return `gwctl serve exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr().trim().split('\n')[0] ?? ''}`
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS)
    await this.exited
    clearTimeout(timer)
  }

  private consume(line: string): void {
    if (!line.startsWith('{"event":"access"')) return
    let entry: AccessEntry
    try {
      entry = JSON.parse(line) as AccessEntry
    } catch {
      return
    }
    const waiter = this.waiters.get(entry.client)
    if (waiter !== undefined && Date.parse(entry.time) >= waiter.since) {
      this.waiters.delete(entry.client)
      waiter.resolve(entry)
      return
    }
    if (this.entries.size >= MAX_PENDING_ENTRIES) this.entries.clear()
    this.entries.set(entry.client, entry)
  }
}
