/**
 * `gwctl test --init`: tests from today's routing table — one per listener
 * × hostname × route match (a rule's every HTTPRoute match, a GRPCRoute
 * method, a TLSRoute hostname, the TCPRoute/UDPRoute of a listener), plus,
 * per TLS/HTTPS port of each Gateway, a client without SNI and one with an
 * SNI no listener names. A wildcard hostname is tested with a name it
 * covers (`gwctl-test.example.com`), `*` with `any.example.test`; a
 * RegularExpression path or header match has no request gwctl can write
 * for it and is left out (counted). Each expectation is what the engine
 * decides today (expectationOf), so the file passes as written and a
 * reviewer reads it as the routing table in words.
 */
import {gatewayListeners} from '../gatewayapi/decide.js'
import type {Analysis} from '../pipeline/analyze.js'
import {buildTestQuery, createOfflineExecutor, inferProtocol, listProtocolsOnPort} from './offline-executor.js'
import type {RoutingTest, TestExpectation, TestObservation, TestProtocol, TestRequest} from './routing-test.js'

export interface GeneratedTest {
  name: string
  request: TestRequest
  expect: TestExpectation
}

const LISTENER_PROTOCOLS: Record<string, TestProtocol> = {HTTPS: 'https', TLS: 'tls', HTTP: 'http', TCP: 'tcp', UDP: 'udp'}

/** A name the listener/route hostname covers. */
function concreteHostname(hostname: string): string {
  if (hostname === '*') return 'any.example.test'
  return hostname.startsWith('*.') ? `gwctl-test.${hostname.slice(2)}` : hostname
}

/**
 * The expectation that states an observation: the outcome (refusal,
 * redirect, the gateway's own status, or the backends), the listener and
 * route, and the certificate's Secret and coverage when it is checkable.
 */
export function expectationOf(observation: TestObservation): TestExpectation {
  if (observation.refused !== undefined) return {refused: observation.refused}
  const checkable = (key: string) => observation.notCheckable?.[key] === undefined
  const expect: TestExpectation = {}
  if (observation.listener !== undefined) expect.listener = observation.listener
  if (observation.route !== undefined) expect.route = observation.route
  if (observation.redirect !== undefined) {
    expect.status = observation.status
    expect.redirect = observation.redirect
  } else if (observation.backend !== undefined) {
    expect.backend = observation.backend
  } else if (observation.backends !== undefined) {
    expect.backends = observation.backends
  }
  if (observation.redirect === undefined && observation.status !== undefined && checkable('status')) expect.status = observation.status
  if (observation.grpcStatus !== undefined && checkable('grpcStatus')) expect.grpcStatus = observation.grpcStatus
  const certificate = observation.certificate
  if (certificate !== undefined) {
    expect.certificate = {secret: certificate.secret, ...(checkable('certificate.covers') ? {covers: certificate.covers} : {})}
  }
  return expect
}

function describeRequest(request: TestRequest, listener: string): string {
  const target = request.sni === '' ? 'no SNI' : request.host ?? request.sni ?? `port ${request.port}`
  const http = request.path === undefined ? '' : ` ${request.method ?? ''} ${request.path}`.replace('  ', ' ')
  return `${target}${http} (listener ${listener}, port ${request.port})`
}

