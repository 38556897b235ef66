/**
 * decide: where does a connection or request go? The one decision function
 * behind `gwctl resolve` and `gwctl serve` (DESIGN.md), so they never
 * disagree. A RoutingTable is compiled once from a Binding; each question —
 * which listener takes this port and SNI or Host, which TLSRoute, TCPRoute
 * or UDPRoute, which HTTPRoute/GRPCRoute rule, which backends with what
 * share — is answered with a trace of every candidate considered and why it
 * was or was not chosen.
 *
 * Rules implemented (SEMANTICS.md): listener choice by most specific
 * hostname among accepted, programmed listeners of accepted Gateways (§1.4,
 * §1.5); listener isolation (a request is served only by the routes of the
 * listener it reached); HTTPS misdirection (421) and no-match (404) (§1.5);
 * TLSRoute precedence by intersected hostname specificity, then age, then
 * namespace/name (§7); HTTPRoute/GRPCRoute precedence (§8.2, §8.3); oldest
 * TCPRoute/UDPRoute takes the traffic (§8.4); weights as shares of a rule
 * (§5.4); invalid backends keep their share and fail it (§5.3); what an
 * HTTP request is forwarded as — rewritten path and Host, header
 * operations, mirrors — for the rule and each backend with filters of its
 * own (http-filters.ts planForward); redirects; an ExtensionRef filter
 * gwctl cannot carry out answers 500 (§4.6).
 */
import type {
  BackendBinding, Binding, CertificateBinding, ClientValidationBinding, GatewayBinding, ListenerBinding, RouteBinding, RuleBinding,
} from './binding.js'
import {ALLOW_VALID_ONLY} from './frontend-validation.js'
import {ANY_HOSTNAME, compareHostnameSpecificity, hostnameMatches, normalizeRequestHost, originalRouteHostname} from './hostname.js'
import {
  compareKeys, grpcMatchMatches, grpcPrecedenceKey, httpMatchMatches, httpPrecedenceKey, type HttpRequest,
} from './http-match.js'
import {buildRedirectLocation, findRedirect, planForward, type FilterStep, type ForwardPlan} from './http-filters.js'
import type {RouteFilter} from '../model/types.js'
import {decideBackendHttpVersion, type BackendHttpVersion} from './backend-protocol.js'
import {describeListener, terminatesTls} from './listeners.js'
import {compareByAge, compareHostnameClaims, explainAgeOrder, explainHostnameClaims, type HostnameClaim} from './precedence.js'

export type Transport = 'tls' | 'http' | 'tcp' | 'udp'

export interface TraceStep {
  step: 'gateway' | 'listener' | 'route' | 'backend' | 'certificate'
  candidate: string
  result: 'chosen' | 'skipped' | 'lost'
  why: string
}

export interface DecidedBackend {
  binding: BackendBinding
  kind: string
  namespace: string
  name: string
  port?: number
  /** The weight as written. */
  weight: number
  /** Share of the rule's traffic, in percent (weights are relative, SEMANTICS.md §5.4). */
  percent: number
  valid: boolean
  why?: string
  /**
   * What a client whose traffic falls to this invalid backend gets
   * (SEMANTICS.md §5.3): HTTP 500 (HTTPRoute), gRPC 14 UNAVAILABLE
   * (GRPCRoute), or a reset connection (TLSRoute, TCPRoute); never a
   * plaintext connection to a backend whose BackendTLSPolicy fails.
   */
  failure?: BackendFailure
  /**
   * HTTPRoute/GRPCRoute: what this backend is sent — the rule's filters,
   * then its own (backendRefs[].filters), applied in order.
   */
  forward?: ForwardPlan
  /** HTTPRoute/GRPCRoute: the HTTP version spoken to this backend (backend-protocol.ts). */
  httpVersion?: BackendHttpVersion
}

export interface BackendFailure {
  status?: number
  grpcStatus?: number
  reset?: boolean
  reason: string
}

/** Client-certificate validation of the chosen listener (Gateway spec.tls.frontend), as resolve reports it. */
export interface ClientCertificateDecision {
  /** A valid client certificate is required (AllowValidOnly); with AllowInsecureFallback it is requested but optional. */
  required: boolean
  mode: string
  /** `spec.tls.frontend.default` or `spec.tls.frontend.perPort[i] (port N)`. */
  source: string
  caRefs: Array<{kind: string; namespace: string; name: string; valid: boolean; reason?: string; why?: string}>
}

