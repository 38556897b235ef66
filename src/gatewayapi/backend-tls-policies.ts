/**
 * BackendTLSPolicy (SEMANTICS.md §9): target and CA references, conflicts
 * between policies on the same Service port (oldest wins), which policy
 * governs each backend, and the ancestors (Gateways) its status is reported
 * for. Core CA source: a ConfigMap with key `ca.crt`; gwctl also accepts a
 * Secret with `ca.crt` (implementation-specific).
 *
 * A policy whose TLS settings cannot be honoured (no valid CA certificate,
 * an unsupported wellKnownCACertificates, no hostname) makes every backend
 * it governs invalid (route ResolvedRefs=False/InvalidBackendTLSPolicy):
 * that traffic fails with a 5xx and is never sent in plaintext
 * (BackendTLSPolicyValidation.CACertificateRefs; §9 "Effect on routes").
 */
import type {BackendTLSPolicy, Route, Snapshot} from '../model/types.js'
import type {BackendBinding, BackendTLSPolicyBinding, EngineOptions, GatewayBinding, RouteBinding, RuleBinding} from './binding.js'
import {readCaBundle} from './ca-bundle.js'
import {
  type Condition,
  policyAccepted, policyConflicted, policyInvalid, policyInvalidCACertificateRef, policyInvalidKind,
  policyNoValidCACertificate, policyResolvedRefs, policyTargetNotFound,
} from './conditions.js'
import {compareByAge, explainAgeOrder} from './precedence.js'
import type {ProblemList} from './problems.js'
import {describeGroupKind} from './reference-grants.js'

interface PolicyDraft {
  binding: BackendTLSPolicyBinding
  accepted: Condition
  resolvedRefs: Condition
  /** `namespace/service` → sectionNames targeted ('' = whole Service). */
  targets: Array<{service: string; sectionName: string}>
}

