/**
 * Listener validity (SEMANTICS.md §2): protocol × tls.mode × route kinds,
 * certificate references, conflicts among the merged listeners of a Gateway
 * and its ListenerSets, and OverlappingTLSConfig. Produces each listener's
 * conditions and `supportedKinds`; route attachment comes later (attach.ts)
 * and does not depend on listener health (ListenerStatus.AttachedRoutes).
 */
import {GATEWAY_GROUP, type GroupKind, type SecretObjectReference, type Snapshot} from '../model/types.js'
import {DEFAULT_FEATURES, type CertificateBinding, type EngineFeatures, type EngineOptions, type ListenerBinding} from './binding.js'
import {
  type Condition,
  listenerAccepted, listenerHostnameConflict, listenerInvalidCertificateRef, listenerInvalidRouteKinds,
  listenerInvalidTLSConfig, listenerNoConflicts, listenerNotProgrammedInvalid, listenerNotProgrammedPortUnavailable,
  listenerOverlappingHostnames, listenerPortUnavailable, listenerProgrammed, listenerProtocolConflict, listenerRefNotPermitted,
  listenerResolvedRefs, listenerUnsupportedProtocol, listenerUnsupportedValue,
} from './conditions.js'
import {ANY_HOSTNAME, hostnamesOverlap} from './hostname.js'
import type {ProblemList} from './problems.js'
import {describeGroupKind, type ReferenceGrantIndex} from './reference-grants.js'
import {inspectSecretShape} from './tls-secret.js'

const CORE_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'])

const kind = (name: string): GroupKind => ({group: GATEWAY_GROUP, kind: name})

/**
 * Route kinds a listener accepts when allowedRoutes.kinds is empty (DESIGN.md
 * table; SEMANTICS.md §2.2). An empty list means nothing can attach.
 */
export function defaultRouteKinds(protocol: string, mode: string | undefined, tlsRouteOnTerminate = DEFAULT_FEATURES.tlsRouteOnTerminate): GroupKind[] {
  switch (protocol) {
    case 'HTTP': {
      return [kind('HTTPRoute'), kind('GRPCRoute')]
    }
    case 'HTTPS': {
      return mode === 'Terminate' ? [kind('HTTPRoute'), kind('GRPCRoute')] : []
    }
    case 'TLS': {
      if (mode === 'Passthrough') return [kind('TLSRoute')]
      if (mode === 'Terminate') return tlsRouteOnTerminate ? [kind('TLSRoute'), kind('TCPRoute')] : [kind('TCPRoute')]
      return []
    }
    case 'TCP': {
      return [kind('TCPRoute')]
    }
    case 'UDP': {
      return [kind('UDPRoute')]
    }
    default: {
      return []
    }
  }
}

/** True when the listener terminates TLS at the gateway (HTTPS, TLS/Terminate). */
export function terminatesTls(listener: Pick<ListenerBinding, 'spec' | 'mode'>): boolean {
  return (listener.spec.protocol === 'HTTPS' || listener.spec.protocol === 'TLS') && listener.mode === 'Terminate'
}

/** A route kind as users write it: `HTTPRoute`, or `HTTPRoute (group "")` when the group is not Gateway API's. */
function describeRouteKind(entry: GroupKind): string {
  return entry.group === GATEWAY_GROUP ? entry.kind : `${entry.kind} (group "${entry.group}")`
}

export function describeKinds(kinds: readonly GroupKind[]): string {
  return kinds.length === 0 ? 'no route kind' : kinds.map((entry) => describeRouteKind(entry)).join(', ')
}

/**
 * The names a terminating listener's certificate must cover: the listener
 * hostname and the intersected hostnames of the routes attached to it
 * (never the pseudo-hostname `*`).
 */
export function listHostnamesServed(listener: Pick<ListenerBinding, 'spec' | 'routes'>): string[] {
  const names = new Set<string>()
  if (listener.spec.hostname !== undefined) names.add(listener.spec.hostname)
  for (const attached of listener.routes) {
    for (const hostname of attached.hostnames) if (hostname !== ANY_HOSTNAME) names.add(hostname)
  }
  return [...names]
}

/** How a listener is described in messages: `listener 'https' (HTTPS :443 demo.example.com)`. */
export function describeListener(listener: Pick<ListenerBinding, 'spec' | 'mode'>): string {
  const {spec} = listener
  const mode = listener.mode === undefined ? '' : `/${listener.mode}`
  const host = spec.hostname === undefined ? '' : ` ${spec.hostname}`
  return `listener '${spec.name}' (${spec.protocol}${mode} :${spec.port ?? '?'}${host})`
}

