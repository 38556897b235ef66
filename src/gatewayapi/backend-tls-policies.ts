/**
 * BackendTLSPolicy (SEMANTICS.md §9): target and CA references, conflicts
 * between policies on the same Service port (oldest wins), which backends
 * a policy re-encrypts to, and the ancestors (Gateways) its status is
 * reported for. Core CA source: a ConfigMap with key `ca.crt`; gwctl also
 * accepts a Secret with `ca.crt` (implementation-specific).
 */
import {GATEWAY_GROUP, type BackendTLSPolicy, type Snapshot} from '../model/types.js'
import type {BackendBinding, BackendTLSPolicyBinding, GatewayBinding, RouteBinding} from './binding.js'
import {
  type Condition,
  policyAccepted, policyConflicted, policyInvalid, policyInvalidCACertificateRef, policyInvalidKind,
  policyNoValidCACertificate, policyResolvedRefs, policyTargetNotFound,
} from './conditions.js'
import {compareByAge, explainAgeOrder} from './precedence.js'
import type {ProblemList} from './problems.js'
import {describeGroupKind} from './reference-grants.js'
import {decodeSecretText} from './tls-secret.js'

interface PolicyDraft {
  binding: BackendTLSPolicyBinding
  accepted: Condition
  resolvedRefs: Condition
  /** `namespace/service` → sectionNames targeted ('' = whole Service). */
  targets: Array<{service: string; sectionName: string}>
}

/** Check every policy on its own, then settle conflicts; returns the bindings (ancestors filled by `linkPolicies`). */
export function checkBackendTLSPolicies(snapshot: Snapshot, problems: ProblemList): BackendTLSPolicyBinding[] {
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
      const pem = ref.kind === 'ConfigMap' ? configMaps.get(target)?.data['ca.crt'] : decodeCaFromSecret(secrets.get(target)?.data['ca.crt'])
      const present = ref.kind === 'ConfigMap' ? configMaps.has(target) : secrets.has(target)
      if (pem === undefined || !pem.includes('-----BEGIN CERTIFICATE-----')) {
        const message = present ? `${ref.kind} '${target}' has no PEM certificate under key ca.crt` : `${ref.kind} '${target}' is not in the input`
        problems.error('backendtlspolicy-ca-ref', objectId, path, message)
        failures.push(message)
        if (resolvedRefs.status === 'True') resolvedRefs = policyInvalidCACertificateRef(message)
        return
      }
      binding.caCertificates.push(pem)
    })
    if (policy.caCertificateRefs.length > 0 && binding.caCertificates.length === 0 && accepted.status === 'True') {
      accepted = policyNoValidCACertificate(`no valid CA certificate: ${failures.join('; ')}`)
    }
    if (policy.wellKnownCACertificates !== undefined && policy.wellKnownCACertificates !== 'System' && accepted.status === 'True') {
      accepted = policyInvalid(`wellKnownCACertificates '${policy.wellKnownCACertificates}' is not supported (System only)`)
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

function decodeCaFromSecret(value: string | undefined): string | undefined {
  return value === undefined ? undefined : decodeSecretText(value)
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
 * Attach to each route backend the policy that governs it, and record as
 * ancestors of every policy targeting a used Service — winner, loser or
 * invalid — the Gateways whose accepted routes use it, so each policy's
 * status says what happened to it (PolicyAncestorStatus).
 */
export function linkPolicies(policies: readonly BackendTLSPolicyBinding[], routes: readonly RouteBinding[]): void {
  if (policies.length === 0) return
  for (const route of routes) {
    const gateways = new Set<GatewayBinding>(route.parents.filter((parent) => parent.accepted).map((parent) => parent.gateway))
    for (const rule of route.rules) {
      for (const backend of [...rule.backends, ...rule.filterBackends]) {
        const governing = policyFor(backend, policies)
        if (governing !== undefined) backend.tlsPolicy = governing
        for (const policy of policies) {
          if (!policyTargets(policy.policy, backend)) continue
          for (const gateway of gateways) if (!policy.ancestors.includes(gateway)) policy.ancestors.push(gateway)
        }
      }
    }
  }
}

