/**
 * Expected vs observed for one routing test: one check per expectation key
 * (certificate and headers per sub-key), each passed, failed or not
 * checkable (the executor said it cannot observe it), and the test's
 * verdict: failed when a check failed, passed when one passed and none
 * failed, not checkable when nothing could be observed. Weighted shares
 * compare within the executor's tolerance (0 offline: the engine's shares
 * are exact; live sampling states its own). Pure.
 */
import type {TestExpectation, TestObservation} from './routing-test.js'

export type CheckOutcome = 'passed' | 'failed' | 'not-checkable'

export interface ExpectationCheck {
  /** `backend`, `certificate.covers`, `headers.x-served-by`, ... */
  key: string
  expected: unknown
  actual?: unknown
  outcome: CheckOutcome
  /** Why it is not checkable, or what was seen instead. */
  note?: string
}

export interface ComparedTest {
  verdict: CheckOutcome
  checks: ExpectationCheck[]
}

const DAY_MS = 86_400_000

/** What the client got, in one phrase, for a check whose key the observation does not answer. */
export function describeOutcome(observation: TestObservation): string {
  if (observation.refused !== undefined) return `refused (${observation.refused})`
  if (observation.redirect !== undefined) return `redirect ${observation.status ?? ''} ${observation.redirect}`.replace('  ', ' ')
  if (observation.status !== undefined && observation.backends === undefined) return `HTTP ${observation.status} from the gateway`
  if (observation.grpcStatus !== undefined && observation.backends === undefined) return `gRPC status ${observation.grpcStatus} from the gateway`
  if (observation.backends !== undefined) return `backends ${formatShares(observation.backends)}`
  return 'no backend'
}

export function formatShares(shares: Record<string, number>): string {
  return Object.entries(shares).map(([backend, percent]) => `${backend} ${percent}%`).join(', ')
}

function sharesMatch(expected: Record<string, number>, actual: Record<string, number> | undefined, tolerance: number): boolean {
  if (actual === undefined) return false
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
  return [...keys].every((key) => Math.abs((expected[key] ?? 0) - (actual[key] ?? 0)) <= tolerance + 0.005)
}

export function compareObservation(expect: TestExpectation, observation: TestObservation, options: {now: Date; tolerance?: number}): ComparedTest {
  const tolerance = options.tolerance ?? 0
  const notCheckable = observation.notCheckable ?? {}
  const checks: ExpectationCheck[] = []
  const check = (key: string, expected: unknown, actual: unknown, passes: boolean, note?: string) => {
    const reason = notCheckable[key] ?? notCheckable[key.split('.')[0]]
    if (reason !== undefined && !passes) {
      checks.push({key, expected, outcome: 'not-checkable', note: reason})
      return
    }
    checks.push({key, expected, ...(actual === undefined ? {} : {actual}), outcome: passes ? 'passed' : 'failed', ...(passes || note === undefined ? {} : {note})})
  }
  const outcome = describeOutcome(observation)

  if (expect.refused !== undefined) check('refused', expect.refused, observation.refused, observation.refused === expect.refused, observation.refused === undefined ? `the connection was accepted: ${outcome}` : undefined)
  if (expect.backend !== undefined) {
    const passes = sharesMatch({[expect.backend]: 100}, observation.backends, tolerance)
    check('backend', expect.backend, observation.backends === undefined ? undefined : observation.backend ?? observation.backends, passes, observation.backends === undefined ? outcome : undefined)
  }
  if (expect.backends !== undefined) {
    check('backends', expect.backends, observation.backends, sharesMatch(expect.backends, observation.backends, tolerance), observation.backends === undefined ? outcome : tolerance > 0 ? `within ±${tolerance} points` : undefined)
  }
  if (expect.status !== undefined) check('status', expect.status, observation.status, observation.status === expect.status, observation.status === undefined ? outcome : undefined)
  if (expect.redirect !== undefined) check('redirect', expect.redirect, observation.redirect, observation.redirect === expect.redirect, observation.redirect === undefined ? outcome : undefined)
  if (expect.grpcStatus !== undefined) check('grpcStatus', expect.grpcStatus, observation.grpcStatus, observation.grpcStatus === expect.grpcStatus, observation.grpcStatus === undefined ? outcome : undefined)
  if (expect.listener !== undefined) check('listener', expect.listener, observation.listener, observation.listener === expect.listener, observation.listener === undefined ? outcome : undefined)
  if (expect.route !== undefined) check('route', expect.route, observation.route, observation.route === expect.route, observation.route === undefined ? outcome : undefined)
  if (expect.certificate !== undefined) {
    const certificate = observation.certificate
    const missing = certificate === undefined ? (observation.refused === undefined ? 'no certificate was presented' : outcome) : undefined
    const {covers, secret, validDaysAtLeast} = expect.certificate
    if (covers !== undefined) {
      check('certificate.covers', covers, certificate?.covers, certificate?.covers === covers,
        missing ?? (certificate!.covers ? undefined : `names ${certificate!.dnsNames.join(', ') || '(none)'}${certificate!.subject === '' ? '' : `, subject ${certificate!.subject}`}`))
    }
    if (secret !== undefined) check('certificate.secret', secret, certificate?.secret, certificate?.secret === secret, missing)
    if (validDaysAtLeast !== undefined) {
      const days = certificate === undefined || certificate.notAfter === '' ? undefined : Math.floor((Date.parse(certificate.notAfter) - options.now.getTime()) / DAY_MS)
      check('certificate.validDaysAtLeast', validDaysAtLeast, days, days !== undefined && days >= validDaysAtLeast, missing ?? (days === undefined ? 'its expiry is unknown' : `expires ${certificate!.notAfter.slice(0, 10)}`))
    }
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const actual = Object.entries(observation.headers ?? {}).find(([header]) => header.toLowerCase() === name.toLowerCase())?.[1]
    check(`headers.${name}`, value, actual, actual === value, actual === undefined ? (observation.refused === undefined ? 'the header is absent' : outcome) : undefined)
  }
  const verdict: CheckOutcome = checks.some((entry) => entry.outcome === 'failed') ? 'failed' : checks.some((entry) => entry.outcome === 'passed') ? 'passed' : 'not-checkable'
  return {verdict, checks}
}
