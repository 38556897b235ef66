/**
 * Routes that are attached but never receive traffic (issue 10 §9), decided
 * from the same precedence as decide.ts so that the table, serve's start-up
 * warnings and the decisions agree. A (listener, route, hostname[, rule,
 * match]) is shadowed when every connection or request it could take goes
 * elsewhere:
 * - to a more specific listener on the same port whose hostname covers it
 *   (listener isolation, SEMANTICS.md §1.5);
 * - TLSRoute: another route claims the same hostname and wins (§7);
 * - TCPRoute/UDPRoute: an older route of the kind on the listener (§8.4);
 * - HTTPRoute/GRPCRoute: a match that ranks first (§8.2, §8.3) and matches
 *   every request this one matches (same or wider hostname, path, method,
 *   and a subset of its header and query conditions). Regular expressions
 *   are compared as text, so a shadow is never claimed without proof.
 */
import type {GRPCRouteMatch, HTTPRouteMatch, StringMatch} from '../model/types.js'
import type {ListenerBinding, RouteBinding} from './binding.js'
import {explainHttpLoss, gatewayListeners, listHttpCandidates, type HttpCandidate} from './decide.js'
import {ANY_HOSTNAME, compareHostnameSpecificity, hostnameCovers, originalRouteHostname} from './hostname.js'
import {describeListener} from './listeners.js'
import {compareByAge, compareHostnameClaims, explainAgeOrder, explainHostnameClaims} from './precedence.js'

export interface Shadow {
  listener: ListenerBinding
  route: RouteBinding
  hostname: string
  /** HTTPRoute/GRPCRoute: the rule and match (index in the rule's matches) that never win. */
  rule?: number
  match?: number
  /** Who takes the traffic: a route (and its rule), or a more specific listener. */
  winner: {route?: RouteBinding; rule?: number; listener?: ListenerBinding}
  /** The precedence criterion that decides it, e.g. "same hostname a.io; older (…)". */
  detail: string
  /** Who takes the traffic and why, in one clause. */
  why: string
}

const TRANSPORT_CLASS: Record<string, string> = {HTTPS: 'tls', TLS: 'tls', HTTP: 'http'}

function routeName(route: RouteBinding): string {
  return `${route.route.kind} ${route.route.meta.namespace}/${route.route.meta.name}`
}

/** A ready listener on the same port of the same Gateway, more specific, whose hostname covers `hostname`. */
function findTakingListener(listener: ListenerBinding, hostname: string): ListenerBinding | undefined {
  const transport = TRANSPORT_CLASS[listener.spec.protocol]
  if (transport === undefined || hostname === ANY_HOSTNAME) return undefined
  return gatewayListeners(listener.gateway)
    .filter((other) => other !== listener && other.spec.port === listener.spec.port && TRANSPORT_CLASS[other.spec.protocol] === transport
      && other.accepted && (other.programmed || other.awaitingSecrets)
      && hostnameCovers(other.spec.hostname, hostname) && compareHostnameSpecificity(other.spec.hostname, listener.spec.hostname) < 0)
    .sort((a, b) => compareHostnameSpecificity(a.spec.hostname, b.spec.hostname))[0]
}

function stringMatchesCovered(outer: readonly StringMatch[], inner: readonly StringMatch[], fold: boolean): boolean {
  const name = (match: StringMatch) => (fold ? match.name.toLowerCase() : match.name)
  const first = (list: readonly StringMatch[]) => [...new Map([...list].reverse().map((match) => [name(match), match])).values()]
  const innerByName = new Map(first(inner).map((match) => [name(match), match]))
  return first(outer).every((match) => {
    const other = innerByName.get(name(match))
    return other !== undefined && other.type === match.type && other.value === match.value
  })
}

function trimPrefix(value: string): string {
  return value.endsWith('/') ? value.slice(0, -1) : value
}

/** Does `outer` match every request `inner` matches? */
function httpMatchCovers(outer: HTTPRouteMatch, inner: HTTPRouteMatch): boolean {
  const a = outer.path
  const b = inner.path
  let path = false
  if (a.type === 'PathPrefix') {
    const prefix = trimPrefix(a.value)
    const inside = (value: string) => prefix === '' || value === prefix || value.startsWith(`${prefix}/`)
    path = prefix === '' || (b.type === 'Exact' && inside(b.value)) || (b.type === 'PathPrefix' && inside(trimPrefix(b.value) || '/'))
  } else {
    path = a.type === b.type && a.value === b.value
  }
  return path && (outer.method === undefined || outer.method === inner.method)
    && stringMatchesCovered(outer.headers, inner.headers, true) && stringMatchesCovered(outer.queryParams, inner.queryParams, false)
}

function grpcMatchCovers(outer: GRPCRouteMatch | undefined, inner: GRPCRouteMatch | undefined): boolean {
  if (outer === undefined) return true
  if (inner === undefined) return outer.method === undefined && outer.headers.length === 0
  const a = outer.method
  const b = inner.method
  const method = a === undefined
    || (b !== undefined && a.type === b.type && (a.service === undefined || a.service === b.service) && (a.method === undefined || a.method === b.method))
  return method && stringMatchesCovered(outer.headers, inner.headers, true)
}

