/**
 * bind(): the binding engine's entry point. A Snapshot goes in, one Binding
 * comes out — listeners with their conditions and certificates, routes with
 * their parents and backends, policies — plus the problems found. Pure and
 * synchronous; the steps run in a fixed order, each reading only what the
 * earlier ones computed:
 *
 *   gateways → listener sets → frontend client-certificate validation →
 *   listeners (checks, conflicts) → gateway and listener-set conditions →
 *   BackendTLSPolicies → route rules and backends (with their policies) →
 *   attachment → attachedRoutes → precedence warnings → policy ancestors →
 *   grants.
 */
import {GATEWAY_GROUP, type Snapshot} from '../model/types.js'
import {attachRoute} from './attach.js'
import {applyBackendTLSPolicies, checkBackendTLSPolicies, recordPolicyAncestors} from './backend-tls-policies.js'
import {resolveRuleBackends, routeResolvedRefsCondition} from './backends.js'
import {
  DEFAULT_FEATURES, OFFLINE_CONTROLLER_NAME,
  type Binding, type EngineOptions, type GatewayBinding, type ListenerBinding, type ListenerOwner, type ListenerSetBinding,
  type RouteBinding,
} from './binding.js'
import {
  gatewayAccepted, gatewayInvalidClientCertificateRef, gatewayListenersNotValid, gatewayNotProgrammedInvalid, gatewayProgrammed,
  gatewayRefNotPermitted, gatewayResolvedRefs,
  listenerNotProgrammedInvalid, listenerSetAccepted, listenerSetListenersNotValid, listenerSetNotAllowed, listenerSetNotProgrammedInvalid,
  listenerSetParentNotAccepted, listenerSetProgrammed, routeResolvedRefs,
} from './conditions.js'
import {applyClientValidation, findInsecureFrontendCondition, reportUnusedValidations, resolveFrontendTLS, type FrontendPlan} from './frontend-validation.js'
import {originalRouteHostname} from './hostname.js'
import {
  checkListener, describeListener, detectConflicts, detectOverlappingTls, finishListenerConditions, indexConfigMaps, indexSecrets, type SecretIndex,
} from './listeners.js'
import {NamespaceCatalog, namespaceAllowed} from './namespaces.js'
import {compareByAge, compareHostnameClaims, explainAgeOrder, explainHostnameClaims} from './precedence.js'
import {ProblemList} from './problems.js'
import {ReferenceGrantIndex} from './reference-grants.js'
import {findRuleProblem} from './route-rules.js'
import {inspectSecretShape} from './tls-secret.js'

