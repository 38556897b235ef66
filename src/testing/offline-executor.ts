/**
 * The offline TestExecutor: a routing test answered by the engine, the very
 * decision `gwctl resolve` prints and `gwctl serve` carries out
 * (src/gatewayapi/decide.ts), read as a client would observe it:
 *   - a TLS connection no listener or (Passthrough, TLS Terminate) no route
 *     takes is refused with `unrecognized_name`, a Terminate listener
 *     without a usable certificate with `internal_error`, a listener that
 *     requires a client certificate the request does not present with
 *     `certificate_required`, one whose certificate does not verify against
 *     the listener's CA with OpenSSL's alert (verify-client-certificate.ts),
 *     as serve does;
 *   - a TCP/UDP/TLS connection whose route has no backend to send it to is
 *     `closed`;
 *   - an HTTP answer the gateway gives itself (404, 421, 500, a redirect,
 *     gRPC 12/14) is the status; a request forwarded to a backend gets the
 *     backend's status, which offline cannot see (not checkable);
 *   - backends are the valid backends with a share of the traffic (a
 *     share that fails is left out and said in the trace);
 *   - the certificate is the listener's Secret as resolve describes it; one
 *     a cert-manager Certificate will issue is assumed issued for its DNS
 *     names (its expiry is not checkable);
 *   - response headers: only those the route's ResponseHeaderModifier sets,
 *     adds or removes; the rest come from the backend (not checkable).
 * The test's Gateway is already settled (check-routing-tests.ts).
 */
import path from 'node:path'
import type {Analysis} from '../pipeline/analyze.js'
import {compileRoutingTable, type ConnectionQuery, type Decision, type Transport, gatewayListeners} from '../gatewayapi/decide.js'
import type {HeaderOperations} from '../gatewayapi/http-filters.js'
import {parseRequestTarget, type HttpRequest} from '../gatewayapi/http-match.js'
import {summarizeCertificate} from '../resolve/describe-certificate.js'
import type {RoutingTest, TestExecutor, TestObservation, TestProtocol} from './routing-test.js'

const MARKS = {chosen: '✔', lost: '↓', skipped: '✗'} as const

/** The protocol a test speaks: as written, else what the listeners on its port take (HTTPS before TLS before HTTP). */
export function inferProtocol(protocols: readonly string[], asked: TestProtocol | undefined): TestProtocol | undefined {
  if (asked !== undefined) return asked
  for (const [listener, protocol] of [['HTTPS', 'https'], ['TLS', 'tls'], ['HTTP', 'http'], ['TCP', 'tcp'], ['UDP', 'udp']] as const) {
    if (protocols.includes(listener)) return protocol
  }
  return undefined
}

/** Listener protocols on a port of a Gateway. */
export function listProtocolsOnPort(analysis: Pick<Analysis, 'binding'>, gateway: {namespace: string; name: string}, port: number): string[] {
  const found = analysis.binding.gateways.find((entry) => entry.gateway.meta.namespace === gateway.namespace && entry.gateway.meta.name === gateway.name)
  return found === undefined ? [] : [...new Set(gatewayListeners(found).filter((listener) => listener.spec.port === port).map((listener) => listener.spec.protocol))]
}

function transportOf(protocol: TestProtocol, protocols: readonly string[]): Transport {
  switch (protocol) {
    case 'tls':
    case 'https':
      return 'tls'
    case 'grpc':
      return protocols.includes('HTTPS') || !protocols.includes('HTTP') ? 'tls' : 'http'
    default:
      return protocol
  }
}

function buildHttpRequest(test: RoutingTest, protocol: TestProtocol, host: string | undefined): HttpRequest {
  const target = parseRequestTarget(test.request.path ?? '/')
  const headers = Object.entries(test.request.headers ?? {}).map(([name, value]): [string, string] => [name.toLowerCase(), value])
  if (host !== undefined && host !== '' && !headers.some(([name]) => name === 'host')) headers.unshift(['host', host])
  if (protocol === 'grpc' && !headers.some(([name]) => name === 'content-type')) headers.push(['content-type', 'application/grpc'])
  const method = (test.request.method ?? (protocol === 'grpc' ? 'POST' : 'GET')).toUpperCase()
  return {method, path: target.path, query: target.query, headers}
}

/** The engine's question for a test. */
export function buildTestQuery(test: RoutingTest, protocols: readonly string[]): {query: ConnectionQuery; protocol: TestProtocol} | undefined {
  const protocol = inferProtocol(protocols, test.request.protocol)
  if (protocol === undefined) return undefined
  const transport = transportOf(protocol, protocols)
  const {request} = test
  const query: ConnectionQuery = {port: request.port, transport, gateway: request.gateway}
  if (transport === 'tls') {
    const sendsHost = protocol === 'https' || protocol === 'grpc'
    query.sni = request.sni ?? (sendsHost ? request.host ?? '' : '')
    const host = request.host ?? (query.sni === '' ? undefined : query.sni)
    if (host !== undefined) query.host = host
    query.request = buildHttpRequest(test, protocol, host)
  } else if (transport === 'http') {
    query.host = request.host ?? ''
    query.request = buildHttpRequest(test, protocol, request.host)
  }
  return {query, protocol}
}