export interface ListenerHealth {
  accepted: Condition
  resolvedRefs: Condition
  /** Set when the listener cannot be programmed for a reason of its own. */
  notProgrammed?: Condition
  /** The only reason for notProgrammed is Secrets absent from the input. */
  notProgrammedBySecretsOnly?: boolean
}

/**
 * Per-listener checks that need no other listener: protocol, port, tls,
 * allowedRoutes.kinds and certificate references. Sets `mode`,
 * `supportedKinds` and `certificates` on the binding.
 */
export function checkListener(
  listener: ListenerBinding,
  grants: ReferenceGrantIndex,
  problems: ProblemList,
  options: EngineOptions,
  secretIndex: SecretIndex,
): ListenerHealth {
  const {spec, path} = listener
  const objectId = listener.owner.meta.id
  const protocol = spec.protocol
  let notProgrammed: Condition | undefined

  if (!CORE_PROTOCOLS.has(protocol)) {
    const message = `protocol '${protocol}' is not supported by gwctl (supported: HTTP, HTTPS, TLS, TCP, UDP)`
    problems.error('listener-unsupported-protocol', objectId, [...path, 'protocol'], `${describeListener(listener)}: ${message}`)
    listener.supportedKinds = []
    return {accepted: listenerUnsupportedProtocol(message), resolvedRefs: listenerResolvedRefs(), notProgrammed: listenerNotProgrammedInvalid(message)}
  }

  if (spec.port === undefined || spec.port < 1 || spec.port > 65_535) {
    const message = 'port must be an integer from 1 to 65535'
    listener.supportedKinds = []
    return {accepted: listenerPortUnavailable(message), resolvedRefs: listenerResolvedRefs(), notProgrammed: listenerNotProgrammedInvalid(message)}
  }
  if (spec.port === 8080 && options.features?.port8080 === false) {
    // GatewayPort8080 is Extended; the profile's finding (implementation-unsupported-feature) says so at the port.
    const message = 'port 8080 is not supported by this implementation (GatewayPort8080)'
    listener.supportedKinds = []
    return {accepted: listenerPortUnavailable(message), resolvedRefs: listenerResolvedRefs(), notProgrammed: listenerNotProgrammedPortUnavailable(message)}
  }

  const usesTls = protocol === 'HTTPS' || protocol === 'TLS'
  if (usesTls) listener.mode = spec.tls?.mode
  if (usesTls && spec.tls === undefined) {
    const message = protocol === 'TLS'
      ? 'protocol TLS needs a tls block with mode Passthrough or Terminate'
      : 'protocol HTTPS needs a tls block with certificateRefs'
    problems.error('listener-tls-missing', objectId, [...path, 'protocol'], `${describeListener(listener)}: ${message}`)
    notProgrammed = listenerInvalidTLSConfig(message)
    listener.mode = protocol === 'HTTPS' ? 'Terminate' : undefined
  }
  if (usesTls && listener.mode !== undefined && listener.mode !== 'Terminate' && listener.mode !== 'Passthrough') {
    const message = `tls.mode '${listener.mode}' is not supported (Terminate or Passthrough)`
    listener.supportedKinds = []
    return {accepted: listenerUnsupportedValue(message), resolvedRefs: listenerResolvedRefs(), notProgrammed: listenerNotProgrammedInvalid(message)}
  }
  if (protocol === 'HTTPS' && listener.mode === 'Passthrough') {
    const message = 'protocol HTTPS supports only tls.mode Terminate; use protocol TLS for Passthrough'
    listener.supportedKinds = []
    return {accepted: listenerUnsupportedValue(message), resolvedRefs: listenerResolvedRefs(), notProgrammed: listenerNotProgrammedInvalid(message)}
  }

  // allowedRoutes.kinds (AllowedRoutes.Kinds; ListenerStatus.SupportedKinds)
  const protocolKinds = defaultRouteKinds(protocol, listener.mode, options.features?.tlsRouteOnTerminate)
  let kindsProblem: Condition | undefined
  if (spec.allowedRoutes.kinds === undefined || spec.allowedRoutes.kinds.length === 0) {
    listener.supportedKinds = protocolKinds
  } else {
    const valid: GroupKind[] = []
    spec.allowedRoutes.kinds.forEach((entry, index) => {
      const ok = protocolKinds.some((candidate) => candidate.group === entry.group && candidate.kind === entry.kind)
      if (ok) {
        if (!valid.some((seen) => seen.group === entry.group && seen.kind === entry.kind)) valid.push(entry)
        return
      }
      const message = `route kind ${describeRouteKind(entry)} is not supported on ${protocol}${listener.mode ? `/${listener.mode}` : ''} listeners (they accept ${describeKinds(protocolKinds)})`
      problems.error('listener-invalid-route-kinds', objectId, [...path, 'allowedRoutes', 'kinds', index], `${describeListener(listener)}: ${message}`)
      kindsProblem ??= listenerInvalidRouteKinds(message)
    })
    listener.supportedKinds = valid
    if (valid.length === 0 && kindsProblem !== undefined) {
      notProgrammed ??= listenerNotProgrammedInvalid('no valid route kind remains in allowedRoutes.kinds')
    }
  }

  // Certificates (ListenerTLSConfig.CertificateRefs; SEMANTICS.md §2.3)
  let certificateProblem: Condition | undefined
  let notProgrammedBySecretsOnly = false
  if (spec.tls !== undefined && listener.mode === 'Passthrough' && spec.tls.certificateRefs.length > 0) {
    problems.warning('passthrough-certificate-refs', objectId, [...path, 'tls', 'certificateRefs'],
      `${describeListener(listener)}: certificateRefs are ignored in Passthrough mode (the backend presents its own certificate)`, 'practice')
  }
  if (spec.tls !== undefined && listener.mode === 'Terminate') {
    if (spec.tls.certificateRefs.length === 0) {
      const message = Object.keys(spec.tls.options).length > 0
        ? 'no certificateRefs: gwctl has no certificate source for tls.options alone'
        : 'mode Terminate needs at least one certificateRef'
      notProgrammed ??= listenerInvalidTLSConfig(message)
    }
    listener.certificates = spec.tls.certificateRefs.map((ref, index) =>
      resolveCertificateRef(listener, ref, index, grants, problems, options, secretIndex))
    const failing = listener.certificates.find((certificate) => !certificate.usable)
    if (failing !== undefined) {
      const messages = listener.certificates.filter((certificate) => !certificate.usable).map((certificate) => certificate.problem).join('; ')
      certificateProblem = failing.problem?.includes('ReferenceGrant')
        ? listenerRefNotPermitted(messages)
        : listenerInvalidCertificateRef(messages)
      if (notProgrammed === undefined) {
        notProgrammed = listenerNotProgrammedInvalid(`certificate references are not resolved: ${messages}`)
        notProgrammedBySecretsOnly = listener.certificates.every((certificate) => certificate.usable || certificate.missing)
      }
    }
  }

  return {
    accepted: listenerAccepted(),
    resolvedRefs: certificateProblem ?? kindsProblem ?? listenerResolvedRefs(),
    notProgrammed,
    notProgrammedBySecretsOnly,
  }
}

