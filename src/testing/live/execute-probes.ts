/**
 * One routing test as traffic, shared by the live executor (through a
 * `gwctl serve`) and the target executor (a real gateway): which Gateway and
 * protocol the request means (from the manifests), where to send it (the
 * caller's address map), one probe (probe-request.ts), and for weighted
 * expectations as many more connections as the tolerance needs
 * (weighted-sample.ts). The observation holds what the traffic showed;
 * `explain` adds what the gateway itself says about a connection (serve's
 * access log: the engine's decision for that very connection), and every
 * expectation the traffic cannot show is listed in notCheckable with why.
 *
 * Weighted shares are sampled, not computed: when every observed share is
 * within the tolerance, `backends` reports the expected shares as confirmed
 * (the measured ones, the sample size and the tolerance are in the trace);
 * otherwise it reports the measured shares, so the difference shows.
 * A request a backend answered observes `backends` as offline does (that
 * backend 100 %), so `backend:` expectations compare alike.
 * A backend names itself in the test file's `backendHeader`, else in the
 * run's (`--backend-header`).
 * A Secret named by a certificate expectation that holds no certificate in
 * the manifests is not checkable under the key `certificate.secret` (the
 * rest of the certificate expectation still is).
 */
import {readFile} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'
import type {GatewayBinding} from '../../gatewayapi/binding.js'
import {UserError} from '../../errors/user-error.js'
import type {RoutingTest, TestExpectation, TestObservation, TestProtocol} from '../routing-test.js'
import {findTestGateway, formatGateway, inferProtocol, findListenersOnPort, type ManifestFacts} from './manifest-facts.js'
import {probeRequest, type ProbeAddress, type ProbeResult, type ProbeSettings} from './probe-request.js'
import {judgeShares, planSampling} from './weighted-sample.js'

export interface GatewayExplanation {
  /** Listener section name. */
  listener?: string
  /** `Kind namespace/name`. */
  route?: string
  /** `namespace/name:port` the gateway forwarded to. */
  backend?: string
  trace: string[]
  /**
   * The gateway could not take part for a reason outside the manifests' routing
   * (a cert-manager Secret that is not issued locally): every expectation is
   * not checkable, for this reason.
   */
  notCheckable?: string
}

export interface ProbeContext {
  facts: ManifestFacts
  /** Where a Gateway's listener port is reached, or why it cannot be. */
  /** `closed`: the gateway takes no connection on the port (its listeners are not programmed), so that is the observation. */
  findAddress(gateway: GatewayBinding, port: number, protocol: TestProtocol): ProbeAddress | {notServed: string; closed?: boolean}
  trust: {ca?: string[]; description: string}
  backendHeader: string
  tolerancePercent: number
  confidence: number
  timeoutMs: number
  /** Parallel connections of a weighted sample. */
  sampleConcurrency: number
  now: () => Date
  /** What the gateway says about the connection a probe made; a string is why it says nothing. */
  explain?(probe: ProbeResult, gateway: GatewayBinding, started: number): Promise<GatewayExplanation | string>
  /** Why listener and route cannot be observed, when there is no `explain`. */
  unexplained: string
}

const EXPECTATION_KEYS: Array<keyof TestExpectation> = ['backend', 'backends', 'refused', 'status', 'redirect', 'grpcStatus', 'listener', 'route', 'certificate', 'headers']