export interface Decision {
  matched: boolean
  port: number
  transport: Transport
  /** SNI as asked: '' for a client that sends none, undefined for plaintext. */
  sni?: string
  /** Host the HTTP request carries (HTTPS defaults it to the SNI). */
  host?: string
  gateway?: GatewayBinding
  listener?: ListenerBinding
  /** 'Passthrough' | 'Terminate' for TLS listeners. */
  mode?: string
  route?: RouteBinding
  rule?: RuleBinding
  /**
   * HTTPRoute/GRPCRoute: index of the winning match in the rule's `matches`
   * (`grpcMatches`), which need not be the first one that matches; filters
   * such as ReplacePrefixMatch act on the prefix of this match.
   */
  matchIndex?: number
  backends: DecidedBackend[]
  /**
   * HTTPRoute/GRPCRoute with a forwarded request: what the rule's filters
   * make of it (rewritten path and Host, request and response header
   * operations, mirrors); a backend with filters of its own has its plan in
   * `backends[].forward`.
   */
  forward?: ForwardPlan
  /** The certificate the gateway presents (Terminate). */
  certificate?: CertificateBinding
  /** The client-certificate validation the listener carries out (Terminate, Gateway spec.tls.frontend). */
  clientValidation?: ClientValidationBinding
  /** HTTP answer the gateway gives itself: 404 no route, 421 misdirected, 500 no backend, 3xx redirect. */
  httpStatus?: number
  /**
   * HTTPRequestRedirectFilter answer: status and Location, without the
   * request's query string (the consumer appends its `?…` as received).
   */
  redirect?: {statusCode: number; location: string}
  /** gRPC answer the gateway gives itself (GRPCRoute): 12 UNIMPLEMENTED no route, 14 UNAVAILABLE no backend. */
  grpcStatus?: number
  /** One line: what happened. */
  reason: string
  trace: TraceStep[]
}

export interface ConnectionQuery {
  port: number
  transport: Transport
  /** For 'tls': the SNI, '' when the client sends none. */
  sni?: string
  /** For 'http' and 'tls' to an HTTPS listener: the request (Host defaults to the SNI). */
  host?: string
  request?: HttpRequest
  /** Narrow to one Gateway (`--gateway ns/name`). */
  gateway?: {namespace: string; name: string}
}

const TRANSPORT_PROTOCOLS: Record<Transport, ReadonlySet<string>> = {
  tls: new Set(['HTTPS', 'TLS']),
  http: new Set(['HTTP']),
  tcp: new Set(['TCP']),
  udp: new Set(['UDP']),
}

/** One (route, rule, match, hostname) of an HTTP listener, with its precedence key (§8.2, §8.3). */
export interface HttpCandidate {
  hostname: string
  key: number[]
  route: RouteBinding
  rule: RuleBinding
  matchIndex: number
  grpc: boolean
}

function gatewayName(gateway: GatewayBinding): string {
  return `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}`
}

function gatewayCandidate(gateway: GatewayBinding): string {
  return `Gateway ${gatewayName(gateway)}`
}

function routeName(route: RouteBinding): string {
  return `${route.route.kind} ${route.route.meta.namespace}/${route.route.meta.name}`
}

/** Listeners of a Gateway that carry traffic: its own and those of admitted ListenerSets. */
export function gatewayListeners(gateway: GatewayBinding): ListenerBinding[] {
  return [...gateway.listeners, ...gateway.listenerSets.filter((listenerSet) => listenerSet.admitted).flatMap((listenerSet) => listenerSet.listeners)]
}

export class RoutingTable {
  private readonly httpCandidates = new Map<ListenerBinding, HttpCandidate[]>()

  constructor(readonly binding: Binding) {}

  /** Gateways, narrowed by `--gateway`. */
  gateways(filter?: {namespace: string; name: string}): GatewayBinding[] {
    return this.binding.gateways.filter((gateway) => filter === undefined
      || (gateway.gateway.meta.namespace === filter.namespace && gateway.gateway.meta.name === filter.name))
  }

  /** Every port with a listener of the given protocols (all protocols when omitted), ascending. */
  ports(protocols?: ReadonlySet<string>, filter?: {namespace: string; name: string}): number[] {
    const ports = new Set<number>()
    for (const gateway of this.gateways(filter)) {
      for (const listener of gatewayListeners(gateway)) {
        if (listener.spec.port !== undefined && (protocols === undefined || protocols.has(listener.spec.protocol))) ports.add(listener.spec.port)
      }
    }
    return [...ports].sort((a, b) => a - b)
  }

