/**
 * Gateway spec.tls.frontend — client-certificate validation (FrontendTLSConfig,
 * FrontendTLSValidation; SEMANTICS.md §2.4). Each listener that terminates
 * TLS gets the `perPort` entry for its port, else the `default`; a perPort
 * entry without `validation` turns validation off on its port.
 *
 * caCertificateRefs are resolved once per validation block, in the order of
 * certificateRefs (§2.3), so status never reveals whether an object in
 * another namespace exists: no ReferenceGrant (Gateway → ConfigMap/Secret)
 * → RefNotPermitted; a kind other than core ConfigMap (Core) or Secret
 * (gwctl's extension) → InvalidCACertificateKind; object absent, no
 * `ca.crt`, or no CA certificate in it → InvalidCACertificateRef. On every
 * listener the block applies to: any invalid ref → ResolvedRefs=False (the
 * first failing ref's reason, every failure in the message); all invalid →
 * also Accepted=False/NoValidCACertificate, so the listener takes no
 * traffic. AllowInsecureFallback anywhere → the Gateway condition
 * InsecureFrontendValidationMode=True/ConfigurationChanged.
 *
 * gwctl applies the validation to TLS Terminate listeners as well as HTTPS
 * ones: both terminate the client's TLS at the Gateway (the feature
 * GatewayFrontendClientCertificateValidation: "when the Gateway terminates
 * the connection from the client").
 */
import {GATEWAY_GROUP, type ConfigMap, type FrontendValidation, type Gateway, type ObjectReference, type Secret} from '../model/types.js'
import type {CaCertificateRefBinding, ClientValidationBinding, EngineOptions, ListenerBinding} from './binding.js'
import {readCaBundle} from './ca-bundle.js'
import {
  type Condition,
  gatewayInsecureFrontendValidationMode, listenerInvalidCACertificateKind, listenerInvalidCACertificateRef, listenerNoValidCACertificate,
  listenerNotProgrammedInvalid, listenerRefNotPermitted,
} from './conditions.js'
import {describeListener, terminatesTls, type ListenerHealth} from './listeners.js'
import type {ProblemList} from './problems.js'
import {describeGroupKind, type ReferenceGrantIndex} from './reference-grants.js'

export const ALLOW_VALID_ONLY = 'AllowValidOnly'
export const ALLOW_INSECURE_FALLBACK = 'AllowInsecureFallback'

export interface FrontendContext {
  grants: ReferenceGrantIndex
  problems: ProblemList
  options: EngineOptions
  /** By `namespace/name`. */
  configMaps: ReadonlyMap<string, ConfigMap>
  secrets: ReadonlyMap<string, Secret>
}

/** The resolved validation blocks of one Gateway. */
export interface FrontendPlan {
  gateway: Gateway
  default?: ClientValidationBinding
  /** Per port: the override, or null when the perPort entry has no validation. */
  perPort: Map<number, ClientValidationBinding | null>
}

/** Resolve every validation block of the Gateway's spec.tls.frontend (problems reported once per block). */
export function resolveFrontendTLS(gateway: Gateway, context: FrontendContext): FrontendPlan {
  const plan: FrontendPlan = {gateway, perPort: new Map()}
  const frontend = gateway.frontendTLS
  if (frontend === undefined) return plan
  if (frontend.default !== undefined) plan.default = resolveValidation(gateway, frontend.default, 'spec.tls.frontend.default', context)
  for (const entry of frontend.perPort) {
    if (plan.perPort.has(entry.port)) continue
    plan.perPort.set(entry.port, entry.validation === undefined
      ? null
      : resolveValidation(gateway, entry.validation, `spec.tls.frontend.perPort[${entry.index}] (port ${entry.port})`, context))
  }
  return plan
}