export async function executeProbes(context: ProbeContext, test: RoutingTest): Promise<TestObservation> {
  const where = `${test.location.file}:${test.location.line}:${test.location.column}`
  const gateway = findTestGateway(context.facts, test.request)
  if (typeof gateway === 'string') throw new UserError('input', `test ${JSON.stringify(test.name)}: ${gateway}`, {file: where})
  const protocol = inferProtocol(context.facts, gateway, test.request)
  const secure = findListenersOnPort(gateway, test.request.port).some((listener) => listener.spec.protocol === 'HTTPS' || listener.spec.protocol === 'TLS')
  const address = context.findAddress(gateway, test.request.port, protocol)
  const trace = [`${formatGateway(gateway)} port ${test.request.port}: ${protocol}${test.request.protocol === undefined ? ' (from its listeners)' : ''}`]
  if (test.backendHeader !== undefined) trace.push(`a backend names itself in ${test.backendHeader} (the test file's backendHeader)`)
  if ('notServed' in address && address.closed === true) {
    trace.push(`not served: ${address.notServed}; a client's connection is refused`)
    return {trace, refused: 'closed'}
  }
  if ('notServed' in address) return buildNotCheckableObservation(test.expect, address.notServed, trace)
  const settings: ProbeSettings = {
    address, protocol, secure, request: test.request, ca: context.trust.ca, trustDescription: context.trust.description,
    clientCertificate: await readClientCertificate(test, where), backendHeader: test.backendHeader ?? context.backendHeader,
    secretsByFingerprint: context.facts.secretsByFingerprint, now: context.now, timeoutMs: context.timeoutMs, judgeCertificate: true,
  }
  const started = Date.now()
  const probe = await probeRequest(settings)
  trace.push(...probe.trace)
  const observation: TestObservation = {trace}
  const notCheckable: Record<string, string> = {}
  copyAnswer(probe, observation)

  if (probe.failure === undefined && context.explain !== undefined) {
    const explanation = await context.explain(probe, gateway, started)
    if (typeof explanation === 'string') {
      for (const key of ['listener', 'route'] as const) notCheckable[key] = explanation
    } else if (explanation.notCheckable !== undefined) {
      trace.push(...explanation.trace)
      return buildNotCheckableObservation(test.expect, explanation.notCheckable, trace)
    } else {
      trace.push(...explanation.trace)
      if (explanation.listener !== undefined) observation.listener = explanation.listener
      if (explanation.route !== undefined) observation.route = explanation.route
      if (probe.backend === undefined && probe.refused === undefined) {
        if (explanation.backend === undefined) {
          // The gateway forwarded nowhere: it answered itself (a 404, a redirect), so "no backend" is the observation.
          probe.backendUnknown = undefined
        } else {
          observation.backend = explanation.backend
          trace.push(`backend ${explanation.backend}: from the gateway's access log (${probe.backendUnknown ?? 'the backend did not identify itself'})`)
        }
      }
    }
  } else if (context.explain === undefined) {
    for (const key of ['listener', 'route'] as const) notCheckable[key] = context.unexplained
  }
  if (observation.backend === undefined && probe.refused === undefined && probe.backendUnknown !== undefined) {
    notCheckable.backend = `the backend did not identify itself: ${probe.backendUnknown}`
  }

  if (test.expect.backends !== undefined && probe.refused === undefined && probe.failure === undefined) {
    await sampleShares(context, gateway, test.expect.backends, settings, probe, observation, notCheckable)
  }
  // As offline: a forwarded request's backends are the shares it went to (one backend: all of it).
  if (observation.backend !== undefined && observation.backends === undefined && notCheckable.backends === undefined) observation.backends = {[observation.backend]: 100}
  if (test.expect.certificate !== undefined && observation.certificate === undefined && probe.refused === undefined && probe.failure === undefined && !settings.secure) {
    notCheckable.certificate = `port ${test.request.port} speaks ${protocol} without TLS: no certificate is presented`
  }
  const expectedSecret = test.expect.certificate?.secret
  if (expectedSecret !== undefined && observation.certificate !== undefined && observation.certificate.secret === undefined
    && ![...context.facts.secretsByFingerprint.values()].some((names) => names.includes(expectedSecret))) {
    notCheckable['certificate.secret'] = `Secret ${expectedSecret} holds no certificate in the manifests (absent, or issued by cert-manager): the presented one cannot be matched to it`
  }
  const relevant = Object.entries(notCheckable).filter(([key]) => key.split('.')[0] in test.expect)
  if (relevant.length > 0) observation.notCheckable = Object.fromEntries(relevant)
  return observation
}