  /**
   * The listener of `gateway` that takes a connection on `port` for host
   * (SNI or Host; '' = none): the most specific matching hostname among
   * accepted and programmed listeners of the transport's protocols.
   */
  chooseListener(gateway: GatewayBinding, port: number, transport: Transport, host: string, trace: TraceStep[]): ListenerBinding | undefined {
    const protocols = TRANSPORT_PROTOCOLS[transport]
    const usable: ListenerBinding[] = []
    for (const listener of gatewayListeners(gateway)) {
      const name = describeListener(listener)
      if (listener.spec.port !== port) continue
      if (!protocols.has(listener.spec.protocol)) {
        trace.push({step: 'listener', candidate: name, result: 'skipped', why: `protocol ${listener.spec.protocol} does not take ${transport.toUpperCase()} connections`})
        continue
      }
      if (!listener.accepted) {
        const bad = listener.conditions.find((condition) => (condition.type === 'Conflicted') === (condition.status === 'True'))
        trace.push({step: 'listener', candidate: name, result: 'skipped', why: `not accepted: ${bad?.reason ?? 'invalid'}: ${bad?.message ?? ''}`})
        continue
      }
      if (!listener.programmed && !listener.awaitingSecrets) {
        const programmed = listener.conditions.find((condition) => condition.type === 'Programmed')
        trace.push({step: 'listener', candidate: name, result: 'skipped', why: `not programmed: ${programmed?.message ?? ''}`})
        continue
      }
      if (transport === 'tcp' || transport === 'udp') {
        usable.push(listener)
        continue
      }
      if (host === '' ? listener.spec.hostname !== undefined : !hostnameMatches(listener.spec.hostname, host)) {
        trace.push({step: 'listener', candidate: name, result: 'skipped',
          why: host === '' ? `hostname ${listener.spec.hostname} needs ${transport === 'tls' ? 'an SNI' : 'a Host header'} and none was sent` : `hostname ${listener.spec.hostname} does not match ${host}`})
        continue
      }
      usable.push(listener)
    }
    // Stable sort keeps merged order (Gateway listeners before ListenerSets, older sets first) on ties.
    usable.sort((a, b) => compareHostnameSpecificity(a.spec.hostname, b.spec.hostname))
    const [chosen, ...others] = usable
    if (chosen === undefined) return undefined
    trace.push({step: 'listener', candidate: describeListener(chosen), result: 'chosen',
      why: transport === 'tcp' || transport === 'udp' ? `takes port ${port}` : chosen.spec.hostname === undefined ? 'has no hostname, so it matches any' : `hostname ${chosen.spec.hostname} matches ${host}`})
    for (const other of others) {
      trace.push({step: 'listener', candidate: describeListener(other), result: 'lost', why: `hostname ${other.spec.hostname ?? '(none)'} is less specific than ${chosen.spec.hostname ?? '(none)'}`})
    }
    return chosen
  }

  /** Answer a connection (and request) for every matching Gateway (one when `--gateway` is given). */
  decide(query: ConnectionQuery): Decision[] {
    const decisions: Decision[] = []
    const protocols = TRANSPORT_PROTOCOLS[query.transport]
    for (const gateway of this.gateways(query.gateway)) {
      const onPort = gatewayListeners(gateway).filter((listener) => listener.spec.port === query.port && protocols.has(listener.spec.protocol))
      if (onPort.length === 0) continue
      decisions.push(this.decideOnGateway(gateway, query))
    }
    return decisions
  }