function candidateCovers(winner: HttpCandidate, loser: HttpCandidate): boolean {
  if (winner.grpc !== loser.grpc || !hostnameCovers(winner.hostname, loser.hostname)) return false
  return winner.grpc
    ? grpcMatchCovers(winner.rule.rule.grpcMatches[winner.matchIndex], loser.rule.rule.grpcMatches[loser.matchIndex])
    : httpMatchCovers(winner.rule.rule.matches[winner.matchIndex], loser.rule.rule.matches[loser.matchIndex])
}

function findHttpShadows(listener: ListenerBinding, out: Shadow[]): void {
  const candidates = listHttpCandidates(listener)
  candidates.forEach((candidate, index) => {
    const winner = candidates.slice(0, index).find((earlier) => candidateCovers(earlier, candidate))
    if (winner === undefined) return
    const what = winner.route === candidate.route ? `rule ${winner.rule.rule.index} of the same route` : `${routeName(winner.route)} rule ${winner.rule.rule.index}`
    const detail = explainHttpLoss(winner, candidate)
    out.push({listener, route: candidate.route, hostname: candidate.hostname, rule: candidate.rule.rule.index, match: candidate.matchIndex,
      winner: {route: winner.route, rule: winner.rule.rule.index}, detail,
      why: `${what} matches every request it matches and ranks first (${detail})`})
  })
}

function findTlsShadows(listener: ListenerBinding, out: Shadow[]): void {
  const claims = new Map<string, Array<{route: RouteBinding; hostname: string; original: string; meta: RouteBinding['route']['meta']}>>()
  const streams: RouteBinding[] = []
  const seen = new Set<RouteBinding>()
  for (const attached of listener.routes) {
    const {route} = attached
    if (seen.has(route)) continue
    seen.add(route)
    if (route.route.kind === 'TLSRoute') {
      for (const hostname of attached.hostnames) {
        const list = claims.get(hostname) ?? []
        list.push({route, hostname, original: originalRouteHostname(listener.spec.hostname, route.route.hostnames, hostname), meta: route.route.meta})
        claims.set(hostname, list)
      }
    } else if (route.route.kind === 'TCPRoute' || route.route.kind === 'UDPRoute') {
      streams.push(route)
    }
  }
  for (const [hostname, list] of claims) {
    const [winner, ...losers] = [...list].sort(compareHostnameClaims)
    for (const loser of losers) {
      const detail = explainHostnameClaims(winner, loser)
      out.push({listener, route: loser.route, hostname, winner: {route: winner.route}, detail,
        why: `${routeName(winner.route)} also claims ${hostname} and wins (${detail})`})
    }
  }
  for (const kind of ['TCPRoute', 'UDPRoute']) {
    const [winner, ...losers] = streams.filter((route) => route.route.kind === kind).sort((a, b) => compareByAge(a.route.meta, b.route.meta))
    for (const loser of losers) {
      const detail = explainAgeOrder(winner.route.meta, loser.route.meta)
      out.push({listener, route: loser, hostname: ANY_HOSTNAME, winner: {route: winner}, detail,
        why: `${routeName(winner)} is older and takes every connection (${detail})`})
    }
  }
}

/**
 * Every shadow of one listener: listener isolation first, then route
 * precedence on the listener. `connectionsOnly` skips the HTTPRoute/GRPCRoute
 * comparison (quadratic in the matches of the listener) for callers that
 * only need TLSRoute and TCPRoute/UDPRoute shadows.
 */
export function findListenerShadows(listener: ListenerBinding, options: {connectionsOnly?: boolean} = {}): Shadow[] {
  const out: Shadow[] = []
  const byListener = new Set<string>()
  for (const attached of listener.routes) {
    for (const hostname of attached.hostnames) {
      const taker = findTakingListener(listener, hostname)
      const key = `${attached.route.route.meta.id}\u0000${hostname}`
      if (taker === undefined || byListener.has(key)) continue
      byListener.add(key)
      out.push({listener, route: attached.route, hostname, winner: {listener: taker}, detail: 'listener isolation',
        why: `${describeListener(taker)} is more specific and takes every connection for ${hostname} (listener isolation)`})
    }
  }
  const routeShadows: Shadow[] = []
  findTlsShadows(listener, routeShadows)
  if (options.connectionsOnly !== true) findHttpShadows(listener, routeShadows)
  return [...out, ...routeShadows.filter((shadow) => !byListener.has(`${shadow.route.route.meta.id}\u0000${shadow.hostname}`))]
}

/** One line for people: what never receives traffic, where, and who takes it. */
export function describeShadow(shadow: Shadow): string {
  const rule = shadow.rule === undefined ? '' : ` rule ${shadow.rule}${shadow.match === undefined ? '' : ` match ${shadow.match}`}`
  const host = shadow.hostname === ANY_HOSTNAME ? '' : ` for ${shadow.hostname}`
  return `${routeName(shadow.route)}${rule} never receives traffic on ${describeListener(shadow.listener)}${host}: ${shadow.why}`
}
