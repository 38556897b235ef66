/**
 * Rule metadata of the findings the binding engine reports (categories
 * semantic and practice): ids, default severities and one-line
 * descriptions, for SARIF and for `docs/rule-ids.md` (a test keeps the two
 * in step). The engine itself only names the ids (src/gatewayapi/problems.ts).
 */
import type {RuleMeta} from '../findings/finding.js'

const rule = (id: string, defaultSeverity: RuleMeta['defaultSeverity'], description: string, source: string, category: RuleMeta['category'] = 'semantic'): RuleMeta =>
  ({id, category, defaultSeverity, description, source})

export const SEMANTIC_RULES: RuleMeta[] = [
  rule('gateway-listeners-not-valid', 'error', 'A Gateway or ListenerSet with no usable listener is not accepted (Accepted=False/ListenersNotValid).', 'SEMANTICS.md §3, §2.9'),
  rule('gateway-class-not-found', 'info', 'The GatewayClass a Gateway names is not in the input; gwctl binds the Gateway anyway.', 'DESIGN.md'),
  rule('listener-unsupported-protocol', 'error', 'The listener protocol is not one gwctl implements (Accepted=False/UnsupportedProtocol).', 'Gateway API ProtocolType'),
  rule('listener-unsupported-value', 'error', 'A listener field has a value gwctl does not support (Accepted=False/UnsupportedValue).', 'SEMANTICS.md §2.2'),
  rule('listener-tls-missing', 'error', 'An HTTPS or TLS listener has no tls block (Programmed=False/InvalidTLSConfig).', 'SEMANTICS.md §2.1'),
  rule('listener-conflict', 'error', 'Listeners on one port that cannot be told apart (Conflicted=True/ProtocolConflict or HostnameConflict).', 'SEMANTICS.md §2.5'),
  rule('listener-invalid-route-kinds', 'error', 'allowedRoutes.kinds names a kind the listener protocol cannot carry (ResolvedRefs=False/InvalidRouteKinds).', 'SEMANTICS.md §2.2'),
  rule('listener-certificate-ref', 'error', 'A certificateRef of an unsupported kind, or to a malformed Secret (ResolvedRefs=False/InvalidCertificateRef).', 'SEMANTICS.md §2.3'),
  rule('listener-ref-not-permitted', 'error', 'A certificate or CA certificate reference into another namespace without a ReferenceGrant (ResolvedRefs=False/RefNotPermitted).', 'SEMANTICS.md §2.3, §2.4, §6'),
  rule('frontend-ca-certificate-ref', 'error', 'A spec.tls.frontend caCertificateRef of an unsupported kind, to an object absent from the input, or without a CA certificate under ca.crt (listener ResolvedRefs=False/InvalidCACertificateKind or InvalidCACertificateRef).', 'SEMANTICS.md §2.4'),
  rule('frontend-no-valid-ca-certificate', 'error', 'No caCertificateRef of a spec.tls.frontend validation is valid: its listeners are not accepted (Accepted=False/NoValidCACertificate) and take no traffic.', 'SEMANTICS.md §2.4'),
  rule('frontend-insecure-fallback', 'warning', 'Client-certificate validation in mode AllowInsecureFallback accepts clients without a valid certificate (Gateway InsecureFrontendValidationMode=True).', 'SEMANTICS.md §2.4'),
  rule('frontend-validation-unused', 'warning', 'A spec.tls.frontend validation (default or perPort) that applies to no listener terminating TLS.', 'SEMANTICS.md §2.4', 'practice'),
  rule('listener-overlapping-tls', 'info', 'Terminating listeners on one port whose hostnames overlap (OverlappingTLSConfig=True): HTTP/2 clients may coalesce connections.', 'SEMANTICS.md §2.6'),
  rule('listenerset-not-allowed', 'error', "A ListenerSet that its Gateway's allowedListeners does not admit (Accepted=False/NotAllowed).", 'SEMANTICS.md §2.9'),
  rule('listenerset-parent-not-found', 'warning', 'A ListenerSet whose parent Gateway is not in the input.', 'SEMANTICS.md §2.9'),
  rule('secret-not-found', 'warning', 'A certificateRef to a Secret that is not in the input (an error with --require-refs).', 'SEMANTICS.md §2.3'),
  rule('route-parent-not-found', 'warning', 'A parentRef to a Gateway or ListenerSet that is not in the input: no controller reports status for it.', 'SEMANTICS.md §4.1'),
  rule('route-no-matching-parent', 'error', 'sectionName or port select no listener of the parent (Accepted=False/NoMatchingParent).', 'SEMANTICS.md §4.2'),
  rule('route-not-allowed-by-listeners', 'error', "No listener's allowedRoutes.namespaces admits the route's namespace (Accepted=False/NotAllowedByListeners).", 'SEMANTICS.md §4.3, §2.7'),
  rule('listener-route-kind', 'error', 'The route kind is not accepted by any listener it targets, e.g. a TLSRoute on an HTTPS listener (Accepted=False/NotAllowedByListeners).', 'SEMANTICS.md §2.2, §4.4'),
  rule('route-no-matching-listener-hostname', 'error', 'No route hostname intersects the hostname of a listener that admits the route (Accepted=False/NoMatchingListenerHostname).', 'SEMANTICS.md §1.3, §4.4'),
  rule('route-unsupported-value', 'error', 'No rule of the route can be served (Accepted=False/UnsupportedValue).', 'SEMANTICS.md §4.6'),
  rule('route-partially-invalid', 'warning', 'Some rules of the route are dropped (PartiallyInvalid=True).', 'SEMANTICS.md §4.6'),
  rule('route-hostname-not-covered', 'warning', 'A route hostname intersects no listener the route attaches to, and is ignored.', 'SEMANTICS.md §1.3'),
  rule('backend-not-found', 'warning', 'A backendRef to a Service that is not in the input (ResolvedRefs=False/BackendNotFound; an error with --require-refs).', 'SEMANTICS.md §5.2'),
  rule('backend-port-not-found', 'error', 'A backendRef port that the Service does not have (ResolvedRefs=False/BackendNotFound).', 'SEMANTICS.md §5.2'),
  rule('backend-invalid-kind', 'error', 'A backendRef or ExtensionRef filter of a kind gwctl cannot resolve (ResolvedRefs=False/InvalidKind).', 'SEMANTICS.md §5.2, §4.6'),
  rule('backend-ref-not-permitted', 'error', 'A backendRef into another namespace without a ReferenceGrant (ResolvedRefs=False/RefNotPermitted).', 'SEMANTICS.md §5.2, §6'),
  rule('backend-tls-policy-invalid', 'error', 'A backendRef to a Service whose BackendTLSPolicy cannot be honoured: its traffic fails with a 5xx, never in plaintext (ResolvedRefs=False/InvalidBackendTLSPolicy).', 'SEMANTICS.md §9, §5.2'),
  rule('backend-weights-zero', 'warning', 'Every backendRef of a rule has weight 0, so the rule has no backend.', 'SEMANTICS.md §5.4'),
  rule('reference-grant-unused', 'warning', 'A ReferenceGrant that permits no reference in the input.', 'SEMANTICS.md §6'),
  rule('tlsroute-hostname-shadowed', 'warning', 'TLSRoutes on one listener with the same hostname: only the oldest gets the traffic.', 'SEMANTICS.md §7'),
  rule('route-shadowed', 'warning', 'Several TCPRoutes or UDPRoutes on one listener: only the oldest gets the traffic.', 'SEMANTICS.md §8.4', 'practice'),
  rule('backendtlspolicy-target-not-found', 'error', 'A BackendTLSPolicy target Service (or its sectionName port) is not in the input (Accepted=False/TargetNotFound).', 'SEMANTICS.md §9'),
  rule('backendtlspolicy-ca-ref', 'error', 'A BackendTLSPolicy CA reference that does not resolve to a ca.crt (ResolvedRefs=False/InvalidCACertificateRef or InvalidKind).', 'SEMANTICS.md §9'),
  rule('backendtlspolicy-invalid', 'error', 'A BackendTLSPolicy validation setting gwctl cannot honour, e.g. a wellKnownCACertificates other than System (Accepted=False/Invalid).', 'SEMANTICS.md §9'),
  rule('backendtlspolicy-conflicted', 'warning', 'Another, older BackendTLSPolicy targets the same Service port (Accepted=False/Conflicted).', 'SEMANTICS.md §9'),
  rule('passthrough-certificate-refs', 'warning', 'certificateRefs on a Passthrough listener are ignored.', 'ListenerTLSConfig.Mode', 'practice'),
]