/** Secrets and cert-manager Certificates by `namespace/name` (of the Secret). */
export interface SecretIndex {
  secrets: Map<string, Snapshot['secrets'][number]>
  certificates: Map<string, Snapshot['certificates'][number]>
}

export function indexSecrets(snapshot: Snapshot): SecretIndex {
  const secrets = new Map(snapshot.secrets.map((secret) => [`${secret.meta.namespace}/${secret.meta.name}`, secret]))
  const certificates = new Map(snapshot.certificates.map((certificate) => [`${certificate.meta.namespace}/${certificate.secretName}`, certificate]))
  return {secrets, certificates}
}

/** ConfigMaps by `namespace/name`. */
export function indexConfigMaps(snapshot: Snapshot): Map<string, Snapshot['configMaps'][number]> {
  return new Map(snapshot.configMaps.map((configMap) => [`${configMap.meta.namespace}/${configMap.meta.name}`, configMap]))
}

/** Check order per ref (§2.3): grant, then group/kind, then existence, then content. */
function resolveCertificateRef(
  listener: ListenerBinding,
  ref: SecretObjectReference,
  index: number,
  grants: ReferenceGrantIndex,
  problems: ProblemList,
  options: EngineOptions,
  secretIndex: SecretIndex,
): CertificateBinding {
  const objectId = listener.owner.meta.id
  const path = [...listener.path, 'tls', 'certificateRefs', index]
  const who = describeListener(listener)
  const target = `${ref.namespace}/${ref.name}`
  const from = {group: GATEWAY_GROUP, kind: listener.owner.kind, namespace: listener.owner.meta.namespace}
  if (!grants.permits(from, {group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name})) {
    const why = grants.explainDenial(from, {group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name})
    problems.error('listener-ref-not-permitted', objectId, path, `${who}: certificateRef to ${describeGroupKind(ref.group, ref.kind)} '${target}' is not permitted: ${why}`)
    return {ref, index, usable: false, problem: `certificateRef ${target} is not permitted by any ReferenceGrant`}
  }
  if (ref.group !== '' || ref.kind !== 'Secret') {
    const message = `certificateRef ${target} has unsupported kind ${describeGroupKind(ref.group, ref.kind)} (only core Secret is supported)`
    problems.error('listener-certificate-ref', objectId, path, `${who}: ${message}`)
    return {ref, index, usable: false, problem: message}
  }
  const secret = secretIndex.secrets.get(target)
  const source = secretIndex.certificates.get(target)
  if (secret === undefined) {
    if (source !== undefined) return {ref, index, source, usable: true}
    const message = `Secret ${target} not found (it is not in the input)`
    problems.add({ruleId: 'secret-not-found', severity: 'warning', category: 'semantic', objectId, path,
      message: `${who}: Secret '${target}' is not in the input; a controller would report InvalidCertificateRef until it exists (add it, or a cert-manager Certificate with secretName '${ref.name}')`})
    return {ref, index, usable: false, problem: message, missing: true}
  }
  const shape = inspectSecretShape(secret)
  if (!shape.usable) {
    const message = `Secret ${target} ${shape.message}`
    problems.error('listener-certificate-ref', objectId, path, `${who}: ${message}`)
    return {ref, index, secret, source, usable: false, problem: message}
  }
  const deep = options.inspectCertificate?.(secret)
  if (deep !== undefined && !deep.usable) {
    const message = `Secret ${target}: ${deep.message}`
    problems.error('listener-certificate-ref', objectId, path, `${who}: ${message}`)
    return {ref, index, secret, source, usable: false, problem: message}
  }
  return {ref, index, secret, source, usable: true}
}