function copyAnswer(probe: ProbeResult, observation: TestObservation): void {
  if (probe.refused !== undefined) observation.refused = probe.refused
  if (probe.status !== undefined) observation.status = probe.status
  if (probe.redirect !== undefined) observation.redirect = probe.redirect
  if (probe.grpcStatus !== undefined) observation.grpcStatus = probe.grpcStatus
  if (probe.headers !== undefined) observation.headers = probe.headers
  if (probe.backend !== undefined) observation.backend = probe.backend
  if (probe.certificate !== undefined) observation.certificate = probe.certificate
}

async function sampleShares(context: ProbeContext, gateway: GatewayBinding, expected: Record<string, number>, settings: ProbeSettings, first: ProbeResult,
  observation: TestObservation, notCheckable: Record<string, string>): Promise<void> {
  const plan = planSampling(expected, context.tolerancePercent, context.confidence)
  const counts = new Map<string, number>()
  let unidentified = 0
  const failures = new Map<string, number>()
  const count = (result: ProbeResult) => {
    const backend = result.backend
    if (backend !== undefined) counts.set(backend, (counts.get(backend) ?? 0) + 1)
    else if (result.refused !== undefined || result.failure !== undefined) {
      const what = result.refused ?? result.failure!
      failures.set(what, (failures.get(what) ?? 0) + 1)
    } else unidentified++
  }
  count(first.backend === undefined && observation.backend !== undefined ? {...first, backend: observation.backend} : first)
  // Backends that do not name themselves are counted from the gateway's access log (live), when it named the first one.
  const identify = context.explain !== undefined && first.backend === undefined && observation.backend !== undefined ? context.explain : undefined
  let next = 1
  const worker = async () => {
    while (next < plan.samples) {
      next++
      const started = Date.now()
      const result = await probeRequest({...settings, judgeCertificate: false})
      if (identify !== undefined && result.backend === undefined && result.refused === undefined && result.failure === undefined) {
        const explanation = await identify(result, gateway, started)
        if (typeof explanation !== 'string') result.backend = explanation.backend
      }
      count(result)
    }
  }
  await Promise.all(Array.from({length: Math.min(context.sampleConcurrency, plan.samples - 1)}, worker))
  observation.trace.push(`weighted expectation: ${plan.samples} connections, enough to check each share within ± ${plan.tolerancePercent} percentage points at ${Math.round(plan.confidence * 1000) / 10}% confidence`)
  for (const [what, times] of failures) observation.trace.push(`${times} of ${plan.samples} connections failed: ${what}`)
  if (unidentified > 0) {
    observation.trace.push(`${unidentified} of ${plan.samples} answers did not name their backend`)
  }
  if (unidentified * 2 > plan.samples) {
    notCheckable.backends = `${unidentified} of ${plan.samples} answers did not name their backend`
    return
  }
  const verdict = judgeShares(expected, counts, plan.tolerancePercent)
  observation.trace.push(...verdict.lines)
  observation.backends = verdict.withinTolerance ? {...expected} : verdict.observed
}

async function readClientCertificate(test: RoutingTest, where: string): Promise<ProbeSettings['clientCertificate']> {
  const files = test.request.clientCertificate
  if (files === undefined) return undefined
  const base = dirname(resolve(test.location.file))
  const read = async (file: string) => {
    try {
      return await readFile(resolve(base, file))
    } catch (error) {
      throw new UserError('input', `test ${JSON.stringify(test.name)}: cannot read clientCertificate file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {file: where})
    }
  }
  return {cert: await read(files.certificate), key: await read(files.key)}
}

function buildNotCheckableObservation(expect: TestExpectation, reason: string, trace: string[]): TestObservation {
  const keys = EXPECTATION_KEYS.filter((key) => expect[key] !== undefined)
  trace.push(`not sent: ${reason}`)
  return {trace, notCheckable: Object.fromEntries(keys.map((key) => [key, reason]))}
}
