/**
 * The Binding: what the configuration means, computed once by `bind()` and
 * read by every command (lint's findings and status, resolve's decision,
 * serve's data plane, certs --for). Plain data, linked by references; no
 * field is recomputed by a reader.
 */
import type {FieldPath} from '../manifests/field-path.js'
import type {
  BackendRef, BackendTLSPolicy, CertManagerCertificate, Gateway, GatewayClass, GroupKind, ListenerSet, ListenerSpec, ObjectMeta,
  ObjectReference, ParentReference, Route, RouteRule, Secret, SecretObjectReference, Service, ServicePort, Snapshot,
} from '../model/types.js'
import type {Condition} from './conditions.js'
import type {Problem} from './problems.js'

/** Implementation choices the spec leaves open (SEMANTICS.md IMPL/SILENT), with gwctl's defaults. */
export interface EngineFeatures {
  /** TLSRouteModeMixed: Passthrough and Terminate TLS listeners may share a port (default true: gwctl serve sniffs SNI first). */
  mixedTlsModes: boolean
  /** TLSRouteModeTerminate: a TLS listener in Terminate mode carries TLSRoute (default true). */
  tlsRouteOnTerminate: boolean
  /**
   * HTTPS and TLS listeners may share a port when their hostnames do not
   * overlap (default false: ProtocolConflict). NGINX Gateway Fabric documents
   * this (implementations/implementation-facts.ts cites the document).
   */
  httpsTlsSharedPort: boolean
  /** GatewayPort8080: a listener may use port 8080 (default true; false: Accepted=False/PortUnavailable). */
  port8080: boolean
}

export const DEFAULT_FEATURES: EngineFeatures = {mixedTlsModes: true, tlsRouteOnTerminate: true, httpsTlsSharedPort: false, port8080: true}

/** The controllerName gwctl reports when the input has no GatewayClass for a Gateway. */
export const OFFLINE_CONTROLLER_NAME = 'gwctl.dev/offline-controller'

export interface EngineOptions {
  /** Bind only Gateways of these GatewayClasses (`--gateway-class`); undefined = every Gateway. */
  gatewayClassNames?: readonly string[]
  features?: Partial<EngineFeatures>
  /**
   * Deeper certificate check (key matches certificate, parses as X.509),
   * injected by the caller so the engine stays pure; it runs after the
   * engine's own structural check. Must be synchronous and deterministic.
   */
  inspectCertificate?: (secret: Secret) => {usable: true} | {usable: false; message: string}
  /**
   * Deeper check of a CA bundle (`ca.crt` of a ConfigMap or Secret: every
   * certificate parses as X.509), injected like `inspectCertificate`; it
   * runs after the engine's structural PEM check.
   */
  inspectCaBundle?: (pem: string) => {usable: true} | {usable: false; message: string}
}

export type ListenerOwner =
  | {kind: 'Gateway'; meta: ObjectMeta}
  | {kind: 'ListenerSet'; meta: ObjectMeta; listenerSet: ListenerSetBinding}

/** Where a listener certificate comes from. */
export interface CertificateBinding {
  ref: SecretObjectReference
  /** Index in tls.certificateRefs. */
  index: number
  /** The Secret, when present in the input. */
  secret?: Secret
  /** A cert-manager Certificate whose secretName is this Secret (the declared source). */
  source?: CertManagerCertificate
  /** True when a TLS server could use it (present and well-formed, or declared by cert-manager). */
  usable: boolean
  /** Why it is not usable. */
  problem?: string
  /** Not usable only because the Secret is absent from the input. */
  missing?: boolean
}

/** One caCertificateRefs entry of a frontend validation, resolved (SEMANTICS.md §2.4). */
export interface CaCertificateRefBinding {
  ref: ObjectReference
  /** Index in caCertificateRefs. */
  index: number
  valid: boolean
  /** Listener ResolvedRefs reason when not valid. */
  reason?: 'RefNotPermitted' | 'InvalidCACertificateKind' | 'InvalidCACertificateRef'
  /** Why it is not valid. */
  message?: string
  /** The PEM bundle (`ca.crt`) when valid. */
  pem?: string
}

/**
 * The client-certificate validation a listener that terminates TLS carries
 * out (Gateway spec.tls.frontend): the default, or the perPort entry for
 * its port.
 */
export interface ClientValidationBinding {
  /** `spec.tls.frontend.default` or `spec.tls.frontend.perPort[i]` (for messages). */
  source: string
  /** Path of the validation block in the Gateway. */
  path: FieldPath
  /** AllowValidOnly (a valid client certificate is required) or AllowInsecureFallback. */
  mode: string
  caRefs: CaCertificateRefBinding[]
  /** PEM bundles of the valid refs, in ref order; empty when none is valid (the listener is not accepted). */
  caCertificates: string[]
}

export interface AttachedRoute {
  route: RouteBinding
  parent: RouteParentBinding
  /** Intersected hostnames (SEMANTICS.md §1.3); `*` when neither side has one. */
  hostnames: string[]
}

