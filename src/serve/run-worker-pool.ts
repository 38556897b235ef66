/**
 * `gwctl serve --workers N` (N > 1) from the primary's side, as the command
 * runs it: start the pool, print one ready report once every worker
 * listens (text: the listener lines and `ready workers=N pids=...`; JSON:
 * the report with `workers`), keep --ready-file current (also when a
 * worker is replaced), reload every worker on --watch, and on SIGINT or
 * SIGTERM drain them all and return, by drain timeout + 1 s at the latest.
 */
import {UserError} from '../errors/user-error.js'
import type {AccessLog} from './access-log.js'
import type {DataPlane} from './data-plane.js'
import type {BoundListener} from './gateway-server.js'
import type {ServeInputs} from './load-data-plane.js'
import {describeGatewayAddresses, formatReadyLines, writeReadyFile, type ReadyReport} from './ready-report.js'
import {onStopSignal} from './stop-on-signal.js'
import {watchInputs} from './watch-inputs.js'
import {WorkerPool} from './worker-pool.js'

export interface RunWorkerPoolOptions {
  count: number
  inputs: ServeInputs
  dataPlane: DataPlane
  log: AccessLog
  drainTimeoutMs: number
  fatalInternalErrors: boolean
  json: boolean
  readyFile?: string
  /** Paths to watch (--watch), or undefined. */
  watch?: string[]
}

export function formatWorkersLine(pids: readonly number[]): string {
  return `ready workers=${pids.length} pids=${pids.join(',')}`
}

export async function runWorkerPool(options: RunWorkerPoolOptions): Promise<void> {
  const {log} = options
  const pool = new WorkerPool({count: options.count, inputs: options.inputs, dataPlane: options.dataPlane, log, drainTimeoutMs: options.drainTimeoutMs,
    fatalInternalErrors: options.fatalInternalErrors})
  let listeners: BoundListener[]
  try {
    listeners = await pool.start()
  } catch (error) {
    log.flush()
    if (error instanceof UserError) throw error
    throw new UserError('usage', (error as Error).message)
  }
  let warnings = options.dataPlane.describeProblems()
  let gateways = describeGatewayAddresses(options.dataPlane.plan)
  const report = (): ReadyReport => ({event: 'ready', pid: process.pid, workers: pool.pids, gateways, listeners, warnings})
  const writeReady = async () => {
    if (options.readyFile === undefined) return
    try {
      await writeReadyFile(options.readyFile, report())
    } catch (error) {
      log.event('error', `--ready-file ${options.readyFile}: ${(error as Error).message}`)
    }
  }

  let stopWatching: (() => void) | undefined
  let stopping = false
  let reloading = Promise.resolve()
  const stopped = onStopSignal(options.drainTimeoutMs, async (signal) => {
    stopping = true
    stopWatching?.()
    log.event('shutdown', `${signal}: no new connections; ${options.count} workers draining their open ones for up to ${options.drainTimeoutMs} ms`)
    await reloading
    const {drained, destroyed} = await pool.shutdown()
    await pool.exited()
    log.event('stopped', `${drained} connections finished, ${destroyed} closed at the drain timeout`)
    log.flush()
  }, () => {
    pool.kill()
    pool.flush()
    log.flush()
  })
  pool.onWorkersChanged = () => void writeReady()

  for (const warning of warnings) log.event('warning', warning)
  await writeReady()
  log.flush()
  process.stdout.write(options.json ? `${JSON.stringify(report())}\n` : `${[...formatReadyLines(listeners), formatWorkersLine(pool.pids)].join('\n')}\n`)

  if (options.watch !== undefined) {
    const reload = () => {
      reloading = reloading.then(async () => {
        if (stopping) return
        try {
          const next = await pool.reload()
          listeners = next.listeners
          warnings = next.dataPlane.describeProblems()
          gateways = describeGatewayAddresses(next.dataPlane.plan)
          log.event('reload', `configuration reloaded in ${options.count} workers: ${listeners.length} listeners on ${new Set(listeners.map((entry) => entry.address)).size} sockets`, {listeners})
          for (const warning of warnings) log.event('warning', warning)
          await writeReady()
        } catch (error) {
          const message = error instanceof UserError && error.file !== undefined ? `${error.file}: ${error.message}` : (error as Error).message
          log.event('reload-rejected', `${message}; still serving the last good configuration`)
        }
      })
    }
    stopWatching = await watchInputs(options.watch, reload)
    if (stopping) stopWatching()
  }
  await stopped
}