  /** The decision for one Gateway. */
  decideOnGateway(gateway: GatewayBinding, query: ConnectionQuery): Decision {
    const trace: TraceStep[] = []
    const sni = query.transport === 'tls' ? normalizeRequestHost(query.sni ?? '') : undefined
    const host = query.host === undefined ? sni : normalizeRequestHost(query.host)
    const base: Decision = {matched: false, port: query.port, transport: query.transport, sni: query.transport === 'tls' ? sni : undefined,
      host: query.transport === 'http' || query.request !== undefined ? host : undefined, gateway, backends: [], reason: '', trace}
    if (!gateway.accepted) {
      trace.push({step: 'gateway', candidate: gatewayCandidate(gateway), result: 'skipped', why: `Gateway is not accepted: ${gateway.conditions[0]?.message ?? ''}`})
      return {...base, reason: `Gateway ${gatewayName(gateway)} is not accepted`}
    }
    trace.push({step: 'gateway', candidate: gatewayCandidate(gateway), result: 'chosen', why: `has listeners on port ${query.port}`})
    const selector = query.transport === 'tls' ? sni ?? '' : host ?? ''
    const listener = this.chooseListener(gateway, query.port, query.transport, selector, trace)
    if (listener === undefined) {
      const what = query.transport === 'tls' ? (sni === '' ? 'a client without SNI' : `SNI ${sni}`) : query.transport === 'http' ? `Host ${host || '(none)'}` : `port ${query.port}`
      return {...base, reason: `no listener of Gateway ${gatewayName(gateway)} on port ${query.port} takes ${what}`,
        httpStatus: query.transport === 'http' ? 404 : undefined}
    }
    const decision: Decision = {...base, listener, mode: listener.mode}
    explainUnattached(this.binding, listener, trace)

    if (query.transport === 'tcp' || query.transport === 'udp') return this.decideStream(decision, listener)
    if (query.transport === 'http') return this.decideHttp(decision, listener, host ?? '', query.request)
    if (terminatesTls(listener)) {
      decision.certificate = listener.certificates.find((certificate) => certificate.usable) ?? listener.certificates.find((certificate) => certificate.missing)
      if (decision.certificate !== undefined) {
        const {ref, secret, source, missing} = decision.certificate
        const why = missing
          ? 'assumed: the Secret is not in the input, so its certificate cannot be checked'
          : secret === undefined && source !== undefined
            ? `issued by cert-manager Certificate ${source.meta.namespace}/${source.meta.name} (Secret not in the input)`
            : `first usable certificateRef of ${describeListener(listener)}`
        trace.push({step: 'certificate', candidate: `Secret ${ref.namespace}/${ref.name}`, result: 'chosen', why})
      }
      if (listener.clientValidation !== undefined) {
        decision.clientValidation = listener.clientValidation
        traceClientValidation(listener.clientValidation, trace)
      }
    }
    if (listener.spec.protocol === 'HTTPS') {
      const hostListener = host === sni ? listener : this.chooseListener(gateway, query.port, 'tls', host ?? '', [])
      if (hostListener !== listener) {
        const status = hostListener === undefined ? 404 : 421
        const why = hostListener === undefined
          ? `Host ${host} matches no listener on port ${query.port}`
          : `Host ${host} belongs to ${describeListener(hostListener)}, but the TLS connection was made for ${sni === '' ? 'no SNI' : `SNI ${sni}`} on ${describeListener(listener)} (misdirected request)`
        trace.push({step: 'listener', candidate: describeListener(hostListener ?? listener), result: 'skipped', why})
        return {...decision, httpStatus: status, reason: why}
      }
      return this.decideHttp(decision, listener, host ?? '', query.request)
    }
    return this.decideTlsRoute(decision, listener, sni ?? '')
  }

  /** TLS listener (Passthrough or Terminate): the TLSRoute whose hostname matches the SNI; TCPRoutes on Terminate listeners. */
  private decideTlsRoute(decision: Decision, listener: ListenerBinding, sni: string): Decision {
    const {trace} = decision
    const candidates: Array<HostnameClaim & {route: RouteBinding}> = []
    const seen = new Set<RouteBinding>()
    for (const attached of listener.routes) {
      if (attached.route.route.kind !== 'TLSRoute' || seen.has(attached.route)) continue
      seen.add(attached.route)
      const matching = attached.hostnames.filter((hostname) => (sni === '' ? hostname === ANY_HOSTNAME : hostnameMatches(hostname, sni)))
        .sort(compareHostnameSpecificity)
      if (matching.length === 0) {
        trace.push({step: 'route', candidate: routeName(attached.route), result: 'skipped',
          why: sni === '' ? `hostnames ${attached.hostnames.join(', ')} need an SNI` : `hostnames ${attached.hostnames.join(', ')} do not match ${sni}`})
        continue
      }
      const {route} = attached.route
      candidates.push({route: attached.route, hostname: matching[0], original: originalRouteHostname(listener.spec.hostname, route.hostnames, matching[0]), meta: route.meta})
    }
    candidates.sort(compareHostnameClaims)
    const [winner, ...losers] = candidates
    if (winner !== undefined) {
      trace.push({step: 'route', candidate: routeName(winner.route), result: 'chosen', why: winner.hostname === ANY_HOSTNAME ? 'matches any SNI' : `hostname ${winner.hostname} matches ${sni}`})
      for (const loser of losers) {
        trace.push({step: 'route', candidate: routeName(loser.route), result: 'lost', why: explainHostnameClaims(winner, loser)})
      }
      return this.withRuleBackends(decision, winner.route, winner.route.rules.filter((rule) => rule.valid))
    }
    if (listener.mode === 'Terminate') {
      const streamed = this.decideStream({...decision}, listener)
      if (streamed.matched || streamed.route !== undefined) return streamed
    }
    return {...decision, reason: `no TLSRoute on ${describeListener(decision.listener!)} matches ${sni === '' ? 'a client without SNI' : `SNI ${sni}`}: the connection is rejected`}
  }

