/**
 * backendRefs (SEMANTICS.md §5): each ref resolved in the order of §5.2 —
 * kind, then ReferenceGrant (before existence, so status never reveals
 * whether an object in another namespace exists), then the Service, then its
 * port — and the route's ResolvedRefs condition from the first failing ref
 * (all of them listed in the message). Also the backends of RequestMirror
 * and ExternalAuth filters, and ExtensionRef filters (InvalidKind: gwctl
 * knows no extension).
 */
import {asObject, asInteger, asString} from '../model/json-fields.js'
import {GATEWAY_GROUP, type BackendRef, type Route, type RouteFilter, type Service} from '../model/types.js'
import type {BackendBinding, RuleBinding} from './binding.js'
import {type Condition, routeBackendNotFound, routeInvalidBackendTLSPolicy, routeInvalidKind, routeRefNotPermitted, routeResolvedRefs} from './conditions.js'
import type {ProblemList} from './problems.js'
import {describeGroupKind, type ReferenceGrantIndex} from './reference-grants.js'

/** Resolve one backend reference of a route. */
export function resolveBackend(
  route: Route,
  ref: BackendRef,
  services: ReadonlyMap<string, Service>,
  grants: ReferenceGrantIndex,
  problems: ProblemList,
): BackendBinding {
  const objectId = route.meta.id
  const target = `${ref.namespace}/${ref.name}`
  const what = `backendRef ${describeGroupKind(ref.group, ref.kind)} '${target}'`
  if (ref.group !== '' || ref.kind !== 'Service') {
    const message = `${what}: kind ${describeGroupKind(ref.group, ref.kind)} is not supported (core Service only)`
    problems.error('backend-invalid-kind', objectId, [...ref.path, 'kind'], message)
    return {ref, valid: false, reason: 'InvalidKind', message}
  }
  const from = {group: GATEWAY_GROUP, kind: route.kind, namespace: route.meta.namespace}
  const to = {group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name}
  if (!grants.permits(from, to)) {
    const message = `${what} is not permitted: ${grants.explainDenial(from, to)}`
    problems.error('backend-ref-not-permitted', objectId, [...ref.path, 'namespace'], message)
    return {ref, valid: false, reason: 'RefNotPermitted', message}
  }
  const service = services.get(target)
  if (service === undefined) {
    const message = `${what}: Service not found (it is not in the input)`
    problems.warning('backend-not-found', objectId, [...ref.path, 'name'], `${message}; a controller would report BackendNotFound until it exists`)
    return {ref, valid: false, reason: 'BackendNotFound', message}
  }
  if (ref.port === undefined) {
    const message = `${what}: port is required for a Service`
    problems.error('backend-port-not-found', objectId, ref.path, message)
    return {ref, valid: false, reason: 'BackendNotFound', message, service}
  }
  const servicePort = service.ports.find((port) => port.port === ref.port)
  if (servicePort === undefined) {
    const ports = service.ports.map((port) => (port.name === undefined ? `${port.port}` : `${port.port} (${port.name})`)).join(', ') || 'none'
    const message = `${what}: Service has no port ${ref.port} (ports: ${ports})`
    problems.error('backend-port-not-found', objectId, [...ref.path, 'port'], message)
    return {ref, valid: false, reason: 'BackendNotFound', message, service}
  }
  return {ref, valid: true, service, servicePort}
}

/** The backendRef inside a RequestMirror or ExternalAuth filter, as a BackendRef. */
function filterBackendRef(route: Route, filter: RouteFilter, path: ReadonlyArray<string | number>): BackendRef | undefined {
  const block = filter.type === 'RequestMirror' ? 'requestMirror' : filter.type === 'ExternalAuth' ? 'externalAuth' : undefined
  if (block === undefined) return undefined
  const ref = asObject(asObject(filter.spec[block])?.backendRef)
  if (ref === undefined) return undefined
  const namespace = asString(ref.namespace)
  return {
    path: [...path, block, 'backendRef'],
    group: asString(ref.group) ?? '',
    kind: asString(ref.kind) ?? 'Service',
    name: asString(ref.name) ?? '',
    namespace: namespace || route.meta.namespace,
    namespaceExplicit: Boolean(namespace),
    port: asInteger(ref.port),
    weight: 1,
  }
}

/** Resolve the backends of one rule (backendRefs and filter backends); warn when every weight is 0. */
export function resolveRuleBackends(
  route: Route,
  rule: RuleBinding,
  services: ReadonlyMap<string, Service>,
  grants: ReferenceGrantIndex,
  problems: ProblemList,
): void {
  rule.backends = rule.rule.backendRefs.map((ref) => resolveBackend(route, ref, services, grants, problems))
  const hasFilters = rule.rule.filters.length > 0 || rule.rule.backendFilters.some((filters) => filters.length > 0)
  const filterSets: Array<{filters: readonly RouteFilter[]; path: Array<string | number>}> = hasFilters ? [
    {filters: rule.rule.filters, path: ['spec', 'rules', rule.rule.index, 'filters']},
    ...rule.rule.backendFilters.map((filters, index) => ({filters, path: [...rule.rule.backendRefs[index].path, 'filters']})),
  ] : []
  for (const {filters, path} of filterSets) {
    filters.forEach((filter, index) => {
      if (filter.type === 'ExtensionRef') {
        const ext = asObject(filter.spec.extensionRef)
        const message = `ExtensionRef filter ${describeGroupKind(asString(ext?.group) ?? '', asString(ext?.kind) ?? '')} '${asString(ext?.name) ?? ''}' is not supported by gwctl: matching requests get HTTP 500`
        problems.error('backend-invalid-kind', route.meta.id, [...path, index], message)
        rule.filterBackends.push({
          ref: {path: [...path, index], group: asString(ext?.group) ?? '', kind: asString(ext?.kind) ?? '', name: asString(ext?.name) ?? '', namespace: route.meta.namespace, namespaceExplicit: false, weight: 0},
          valid: false, reason: 'InvalidKind', message,
        })
        return
      }
      const ref = filterBackendRef(route, filter, [...path, index])
      if (ref !== undefined) rule.filterBackends.push(resolveBackend(route, ref, services, grants, problems))
    })
  }
  if (rule.rule.backendRefs.length > 0 && rule.rule.backendRefs.every((ref) => ref.weight === 0)) {
    problems.warning('backend-weights-zero', route.meta.id, ['spec', 'rules', rule.rule.index, 'backendRefs'],
      `every backendRef of rule ${rule.rule.index} has weight 0: the rule gets no backend (${route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute' ? 'requests fail with 500' : 'connections are rejected'})`)
  }
}

/** Route ResolvedRefs (RouteConditionResolvedRefs): the first failing ref decides the reason. */
export function routeResolvedRefsCondition(rules: readonly RuleBinding[]): Condition {
  const allValid = rules.every((rule) => rule.backends.every((backend) => backend.valid) && rule.filterBackends.every((backend) => backend.valid))
  if (allValid) return routeResolvedRefs()
  const failing = rules.flatMap((rule) => [...rule.backends, ...rule.filterBackends]).filter((backend) => !backend.valid)
  const message = failing.map((backend) => backend.message).join('; ')
  switch (failing[0].reason) {
    case 'InvalidKind': {
      return routeInvalidKind(message)
    }
    case 'RefNotPermitted': {
      return routeRefNotPermitted(message)
    }
    case 'InvalidBackendTLSPolicy': {
      return routeInvalidBackendTLSPolicy(message)
    }
    default: {
      return routeBackendNotFound(message)
    }
  }
}
