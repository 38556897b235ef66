/**
 * Status conditions, one factory per reason the engine sets (SEMANTICS.md
 * §10), so that every reason string is written exactly once and spelled as
 * the Gateway API constants spell it. Conditions here carry type, status,
 * reason and message; observedGeneration and lastTransitionTime are added
 * when status is projected (status.ts).
 */

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
}

function condition(type: string, status: Condition['status'], reason: string, message: string): Condition {
  return {type, status, reason, message}
}

// --- GatewayClass (GatewayClassConditionType / GatewayClassConditionReason) ---

export const gatewayClassAccepted = (message: string): Condition =>
  condition('Accepted', 'True', 'Accepted', message)
export const gatewayClassInvalidParameters = (message: string): Condition =>
  condition('Accepted', 'False', 'InvalidParameters', message)

// --- Gateway (GatewayConditionType / GatewayConditionReason) ---

export const gatewayAccepted = (): Condition =>
  condition('Accepted', 'True', 'Accepted', 'Gateway is accepted')
export const gatewayListenersNotValid = (accepted: boolean, message: string): Condition =>
  condition('Accepted', accepted ? 'True' : 'False', 'ListenersNotValid', message)
export const gatewayInvalidParameters = (message: string): Condition =>
  condition('Accepted', 'False', 'InvalidParameters', message)
export const gatewayProgrammed = (): Condition =>
  condition('Programmed', 'True', 'Programmed', 'Gateway is programmed (offline: addresses are not assigned by gwctl)')
export const gatewayNotProgrammedInvalid = (message: string): Condition =>
  condition('Programmed', 'False', 'Invalid', message)
export const gatewayResolvedRefs = (): Condition =>
  condition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references are resolved')
export const gatewayRefNotPermitted = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'RefNotPermitted', message)
export const gatewayInvalidClientCertificateRef = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidClientCertificateRef', message)
export const gatewayListenersNotResolved = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'ListenersNotResolved', message)
export const gatewayInsecureFrontendValidationMode = (message: string): Condition =>
  condition('InsecureFrontendValidationMode', 'True', 'ConfigurationChanged', message)

// --- Listener (ListenerConditionType / ListenerConditionReason) ---

export const listenerAccepted = (): Condition =>
  condition('Accepted', 'True', 'Accepted', 'Listener is accepted')
export const listenerUnsupportedProtocol = (message: string): Condition =>
  condition('Accepted', 'False', 'UnsupportedProtocol', message)
export const listenerUnsupportedValue = (message: string): Condition =>
  condition('Accepted', 'False', 'UnsupportedValue', message)
export const listenerPortUnavailable = (message: string): Condition =>
  condition('Accepted', 'False', 'PortUnavailable', message)
export const listenerNoValidCACertificate = (message: string): Condition =>
  condition('Accepted', 'False', 'NoValidCACertificate', message)
export const listenerNoConflicts = (): Condition =>
  condition('Conflicted', 'False', 'NoConflicts', 'No conflicts')
export const listenerProtocolConflict = (message: string): Condition =>
  condition('Conflicted', 'True', 'ProtocolConflict', message)
export const listenerHostnameConflict = (message: string): Condition =>
  condition('Conflicted', 'True', 'HostnameConflict', message)
export const listenerResolvedRefs = (): Condition =>
  condition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references are resolved')
export const listenerInvalidCertificateRef = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidCertificateRef', message)
export const listenerRefNotPermitted = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'RefNotPermitted', message)
export const listenerInvalidCACertificateRef = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidCACertificateRef', message)
export const listenerInvalidCACertificateKind = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidCACertificateKind', message)
export const listenerInvalidRouteKinds = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidRouteKinds', message)
export const listenerProgrammed = (): Condition =>
  condition('Programmed', 'True', 'Programmed', 'Listener is programmed')
export const listenerNotProgrammedInvalid = (message: string): Condition =>
  condition('Programmed', 'False', 'Invalid', message)