  /** TCP/UDP (and TCPRoutes on TLS Terminate): the oldest attached route of the kind takes every connection. */
  private decideStream(decision: Decision, listener: ListenerBinding): Decision {
    const {trace} = decision
    const kinds = listener.spec.protocol === 'UDP' ? ['UDPRoute'] : ['TCPRoute']
    const routes = [...new Set(listener.routes.map((attached) => attached.route))].filter((route) => kinds.includes(route.route.kind))
      .sort((a, b) => compareByAge(a.route.meta, b.route.meta))
    const [winner, ...losers] = routes
    if (winner === undefined) {
      return {...decision, reason: `no ${kinds[0]} is attached to ${describeListener(listener)}: the connection is rejected`}
    }
    trace.push({step: 'route', candidate: routeName(winner), result: 'chosen', why: losers.length === 0 ? `attached to ${describeListener(listener)}` : 'oldest route on the listener'})
    for (const loser of losers) {
      trace.push({step: 'route', candidate: routeName(loser), result: 'lost', why: explainAgeOrder(winner.route.meta, loser.route.meta)})
    }
    return this.withRuleBackends(decision, winner, winner.rules.filter((rule) => rule.valid))
  }

  /** HTTPRoute/GRPCRoute precedence over every (route, rule, match, hostname) of the listener (isolation: only its routes). */
  private decideHttp(decision: Decision, listener: ListenerBinding, host: string, request: HttpRequest | undefined): Decision {
    const {trace} = decision
    const effective: HttpRequest = request ?? {method: 'GET', path: '/', query: [], headers: []}
    const isGrpc = effective.headers.some(([name, value]) => name === 'content-type' && value.startsWith('application/grpc'))
    const candidates = this.candidatesFor(listener).filter((candidate) => candidate.grpc === isGrpc)
    const hostOk = (candidate: HttpCandidate) => (host === '' ? candidate.hostname === ANY_HOSTNAME : hostnameMatches(candidate.hostname, host))
    const matches = (candidate: HttpCandidate) => candidate.grpc
      ? candidate.rule.rule.grpcMatches.length === 0 || grpcMatchMatches(candidate.rule.rule.grpcMatches[candidate.matchIndex], effective)
      : httpMatchMatches(candidate.rule.rule.matches[candidate.matchIndex], effective)
    const winner = candidates.find((candidate) => hostOk(candidate) && matches(candidate))

    const routes = [...new Set(candidates.map((candidate) => candidate.route))]
    for (const route of routes) {
      if (winner !== undefined && route === winner.route) {
        trace.push({step: 'route', candidate: routeName(route), result: 'chosen',
          why: `rule ${winner.rule.rule.index} matches ${describeRequest(effective)} with hostname ${winner.hostname === ANY_HOSTNAME ? '(any)' : winner.hostname}`})
        continue
      }
      const own = candidates.filter((candidate) => candidate.route === route)
      const hosted = own.filter(hostOk)
      if (hosted.length === 0) {
        trace.push({step: 'route', candidate: routeName(route), result: 'skipped', why: `hostnames ${[...new Set(own.map((candidate) => candidate.hostname))].join(', ')} do not match ${host || '(no host)'}`})
        continue
      }
      const matching = hosted.find(matches)
      if (matching === undefined) {
        trace.push({step: 'route', candidate: routeName(route), result: 'skipped', why: `no rule matches ${describeRequest(effective)}`})
        continue
      }
      trace.push({step: 'route', candidate: routeName(route), result: 'lost', why: explainHttpLoss(winner!, matching)})
    }
    if (winner === undefined) {
      const what = `rule on ${describeListener(listener)} matches ${host || '(no host)'} ${describeRequest(effective)}`
      return isGrpc
        ? {...decision, grpcStatus: 12, reason: `no GRPCRoute ${what}: the gateway answers gRPC status 12 (UNIMPLEMENTED)`}
        : {...decision, httpStatus: 404, reason: `no HTTPRoute ${what}: the gateway answers 404`}
    }
    const {rule} = winner.rule
    const redirect = findRedirect(rule.filters)
    const withBackends = {...this.withRuleBackends(decision, winner.route, [winner.rule]), matchIndex: winner.matchIndex}
    const match = winner.grpc ? undefined : rule.matches[winner.matchIndex]?.path
    const matchedPrefix = match?.type === 'PathPrefix' ? match.value : undefined
    if (redirect !== undefined) {
      const statusCode = redirect.statusCode ?? 302
      const location = buildRedirectLocation(redirect, {
        scheme: decision.transport === 'tls' ? 'https' : 'http', host, listenerPort: decision.port, path: effective.path, search: '',
      }, matchedPrefix)
      return {...withBackends, matched: true, httpStatus: statusCode, redirect: {statusCode, location},
        reason: `${routeName(winner.route)} rule ${winner.rule.rule.index} redirects (${statusCode}) to ${location}`}
    }
    if (rule.filters.some((filter) => filter.type === 'ExtensionRef')) {
      const why = `${routeName(winner.route)} rule ${rule.index} has an ExtensionRef filter gwctl cannot carry out`
      return isGrpc
        ? {...withBackends, matched: false, grpcStatus: 14, reason: `${why}: the gateway answers gRPC status 14 (UNAVAILABLE)`}
        : {...withBackends, matched: false, httpStatus: 500, reason: `${why}: the gateway answers 500`}
    }
    if (!withBackends.matched && winner.rule.rule.backendRefs.length === 0 && !isGrpc) {
      return {...withBackends, httpStatus: 500, reason: `${routeName(winner.route)} rule ${winner.rule.rule.index} has no backendRefs: the gateway answers 500`}
    }
    return withForwardPlans(withBackends, winner.rule, effective.path, matchedPrefix)
  }