function resolveValidation(gateway: Gateway, validation: FrontendValidation, source: string, context: FrontendContext): ClientValidationBinding {
  const caRefs = validation.caCertificateRefs.map((ref, index) => resolveCaRef(gateway, validation, source, ref, index, context))
  const binding: ClientValidationBinding = {
    source,
    path: validation.path,
    mode: validation.mode === ALLOW_INSECURE_FALLBACK ? ALLOW_INSECURE_FALLBACK : ALLOW_VALID_ONLY,
    caRefs,
    caCertificates: caRefs.flatMap((ref) => (ref.pem === undefined ? [] : [ref.pem])),
  }
  if (binding.mode === ALLOW_INSECURE_FALLBACK) {
    context.problems.warning('frontend-insecure-fallback', gateway.meta.id, [...validation.path, 'mode'],
      `${source}: mode AllowInsecureFallback accepts clients without a valid certificate and leaves their authorisation to the backends (Gateway InsecureFrontendValidationMode=True); use it for tests only`)
  }
  if (binding.caCertificates.length === 0) {
    const why = caRefs.length === 0 ? 'it has no caCertificateRefs' : 'no caCertificateRef is valid'
    context.problems.error('frontend-no-valid-ca-certificate', gateway.meta.id, [...validation.path, 'caCertificateRefs'],
      `${source}: ${why}: every listener it applies to is not accepted (Accepted=False/NoValidCACertificate) and takes no traffic`)
  }
  return binding
}

/** Check order per ref (§2.3, §2.4): grant, then group/kind, then existence, then content. */
function resolveCaRef(gateway: Gateway, validation: FrontendValidation, source: string, ref: ObjectReference, index: number, context: FrontendContext): CaCertificateRefBinding {
  const {problems, grants} = context
  const objectId = gateway.meta.id
  const path = [...validation.path, 'caCertificateRefs', index]
  const target = `${ref.namespace}/${ref.name}`
  const what = `caCertificateRef ${describeGroupKind(ref.group, ref.kind || '(no kind)')} '${target}'`
  const from = {group: GATEWAY_GROUP, kind: 'Gateway', namespace: gateway.meta.namespace}
  const to = {group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name}
  if (!grants.permits(from, to)) {
    problems.error('listener-ref-not-permitted', objectId, path, `${source}: ${what} is not permitted: ${grants.explainDenial(from, to)}`)
    return {ref, index, valid: false, reason: 'RefNotPermitted', message: `${what} is not permitted by any ReferenceGrant`}
  }
  if (ref.group !== '' || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret')) {
    const message = `${what}: kind ${describeGroupKind(ref.group, ref.kind || '(none)')} is not supported (a ConfigMap, or a Secret, with key ca.crt)`
    problems.error('frontend-ca-certificate-ref', objectId, [...path, 'kind'], `${source}: ${message}`)
    return {ref, index, valid: false, reason: 'InvalidCACertificateKind', message}
  }
  const configMap = ref.kind === 'ConfigMap' ? context.configMaps.get(target) : undefined
  const secret = ref.kind === 'Secret' ? context.secrets.get(target) : undefined
  if (configMap === undefined && secret === undefined) {
    const message = `${what}: ${ref.kind} not found (it is not in the input)`
    problems.error('frontend-ca-certificate-ref', objectId, [...path, 'name'], `${source}: ${message}`)
    return {ref, index, valid: false, reason: 'InvalidCACertificateRef', message}
  }
  const bundle = readCaBundle(configMap === undefined ? {kind: 'Secret', secret: secret!} : {kind: 'ConfigMap', configMap}, context.options)
  if (bundle.pem === undefined) {
    const message = `${what}: ${bundle.problem}`
    problems.error('frontend-ca-certificate-ref', objectId, path, `${source}: ${message}`)
    return {ref, index, valid: false, reason: 'InvalidCACertificateRef', message}
  }
  return {ref, index, valid: true, pem: bundle.pem}
}