function describeTrace(decision: Decision): string[] {
  return [...decision.trace.map((step) => `${MARKS[step.result]} ${step.candidate}: ${step.why}`), `${decision.matched ? '→' : '✗'} ${decision.reason}`]
}

export function createOfflineExecutor(analysis: Pick<Analysis, 'binding'>, now: Date, cwd = process.cwd()): TestExecutor {
  const table = compileRoutingTable(analysis.binding)
  return async (test) => {
    const gateway = test.request.gateway!
    const protocols = listProtocolsOnPort(analysis, gateway, test.request.port)
    const built = buildTestQuery(test, protocols)
    if (built === undefined) return {refused: 'closed', trace: [`✗ no listener of Gateway ${gateway.namespace}/${gateway.name} on port ${test.request.port}`]}
    const [decision] = table.decide(built.query)
    if (decision === undefined) {
      return {refused: 'closed', trace: [`✗ no ${built.protocol.toUpperCase()} listener of Gateway ${gateway.namespace}/${gateway.name} on port ${test.request.port}: nothing accepts the connection`]}
    }
    const observation = observeDecision(decision, test, built.protocol, now)
    const validation = decision.clientValidation
    const files = test.request.clientCertificate
    if (validation === undefined || files === undefined || observation.refused !== undefined) return observation
    const {judgeClientCertificate} = await import('./verify-client-certificate.js')
    const verdict = await judgeClientCertificate(files, path.resolve(cwd, test.location.file), validation)
    observation.trace.push(verdict.why)
    if (verdict.refused === undefined) return observation
    observation.trace.push(`the client sees: ${verdict.refused}`)
    return {listener: observation.listener, certificate: observation.certificate, refused: verdict.refused, notCheckable: observation.notCheckable, trace: observation.trace}
  }
}

/**
 * What part of the routing table a test exercises, as a key: the listener,
 * route, rule and match the engine chooses, or, for a connection no route
 * takes, the port and whether an SNI was sent (`--update` adds a generated
 * test only where no test exercises its part).
 */
export function describeCoverage(analysis: Pick<Analysis, 'binding'>, test: RoutingTest): string {
  const gateway = test.request.gateway!
  const built = buildTestQuery(test, listProtocolsOnPort(analysis, gateway, test.request.port))
  const decision = built === undefined ? undefined : compileRoutingTable(analysis.binding).decide(built.query)[0]
  const where = [gateway.namespace, gateway.name, test.request.port, built?.query.transport]
  if (decision?.route === undefined) return JSON.stringify([...where, decision?.listener?.spec.name, built?.query.sni === '' ? 'no SNI' : 'unrouted'])
  const route = decision.route.route
  return JSON.stringify([...where, decision.listener?.spec.name, route.kind, route.meta.namespace, route.meta.name, decision.rule?.rule.index, decision.matchIndex])
}