  /** Candidates of a listener in precedence order, computed once per listener. */
  private candidatesFor(listener: ListenerBinding): HttpCandidate[] {
    let list = this.httpCandidates.get(listener)
    if (list === undefined) {
      list = listHttpCandidates(listener)
      this.httpCandidates.set(listener, list)
    }
    return list
  }

  /** The backends of the chosen rule(s), weights turned into shares. */
  private withRuleBackends(decision: Decision, route: RouteBinding, rules: RuleBinding[]): Decision {
    const backends = rules.flatMap((rule) => rule.backends)
    const total = totalWeight(backends)
    const kind = route.route.kind
    const decided: DecidedBackend[] = backends.map((backend) => ({
      binding: backend,
      kind: backend.ref.kind,
      namespace: backend.ref.namespace,
      name: backend.ref.name,
      port: backend.ref.port,
      weight: backend.ref.weight,
      percent: sharePercent(backend.ref.weight, total),
      valid: backend.valid,
      ...(backend.valid ? {} : {why: backend.message, failure: describeFailure(kind, backend.message ?? 'the backendRef does not resolve')}),
      ...(kind === 'HTTPRoute' || kind === 'GRPCRoute' ? {httpVersion: decideBackendHttpVersion(kind, backend)} : {}),
    }))
    for (const backend of decided) {
      decision.trace.push({step: 'backend', candidate: `${backend.kind} ${backend.namespace}/${backend.name}:${backend.port ?? '?'}`,
        result: backend.valid && backend.percent > 0 ? 'chosen' : 'skipped',
        why: backend.valid ? `${backend.percent}% of connections (weight ${backend.weight} of ${total})` : `invalid, its ${backend.percent}% share fails: ${backend.why} → ${describeAnswer(backend.failure!)}`})
    }
    const live = decided.filter((backend) => backend.valid && backend.percent > 0)
    const rule = rules[0]
    const base = {...decision, route, rule, backends: decided}
    if (live.length === 0) {
      const why = decided.length === 0 ? 'no backendRefs' : total === 0 ? 'every backend weight is 0' : 'no valid backend'
      const answer = kind === 'HTTPRoute' ? 'the gateway answers 500' : kind === 'GRPCRoute' ? 'the gateway answers gRPC status 14 (UNAVAILABLE)' : 'the connection is rejected'
      const invalid = decided.find((backend) => !backend.valid && backend.percent > 0)
      const detail = why === 'no valid backend' && invalid !== undefined ? ` (${invalid.why})` : ''
      return {...base, matched: false, httpStatus: kind === 'HTTPRoute' ? 500 : undefined, grpcStatus: kind === 'GRPCRoute' ? 14 : undefined,
        reason: `${routeName(route)} matched but has ${why}: ${answer}${detail}`}
    }
    return {...base, matched: true, reason: `${routeName(route)} → ${live.map((backend) => `${backend.namespace}/${backend.name}:${backend.port} (${backend.percent}%)`).join(', ')}`}
  }
}

/**
 * Every HTTPRoute/GRPCRoute (route, rule, match, hostname) of a listener in
 * precedence order: the first one that matches a request's host and
 * request wins (listener isolation: only this listener's routes).
 */