/** Check every policy on its own, then settle conflicts; returns the bindings (ancestors filled by `recordPolicyAncestors`). */
export function checkBackendTLSPolicies(snapshot: Snapshot, problems: ProblemList, options: EngineOptions = {}): BackendTLSPolicyBinding[] {
  const services = new Map(snapshot.services.map((service) => [`${service.meta.namespace}/${service.meta.name}`, service]))
  const configMaps = new Map(snapshot.configMaps.map((map) => [`${map.meta.namespace}/${map.meta.name}`, map]))
  const secrets = new Map(snapshot.secrets.map((secret) => [`${secret.meta.namespace}/${secret.meta.name}`, secret]))
  const drafts: PolicyDraft[] = snapshot.backendTLSPolicies.map((policy) => {
    const binding: BackendTLSPolicyBinding = {policy, ancestors: [], conditions: [], accepted: false, caCertificates: []}
    const objectId = policy.meta.id
    const ns = policy.meta.namespace
    let accepted: Condition = policyAccepted()
    const targets: PolicyDraft['targets'] = []
    policy.targetRefs.forEach((ref, index) => {
      const path = ['spec', 'targetRefs', index]
      const service = ref.group === '' && ref.kind === 'Service' ? services.get(`${ns}/${ref.name}`) : undefined
      if (service === undefined) {
        const message = ref.group === '' && ref.kind === 'Service'
          ? `target Service '${ns}/${ref.name}' is not in the input`
          : `target kind ${describeGroupKind(ref.group, ref.kind)} is not supported (core Service only)`
        problems.error('backendtlspolicy-target-not-found', objectId, path, message)
        if (accepted.status === 'True') accepted = policyTargetNotFound(message)
        return
      }
      if (ref.sectionName !== undefined && !service.ports.some((port) => port.name === ref.sectionName)) {
        const message = `target Service '${ns}/${ref.name}' has no port named '${ref.sectionName}'`
        problems.error('backendtlspolicy-target-not-found', objectId, [...path, 'sectionName'], message)
        if (accepted.status === 'True') accepted = policyTargetNotFound(message)
        return
      }
      targets.push({service: `${ns}/${ref.name}`, sectionName: ref.sectionName ?? ''})
    })

    let resolvedRefs: Condition = policyResolvedRefs()
    const failures: string[] = []
    policy.caCertificateRefs.forEach((ref, index) => {
      const path = ['spec', 'validation', 'caCertificateRefs', index]
      const target = `${ns}/${ref.name}`
      if (ref.group !== '' || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret')) {
        const message = `caCertificateRef kind ${describeGroupKind(ref.group, ref.kind)} is not supported (ConfigMap or Secret with ca.crt)`
        problems.error('backendtlspolicy-ca-ref', objectId, path, message)
        failures.push(message)
        if (resolvedRefs.status === 'True') resolvedRefs = policyInvalidKind(message)
        return
      }
      const configMap = ref.kind === 'ConfigMap' ? configMaps.get(target) : undefined
      const secret = ref.kind === 'Secret' ? secrets.get(target) : undefined
      const bundle = configMap !== undefined ? readCaBundle({kind: 'ConfigMap', configMap}, options)
        : secret !== undefined ? readCaBundle({kind: 'Secret', secret}, options) : undefined
      if (bundle?.pem === undefined) {
        const message = bundle === undefined ? `${ref.kind} '${target}' is not in the input` : `${ref.kind} '${target}' ${bundle.problem}`
        problems.error('backendtlspolicy-ca-ref', objectId, path, message)
        failures.push(message)
        if (resolvedRefs.status === 'True') resolvedRefs = policyInvalidCACertificateRef(message)
        return
      }
      binding.caCertificates.push(bundle.pem)
    })
    if (policy.caCertificateRefs.length > 0 && binding.caCertificates.length === 0) {
      binding.failure = `no valid CA certificate: ${failures.join('; ')}`
      if (accepted.status === 'True') accepted = policyNoValidCACertificate(binding.failure)
    } else if (policy.caCertificateRefs.length === 0 && policy.wellKnownCACertificates !== undefined && policy.wellKnownCACertificates !== 'System') {
      binding.failure = `wellKnownCACertificates '${policy.wellKnownCACertificates}' is not supported (System only)`
      problems.error('backendtlspolicy-invalid', objectId, ['spec', 'validation', 'wellKnownCACertificates'], binding.failure)
      if (accepted.status === 'True') accepted = policyInvalid(binding.failure)
    } else if (policy.caCertificateRefs.length === 0 && policy.wellKnownCACertificates === undefined) {
      binding.failure = 'validation names no CA certificate (neither caCertificateRefs nor wellKnownCACertificates)'
      if (accepted.status === 'True') accepted = policyInvalid(binding.failure)
    } else if (policy.hostname === '') {
      binding.failure = 'validation.hostname is empty: there is no name to send as SNI and verify'
      if (accepted.status === 'True') accepted = policyInvalid(binding.failure)
    }
    return {binding, accepted, resolvedRefs, targets}
  })

  settleConflicts(drafts, problems)
  for (const draft of drafts) {
    draft.binding.conditions = [draft.accepted, draft.resolvedRefs]
    draft.binding.accepted = draft.accepted.status === 'True'
  }
  return drafts.map((draft) => draft.binding)
}

/** Several policies on the same target and sectionName: the oldest wins (BackendTLSPolicySpec.TargetRefs). */
function settleConflicts(drafts: PolicyDraft[], problems: ProblemList): void {
  const byTarget = new Map<string, PolicyDraft[]>()
  for (const draft of drafts) {
    if (draft.accepted.status !== 'True') continue
    for (const target of draft.targets) {
      const key = `${target.service}#${target.sectionName}`
      const list = byTarget.get(key)
      if (list === undefined) byTarget.set(key, [draft])
      else if (!list.includes(draft)) list.push(draft)
    }
  }
  for (const [key, list] of byTarget) {
    if (list.length < 2) continue
    list.sort((a, b) => compareByAge(a.binding.policy.meta, b.binding.policy.meta))
    const winner = list[0].binding.policy.meta
    for (const loser of list.slice(1)) {
      if (loser.accepted.status !== 'True') continue
      const [service, section] = key.split('#')
      const message = `BackendTLSPolicy ${winner.namespace}/${winner.name} also targets Service ${service}${section ? ` port ${section}` : ''} and takes precedence: ${explainAgeOrder(winner, loser.binding.policy.meta)}`
      loser.accepted = policyConflicted(message)
      problems.warning('backendtlspolicy-conflicted', loser.binding.policy.meta.id, ['spec', 'targetRefs'], message)
    }
  }
}

