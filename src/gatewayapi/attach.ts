/**
 * Route attachment (SEMANTICS.md §4): for every parentRef of a route, which
 * listeners of the named Gateway or ListenerSet accept it — computed per
 * (route, parentRef, listener) with the intersected hostnames recorded —
 * and the parent's Accepted condition with the reason precedence of §4.4:
 * NoMatchingParent, then NotAllowedByListeners (kind or namespace), then
 * NoMatchingListenerHostname, then UnsupportedValue for an unusable route.
 */
import {GATEWAY_GROUP, type ParentReference} from '../model/types.js'
import type {GatewayBinding, ListenerBinding, ListenerSetBinding, RouteBinding, RouteParentBinding} from './binding.js'
import {
  type Condition,
  routeAccepted, routeNoMatchingListenerHostname, routeNoMatchingParent, routeNotAllowedByListeners, routePartiallyInvalid,
  routeUnsupportedValue,
} from './conditions.js'
import {intersectRouteHostnames} from './hostname.js'
import {describeKinds, describeListener} from './listeners.js'
import {type NamespaceCatalog, namespaceAllowed} from './namespaces.js'
import type {ProblemList} from './problems.js'

export interface ParentLookup {
  gateways: ReadonlyMap<string, GatewayBinding>
  /** Gateways with spec.defaultScope All (GEP-3793): they claim routes with useDefaultGateways All. */
  defaultGateways: readonly GatewayBinding[]
  listenerSets: ReadonlyMap<string, ListenerSetBinding>
  /** Gateways that exist in the input but belong to a GatewayClass gwctl was told not to bind. */
  outOfScope: ReadonlySet<string>
}

const ROUTES_WITH_HOSTNAMES = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute'])

interface ListenerVerdict {
  listener: ListenerBinding
  kindOk: boolean
  namespaceOk: boolean
  namespaceWhy: string
  hostnames: string[]
}

/** Resolve every parentRef of the route; fills `binding.parents`. */
export function attachRoute(binding: RouteBinding, lookup: ParentLookup, catalog: NamespaceCatalog, problems: ProblemList): void {
  const {route} = binding
  const objectId = route.meta.id
  for (const ref of [...route.parentRefs, ...implicitDefaultParents(route, lookup)]) {
    const refPath = ref.index === -1 ? ['spec', 'useDefaultGateways'] : ['spec', 'parentRefs', ref.index]
    if (ref.group !== GATEWAY_GROUP || (ref.kind !== 'Gateway' && ref.kind !== 'ListenerSet')) continue
    const key = `${ref.namespace}/${ref.name}`
    let gateway: GatewayBinding | undefined
    let listenerSet: ListenerSetBinding | undefined
    if (ref.kind === 'Gateway') {
      gateway = lookup.gateways.get(key)
    } else {
      listenerSet = lookup.listenerSets.get(key)
      gateway = listenerSet?.gateway
    }
    if (gateway === undefined) {
      if (ref.kind === 'Gateway' && lookup.outOfScope.has(key)) continue
      problems.warning('route-parent-not-found', objectId, refPath,
        `${route.kind} parentRef names ${ref.kind} '${key}', which is not in the input: no controller would report status for it`)
      continue
    }

    const parent: RouteParentBinding = {ref, gateway, listenerSet, conditions: [], accepted: false, attachments: [], rejections: []}
    binding.parents.push(parent)
    const candidates = listenerSet === undefined ? gateway.listeners : listenerSet.listeners
    const relevant = candidates.filter((listener) =>
      (ref.sectionName === undefined || listener.spec.name === ref.sectionName) && (ref.port === undefined || listener.spec.port === ref.port))

    const accepted = decideAcceptance(binding, parent, relevant, candidates, catalog, problems, refPath)
    parent.conditions.push(accepted, binding.resolvedRefs)
    parent.accepted = accepted.status === 'True'
    if (parent.accepted) {
      const dropped = binding.rules.filter((rule) => !rule.valid)
      if (dropped.length > 0) {
        parent.conditions.push(routePartiallyInvalid(`Dropped Rule(s): ${dropped.map((rule) => `${rule.rule.index} (${rule.invalidReason})`).join('; ')}`))
      }
      for (const attachment of parent.attachments) {
        attachment.listener.routes.push({route: binding, parent, hostnames: attachment.hostnames})
      }
    } else {
      for (const attachment of parent.attachments) parent.rejections.push({listener: attachment.listener, why: `${accepted.reason}: ${accepted.message}`})
      parent.attachments = []
    }
  }
  warnUncoveredHostnames(binding, problems)
}