export function listHttpCandidates(listener: ListenerBinding): HttpCandidate[] {
  const list: HttpCandidate[] = []
  const seen = new Set<RouteBinding>()
  for (const attached of listener.routes) {
    const {route} = attached
    if ((route.route.kind !== 'HTTPRoute' && route.route.kind !== 'GRPCRoute') || seen.has(route)) continue
    seen.add(route)
    const grpc = route.route.kind === 'GRPCRoute'
    for (const hostname of attached.hostnames) {
      const original = originalRouteHostname(listener.spec.hostname, route.route.hostnames, hostname)
      for (const rule of route.rules) {
        if (!rule.valid) continue
        if (grpc) {
          const grpcMatches = rule.rule.grpcMatches
          const count = Math.max(grpcMatches.length, 1)
          for (let matchIndex = 0; matchIndex < count; matchIndex++) {
            list.push({hostname, key: grpcPrecedenceKey(hostname, original, grpcMatches[matchIndex]), route, rule, matchIndex, grpc})
          }
        } else {
          rule.rule.matches.forEach((match, matchIndex) => {
            list.push({hostname, key: httpPrecedenceKey(hostname, original, match), route, rule, matchIndex, grpc})
          })
        }
      }
    }
  }
  return list.sort((a, b) => compareKeys(a.key, b.key)
    || compareByAge(a.route.route.meta, b.route.route.meta)
    || a.rule.rule.index - b.rule.rule.index
    || a.matchIndex - b.matchIndex)
}

/** What a client gets from an invalid backend of a route of this kind (SEMANTICS.md §5.3). */
function describeFailure(kind: string, reason: string): BackendFailure {
  if (kind === 'HTTPRoute') return {status: 500, reason}
  if (kind === 'GRPCRoute') return {grpcStatus: 14, reason}
  return {reset: true, reason}
}

function describeAnswer(failure: BackendFailure): string {
  if (failure.status !== undefined) return `HTTP ${failure.status}`
  if (failure.grpcStatus !== undefined) return `gRPC status ${failure.grpcStatus}`
  return 'connection reset'
}

/** Trace of the client-certificate validation: each CA reference, chosen when valid. */
function traceClientValidation(validation: ClientValidationBinding, trace: TraceStep[]): void {
  const demand = validation.mode === ALLOW_VALID_ONLY
    ? 'clients must present a certificate issued by it (AllowValidOnly)'
    : 'clients are asked for a certificate issued by it, but accepted without one (AllowInsecureFallback)'
  for (const ref of validation.caRefs) {
    trace.push({step: 'certificate', candidate: `client CA ${ref.ref.kind || '(no kind)'} ${ref.ref.namespace}/${ref.ref.name}`, result: ref.valid ? 'chosen' : 'skipped',
      why: ref.valid ? `${validation.source}: ${demand}` : `${validation.source}: ${ref.reason}: ${ref.message}`})
  }
}

/** The client-certificate part of a decision, for resolve's output. */
export function describeClientCertificate(validation: ClientValidationBinding): ClientCertificateDecision {
  return {
    required: validation.mode === ALLOW_VALID_ONLY,
    mode: validation.mode,
    source: validation.source,
    caRefs: validation.caRefs.map((ref) => ({
      kind: ref.ref.kind, namespace: ref.ref.namespace, name: ref.ref.name, valid: ref.valid,
      ...(ref.valid ? {} : {reason: ref.reason, why: ref.message}),
    })),
  }
}

/** Sum of the weights of a rule's backends (negative weights count as 0). */
export function totalWeight(backends: readonly BackendBinding[]): number {
  return backends.reduce((sum, backend) => sum + Math.max(backend.ref.weight, 0), 0)
}

/** A weight as a percentage of the rule's traffic, two decimals (SEMANTICS.md §5.4). */
export function sharePercent(weight: number, total: number): number {
  return total === 0 ? 0 : Math.round((Math.max(weight, 0) / total) * 10_000) / 100
}

function describeRequest(request: HttpRequest): string {
  const query = request.query.length === 0 ? '' : `?${request.query.map(([name, value]) => `${name}=${value}`).join('&')}`
  return `${request.method} ${request.path}${query}`
}

/** What each element of httpPrecedenceKey stands for (§8.2). */
const HOSTNAME_CRITERIA = [
  'a longer non-wildcard hostname', 'a longer hostname',
  'a more specific route hostname (same intersected hostname)', 'a more specific route hostname (same intersected hostname)',
]

const HTTP_PRECEDENCE_CRITERIA = [
  ...HOSTNAME_CRITERIA, 'a stronger path match type (Exact > RegularExpression > PathPrefix)',
  'a longer path', 'a longer path', 'a method match', 'more header matches', 'more query parameter matches',
]