interface ConflictMark {
  condition: Condition
  /** Lost to a listener of higher precedence in another resource (ListenerSet loser). */
  lostToOtherOwner: boolean
}

/**
 * Conflicts among the merged listeners of one Gateway (SEMANTICS.md §2.5):
 * `merged` is in precedence order (Gateway listeners, then ListenerSets
 * oldest first). Within one resource every indistinct listener is marked;
 * across resources only the lower-precedence one is.
 */
export function detectConflicts(merged: readonly ListenerBinding[], features: EngineFeatures, candidates: ReadonlySet<ListenerBinding>): Map<ListenerBinding, ConflictMark> {
  const marks = new Map<ListenerBinding, ConflictMark>()
  const byPort = new Map<number, ListenerBinding[]>()
  for (const listener of merged) {
    if (!candidates.has(listener) || listener.spec.port === undefined) continue
    const list = byPort.get(listener.spec.port)
    if (list === undefined) byPort.set(listener.spec.port, [listener])
    else list.push(listener)
  }
  const mark = (listener: ListenerBinding, condition: Condition, lostToOtherOwner: boolean) => {
    const existing = marks.get(listener)
    // ProtocolConflict outranks HostnameConflict; the first message of a reason is kept.
    if (existing !== undefined && (existing.condition.reason === 'ProtocolConflict' || condition.reason === existing.condition.reason)) {
      existing.lostToOtherOwner ||= lostToOtherOwner
      return
    }
    marks.set(listener, {condition, lostToOtherOwner: lostToOtherOwner || (existing?.lostToOtherOwner ?? false)})
  }
  for (const listeners of byPort.values()) {
    for (let i = 1; i < listeners.length; i++) {
      const later = listeners[i]
      for (let j = 0; j < i; j++) {
        const earlier = listeners[j]
        if (marks.get(earlier)?.lostToOtherOwner) continue
        const reason = conflictBetween(earlier, later, features)
        if (reason === undefined) continue
        const sameOwner = earlier.owner.meta.id === later.owner.meta.id
        const text = (a: ListenerBinding, b: ListenerBinding) => `${describeListener(a)} conflicts with ${describeListener(b)}${ownerSuffix(a, b)}: ${reason.why}`
        const make = reason.kind === 'protocol' ? listenerProtocolConflict : listenerHostnameConflict
        mark(later, make(text(later, earlier)), !sameOwner)
        if (sameOwner) mark(earlier, make(text(earlier, later)), false)
      }
    }
  }
  return marks
}

function ownerSuffix(a: ListenerBinding, b: ListenerBinding): string {
  if (a.owner.meta.id === b.owner.meta.id) return ''
  return ` of ${b.owner.kind} ${b.owner.meta.namespace}/${b.owner.meta.name}`
}