/**
 * Route.UseDefaultGateways / Gateway.DefaultScope: a route asking for `All`
 * is attached to every default Gateway of scope `All` it does not already
 * name, subject to the usual allowedRoutes rules; status reports it under a
 * parentRef to that Gateway.
 */
function implicitDefaultParents(route: RouteBinding['route'], lookup: ParentLookup): ParentReference[] {
  if (route.useDefaultGateways !== 'All') return []
  return lookup.defaultGateways
    .filter((gateway) => !route.parentRefs.some((ref) => ref.group === GATEWAY_GROUP && ref.kind === 'Gateway'
      && ref.namespace === gateway.gateway.meta.namespace && ref.name === gateway.gateway.meta.name))
    .map((gateway) => {
      const {name, namespace} = gateway.gateway.meta
      return {index: -1, group: GATEWAY_GROUP, kind: 'Gateway', name, namespace, namespaceExplicit: true,
        echo: {group: GATEWAY_GROUP, kind: 'Gateway', name, namespace}}
    })
}

/**
 * Route hostnames that intersect no listener the route is attached to, over
 * all its parents: they are ignored (HTTPRouteSpec.Hostnames), usually a typo.
 */
function warnUncoveredHostnames(binding: RouteBinding, problems: ProblemList): void {
  const {route} = binding
  const attachments = binding.parents.flatMap((parent) => parent.attachments)
  if (attachments.length === 0 || route.hostnames.length === 0 || !ROUTES_WITH_HOSTNAMES.has(route.kind)) return
  route.hostnames.forEach((hostname, index) => {
    const covered = attachments.some((attachment) => intersectRouteHostnames(attachment.listener.spec.hostname, [hostname]).length > 0)
    if (covered) return
    const listeners = attachments.map((attachment) => `${attachment.listener.spec.name}: ${attachment.listener.spec.hostname ?? 'any'}`).join(', ')
    problems.warning('route-hostname-not-covered', route.meta.id, ['spec', 'hostnames', index],
      `hostname ${hostname} matches no listener this route is attached to (${listeners}); it is ignored`)
  })
}

