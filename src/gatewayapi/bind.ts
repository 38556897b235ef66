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
import type {FieldPath} from '../manifests/field-path.js'
import {GATEWAY_GROUP, type GatewayClass, type Snapshot} from '../model/types.js'
import {attachRoute} from './attach.js'
import {applyBackendTLSPolicies, checkBackendTLSPolicies, recordPolicyAncestors} from './backend-tls-policies.js'
import {resolveRuleBackends, routeResolvedRefsCondition} from './backends.js'
import {
  DEFAULT_FEATURES, OFFLINE_CONTROLLER_NAME,
  type Binding, type EngineOptions, type GatewayBinding, type GatewayClassBinding, type ListenerBinding, type ListenerOwner, type ListenerSetBinding,
  type RouteBinding,
} from './binding.js'
import {
  gatewayAccepted, gatewayClassAccepted, gatewayClassInvalidParameters, gatewayInvalidClientCertificateRef, gatewayInvalidParameters, gatewayListenersNotValid, gatewayNotProgrammedInvalid, gatewayProgrammed,
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
import {compareByAge} from './precedence.js'
import {findListenerShadows} from './shadowing.js'
import {checkParametersRef, type ParametersVerdict} from './parameters-refs.js'
import {ProblemList} from './problems.js'
import {ReferenceGrantIndex} from './reference-grants.js'
import {findRuleProblem, findUnsupportedRegexes, type UnsupportedRegex} from './route-rules.js'
import {inspectSecretShape} from './tls-secret.js'

export function bind(snapshot: Snapshot, options: EngineOptions = {}): Binding {
  const features = {...DEFAULT_FEATURES, ...options.features}
  const problems = new ProblemList()
  const grants = new ReferenceGrantIndex(snapshot.referenceGrants)
  const catalog = new NamespaceCatalog(snapshot)
  const secretIndex = indexSecrets(snapshot)
  const classes = new Map(snapshot.gatewayClasses.map((gatewayClass) => [gatewayClass.meta.name, gatewayClass]))
  const gatewayClasses = snapshot.gatewayClasses.map((gatewayClass) => bindGatewayClass(gatewayClass, snapshot, problems))
  const classBindings = new Map(gatewayClasses.map((binding) => [binding.gatewayClass.meta.name, binding]))

  // Gateways in scope (a controller owns only its classes: --gateway-class, and reconciles only classes it accepted).
  const gateways: GatewayBinding[] = []
  const gatewayByKey = new Map<string, GatewayBinding>()
  const outOfScope = new Set<string>()
  for (const gateway of snapshot.gateways) {
    const key = `${gateway.meta.namespace}/${gateway.meta.name}`
    if (options.gatewayClassNames !== undefined && !options.gatewayClassNames.includes(gateway.gatewayClassName)) {
      outOfScope.add(key)
      continue
    }
    const classBinding = classBindings.get(gateway.gatewayClassName)
    if (classBinding !== undefined && !classBinding.accepted) {
      outOfScope.add(key)
      problems.error('gateway-class-not-accepted', gateway.meta.id, ['spec', 'gatewayClassName'],
        `GatewayClass ${gateway.gatewayClassName} is not accepted (${classBinding.conditions[0].reason}): no controller reconciles Gateway ${key}, so it gets no status and no traffic`)
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
  for (const gateway of gateways) setGatewayConditions(gateway, grants, problems, secretIndex, snapshot, frontendPlans.get(gateway)!)
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
      for (const regex of findUnsupportedRegexes(route, rule)) reportUnsupportedRegex(route.meta.id, regex, problems)
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

  return {snapshot, gatewayClasses, gateways, listenerSets, routes, policies, problems: problems.items, features}
}

/** A RegularExpression RE2 cannot compile: where, why, and who rejects it (route-regex-unsupported). */
function reportUnsupportedRegex(objectId: number, regex: UnsupportedRegex, problems: ProblemList): void {
  problems.add({ruleId: 'route-regex-unsupported', severity: 'error', category: 'semantic', objectId, path: regex.path, target: 'value',
    message: `${regex.what} regular expression '${regex.pattern}' is not RE2 syntax (${regex.error}): implementations that evaluate RegularExpression matches with RE2 reject it, as gwctl does (the Gateway API leaves the dialect to each implementation: POSIX, PCRE or another), so its rule is not served`})
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
function setGatewayConditions(
  gateway: GatewayBinding, grants: ReferenceGrantIndex, problems: ProblemList, secretIndex: SecretIndex, snapshot: Snapshot, frontend: FrontendPlan,
): void {
  const {listeners} = gateway
  const parameters = checkGatewayParameters(gateway, snapshot, problems)
  const good = listeners.filter((listener) => listener.accepted && listener.programmed
    && listener.conditions.find((condition) => condition.type === 'ResolvedRefs')?.status === 'True')
  const usable = listeners.filter((listener) => listener.accepted)
  const bad = listeners.filter((listener) => !good.includes(listener))
  const describe = (list: ListenerBinding[]) => list.map((listener) => {
    const failed = listener.conditions.find((condition) => (condition.type === 'Conflicted') === (condition.status === 'True'))
    return failed === undefined ? `'${listener.spec.name}'` : `'${listener.spec.name}' (${failed.type}: ${failed.reason})`
  }).join(', ')
  if (parameters.state !== 'valid') {
    gateway.conditions.push(gatewayInvalidParameters(parameters.message))
  } else if (listeners.length > 0 && bad.length === 0) {
    gateway.conditions.push(gatewayAccepted())
  } else if (usable.length > 0) {
    gateway.conditions.push(gatewayListenersNotValid(true, `${bad.length} of ${listeners.length} listeners are not valid: ${describe(bad)}`))
  } else {
    const message = listeners.length === 0 ? 'the Gateway has no listeners' : `no listener is valid: ${describe(bad)}`
    gateway.conditions.push(gatewayListenersNotValid(false, message))
    problems.error('gateway-listeners-not-valid', gateway.gateway.meta.id, ['spec', 'listeners'], `Gateway ${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name} is not accepted: ${message}`)
  }
  // A referent merely absent from the input: status says InvalidParameters, resolve and serve answer as if it existed.
  gateway.accepted = usable.length > 0 && parameters.state !== 'invalid'
  const programmed = gateway.accepted && listeners.some((listener) => listener.programmed)
  gateway.conditions.push(programmed && parameters.state === 'valid' ? gatewayProgrammed()
    : gatewayNotProgrammedInvalid(!gateway.accepted || parameters.state !== 'valid' ? 'the Gateway is not accepted' : 'no listener is programmed'))
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

/** Report a parametersRef that is not valid: unsupported or malformed (error), or absent from the input (warning; error with --require-refs). */
function reportParameters(verdict: ParametersVerdict, objectId: number, path: FieldPath, consequence: string, problems: ProblemList): void {
  if (verdict.state === 'invalid') problems.error('parameters-ref-invalid', objectId, path, `${verdict.message}: ${consequence}`)
  if (verdict.state === 'missing') {
    problems.warning('parameters-ref-not-found', objectId, path,
      `${verdict.message}: if it is absent from the cluster too, ${consequence}; resolve and serve answer as if it existed`)
  }
}

/** GatewayClass Accepted (SEMANTICS.md §10): InvalidParameters for a bad or absent spec.parametersRef. */
function bindGatewayClass(gatewayClass: GatewayClass, snapshot: Snapshot, problems: ProblemList): GatewayClassBinding {
  const users = snapshot.gateways.filter((gateway) => gateway.gatewayClassName === gatewayClass.meta.name).map((gateway) => `${gateway.meta.namespace}/${gateway.meta.name}`)
  const ref = gatewayClass.parametersRef
  const verdict: ParametersVerdict = ref === undefined ? {state: 'valid'} : checkParametersRef(ref, snapshot.inventory)
  const usedBy = users.length === 0 ? 'no Gateway in the input uses it' : `its Gateways (${users.join(', ')}) are not reconciled`
  reportParameters(verdict, gatewayClass.meta.id, ['spec', 'parametersRef'], `the GatewayClass is not accepted (Accepted=False/InvalidParameters) and ${usedBy}`, problems)
  if (verdict.state !== 'valid') {
    return {gatewayClass, conditions: [gatewayClassInvalidParameters(verdict.message)], accepted: verdict.state === 'missing', gateways: users}
  }
  const message = users.length === 0 ? 'GatewayClass is accepted (no Gateway in the input uses it)' : 'GatewayClass is accepted'
  return {gatewayClass, conditions: [gatewayClassAccepted(message)], accepted: true, gateways: users}
}

/** Gateway spec.infrastructure.parametersRef: a LocalParametersReference, in the Gateway's namespace. */
function checkGatewayParameters(gateway: GatewayBinding, snapshot: Snapshot, problems: ProblemList): ParametersVerdict {
  const ref = gateway.gateway.infrastructureParametersRef
  if (ref === undefined) return {state: 'valid'}
  const {meta} = gateway.gateway
  const verdict = checkParametersRef(ref, snapshot.inventory, meta.namespace)
  reportParameters(verdict, meta.id, ['spec', 'infrastructure', 'parametersRef'],
    `Gateway ${meta.namespace}/${meta.name} is not accepted (Accepted=False/InvalidParameters)`, problems)
  return verdict
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
 * Routes that share a listener but never get traffic (src/gatewayapi/shadowing.ts):
 * TLSRoutes with the same intersected hostname (only the winner gets it,
 * SEMANTICS.md §7), and all but the oldest TCPRoute/UDPRoute on a listener
 * (§8.4). Losers stay Accepted.
 */
function warnShadowedRoutes(listener: ListenerBinding, problems: ProblemList): void {
  for (const shadow of findListenerShadows(listener, {connectionsOnly: true})) {
    const {route} = shadow.route
    const winner = shadow.winner.route?.route
    if (winner === undefined) continue
    if (route.kind === 'TLSRoute' && winner.kind === 'TLSRoute') {
      const original = originalRouteHostname(listener.spec.hostname, route.hostnames, shadow.hostname)
      const index = route.hostnames.indexOf(original)
      problems.warning('tlsroute-hostname-shadowed', route.meta.id, index === -1 ? ['spec', 'hostnames'] : ['spec', 'hostnames', index],
        `TLSRoute ${route.meta.namespace}/${route.meta.name} never receives ${shadow.hostname} on ${describeListener(listener)}: TLSRoute ${winner.meta.namespace}/${winner.meta.name} also claims it and wins (${shadow.detail})`)
    } else if (route.kind === 'TCPRoute' || route.kind === 'UDPRoute') {
      problems.warning('route-shadowed', route.meta.id, ['spec', 'parentRefs'],
        `${route.kind} ${route.meta.namespace}/${route.meta.name} is attached to ${describeListener(listener)} but gets no traffic: ${winner.kind} ${winner.meta.namespace}/${winner.meta.name} is older and takes every connection (${shadow.detail})`, 'practice')
    }
  }
}