/** The requests of today's routing table, each with the name it is tested under. */
export function listTableRequests(analysis: Pick<Analysis, 'binding'>, filter?: {namespace: string; name: string}): {requests: Array<{name: string; request: TestRequest}>; leftOut: number} {
  const requests: Array<{name: string; request: TestRequest}> = []
  let leftOut = 0
  for (const gatewayBinding of analysis.binding.gateways) {
    const gateway = {namespace: gatewayBinding.gateway.meta.namespace, name: gatewayBinding.gateway.meta.name}
    if (filter !== undefined && (filter.namespace !== gateway.namespace || filter.name !== gateway.name)) continue
    const tlsPorts = new Set<number>()
    for (const listener of gatewayListeners(gatewayBinding)) {
      const port = listener.spec.port
      const listenerProtocol = LISTENER_PROTOCOLS[listener.spec.protocol]
      if (port === undefined || listenerProtocol === undefined) continue
      const inferred = inferProtocol(listProtocolsOnPort(analysis, gateway, port), undefined)
      const base: TestRequest = {gateway, port, ...(inferred === listenerProtocol ? {} : {protocol: listenerProtocol})}
      if (listenerProtocol === 'https' || listenerProtocol === 'tls') tlsPorts.add(port)
      const add = (request: TestRequest) => requests.push({name: describeRequest(request, listener.spec.name), request})
      const named = (hostname: string): TestRequest => {
        if (listenerProtocol === 'tcp' || listenerProtocol === 'udp') return {...base}
        const host = concreteHostname(hostname === '*' ? listener.spec.hostname ?? '*' : hostname)
        if (listenerProtocol === 'http') return hostname === '*' ? {...base} : {...base, host}
        return {...base, sni: host}
      }
      const attached = [...new Map(listener.routes.map((entry) => [entry.route, entry])).values()]
      if (attached.length === 0) {
        add(named(listener.spec.hostname ?? '*'))
        continue
      }
      for (const {route, hostnames} of attached) {
        const kind = route.route.kind
        for (const hostname of hostnames) {
          if (kind !== 'HTTPRoute' && kind !== 'GRPCRoute') {
            add(named(hostname))
            continue
          }
          for (const rule of route.rules.filter((entry) => entry.valid)) {
            if (kind === 'GRPCRoute') {
              const matches = rule.rule.grpcMatches.length === 0 ? [undefined] : rule.rule.grpcMatches
              for (const match of matches) {
                if (match?.method?.type === 'RegularExpression' || (match?.headers ?? []).some((header) => header.type === 'RegularExpression')) {
                  leftOut++
                  continue
                }
                const path = `/${match?.method?.service ?? 'gwctl.test.Service'}/${match?.method?.method ?? 'Call'}`
                const headers = Object.fromEntries((match?.headers ?? []).map((header) => [header.name, header.value]))
                add({...named(hostname), protocol: 'grpc', path, ...(Object.keys(headers).length === 0 ? {} : {headers})})
              }
              continue
            }
            for (const match of rule.rule.matches) {
              if (match.path.type === 'RegularExpression' || [...match.headers, ...match.queryParams].some((entry) => entry.type === 'RegularExpression')) {
                leftOut++
                continue
              }
              const query = match.queryParams.map((param) => `${encodeURIComponent(param.name)}=${encodeURIComponent(param.value)}`).join('&')
              const headers = Object.fromEntries(match.headers.map((header) => [header.name, header.value]))
              add({
                ...named(hostname), path: `${match.path.value}${query === '' ? '' : `?${query}`}`,
                ...(match.method === undefined ? {} : {method: match.method}),
                ...(Object.keys(headers).length === 0 ? {} : {headers}),
              })
            }
          }
        }
      }
    }
    for (const port of [...tlsPorts].sort((a, b) => a - b)) {
      requests.push({name: `no SNI (port ${port})`, request: {gateway, port, sni: ''}})
      requests.push({name: `unknown SNI (port ${port})`, request: {gateway, port, sni: 'unknown.gwctl-test.invalid'}})
    }
  }
  return {requests, leftOut}
}

/** The key two requests share when they ask the same thing (settled Gateway, inferred protocol). */
export function keyRequest(request: TestRequest, protocols: readonly string[]): string {
  const test = {name: '', request, expect: {}, location: {file: '', line: 0, column: 0}} as RoutingTest
  const built = buildTestQuery(test, protocols)
  return JSON.stringify([request.gateway?.namespace, request.gateway?.name, built?.query ?? request])
}

export async function generateTests(analysis: Pick<Analysis, 'binding'>, options: {now: Date; gateway?: {namespace: string; name: string}}): Promise<{tests: GeneratedTest[]; leftOut: number}> {
  const execute = createOfflineExecutor(analysis, options.now)
  const {requests, leftOut} = listTableRequests(analysis, options.gateway)
  const seen = new Set<string>()
  const names = new Map<string, number>()
  const tests: GeneratedTest[] = []
  for (const {name, request} of requests) {
    const key = keyRequest(request, listProtocolsOnPort(analysis, request.gateway!, request.port))
    if (seen.has(key)) continue
    seen.add(key)
    const observation = await execute({name, request, expect: {}, location: {file: '', line: 0, column: 0}})
    const count = (names.get(name) ?? 0) + 1
    names.set(name, count)
    tests.push({name: count === 1 ? name : `${name} #${count}`, request, expect: expectationOf(observation)})
  }
  return {tests, leftOut}
}