export const listenerNotProgrammedPortUnavailable = (message: string): Condition =>
  condition('Programmed', 'False', 'PortUnavailable', message)
/** Documented for missing TLS configuration (implementers' guide), not an API constant. */
export const listenerInvalidTLSConfig = (message: string): Condition =>
  condition('Programmed', 'False', 'InvalidTLSConfig', message)
export const listenerOverlappingHostnames = (message: string): Condition =>
  condition('OverlappingTLSConfig', 'True', 'OverlappingHostnames', message)

// --- ListenerSet (ListenerSetConditionType / reasons) ---

export const listenerSetAccepted = (): Condition =>
  condition('Accepted', 'True', 'Accepted', 'ListenerSet is accepted')
export const listenerSetNotAllowed = (type: 'Accepted' | 'Programmed', message: string): Condition =>
  condition(type, 'False', 'NotAllowed', message)
export const listenerSetParentNotAccepted = (message: string): Condition =>
  condition('Accepted', 'False', 'ParentNotAccepted', message)
export const listenerSetListenersNotValid = (type: 'Accepted' | 'Programmed', message: string): Condition =>
  condition(type, 'False', 'ListenersNotValid', message)
export const listenerSetProgrammed = (): Condition =>
  condition('Programmed', 'True', 'Programmed', 'ListenerSet is programmed')
export const listenerSetNotProgrammedInvalid = (message: string): Condition =>
  condition('Programmed', 'False', 'Invalid', message)

// --- Route parent (RouteConditionType / RouteConditionReason) ---

export const routeAccepted = (): Condition =>
  condition('Accepted', 'True', 'Accepted', 'Route is accepted')
export const routeNotAllowedByListeners = (message: string): Condition =>
  condition('Accepted', 'False', 'NotAllowedByListeners', message)
export const routeNoMatchingListenerHostname = (message: string): Condition =>
  condition('Accepted', 'False', 'NoMatchingListenerHostname', message)
export const routeNoMatchingParent = (message: string): Condition =>
  condition('Accepted', 'False', 'NoMatchingParent', message)
export const routeUnsupportedValue = (message: string): Condition =>
  condition('Accepted', 'False', 'UnsupportedValue', message)
export const routeResolvedRefs = (): Condition =>
  condition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references are resolved')
export const routeRefNotPermitted = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'RefNotPermitted', message)
export const routeInvalidKind = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidKind', message)
export const routeBackendNotFound = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'BackendNotFound', message)
/** Implementation-specific: the backend's BackendTLSPolicy cannot be honoured (reason SILENT, SEMANTICS.md §9). */
export const routeInvalidBackendTLSPolicy = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidBackendTLSPolicy', message)
export const routePartiallyInvalid = (message: string): Condition =>
  condition('PartiallyInvalid', 'True', 'UnsupportedValue', message)

// --- Policies (PolicyConditionType / reasons; BackendTLSPolicy additions) ---

export const policyAccepted = (): Condition =>
  condition('Accepted', 'True', 'Accepted', 'Policy is accepted')
export const policyTargetNotFound = (message: string): Condition =>
  condition('Accepted', 'False', 'TargetNotFound', message)
export const policyConflicted = (message: string): Condition =>
  condition('Accepted', 'False', 'Conflicted', message)
export const policyInvalid = (message: string): Condition =>
  condition('Accepted', 'False', 'Invalid', message)
export const policyNoValidCACertificate = (message: string): Condition =>
  condition('Accepted', 'False', 'NoValidCACertificate', message)
export const policyResolvedRefs = (): Condition =>
  condition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references are resolved')
export const policyInvalidCACertificateRef = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidCACertificateRef', message)
export const policyInvalidKind = (message: string): Condition =>
  condition('ResolvedRefs', 'False', 'InvalidKind', message)

/** The condition of a type in a list, if set. */
export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((entry) => entry.type === type)
}

export function isConditionTrue(conditions: readonly Condition[], type: string): boolean {
  return findCondition(conditions, type)?.status === 'True'
}
