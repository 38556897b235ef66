/**
 * The routing table of a configuration, for review (`gwctl resolve
 * --table`) and for tests that walk every route: one row per listener ×
 * attached route × intersected hostname × rule (× match for HTTP), in
 * port, Gateway and listener order, with each rule's backends as shares.
 * Listeners without routes get one row. A row that never receives traffic
 * carries `shadowedBy`: the route (or more specific listener) that takes it
 * (src/gatewayapi/shadowing.ts). Read from the Binding; adds no rule.
 */
import type {Binding, GatewayBinding, ListenerBinding, RouteBinding, RuleBinding} from './binding.js'
import {gatewayListeners, sharePercent, totalWeight} from './decide.js'
import {ANY_HOSTNAME, compareHostnameSpecificity} from './hostname.js'
import {compareByAge} from './precedence.js'
import {findListenerShadows, type Shadow} from './shadowing.js'

export interface RoutingTableRow {
  port: number
  gateway: {namespace: string; name: string}
  listener: string
  protocol: string
  mode?: string
  /** The listener is accepted and programmed (or only waits for Secrets absent from the input). */
  ready: boolean
  /** Intersected hostname (`*` for any); the listener's hostname when no route is attached. */
  hostname: string
  route?: {kind: string; namespace: string; name: string}
  rule?: number
  /** HTTPRoute match of the row: path type and value, method, header and query names. */
  match?: {pathType: string; path: string; method?: string; headers: string[]; queryParams: string[]}
  backends: Array<{kind: string; namespace: string; name: string; port?: number; weight: number; valid: boolean}>
  /** `namespace/name` of the certificate Secret a terminating listener presents. */
  certificate?: string
  /** The row never receives traffic: who takes it instead, and why. */
  shadowedBy?: {route?: {kind: string; namespace: string; name: string; rule?: number}; listener?: string; why: string}
}

function describeWinner(shadow: Shadow): NonNullable<RoutingTableRow['shadowedBy']> {
  const {route, rule, listener} = shadow.winner
  return {
    ...(route === undefined ? {} : {route: {kind: route.route.kind, namespace: route.route.meta.namespace, name: route.route.meta.name, ...(rule === undefined ? {} : {rule})}}),
    ...(listener === undefined ? {} : {listener: listener.spec.name}),
    why: shadow.why,
  }
}

/** The shadow of a row: of its route and hostname (listener, TLSRoute, TCPRoute/UDPRoute), or of every match of its rule. */
function findRowShadow(shadows: readonly Shadow[], route: RouteBinding, hostname: string, rule?: RuleBinding, matchIndex?: number): Shadow | undefined {
  const own = shadows.filter((shadow) => shadow.route === route && (shadow.hostname === hostname || shadow.hostname === ANY_HOSTNAME))
  const whole = own.find((shadow) => shadow.rule === undefined)
  if (whole !== undefined || rule === undefined) return whole
  const ofRule = own.filter((shadow) => shadow.rule === rule.rule.index)
  if (matchIndex !== undefined) return ofRule.find((shadow) => shadow.match === matchIndex)
  const count = route.route.kind === 'GRPCRoute' ? Math.max(rule.rule.grpcMatches.length, 1) : rule.rule.matches.length
  return ofRule.length === count ? ofRule[0] : undefined
}

function sharesOf(rules: readonly RuleBinding[]): RoutingTableRow['backends'] {
  const backends = rules.flatMap((rule) => rule.backends)
  const total = totalWeight(backends)
  return backends.map((backend) => ({
    kind: backend.ref.kind,
    namespace: backend.ref.namespace,
    name: backend.ref.name,
    port: backend.ref.port,
    weight: sharePercent(backend.ref.weight, total),
    valid: backend.valid,
  }))
}

function rowsOfListener(gateway: GatewayBinding, listener: ListenerBinding): RoutingTableRow[] {
  const certificate = listener.certificates.find((entry) => entry.usable || entry.missing)
  const base = {
    port: listener.spec.port ?? 0,
    gateway: {namespace: gateway.gateway.meta.namespace, name: gateway.gateway.meta.name},
    listener: listener.spec.name,
    protocol: listener.spec.protocol,
    mode: listener.mode,
    ready: listener.accepted && (listener.programmed || listener.awaitingSecrets),
    certificate: certificate === undefined ? undefined : `${certificate.ref.namespace}/${certificate.ref.name}`,
  }
  const routes = [...new Map(listener.routes.map((attached) => [attached.route, attached])).values()]
    .sort((a, b) => compareByAge(a.route.route.meta, b.route.route.meta))
  if (routes.length === 0) return [{...base, hostname: listener.spec.hostname ?? '*', backends: []}]
  const shadows = findListenerShadows(listener)
  const mark = (row: RoutingTableRow, shadow: Shadow | undefined): RoutingTableRow => (shadow === undefined ? row : {...row, shadowedBy: describeWinner(shadow)})
  const rows: RoutingTableRow[] = []
  for (const attached of routes) {
    const {route} = attached
    const ref = {kind: route.route.kind, namespace: route.route.meta.namespace, name: route.route.meta.name}
    for (const hostname of [...attached.hostnames].sort(compareHostnameSpecificity)) {
      const valid = route.rules.filter((rule) => rule.valid)
      if (route.route.kind !== 'HTTPRoute' && route.route.kind !== 'GRPCRoute') {
        rows.push(mark({...base, hostname, route: ref, backends: sharesOf(valid)}, findRowShadow(shadows, route, hostname)))
        continue
      }
      for (const rule of valid) {
        if (route.route.kind === 'GRPCRoute' || rule.rule.matches.length === 0) {
          rows.push(mark({...base, hostname, route: ref, rule: rule.rule.index, backends: sharesOf([rule])}, findRowShadow(shadows, route, hostname, rule)))
          continue
        }
        rule.rule.matches.forEach((match, matchIndex) => {
          rows.push(mark({
            ...base, hostname, route: ref, rule: rule.rule.index,
            match: {pathType: match.path.type, path: match.path.value, method: match.method, headers: match.headers.map((header) => header.name), queryParams: match.queryParams.map((param) => param.name)},
            backends: sharesOf([rule]),
          }, findRowShadow(shadows, route, hostname, rule, matchIndex)))
        })
      }
    }
  }
  return rows
}

export function listRoutingTable(binding: Binding, filter?: {namespace: string; name: string}): RoutingTableRow[] {
  const rows: RoutingTableRow[] = []
  for (const gateway of binding.gateways) {
    if (filter !== undefined && (gateway.gateway.meta.namespace !== filter.namespace || gateway.gateway.meta.name !== filter.name)) continue
    for (const listener of gatewayListeners(gateway)) rows.push(...rowsOfListener(gateway, listener))
  }
  return rows.sort((a, b) => a.port - b.port)
}