export function bind(snapshot: Snapshot, options: EngineOptions = {}): Binding {
  const features = {...DEFAULT_FEATURES, ...options.features}
  const problems = new ProblemList()
  const grants = new ReferenceGrantIndex(snapshot.referenceGrants)
  const catalog = new NamespaceCatalog(snapshot)
  const secretIndex = indexSecrets(snapshot)
  const classes = new Map(snapshot.gatewayClasses.map((gatewayClass) => [gatewayClass.meta.name, gatewayClass]))

  // Gateways in scope (a controller owns only its classes: --gateway-class).
  const gateways: GatewayBinding[] = []
  const gatewayByKey = new Map<string, GatewayBinding>()
  const outOfScope = new Set<string>()
  for (const gateway of snapshot.gateways) {
    const key = `${gateway.meta.namespace}/${gateway.meta.name}`
    if (options.gatewayClassNames !== undefined && !options.gatewayClassNames.includes(gateway.gatewayClassName)) {
      outOfScope.add(key)
      continue
    }
    const gatewayClass = classes.get(gateway.gatewayClassName)
    const binding: GatewayBinding = {
      gateway,
      controllerName: gatewayClass?.controllerName || OFFLINE_CONTROLLER_NAME,
      classFound: gatewayClass !== undefined,
      listeners: [],
      listenerSets: [],
      conditions: [],
      accepted: false,
      programmed: false,
      attachedListenerSets: 0,
    }
    binding.listeners = gateway.listeners.map((spec) => newListener(binding, {kind: 'Gateway', meta: gateway.meta}, spec))
    if (gatewayClass === undefined && snapshot.gatewayClasses.length > 0) {
      problems.add({ruleId: 'gateway-class-not-found', severity: 'info', category: 'semantic', objectId: gateway.meta.id, path: ['spec', 'gatewayClassName'], target: 'value',
        message: `GatewayClass '${gateway.gatewayClassName}' is not in the input; gwctl binds the Gateway as its controller would`})
    }
    gateways.push(binding)
    gatewayByKey.set(key, binding)
  }

  // ListenerSets, admitted or not by their Gateway's spec.allowedListeners.
  const listenerSets: ListenerSetBinding[] = []
  const listenerSetByKey = new Map<string, ListenerSetBinding>()
  for (const listenerSet of [...snapshot.listenerSets].sort((a, b) => compareByAge(a.meta, b.meta))) {
    const {parentRef} = listenerSet
    const parentKey = `${parentRef.namespace}/${parentRef.name}`
    const gateway = parentRef.group === GATEWAY_GROUP && parentRef.kind === 'Gateway' ? gatewayByKey.get(parentKey) : undefined
    if (gateway === undefined) {
      if (!outOfScope.has(parentKey)) {
        problems.warning('listenerset-parent-not-found', listenerSet.meta.id, ['spec', 'parentRef'],
          `ListenerSet parentRef names ${parentRef.kind} '${parentKey}', which is not in the input: no controller would report status for it`)
      }
      continue
    }
    const admission = namespaceAllowed(gateway.gateway.allowedListeners.namespaces, gateway.gateway.meta.namespace, listenerSet.meta.namespace, catalog)
    const binding: ListenerSetBinding = {listenerSet, gateway, admitted: admission.allowed, listeners: [], conditions: [], accepted: false}
    binding.listeners = listenerSet.listeners.map((spec) => newListener(gateway, {kind: 'ListenerSet', meta: listenerSet.meta, listenerSet: binding}, spec))
    if (!admission.allowed) {
      problems.error('listenerset-not-allowed', listenerSet.meta.id, ['spec', 'parentRef'],
        `Gateway ${parentKey} does not admit this ListenerSet: spec.allowedListeners ${admission.why}`)
    }
    gateway.listenerSets.push(binding)
    listenerSets.push(binding)
    listenerSetByKey.set(`${listenerSet.meta.namespace}/${listenerSet.meta.name}`, binding)
  }

  const frontendContext = {grants, problems, options, secrets: secretIndex.secrets, configMaps: indexConfigMaps(snapshot)}
  const frontendPlans = new Map(gateways.map((gateway) => [gateway, resolveFrontendTLS(gateway.gateway, frontendContext)]))
  for (const gateway of gateways) bindGatewayListeners(gateway, grants, problems, options, secretIndex, features, frontendPlans.get(gateway)!)
  for (const gateway of gateways) setGatewayConditions(gateway, grants, problems, secretIndex, frontendPlans.get(gateway)!)
  for (const listenerSet of listenerSets) setListenerSetConditions(listenerSet, problems)
  for (const gateway of gateways) {
    gateway.attachedListenerSets = gateway.listenerSets.filter((listenerSet) => listenerSet.admitted && listenerSet.accepted).length
  }

  // Routes: rules and backends first, with the BackendTLSPolicy that governs each backend (their
  // ResolvedRefs is the same for every parent), then attachment.
  const policies = checkBackendTLSPolicies(snapshot, problems, options)
  const services = new Map(snapshot.services.map((service) => [`${service.meta.namespace}/${service.meta.name}`, service]))
  const lookup = {
    gateways: gatewayByKey, listenerSets: listenerSetByKey, outOfScope,
    defaultGateways: gateways.filter((gateway) => gateway.gateway.defaultScope === 'All'),
  }
  const routes: RouteBinding[] = snapshot.routes.map((route) => {
    const binding: RouteBinding = {route, parents: [], rules: [], resolvedRefs: routeResolvedRefs()}
    binding.rules = route.rules.map((rule) => {
      const invalidReason = findRuleProblem(route, rule)
      return {rule, valid: invalidReason === undefined, invalidReason, backends: [], filterBackends: []}
    })
    if (binding.rules.some((rule) => rule.valid)) {
      for (const rule of binding.rules.filter((candidate) => !candidate.valid)) {
        problems.warning('route-partially-invalid', route.meta.id, ['spec', 'rules', rule.rule.index],
          `rule ${rule.rule.index} is dropped (${rule.invalidReason}); the other rules are served (PartiallyInvalid=True)`)
      }
    }
    for (const rule of binding.rules) {
      resolveRuleBackends(route, rule, services, grants, problems)
      applyBackendTLSPolicies(route, rule, policies, problems)
    }
    binding.resolvedRefs = routeResolvedRefsCondition(binding.rules)
    attachRoute(binding, lookup, catalog, problems)
    return binding
  })

  const allListeners = gateways.flatMap((gateway) => [...gateway.listeners, ...gateway.listenerSets.flatMap((listenerSet) => listenerSet.listeners)])
  for (const listener of allListeners) {
    listener.attachedRoutes = new Set(listener.routes.map((attached) => attached.route)).size
    warnShadowedRoutes(listener, problems)
  }

  recordPolicyAncestors(policies, routes)

  for (const grant of grants.unusedGrants()) {
    problems.warning('reference-grant-unused', grant.meta.id, ['spec'],
      `ReferenceGrant ${grant.meta.namespace}/${grant.meta.name} permits no reference in the input (from ${grant.from.map((entry) => `${entry.kind} in '${entry.namespace}'`).join(', ') || 'nothing'} to ${grant.to.map((entry) => entry.name === undefined ? entry.kind : `${entry.kind} '${entry.name}'`).join(', ') || 'nothing'})`)
  }

  return {snapshot, gateways, listenerSets, routes, policies, problems: problems.items, features}
}