function decideAcceptance(
  binding: RouteBinding,
  parent: RouteParentBinding,
  relevant: readonly ListenerBinding[],
  candidates: readonly ListenerBinding[],
  catalog: NamespaceCatalog,
  problems: ProblemList,
  refPath: Array<string | number>,
): Condition {
  const {route} = binding
  const objectId = route.meta.id
  const parentName = parent.listenerSet === undefined
    ? `Gateway ${parent.gateway.gateway.meta.namespace}/${parent.gateway.gateway.meta.name}`
    : `ListenerSet ${parent.listenerSet.listenerSet.meta.namespace}/${parent.listenerSet.listenerSet.meta.name}`

  if (relevant.length === 0) {
    const names = candidates.map((listener) => `${listener.spec.name}:${listener.spec.port ?? '?'}`).join(', ') || 'none'
    const wanted = [parent.ref.sectionName === undefined ? '' : `sectionName '${parent.ref.sectionName}'`, parent.ref.port === undefined ? '' : `port ${parent.ref.port}`].filter(Boolean).join(' and ')
    const message = `${parentName} has no listener with ${wanted} (listeners: ${names})`
    problems.error('route-no-matching-parent', objectId, [...refPath, parent.ref.sectionName === undefined ? 'port' : 'sectionName'], message)
    return routeNoMatchingParent(message)
  }

  const verdicts: ListenerVerdict[] = relevant.map((listener) => {
    const owner = listener.owner.meta.namespace
    const namespace = namespaceAllowed(listener.spec.allowedRoutes.namespaces, owner, route.meta.namespace, catalog)
    return {
      listener,
      kindOk: listener.supportedKinds.some((kind) => kind.group === GATEWAY_GROUP && kind.kind === route.kind),
      namespaceOk: namespace.allowed,
      namespaceWhy: namespace.why,
      hostnames: ROUTES_WITH_HOSTNAMES.has(route.kind) ? intersectRouteHostnames(listener.spec.hostname, route.hostnames) : ['*'],
    }
  })

  for (const verdict of verdicts) {
    const why = !verdict.kindOk
      ? `${route.kind} is not accepted by ${describeListener(verdict.listener)}: it accepts ${describeKinds(verdict.listener.supportedKinds)}`
      : !verdict.namespaceOk
        ? `${describeListener(verdict.listener)} does not allow routes from namespace '${route.meta.namespace}': ${verdict.namespaceWhy}`
        : verdict.hostnames.length === 0
          ? `hostnames ${route.hostnames.join(', ')} do not intersect ${describeListener(verdict.listener)}`
          : ''
    if (why !== '') parent.rejections.push({listener: verdict.listener, why})
  }

  const permitted = verdicts.filter((verdict) => verdict.kindOk && verdict.namespaceOk)
  if (permitted.length === 0) {
    const kindFails = verdicts.every((verdict) => !verdict.kindOk)
    if (kindFails) {
      const detail = verdicts.map((verdict) =>
        `${route.kind} cannot attach to ${verdict.listener.spec.protocol} listener '${verdict.listener.spec.name}'${verdict.listener.mode === undefined ? '' : ` (${verdict.listener.mode})`}: it accepts ${describeKinds(verdict.listener.supportedKinds)}`).join('; ')
      problems.error('listener-route-kind', objectId, refPath, detail)
      return routeNotAllowedByListeners(detail)
    }
    const detail = verdicts.filter((verdict) => verdict.kindOk).map((verdict) =>
      `${describeListener(verdict.listener)} does not allow routes from namespace '${route.meta.namespace}': ${verdict.namespaceWhy}`).join('; ')
    problems.error('route-not-allowed-by-listeners', objectId, refPath, detail)
    return routeNotAllowedByListeners(detail)
  }

  const attached = permitted.filter((verdict) => verdict.hostnames.length > 0)
  if (attached.length === 0) {
    const detail = `hostnames ${route.hostnames.join(', ')} match no listener hostname of ${parentName} (${permitted.map((verdict) => `${verdict.listener.spec.name}: ${verdict.listener.spec.hostname ?? 'any'}`).join(', ')})`
    problems.error('route-no-matching-listener-hostname', objectId, ['spec', 'hostnames'], detail)
    return routeNoMatchingListenerHostname(detail)
  }

  parent.attachments = attached.map((verdict) => ({listener: verdict.listener, hostnames: verdict.hostnames}))

  if (binding.rules.length > 0 && binding.rules.every((rule) => !rule.valid)) {
    const detail = `no rule can be served: ${binding.rules.map((rule) => `rule ${rule.rule.index}: ${rule.invalidReason}`).join('; ')}`
    problems.error('route-unsupported-value', objectId, ['spec', 'rules'], detail)
    return routeUnsupportedValue(detail)
  }

  const parentState = parentStateNote(parent)
  const base = routeAccepted()
  return parentState === '' ? base : {...base, message: `${base.message}; ${parentState}`}
}

/** SEMANTICS.md §4.4: the route is accepted by its listeners, but say when the parent itself is not. */
function parentStateNote(parent: RouteParentBinding): string {
  if (parent.listenerSet !== undefined && !parent.listenerSet.accepted) {
    return `note: ListenerSet ${parent.listenerSet.listenerSet.meta.namespace}/${parent.listenerSet.listenerSet.meta.name} is not accepted (${parent.listenerSet.conditions[0]?.reason})`
  }
  if (!parent.gateway.accepted) {
    return `note: Gateway ${parent.gateway.gateway.meta.namespace}/${parent.gateway.gateway.meta.name} is not accepted`
  }
  return ''
}