/** A decision as the client of the test would observe it. */
export function observeDecision(decision: Decision, test: RoutingTest, protocol: TestProtocol, now: Date): TestObservation {
  const trace = describeTrace(decision)
  const observation: TestObservation = {trace, notCheckable: {}}
  const notCheckable = observation.notCheckable!
  const refuse = (alert: string, why: string): TestObservation => {
    trace.push(why === decision.reason ? `the client sees: ${alert}` : `the client sees ${alert}: ${why}`)
    return {...observation, refused: alert}
  }
  if (decision.listener === undefined) {
    if (decision.transport === 'tls') return refuse('unrecognized_name', decision.reason)
    if (decision.transport === 'http') return {...observation, status: decision.httpStatus ?? 404}
    return refuse('closed', decision.reason)
  }
  const listener = decision.listener
  observation.listener = listener.spec.name
  if (decision.route !== undefined) observation.route = `${decision.route.route.kind} ${decision.route.route.meta.namespace}/${decision.route.route.meta.name}`

  if (decision.transport === 'tls' && decision.mode === 'Passthrough' && decision.route === undefined) return refuse('unrecognized_name', decision.reason)
  if (decision.transport === 'tls' && decision.mode === 'Terminate') {
    const certificate = decision.certificate
    if (certificate === undefined) return refuse('internal_error', `listener '${listener.spec.name}' has no usable certificateRef`)
    const secret = `${certificate.ref.namespace}/${certificate.ref.name}`
    if (certificate.secret === undefined && certificate.source === undefined) {
      return refuse('internal_error', `the gateway has no certificate to present: Secret ${secret} is not in the input`)
    }
    const summary = summarizeCertificate(certificate, decision.sni, now)
    const dnsNames = (summary.subjectAltNames ?? []).filter((name) => name.startsWith('DNS:')).map((name) => name.slice(4))
    observation.certificate = {covers: summary.coversSni ?? false, secret, notAfter: summary.notAfter ?? '', subject: summary.subject ?? '', dnsNames}
    if (summary.coversSni === undefined) notCheckable['certificate.covers'] = decision.sni === '' ? 'no SNI is sent, so there is no name to cover' : summary.note ?? 'the certificate cannot be read'
    if (summary.notAfter === undefined) notCheckable['certificate.validDaysAtLeast'] = summary.note ?? 'the certificate cannot be read'
    if (certificate.secret === undefined) trace.push(`certificate: ${summary.note ?? ''} (assumed issued for ${dnsNames.join(', ')})`)
    const validation = decision.clientValidation
    if (validation !== undefined) {
      if (!validation.caRefs.some((ref) => ref.valid)) return refuse('internal_error', `${validation.source} has no valid CA certificate to verify clients with`)
      if (validation.mode === 'AllowValidOnly' && test.request.clientCertificate === undefined) {
        return refuse('certificate_required', `listener '${listener.spec.name}' requires a client certificate (${validation.source}, AllowValidOnly) and the request presents none`)
      }
    }
    if (listener.spec.protocol === 'TLS' && decision.route === undefined) return refuse('unrecognized_name', decision.reason)
  }

  const live = decision.backends.filter((backend) => backend.valid && backend.percent > 0)
  const failing = decision.backends.filter((backend) => !backend.valid && backend.percent > 0)
  for (const backend of failing) trace.push(`${backend.percent}% of the traffic fails: ${backend.namespace}/${backend.name}:${backend.port ?? '?'} ${backend.why ?? 'is invalid'}`)
  const shares = Object.fromEntries(live.map((backend) => [`${backend.namespace}/${backend.name}:${backend.port ?? '?'}`, backend.percent]))
  if (live.length > 0) observation.backends = shares
  if (live.length === 1 && failing.length === 0) observation.backend = Object.keys(shares)[0]

  const isHttp = decision.transport === 'http' || listener.spec.protocol === 'HTTPS'
  if (!isHttp) {
    if (live.length === 0) return refuse('closed', decision.reason)
    if (protocol === 'https' || protocol === 'grpc') {
      const why = `the backend behind the ${listener.spec.protocol} listener answers the ${protocol === 'grpc' ? 'gRPC' : 'HTTPS'} request; offline sees only the gateway (a live run sees the backend)`
      notCheckable.status = why
      notCheckable.grpcStatus = why
      notCheckable.redirect = why
      for (const name of Object.keys(test.expect.headers ?? {})) notCheckable[`headers.${name}`] = why
    }
    return observation
  }
  if (decision.redirect !== undefined) {
    const query = (test.request.path ?? '').includes('?') ? (test.request.path ?? '').slice((test.request.path ?? '').indexOf('?')) : ''
    observation.status = decision.redirect.statusCode
    observation.redirect = decision.redirect.location + query
    return observation
  }
  const grpc = protocol === 'grpc'
  if (decision.httpStatus !== undefined && !grpc) observation.status = decision.httpStatus
  if (decision.grpcStatus !== undefined) observation.grpcStatus = decision.grpcStatus
  if (live.length > 0 && decision.httpStatus === undefined && decision.grpcStatus === undefined) {
    const why = 'the backend answers the request; offline sees only what the gateway answers itself (--live sees the backend)'
    notCheckable.status = why
    notCheckable.grpcStatus = why
    notCheckable.redirect = why
    const plan = (live.length === 1 ? live[0].forward : undefined) ?? decision.forward
    if (plan !== undefined) {
      const headers = describeResponseHeaders(plan.responseHeaders)
      observation.headers = headers
      const removed = new Set(plan.responseHeaders.remove.map((name) => name.toLowerCase()))
      for (const name of Object.keys(test.expect.headers ?? {})) {
        const lower = name.toLowerCase()
        if (headers[lower] === undefined && !removed.has(lower)) notCheckable[`headers.${name}`] = 'the backend sets it, if at all; offline sees only the route\'s ResponseHeaderModifier'
      }
    }
  }
  return observation
}

/**
 * The response headers a ResponseHeaderModifier leaves the client with, as
 * far as the gateway decides them: `set` replaces, `add` appends to what
 * the backend sent (here: to what `set` wrote, else the added value alone).
 */
function describeResponseHeaders(operations: HeaderOperations): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const {name, value} of operations.set) headers[name.toLowerCase()] = value
  for (const {name, value} of operations.add) {
    const key = name.toLowerCase()
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`
  }
  return headers
}