function newListener(gateway: GatewayBinding, owner: ListenerOwner, spec: ListenerBinding['spec']): ListenerBinding {
  return {
    key: `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}/${owner.kind}/${owner.meta.namespace}/${owner.meta.name}/${spec.name}`,
    gateway,
    owner,
    spec,
    path: ['spec', 'listeners', spec.index],
    supportedKinds: [],
    conditions: [],
    accepted: false,
    conflicted: false,
    programmed: false,
    awaitingSecrets: false,
    certificates: [],
    routes: [],
    attachedRoutes: 0,
  }
}

/** Listener checks, then conflicts and overlaps over the merged list (Gateway first, then admitted ListenerSets by age). */
function bindGatewayListeners(
  gateway: GatewayBinding,
  grants: ReferenceGrantIndex,
  problems: ProblemList,
  options: EngineOptions,
  secretIndex: SecretIndex,
  features: Binding['features'],
  frontend: FrontendPlan,
): void {
  const admittedSets = gateway.listenerSets.filter((listenerSet) => listenerSet.admitted)
  const merged = [...gateway.listeners, ...admittedSets.flatMap((listenerSet) => listenerSet.listeners)]
  const health = new Map(merged.map((listener) => [listener, applyClientValidation(listener, checkListener(listener, grants, problems, options, secretIndex), frontend)]))
  reportUnusedValidations(frontend, merged, problems)
  const candidates = new Set(merged.filter((listener) => health.get(listener)?.accepted.status === 'True'))
  const conflicts = detectConflicts(merged, features, candidates)
  for (const [listener, mark] of conflicts) {
    problems.error('listener-conflict', listener.owner.meta.id, [...listener.path, 'port'], mark.condition.message)
  }
  const usable = new Set([...candidates].filter((listener) => !conflicts.has(listener)))
  const overlapping = detectOverlappingTls(merged, usable)
  for (const [listener, condition] of overlapping) {
    problems.add({ruleId: 'listener-overlapping-tls', severity: 'info', category: 'semantic', objectId: listener.owner.meta.id,
      path: [...listener.path, 'hostname'], message: `${describeListener(listener)}: ${condition.message}`})
  }
  for (const listener of merged) {
    finishListenerConditions(listener, health.get(listener)!, conflicts.get(listener), overlapping.get(listener))
  }
  // Listeners of ListenerSets the Gateway does not admit: checked on their own, never programmed.
  for (const listenerSet of gateway.listenerSets.filter((candidate) => !candidate.admitted)) {
    for (const listener of listenerSet.listeners) {
      const listenerHealth = applyClientValidation(listener, checkListener(listener, grants, problems, options, secretIndex), frontend)
      finishListenerConditions(listener, {...listenerHealth, notProgrammed: listenerNotProgrammedInvalid('the ListenerSet is not allowed by its Gateway')}, undefined, undefined)
      listener.accepted = false
    }
  }
}

