/**
 * `gwctl test --live`: every test as real traffic through a `gwctl serve`
 * of the same manifests, with stub backends (`--stub-backends`) or the
 * caller's `--backend`/`--backends` mappings.
 *
 * serve runs as a child process of this package's CLI, one per Gateway that
 * the tests address (given `tests`; else every Gateway) and that has a
 * listener to serve (`--gateway NS/NAME`, every listener port at an
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
 *
 * A port whose listeners are not programmed (their conditions say why) is
 * not served, as a gateway in a cluster would not open it: a test there
 * observes its connection refused (`closed`), with the reason. A listener
 * whose Secret cert-manager issues and the input lacks makes its tests not
 * checkable (serve has no certificate; `certs create --for` makes one).
 * Passthrough stubs present certificates of serve's stub CA (its ready
 * report's `stubCa`), which the client trusts besides the manifests' CA.
 */
import {readFile} from 'node:fs/promises'
import {rootCertificates} from 'node:tls'
import type {GatewayBinding} from '../../gatewayapi/binding.js'
import {UserError} from '../../errors/user-error.js'
import {gatewayListeners} from '../../gatewayapi/decide.js'
import {planPorts} from '../../serve/port-plan.js'
import type {TestExecutor} from '../routing-test.js'
import {settleProbeOptions, type LiveExecutorOptions, type SettledProbeOptions} from './executor-options.js'
import {executeProbes, type GatewayExplanation} from './execute-probes.js'
import {findTestGateway, formatGateway, readManifestFacts} from './manifest-facts.js'
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
  const notServed = new Map<GatewayBinding, Map<number, {why: string; closed: boolean}>>()
  const close = async () => {
    await Promise.all([...serves.values()].map((serve) => serve.stop()))
  }
  const addressed = options.tests === undefined ? undefined : new Set(options.tests.map((test) => findTestGateway(facts, test.request)))
  try {
    for (const gateway of facts.gateways) {
      if (addressed !== undefined && !addressed.has(gateway)) continue
      const plan = planPorts(facts.table, {portMap: new Map(), gateway: gateway.gateway.meta})
      const reasons = new Map<number, {why: string; closed: boolean}>()
      for (const {listener, why} of plan.notServed) {
        // A listener the gateway does not program (its conditions say why) takes no traffic, as in a cluster; a protocol serve lacks says nothing about the setup.
        if (listener.spec.port !== undefined) reasons.set(listener.spec.port, {why: `listener ${listener.spec.name}: ${why}`, closed: !why.endsWith('is not served by gwctl serve')})
      }
      notServed.set(gateway, reasons)
      if (plan.sockets.length === 0) continue
      const ports = [...new Set(listGatewayPorts(gateway))].sort((a, b) => a - b)
      const args = [...options.paths, '--gateway', formatGateway(gateway), ...(options.serveArgs ?? [])]
      if (options.stubBackends) args.push('--stub-backends')
      if (options.stubBackends && options.stubCaDir !== undefined) args.push('--stub-ca-dir', options.stubCaDir)
      for (const flag of options.backendFlags ?? []) args.push('--backend', flag)
      if (options.backendsFile !== undefined) args.push('--backends', options.backendsFile)
      serves.set(gateway, await ServeProcess.start({args, ports, cliPath: options.cliPath, cwd: options.pipeline?.cwd}))
    }
  } catch (error) {
    await close()
    throw error
  }
  settled.trust = await trustStubCa(settled.trust, [...serves.values()])
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
    const unissued = entry.outcome === 'no-certificate' ? findUnissuedCertificate(gateway, listener) : undefined
    if (unissued !== undefined) return {trace: [line], notCheckable: unissued}
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
        const reason = notServed.get(gateway)?.get(port)
        if (addressed !== undefined && !addressed.has(gateway)) return {notServed: `no test of the run addresses Gateway ${formatGateway(gateway)}, so no gwctl serve was started for it`}
        const why = reason?.why ?? serve?.ready.warnings.find((warning) => warning.includes(`port ${port}`)) ?? 'gwctl serve bound no socket for it'
        return {notServed: `gwctl serve does not serve port ${port} of Gateway ${formatGateway(gateway)}: ${why}`, ...(reason?.closed ? {closed: true} : {})}
      },
      explain,
      unexplained: 'gwctl serve gave no access log',
    }, test),
    close,
    describe: () => [...serves.values()].map((serve) => `${serve.command}: ${serve.ready.listeners.map((listener) => `${listener.listener}:${listener.port}→${listener.address}`).join(' ')}${serve.ready.stubs.length === 0 ? '' : `; ${serve.ready.stubs.length} stub backends`}`),
  }
}

/**
 * A Passthrough stub presents its own certificate, issued by the stub CA
 * serve names in its ready report (`stubCa`), not by the manifests' CA: a
 * client of this run trusts both, as a client of the real setup trusts the
 * backends' CA. Read now: a per-run CA directory is removed when serve exits.
 */
async function trustStubCa(trust: SettledProbeOptions['trust'], serves: readonly ServeProcess[]): Promise<SettledProbeOptions['trust']> {
  const files = [...new Set(serves.map((serve) => serve.ready.stubCa).filter((file): file is string => file !== undefined))]
  if (files.length === 0) return trust
  const pems = await Promise.all(files.map((file) => readFile(file, 'utf8')))
  return {ca: [...trust.ca ?? rootCertificates, ...pems], description: `${trust.description} and the stub backends' CA (${files.join(', ')})`}
}

/**
 * A listener whose Secret cert-manager issues in the cluster and the input
 * does not hold: serve has no certificate to present, which says nothing about
 * the routing under test. `gwctl certs create --for` issues one locally.
 */
function findUnissuedCertificate(gateway: GatewayBinding, listenerName: string | undefined): string | undefined {
  const listener = gateway.listeners.find((entry) => entry.spec.name === listenerName)
  const unissued = listener?.certificates.find((certificate) => certificate.secret === undefined && certificate.source !== undefined)
  if (unissued === undefined) return undefined
  const source = unissued.source!.meta
  return `Secret ${unissued.ref.namespace}/${unissued.ref.name} of listener ${listenerName} is issued by cert-manager Certificate ${source.namespace}/${source.name} in the cluster and is not in the input, so gwctl serve has no certificate to present: run gwctl certs create --for PATHS --out-dir DIR and add DIR to the PATHS of gwctl test`
}

function listGatewayPorts(gateway: GatewayBinding): number[] {
  return gatewayListeners(gateway).map((listener) => listener.spec.port).filter((port): port is number => port !== undefined)
}