function transportOf(protocol: string): 'UDP' | 'TCP' {
  return protocol === 'UDP' ? 'UDP' : 'TCP'
}

function conflictBetween(a: ListenerBinding, b: ListenerBinding, features: EngineFeatures): {kind: 'protocol' | 'hostname'; why: string} | undefined {
  const pa = a.spec.protocol
  const pb = b.spec.protocol
  const port = a.spec.port
  if (transportOf(pa) !== transportOf(pb)) return undefined
  if (features.httpsTlsSharedPort && [pa, pb].sort().join('+') === 'HTTPS+TLS') {
    if (!hostnamesOverlap(a.spec.hostname, b.spec.hostname)) return undefined
    return {kind: 'hostname', why: `HTTPS and TLS listeners share port ${port} only with hostnames that do not overlap`}
  }
  if (pa !== pb) return {kind: 'protocol', why: `${pa} and ${pb} cannot share port ${port}`}
  if (pa === 'TCP' || pa === 'UDP') return {kind: 'protocol', why: `two ${pa} listeners cannot share port ${port}`}
  if (pa === 'TLS' && a.mode !== b.mode && !features.mixedTlsModes) {
    return {kind: 'protocol', why: `TLS Passthrough and Terminate cannot share port ${port}`}
  }
  if ((a.spec.hostname ?? ANY_HOSTNAME) === (b.spec.hostname ?? ANY_HOSTNAME)) {
    return {kind: 'hostname', why: a.spec.hostname === undefined ? `both have no hostname on port ${port}` : `both use hostname ${a.spec.hostname} on port ${port}`}
  }
  return undefined
}

/**
 * OverlappingTLSConfig (GEP-3567; SEMANTICS.md §2.6): on every terminating
 * listener of a port whose hostname overlaps another terminating listener's
 * on the same port; an absent hostname overlaps all. Only set when True.
 */
export function detectOverlappingTls(merged: readonly ListenerBinding[], usable: ReadonlySet<ListenerBinding>): Map<ListenerBinding, Condition> {
  const out = new Map<ListenerBinding, Condition>()
  const terminating = merged.filter((listener) => usable.has(listener) && terminatesTls(listener))
  for (let i = 0; i < terminating.length; i++) {
    for (let j = i + 1; j < terminating.length; j++) {
      const a = terminating[i]
      const b = terminating[j]
      if (a.spec.port !== b.spec.port || !hostnamesOverlap(a.spec.hostname, b.spec.hostname)) continue
      if (!out.has(a)) out.set(a, listenerOverlappingHostnames(`hostname ${a.spec.hostname ?? '(any)'} overlaps ${describeListener(b)}: HTTP/2 clients may reuse one connection for both`))
      if (!out.has(b)) out.set(b, listenerOverlappingHostnames(`hostname ${b.spec.hostname ?? '(any)'} overlaps ${describeListener(a)}: HTTP/2 clients may reuse one connection for both`))
    }
  }
  return out
}

/** Assemble a listener's conditions in the order controllers write them. */
export function finishListenerConditions(
  listener: ListenerBinding,
  health: ListenerHealth,
  conflict: ConflictMark | undefined,
  overlapping: Condition | undefined,
): void {
  let accepted = health.accepted
  let programmed: Condition
  if (conflict !== undefined && conflict.lostToOtherOwner && listener.owner.kind === 'ListenerSet') {
    // A ListenerSet listener that lost to a higher-precedence listener (GEP-1713 scenarios).
    accepted = listenerPortUnavailable(conflict.condition.message)
    programmed = listenerNotProgrammedPortUnavailable(conflict.condition.message)
  } else if (health.accepted.status !== 'True') {
    programmed = health.notProgrammed ?? listenerNotProgrammedInvalid(health.accepted.message)
  } else if (conflict !== undefined) {
    programmed = listenerNotProgrammedInvalid(conflict.condition.message)
  } else {
    programmed = health.notProgrammed ?? listenerProgrammed()
  }
  listener.conditions = [accepted, conflict?.condition ?? listenerNoConflicts(), health.resolvedRefs, programmed]
  if (overlapping !== undefined) listener.conditions.push(overlapping)
  listener.accepted = accepted.status === 'True' && conflict === undefined
  listener.conflicted = conflict !== undefined
  listener.programmed = programmed.status === 'True'
  listener.awaitingSecrets = listener.accepted && !listener.programmed && health.notProgrammedBySecretsOnly === true
}
