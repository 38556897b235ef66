/**
 * One worker of `serve --workers N` (see worker-pool.ts): loads the same
 * command line's configuration with the local ports the primary fixed,
 * binds the shared listener sockets, tells the primary it is ready (or why
 * it cannot start, then exits 2), reloads when the primary says so
 * (answering whether it could; a broken configuration keeps the last good
 * one), and on `stop` — or SIGINT/SIGTERM sent to it directly — drains,
 * reports its counts and exits, at the latest by drain timeout + 1 s. Its
 * access log carries its PID; the primary relays it and prints the events
 * that concern the whole pool (ready, reload, shutdown, stopped).
 */
import {UserError} from '../errors/user-error.js'
import {AccessLog, type LogFormat} from './access-log.js'
import {GatewayServer, type GatewayOptions} from './gateway-server.js'
import {loadDataPlane, type ServeInputs} from './load-data-plane.js'
import {WORKER_PORTS_ENV, type PrimaryMessage, type WorkerMessage} from './worker-pool.js'

export interface PoolWorkerOptions {
  inputs: ServeInputs
  gateway: Omit<GatewayOptions, 'log'>
  format: LogFormat
  drainTimeoutMs: number
}

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) resolve()
    else process.send(message, undefined, {}, () => resolve())
  })
}

function withPorts(inputs: ServeInputs, ports: ReadonlyArray<[number, number]>): ServeInputs {
  return {...inputs, ports: {...inputs.ports, portMap: new Map([...inputs.ports.portMap, ...ports])}}
}

function describeError(error: unknown): string {
  return error instanceof UserError && error.file !== undefined ? `${error.file}: ${error.message}` : (error as Error).message
}

/** Serve as a pool worker until told to stop; never returns (the process exits). */
export async function runPoolWorker(options: PoolWorkerOptions): Promise<never> {
  const log = new AccessLog(process.stdout, options.format, process.pid)
  let inputs = withPorts(options.inputs, JSON.parse(process.env[WORKER_PORTS_ENV] ?? '[]') as Array<[number, number]>)
  let gateway: GatewayServer
  try {
    gateway = new GatewayServer(await loadDataPlane(inputs), {...options.gateway, log})
    await gateway.start()
  } catch (error) {
    const failure = error instanceof UserError
      ? {kind: error.kind, message: error.message, file: error.file, hint: error.hint}
      : {kind: 'usage' as const, message: (error as Error).message, hint: 'choose other local ports with --port-map or --port-offset'}
    await send({gwctl: 'failed', ...failure})
    log.flush()
    process.exit(2)
  }
  process.on('uncaughtException', (error) => gateway.guard.report(error, 'uncaught exception'))
  process.on('unhandledRejection', (reason) => gateway.guard.report(reason, 'unhandled rejection'))

  let reloading = Promise.resolve()
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    setTimeout(() => {
      log.flush()
      process.exit(0)
    }, options.drainTimeoutMs + 1000).unref()
    await reloading
    const {drained, destroyed} = await gateway.shutdown(options.drainTimeoutMs)
    log.flush()
    await send({gwctl: 'stopped', drained, destroyed})
    process.exit(0)
  }
  // SIGINT also reaches workers from a terminal (the whole process group); the primary's stop message follows.
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
  process.on('message', (message: PrimaryMessage) => {
    if (message?.gwctl === 'stop') void stop()
    if (message?.gwctl === 'reload' && !stopping) {
      const ports = message.ports
      reloading = reloading.then(async () => {
        try {
          const next = withPorts(inputs, ports)
          const listeners = await gateway.reload(await loadDataPlane(next))
          inputs = next
          await send({gwctl: 'reloaded', listeners})
        } catch (error) {
          await send({gwctl: 'reload-rejected', message: describeError(error)})
        }
      })
    }
  })
  await send({gwctl: 'ready', listeners: gateway.describeBound()})
  return new Promise<never>(() => {})
}
