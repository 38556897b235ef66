/**
 * `gwctl test --live`: every test as real traffic through a `gwctl serve`
 * of the same manifests, with stub backends (`--stub-backends`) or the
 * caller's `--backend`/`--backends` mappings.
 *
 * serve runs as a child process of this package's CLI, one per Gateway that
 * has a listener to serve (`--gateway NS/NAME`, every listener port at an
 * OS-chosen local port), not in-process: the process is the unit serve is
 * built and tested as (its signal handling, its guard against escaped
 * exceptions, its own event loop under load, workers), stub backends and
 * every later serve feature come with its flags rather than with module
 * APIs, a crash of the data plane cannot take the test run down, and one
 * serve per Gateway works whether or not Gateways share a port. Its stdout
 * gives the ready report (bound addresses, stubs) and then the JSON access
 * log, whose line for a probe's connection is the engine's decision for
 * that very traffic: listener and route are observed from it (and the
 * backend serve forwarded to, when the backend does not name itself).
 */
import type {GatewayBinding} from '../../gatewayapi/binding.js'
import {UserError} from '../../errors/user-error.js'
import {gatewayListeners} from '../../gatewayapi/decide.js'
import {planPorts} from '../../serve/port-plan.js'
import type {TestExecutor} from '../routing-test.js'
import {settleProbeOptions, type LiveExecutorOptions} from './executor-options.js'
import {executeProbes, type GatewayExplanation} from './execute-probes.js'
import {formatGateway, readManifestFacts} from './manifest-facts.js'
import {ServeProcess} from './serve-process.js'
import type {ProbeResult} from './probe-request.js'

export interface RunningExecutor {
  execute: TestExecutor
  /** Stop what the executor started (serve processes); safe to call twice. */
  close(): Promise<void>
  /** One line per started serve (command and bound listeners), for the run's header or --verbose. */
  describe(): string[]
}

export async function startLiveExecutor(options: LiveExecutorOptions): Promise<RunningExecutor> {
  if (options.paths.includes('-')) throw new UserError('usage', '--live runs gwctl serve on the manifests, which cannot read them from stdin (-)', {hint: 'name the manifest files instead'})
  const facts = await readManifestFacts(options.paths, options.pipeline)
  const settled = await settleProbeOptions(options, facts)
  const serves = new Map<GatewayBinding, ServeProcess>()
  const notServed = new Map<GatewayBinding, Map<number, string>>()
  const close = async () => {
    await Promise.all([...serves.values()].map((serve) => serve.stop()))
  }
  try {
    for (const gateway of facts.gateways) {
      const plan = planPorts(facts.table, {portMap: new Map(), gateway: gateway.gateway.meta})
      const reasons = new Map<number, string>()
      for (const {listener, why} of plan.notServed) if (listener.spec.port !== undefined) reasons.set(listener.spec.port, `listener ${listener.spec.name}: ${why}`)
      notServed.set(gateway, reasons)
      if (plan.sockets.length === 0) continue
      const ports = [...new Set(listGatewayPorts(gateway))].sort((a, b) => a - b)
      const args = [...options.paths, '--gateway', formatGateway(gateway), ...(options.serveArgs ?? [])]
      if (options.stubBackends) args.push('--stub-backends')
      for (const flag of options.backendFlags ?? []) args.push('--backend', flag)
      if (options.backendsFile !== undefined) args.push('--backends', options.backendsFile)
      serves.set(gateway, await ServeProcess.start({args, ports, cliPath: options.cliPath, cwd: options.pipeline?.cwd}))
    }
  } catch (error) {
    await close()
    throw error
  }
  const accessLogTimeoutMs = options.accessLogTimeoutMs ?? 5000

  const explain = async (probe: ProbeResult, gateway: GatewayBinding, started: number): Promise<GatewayExplanation | string> => {
    const serve = serves.get(gateway)
    if (serve === undefined || probe.localPort === undefined) return 'the probe made no connection'
    const entry = await serve.accessEntry(`${probe.localAddress ?? '127.0.0.1'}:${probe.localPort}`, started, accessLogTimeoutMs)
    if (entry === undefined) return serve.running ? `gwctl serve wrote no access-log line for the connection within ${accessLogTimeoutMs} ms` : serve.describeExit()
    const prefix = `${formatGateway(gateway)}/`
    const listener = entry.listener === undefined ? undefined : entry.listener.startsWith(prefix) ? entry.listener.slice(prefix.length) : entry.listener
    const fields = [`outcome ${entry.outcome}`, listener && `listener ${listener}`, entry.route && `route ${entry.route}`, entry.backend && `backend ${entry.backend}`]
    const line = `gwctl serve access log: ${fields.filter(Boolean).join(', ')}${entry.reason === undefined ? '' : ` (${entry.reason})`}`
    return {listener, route: entry.route, backend: entry.backend, trace: [line]}
  }

  return {
    execute: (test) => executeProbes({
      ...settled,
      facts,
      findAddress(gateway, port) {
        const serve = serves.get(gateway)
        const address = serve?.addressOf(formatGateway(gateway), port)
        if (address !== undefined) return address
        const why = notServed.get(gateway)?.get(port) ?? serve?.ready.warnings.find((warning) => warning.includes(`port ${port}`)) ?? 'gwctl serve bound no socket for it'
        return {notServed: `gwctl serve does not serve port ${port} of Gateway ${formatGateway(gateway)}: ${why}`}
      },
      explain,
      unexplained: 'gwctl serve gave no access log',
    }, test),
    close,
    describe: () => [...serves.values()].map((serve) => `${serve.command}: ${serve.ready.listeners.map((listener) => `${listener.listener}:${listener.port}→${listener.address}`).join(' ')}${serve.ready.stubs.length === 0 ? '' : `; ${serve.ready.stubs.length} stub backends`}`),
  }
}

function listGatewayPorts(gateway: GatewayBinding): number[] {
  return gatewayListeners(gateway).map((listener) => listener.spec.port).filter((port): port is number => port !== undefined)
}