export interface ListenerBinding {
  /** Unique key: `<gateway ns>/<gateway name>/<owner kind>/<owner ns>/<owner name>/<listener name>`. */
  key: string
  gateway: GatewayBinding
  owner: ListenerOwner
  spec: ListenerSpec
  /** Path of the listener in its owner: ['spec', 'listeners', i]. */
  path: FieldPath
  /** 'Terminate' | 'Passthrough' for HTTPS and TLS listeners. */
  mode?: string
  supportedKinds: GroupKind[]
  conditions: Condition[]
  /** Accepted=True and not Conflicted: routes may be served through it. */
  accepted: boolean
  conflicted: boolean
  /** Programmed=True: the data plane serves it. */
  programmed: boolean
  /**
   * Not programmed only because referenced Secrets are absent from the input
   * (CI often lints without Secrets): resolve answers as if they existed.
   */
  awaitingSecrets: boolean
  certificates: CertificateBinding[]
  /** Client-certificate validation (Gateway spec.tls.frontend), for listeners that terminate TLS. */
  clientValidation?: ClientValidationBinding
  /** Routes attached through an Accepted parentRef. */
  routes: AttachedRoute[]
  /** status.listeners[].attachedRoutes: distinct routes in `routes`. */
  attachedRoutes: number
}

export interface GatewayClassBinding {
  gatewayClass: GatewayClass
  /** Accepted, with InvalidParameters when spec.parametersRef is bad or absent from the input. */
  conditions: Condition[]
  /**
   * Its Gateways are reconciled: Accepted=True, or rejected only because the
   * parametersRef referent is absent from the input (resolve and serve answer
   * as if it existed, as for absent Secrets).
   */
  accepted: boolean
  /** Names of the Gateways in the input that use it. */
  gateways: string[]
}

export interface GatewayBinding {
  gateway: Gateway
  /** controllerName of its GatewayClass, or OFFLINE_CONTROLLER_NAME. */
  controllerName: string
  /** Whether the GatewayClass object is in the input. */
  classFound: boolean
  /** The Gateway's own spec.listeners. */
  listeners: ListenerBinding[]
  /** ListenerSets whose parentRef names this Gateway (admitted or not). */
  listenerSets: ListenerSetBinding[]
  conditions: Condition[]
  accepted: boolean
  programmed: boolean
  attachedListenerSets: number
}

export interface ListenerSetBinding {
  listenerSet: ListenerSet
  gateway: GatewayBinding
  /** Admitted by the Gateway's spec.allowedListeners. */
  admitted: boolean
  listeners: ListenerBinding[]
  conditions: Condition[]
  accepted: boolean
}

export interface RouteParentBinding {
  ref: ParentReference
  gateway: GatewayBinding
  /** Set when the parentRef names a ListenerSet. */
  listenerSet?: ListenerSetBinding
  conditions: Condition[]
  accepted: boolean
  /** Listeners that accepted the route, with the intersected hostnames. */
  attachments: Array<{listener: ListenerBinding; hostnames: string[]}>
  /** Relevant listeners (by sectionName/port) that did not take the route, and why. */
  rejections: Array<{listener: ListenerBinding; why: string}>
}

/**
 * Route ResolvedRefs reasons of a backend. `InvalidBackendTLSPolicy` is
 * gwctl's (implementation-specific): the BackendTLSPolicy that governs the
 * backend cannot be honoured, a case whose reason the spec leaves open
 * (SEMANTICS.md §5.2 item 6, §9).
 */
export type BackendProblemReason = 'InvalidKind' | 'RefNotPermitted' | 'BackendNotFound' | 'InvalidBackendTLSPolicy'

export interface BackendBinding {
  ref: BackendRef
  valid: boolean
  reason?: BackendProblemReason
  message?: string
  service?: Service
  servicePort?: ServicePort
  /**
   * The BackendTLSPolicy that governs this Service port (an Accepted one is
   * preferred). When it cannot be honoured (`failure`), the backend is
   * invalid: its traffic fails, never in plaintext.
   */
  tlsPolicy?: BackendTLSPolicyBinding
}

export interface RuleBinding {
  rule: RouteRule
  /** False when the rule is dropped (unsupported value); see `invalidReason`. */
  valid: boolean
  invalidReason?: string
  backends: BackendBinding[]
  /** Backends of filters (RequestMirror, ExternalAuth), checked like backendRefs. */
  filterBackends: BackendBinding[]
}

export interface RouteBinding {
  route: Route
  /** One entry per parentRef that resolves to an in-scope Gateway or ListenerSet. */
  parents: RouteParentBinding[]
  rules: RuleBinding[]
  /** ResolvedRefs condition, the same for every parent. */
  resolvedRefs: Condition
}

export interface BackendTLSPolicyBinding {
  policy: BackendTLSPolicy
  /** Ancestors: Gateways whose attached routes use a targeted Service. */
  ancestors: GatewayBinding[]
  conditions: Condition[]
  accepted: boolean
  /** PEM bundles of the valid CA references (decoded ca.crt), in ref order. */
  caCertificates: string[]
  /**
   * Why the policy's TLS settings cannot be honoured (no valid CA
   * certificate, an unsupported wellKnownCACertificates, no hostname);
   * undefined when gwctl can re-encrypt with them.
   */
  failure?: string
}

export interface Binding {
  snapshot: Snapshot
  gatewayClasses: GatewayClassBinding[]
  gateways: GatewayBinding[]
  listenerSets: ListenerSetBinding[]
  routes: RouteBinding[]
  policies: BackendTLSPolicyBinding[]
  problems: Problem[]
  features: EngineFeatures
}