/** The validation a listener carries out, if any: its port's perPort entry, else the default (only listeners that terminate TLS). */
export function selectClientValidation(plan: FrontendPlan, listener: Pick<ListenerBinding, 'spec' | 'mode'>): ClientValidationBinding | undefined {
  if (!terminatesTls(listener) || listener.spec.port === undefined) return undefined
  const perPort = plan.perPort.get(listener.spec.port)
  if (perPort !== undefined) return perPort ?? undefined
  return plan.default
}

function caRefCondition(failing: readonly CaCertificateRefBinding[]): Condition {
  const message = failing.map((ref) => ref.message).join('; ')
  switch (failing[0].reason) {
    case 'RefNotPermitted': {
      return listenerRefNotPermitted(message)
    }
    case 'InvalidCACertificateKind': {
      return listenerInvalidCACertificateKind(message)
    }
    default: {
      return listenerInvalidCACertificateRef(message)
    }
  }
}

/**
 * Record the listener's validation and fold its CA references into the
 * listener's health: ResolvedRefs (a certificateRef problem keeps its
 * reason, the CA problem joins the message), and Accepted=False/
 * NoValidCACertificate when no CA certificate is valid.
 */
export function applyClientValidation(listener: ListenerBinding, health: ListenerHealth, plan: FrontendPlan): ListenerHealth {
  const validation = selectClientValidation(plan, listener)
  listener.clientValidation = validation
  if (validation === undefined) return health
  const failing = validation.caRefs.filter((ref) => !ref.valid)
  const next = {...health}
  if (failing.length > 0) {
    const ca = caRefCondition(failing)
    const current = health.resolvedRefs
    if (current.status === 'True') next.resolvedRefs = ca
    else if (current.reason === 'InvalidRouteKinds') next.resolvedRefs = {...ca, message: `${ca.message}; ${current.message}`}
    else next.resolvedRefs = {...current, message: `${current.message}; ${ca.message}`}
  }
  if (validation.caCertificates.length === 0 && health.accepted.status === 'True') {
    const why = failing.length === 0 ? 'no caCertificateRefs' : failing.map((ref) => ref.message).join('; ')
    const message = `no valid CA certificate to validate client certificates (${validation.source}): ${why}`
    next.accepted = listenerNoValidCACertificate(message)
    next.notProgrammed = listenerNotProgrammedInvalid(message)
    next.notProgrammedBySecretsOnly = false
  }
  return next
}

/** A validation block that applies to no listener has no effect: say so (once per block). */
export function reportUnusedValidations(plan: FrontendPlan, listeners: readonly ListenerBinding[], problems: ProblemList): void {
  const used = new Set(listeners.map((listener) => listener.clientValidation).filter((validation) => validation !== undefined))
  const blocks = [plan.default, ...plan.perPort.values()].filter((validation): validation is ClientValidationBinding => validation !== undefined && validation !== null)
  for (const validation of blocks) {
    if (used.has(validation)) continue
    const terminating = listeners.filter((listener) => terminatesTls(listener))
    const why = terminating.length === 0
      ? 'the Gateway has no listener that terminates TLS (HTTPS, or TLS with mode Terminate)'
      : `no listener that terminates TLS takes it (${terminating.map((listener) => describeListener(listener)).join(', ')})`
    problems.warning('frontend-validation-unused', plan.gateway.meta.id, validation.path, `${validation.source} has no effect: ${why}`, 'practice')
  }
}

/** Gateway InsecureFrontendValidationMode=True/ConfigurationChanged when any validation block allows insecure fallback. */
export function findInsecureFrontendCondition(plan: FrontendPlan): Condition | undefined {
  const insecure = [plan.default, ...plan.perPort.values()].filter((validation) => validation?.mode === ALLOW_INSECURE_FALLBACK)
  if (insecure.length === 0) return undefined
  return gatewayInsecureFrontendValidationMode(`${insecure.map((validation) => validation!.source).join(', ')} ${insecure.length === 1 ? 'uses' : 'use'} AllowInsecureFallback: connections without a valid client certificate are accepted`)
}