/** The policy that governs a backend: a sectionName match on the port name beats a whole-Service policy. */
function policyFor(backend: BackendBinding, policies: readonly BackendTLSPolicyBinding[]): BackendTLSPolicyBinding | undefined {
  if (backend.service === undefined || backend.servicePort === undefined) return undefined
  const {meta} = backend.service
  const targeting = (policy: BackendTLSPolicy, section: string | undefined) => policy.meta.namespace === meta.namespace
    && policy.targetRefs.some((ref) => ref.group === '' && ref.kind === 'Service' && ref.name === meta.name && ref.sectionName === section)
  const candidates = (section: string | undefined) => policies.filter((policy) => targeting(policy.policy, section))
    .sort((a, b) => Number(b.accepted) - Number(a.accepted) || compareByAge(a.policy.meta, b.policy.meta))
  const portName = backend.servicePort.name
  return (portName === undefined ? undefined : candidates(portName)[0]) ?? candidates(undefined)[0]
}

/** Does the policy target this backend's Service (whole, or the port by name)? */
function policyTargets(policy: BackendTLSPolicy, backend: BackendBinding): boolean {
  if (backend.service === undefined) return false
  const {meta} = backend.service
  const portName = backend.servicePort?.name
  return policy.meta.namespace === meta.namespace && policy.targetRefs.some((ref) => ref.group === '' && ref.kind === 'Service'
    && ref.name === meta.name && (ref.sectionName === undefined || ref.sectionName === portName))
}

/**
 * The policy that governs each backend of a rule (and of its filters); a
 * backend whose policy cannot be honoured becomes invalid, with the
 * policy's failure as the reason (route ResolvedRefs=False).
 */
export function applyBackendTLSPolicies(route: Route, rule: RuleBinding, policies: readonly BackendTLSPolicyBinding[], problems: ProblemList): void {
  if (policies.length === 0) return
  const answer = route.kind === 'HTTPRoute' ? 'its requests get HTTP 500' : route.kind === 'GRPCRoute' ? 'its requests get gRPC status 14 (UNAVAILABLE)' : 'its connections are reset'
  const apply = (backend: BackendBinding, consequence: string) => {
    const governing = policyFor(backend, policies)
    if (governing === undefined) return
    backend.tlsPolicy = governing
    if (governing.failure === undefined || !backend.valid) return
    const {meta} = governing.policy
    backend.valid = false
    backend.reason = 'InvalidBackendTLSPolicy'
    backend.message = `backendRef Service '${backend.ref.namespace}/${backend.ref.name}' port ${backend.ref.port}: BackendTLSPolicy ${meta.namespace}/${meta.name} cannot be honoured (${governing.failure})`
    problems.error('backend-tls-policy-unusable', route.meta.id, backend.ref.path, `${backend.message}: ${consequence}, never sent in plaintext`)
  }
  for (const backend of rule.backends) apply(backend, answer)
  for (const backend of rule.filterBackends) apply(backend, 'the filter gets no backend')
}

/**
 * Record as ancestors of every policy targeting a used Service — winner,
 * loser or invalid — the Gateways whose accepted routes use it, so each
 * policy's status says what happened to it (PolicyAncestorStatus).
 */
export function recordPolicyAncestors(policies: readonly BackendTLSPolicyBinding[], routes: readonly RouteBinding[]): void {
  if (policies.length === 0) return
  for (const route of routes) {
    const gateways = new Set<GatewayBinding>(route.parents.filter((parent) => parent.accepted).map((parent) => parent.gateway))
    for (const rule of route.rules) {
      for (const backend of [...rule.backends, ...rule.filterBackends]) {
        for (const policy of policies) {
          if (!policyTargets(policy.policy, backend)) continue
          for (const gateway of gateways) if (!policy.ancestors.includes(gateway)) policy.ancestors.push(gateway)
        }
      }
    }
  }
}