/** Gateway Accepted / Programmed / InsecureFrontendValidationMode / ResolvedRefs (SEMANTICS.md §3, §2.4). */
function setGatewayConditions(gateway: GatewayBinding, grants: ReferenceGrantIndex, problems: ProblemList, secretIndex: SecretIndex, frontend: FrontendPlan): void {
  const {listeners} = gateway
  const good = listeners.filter((listener) => listener.accepted && listener.programmed
    && listener.conditions.find((condition) => condition.type === 'ResolvedRefs')?.status === 'True')
  const usable = listeners.filter((listener) => listener.accepted)
  const bad = listeners.filter((listener) => !good.includes(listener))
  const describe = (list: ListenerBinding[]) => list.map((listener) => {
    const failed = listener.conditions.find((condition) => (condition.type === 'Conflicted') === (condition.status === 'True'))
    return failed === undefined ? `'${listener.spec.name}'` : `'${listener.spec.name}' (${failed.type}: ${failed.reason})`
  }).join(', ')
  if (listeners.length > 0 && bad.length === 0) {
    gateway.conditions.push(gatewayAccepted())
  } else if (usable.length > 0) {
    gateway.conditions.push(gatewayListenersNotValid(true, `${bad.length} of ${listeners.length} listeners are not valid: ${describe(bad)}`))
  } else {
    const message = listeners.length === 0 ? 'the Gateway has no listeners' : `no listener is valid: ${describe(bad)}`
    gateway.conditions.push(gatewayListenersNotValid(false, message))
    problems.error('gateway-listeners-not-valid', gateway.gateway.meta.id, ['spec', 'listeners'], `Gateway ${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name} is not accepted: ${message}`)
  }
  gateway.accepted = usable.length > 0
  const programmed = listeners.some((listener) => listener.programmed)
  gateway.conditions.push(programmed ? gatewayProgrammed() : gatewayNotProgrammedInvalid(gateway.accepted ? 'no listener is programmed' : 'the Gateway is not accepted'))
  gateway.programmed = programmed
  const insecure = findInsecureFrontendCondition(frontend)
  if (insecure !== undefined) gateway.conditions.push(insecure)

  const ref = gateway.gateway.backendClientCertificateRef
  if (ref === undefined) return
  const path = ['spec', 'tls', 'backend', 'clientCertificateRef']
  const objectId = gateway.gateway.meta.id
  const from = {group: GATEWAY_GROUP, kind: 'Gateway', namespace: gateway.gateway.meta.namespace}
  const to = {group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name}
  if (!grants.permits(from, to)) {
    const message = `clientCertificateRef ${ref.namespace}/${ref.name} is not permitted: ${grants.explainDenial(from, to)}`
    problems.error('listener-ref-not-permitted', objectId, path, message)
    gateway.conditions.push(gatewayRefNotPermitted(message))
    return
  }
  const secret = ref.group === '' && ref.kind === 'Secret' ? secretIndex.secrets.get(`${ref.namespace}/${ref.name}`) : undefined
  const shape = secret === undefined ? undefined : inspectSecretShape(secret)
  if (shape === undefined || !shape.usable) {
    const message = secret === undefined
      ? `clientCertificateRef ${ref.namespace}/${ref.name} is not a Secret in the input`
      : `clientCertificateRef Secret ${ref.namespace}/${ref.name} ${shape?.usable === false ? shape.message : ''}`
    problems.error('listener-certificate-ref', objectId, path, message)
    gateway.conditions.push(gatewayInvalidClientCertificateRef(message))
    return
  }
  gateway.conditions.push(gatewayResolvedRefs())
}