/** What each element of grpcPrecedenceKey stands for (§8.3). */
const GRPC_PRECEDENCE_CRITERIA = [
  ...HOSTNAME_CRITERIA, 'a longer service', 'a longer method', 'more header matches',
]

export function explainHttpLoss(winner: HttpCandidate, loser: HttpCandidate): string {
  const difference = winner.key.findIndex((value, index) => value !== loser.key[index])
  const criteria = winner.grpc ? GRPC_PRECEDENCE_CRITERIA : HTTP_PRECEDENCE_CRITERIA
  if (difference !== -1) return `${routeName(winner.route)} rule ${winner.rule.rule.index} wins with ${criteria[difference]}`
  if (winner.route === loser.route) return `an earlier rule of the same route wins`
  return `${routeName(winner.route)} wins: ${explainAgeOrder(winner.route.route.meta, loser.route.route.meta)}`
}

/** Routes that name this listener (or its parent) but did not attach to it, with the reason, for the trace. */
function explainUnattached(binding: Binding, listener: ListenerBinding, trace: TraceStep[]): void {
  for (const route of binding.routes) {
    for (const parent of route.parents) {
      const rejection = parent.rejections.find((entry) => entry.listener === listener)
      if (rejection !== undefined) {
        trace.push({step: 'route', candidate: routeName(route), result: 'skipped', why: `not attached: ${rejection.why}`})
      }
    }
  }
}

/** A rule's or backend's filters as steps, each RequestMirror with its resolved backendRef (found by its path in the route). */
function filterSteps(rule: RuleBinding, filters: readonly RouteFilter[], path: ReadonlyArray<string | number>): FilterStep[] {
  return filters.map((filter, index) => {
    if (filter.type !== 'RequestMirror') return {filter}
    const expected = [...path, index, 'requestMirror', 'backendRef'].join('/')
    return {filter, mirrorBackend: rule.filterBackends.find((backend) => backend.ref.path.join('/') === expected)}
  })
}

/**
 * The forward plans of an HTTPRoute/GRPCRoute decision: the rule's filters
 * for the decision, the rule's then each backend's own for the backends. A
 * backend with an ExtensionRef filter cannot be served: its share fails.
 */
function withForwardPlans(decision: Decision, rule: RuleBinding, path: string, matchedPrefix: string | undefined): Decision {
  const ruleSteps = filterSteps(rule, rule.rule.filters, ['spec', 'rules', rule.rule.index, 'filters'])
  const backends = decision.backends.map((backend) => {
    const index = rule.backends.indexOf(backend.binding)
    const own = rule.rule.backendFilters[index] ?? []
    const forward = planForward([...ruleSteps, ...filterSteps(rule, own, [...rule.rule.backendRefs[index].path, 'filters'])], path, matchedPrefix)
    if (!backend.valid || !own.some((filter) => filter.type === 'ExtensionRef')) return {...backend, forward}
    const why = 'its ExtensionRef filter cannot be carried out by gwctl'
    decision.trace.push({step: 'backend', candidate: `${backend.kind} ${backend.namespace}/${backend.name}:${backend.port ?? '?'}`, result: 'skipped',
      why: `${why}: its ${backend.percent}% share fails (a filter that cannot be resolved is never skipped)`})
    return {...backend, forward, valid: false, why}
  })
  const planned = {...decision, backends, forward: planForward(ruleSteps, path, matchedPrefix)}
  if (!decision.matched || backends.some((backend) => backend.valid && backend.percent > 0)) return planned
  const route = decision.route!
  const grpc = route.route.kind === 'GRPCRoute'
  return {...planned, matched: false, httpStatus: grpc ? undefined : 500, grpcStatus: grpc ? 14 : undefined,
    reason: `${routeName(route)} matched but has no backend gwctl can serve: ${grpc ? 'the gateway answers gRPC status 14 (UNAVAILABLE)' : 'the gateway answers 500'}`}
}

export function compileRoutingTable(binding: Binding): RoutingTable {
  return new RoutingTable(binding)
}

/**
 * Pick a backend for one connection or request by weight (serve). `random`
 * is in [0, 1). Returns the chosen backend, which may be invalid: its share
 * of traffic fails, as the spec requires (SEMANTICS.md §5.3).
 */
export function pickBackend(backends: readonly DecidedBackend[], random: number): DecidedBackend | undefined {
  const total = backends.reduce((sum, backend) => sum + Math.max(backend.weight, 0), 0)
  if (total === 0) return undefined
  let point = random * total
  for (const backend of backends) {
    point -= Math.max(backend.weight, 0)
    if (point < 0) return backend
  }
  return backends.at(-1)
}