/** ListenerSet Accepted / Programmed (SEMANTICS.md §2.9). */
function setListenerSetConditions(listenerSet: ListenerSetBinding, problems: ProblemList): void {
  const {gateway} = listenerSet
  if (!listenerSet.admitted) {
    const message = `Gateway ${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name} does not allow this ListenerSet (spec.allowedListeners)`
    listenerSet.conditions = [listenerSetNotAllowed('Accepted', message), listenerSetNotAllowed('Programmed', message)]
    return
  }
  if (!gateway.accepted) {
    const message = `parent Gateway ${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name} is not accepted`
    listenerSet.conditions = [listenerSetParentNotAccepted(message), listenerSetNotProgrammedInvalid(message)]
    return
  }
  const valid = listenerSet.listeners.filter((listener) => listener.accepted)
  if (valid.length === 0) {
    const message = 'no listener of the ListenerSet is valid'
    listenerSet.conditions = [listenerSetListenersNotValid('Accepted', message), listenerSetListenersNotValid('Programmed', message)]
    problems.error('gateway-listeners-not-valid', listenerSet.listenerSet.meta.id, ['spec', 'listeners'], `ListenerSet ${listenerSet.listenerSet.meta.namespace}/${listenerSet.listenerSet.meta.name} is not accepted: ${message}`)
    return
  }
  listenerSet.conditions = [listenerSetAccepted(), listenerSetProgrammed()]
  listenerSet.accepted = true
}

/**
 * Routes that share a listener but never get traffic: TLSRoutes with the
 * same intersected hostname (only the oldest wins, SEMANTICS.md §7), and all
 * but the oldest TCPRoute/UDPRoute on a listener (§8.4). Losers stay Accepted.
 */
function warnShadowedRoutes(listener: ListenerBinding, problems: ProblemList): void {
  const tlsByHostname = new Map<string, RouteBinding[]>()
  const streams: RouteBinding[] = []
  for (const attached of listener.routes) {
    const {route} = attached.route
    if (route.kind === 'TLSRoute') {
      for (const hostname of attached.hostnames) {
        const list = tlsByHostname.get(hostname) ?? []
        if (!list.includes(attached.route)) list.push(attached.route)
        tlsByHostname.set(hostname, list)
      }
    } else if ((route.kind === 'TCPRoute' || route.kind === 'UDPRoute') && !streams.includes(attached.route)) {
      streams.push(attached.route)
    }
  }
  for (const [hostname, list] of tlsByHostname) {
    if (list.length < 2) continue
    const claims = list.map((route) => ({route, hostname, original: originalRouteHostname(listener.spec.hostname, route.route.hostnames, hostname), meta: route.route.meta}))
      .sort(compareHostnameClaims)
    const [winner, ...losers] = claims
    for (const loser of losers) {
      const index = loser.route.route.hostnames.indexOf(loser.original)
      problems.warning('tlsroute-hostname-shadowed', loser.meta.id, index === -1 ? ['spec', 'hostnames'] : ['spec', 'hostnames', index],
        `TLSRoute ${loser.meta.namespace}/${loser.meta.name} never receives ${hostname} on ${describeListener(listener)}: TLSRoute ${winner.meta.namespace}/${winner.meta.name} also claims it and wins (${explainHostnameClaims(winner, loser)})`)
    }
  }
  if (streams.length > 1) {
    const sorted = [...streams].sort((a, b) => compareByAge(a.route.meta, b.route.meta))
    const winner = sorted[0].route
    for (const loser of sorted.slice(1)) {
      problems.warning('route-shadowed', loser.route.meta.id, ['spec', 'parentRefs'],
        `${loser.route.kind} ${loser.route.meta.namespace}/${loser.route.meta.name} is attached to ${describeListener(listener)} but gets no traffic: ${winner.kind} ${winner.meta.namespace}/${winner.meta.name} is older and takes every connection (${explainAgeOrder(winner.meta, loser.route.meta)})`, 'practice')
    }
  }
}
