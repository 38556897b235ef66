/**
 * The typed model the binding engine works on: one interface per kind, with
 * the Gateway API defaults already applied (SEMANTICS.md §0 "Defaults the
 * engine must apply itself") and every field the engine reads made safe to
 * read — a field of the wrong type in the manifest is simply absent here, the
 * schema stage has already reported it.
 *
 * Every object carries `meta.id`, the index of its SourceObject, so that a
 * problem found by the engine can be pointed at a file, line and column by
 * the lint layer without the engine knowing about files.
 */

export const GATEWAY_GROUP = 'gateway.networking.k8s.io'

export interface ObjectMeta {
  /** Index of the object in the snapshot's source list. */
  id: number
  apiVersion: string
  group: string
  version: string
  kind: string
  namespace: string
  name: string
  labels: Record<string, string>
  annotations: Record<string, string>
  /** RFC 3339 string as written, or undefined. */
  creationTimestamp?: string
  /** metadata.generation, 1 when absent (what the API server sets on create). */
  generation: number
}

export interface GroupKind {
  group: string
  kind: string
}

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute'

export const ROUTE_KINDS: readonly RouteKind[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']

/** Kubernetes label selector (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels: Record<string, string>
  matchExpressions: Array<{key: string; operator: string; values: string[]}>
}

export type NamespacesFrom = 'All' | 'Same' | 'Selector' | 'None' | string

export interface SecretObjectReference {
  group: string
  kind: string
  name: string
  /** Defaulted to the referrer's namespace. */
  namespace: string
  namespaceExplicit: boolean
}

/** ObjectReference (Gateway API): group and kind are required, namespace defaults to the referrer's. */
export interface ObjectReference {
  group: string
  /** '' when absent (the schema stage reports it). */
  kind: string
  name: string
  /** Defaulted to the referrer's namespace. */
  namespace: string
  namespaceExplicit: boolean
}

/** FrontendTLSValidation: client-certificate validation of the listeners that terminate TLS. */
export interface FrontendValidation {
  /** Path of the `validation` block in the Gateway, e.g. ['spec', 'tls', 'frontend', 'default', 'validation']. */
  path: ReadonlyArray<string | number>
  caCertificateRefs: ObjectReference[]
  /** Defaulted to AllowValidOnly. */
  mode: string
}

/** spec.tls.frontend: the default validation and the per-port overrides. */
export interface FrontendTLS {
  /** undefined: no default validation (`default: {}` or no `validation`). */
  default?: FrontendValidation
  /** `validation` undefined: the port is explicitly without client-certificate validation. */
  perPort: Array<{index: number; port: number; validation?: FrontendValidation}>
}

export interface ListenerSpec {
  /** Position in spec.listeners. */
  index: number
  name: string
  /** undefined when absent or not an integer. */
  port?: number
  protocol: string
  hostname?: string
  tls?: {
    /** Defaulted to Terminate when the tls block is present. */
    mode: string
    certificateRefs: SecretObjectReference[]
    options: Record<string, string>
  }
  allowedRoutes: {
    namespaces: {from: NamespacesFrom; selector?: LabelSelector}
    /** undefined = not specified (kinds come from the protocol). */
    kinds?: GroupKind[]
  }
}

/** GatewayClass spec.parametersRef (ParametersReference) or Gateway spec.infrastructure.parametersRef (LocalParametersReference: no namespace). */
export interface ParametersReference {
  group: string
  kind: string
  name: string
  /** As written; undefined for a cluster-scoped referent or a LocalParametersReference. */
  namespace?: string
}

/** Any object of the input, by what a reference to an arbitrary kind can name. */
export interface ObjectKey {
  group: string
  kind: string
  name: string
  /** Effective namespace (metadata.namespace, or the command's default). */
  namespace: string
  /** metadata.namespace was written (cluster-scoped objects have none). */
  namespaceExplicit: boolean
}

export interface Gateway {
  meta: ObjectMeta
  gatewayClassName: string
  /** spec.infrastructure.parametersRef */
  infrastructureParametersRef?: ParametersReference
  listeners: ListenerSpec[]
  allowedListeners: {namespaces: {from: NamespacesFrom; selector?: LabelSelector}}
  addresses: Array<{type: string; value?: string}>
  /** spec.tls.backend.clientCertificateRef */
  backendClientCertificateRef?: SecretObjectReference
  /** spec.tls.frontend; undefined when absent. */
  frontendTLS?: FrontendTLS
  defaultScope?: string
}

export interface ListenerSet {
  meta: ObjectMeta
  parentRef: {group: string; kind: string; name: string; namespace: string}
  listeners: ListenerSpec[]
}

export interface GatewayClass {
  meta: ObjectMeta
  controllerName: string
  parametersRef?: ParametersReference
}

export interface ParentReference {
  /** Position in spec.parentRefs; -1 for a default Gateway the route did not name (useDefaultGateways). */
  index: number
  group: string
  kind: string
  name: string
  /** Defaulted to the route's namespace. */
  namespace: string
  namespaceExplicit: boolean
  sectionName?: string
  port?: number
  /** The parentRef as the API server stores it (group and kind defaulted), for status. */
  echo: Record<string, unknown>
}

export interface BackendRef {
  /** Path of this ref inside the route, e.g. ['spec','rules',0,'backendRefs',1]. */
  path: ReadonlyArray<string | number>
  group: string
  kind: string
  name: string
  namespace: string
  namespaceExplicit: boolean
  port?: number
  weight: number
}

export interface StringMatch {
  /** Position in the match's headers or queryParams. */
  index: number
  type: string
  name: string
  value: string
}

export interface HTTPRouteMatch {
  /** Position in the rule's matches; undefined for the default match of a rule without matches. */
  index?: number
  path: {type: string; value: string}
  headers: StringMatch[]
  queryParams: StringMatch[]
  method?: string
}

export interface GRPCRouteMatch {
  /** Position in the rule's matches. */
  index: number
  method?: {type: string; service?: string; method?: string}
  headers: StringMatch[]
}

export interface RouteFilter {
  type: string
  /** The filter object as written (type-specific block included). */
  spec: Record<string, unknown>
}

export interface RouteRule {
  index: number
  name?: string
  /** HTTPRoute: defaulted to PathPrefix '/' when omitted. Empty for TLS/TCP/UDP. */
  matches: HTTPRouteMatch[]
  grpcMatches: GRPCRouteMatch[]
  filters: RouteFilter[]
  backendRefs: BackendRef[]
  /** Backend-level filters, parallel to backendRefs. */
  backendFilters: RouteFilter[][]
  timeouts?: Record<string, string>
}

export interface Route {
  meta: ObjectMeta
  kind: RouteKind
  /** undefined: the route kind has no hostnames (TCP/UDP) or they were omitted. */
  hostnames: string[]
  parentRefs: ParentReference[]
  rules: RouteRule[]
  useDefaultGateways?: string
}

export interface ReferenceGrant {
  meta: ObjectMeta
  from: Array<{group: string; kind: string; namespace: string}>
  to: Array<{group: string; kind: string; name?: string}>
}

export interface ServicePort {
  name?: string
  port: number
  protocol: string
  appProtocol?: string
  targetPort?: number | string
}

export interface Service {
  meta: ObjectMeta
  type: string
  ports: ServicePort[]
  externalName?: string
}

export interface Secret {
  meta: ObjectMeta
  type: string
  /** data merged with stringData (stringData base64-encoded, as the API server does). */
  data: Record<string, string>
}

export interface ConfigMap {
  meta: ObjectMeta
  dataKeys: string[]
  data: Record<string, string>
}

export interface Namespace {
  meta: ObjectMeta
}

/** cert-manager.io Certificate: the declared source of a TLS Secret. */
export interface CertManagerCertificate {
  meta: ObjectMeta
  secretName: string
  dnsNames: string[]
  commonName?: string
  ipAddresses: string[]
}

export interface PolicyTargetReference {
  group: string
  kind: string
  name: string
  sectionName?: string
}

export interface BackendTLSPolicy {
  meta: ObjectMeta
  targetRefs: PolicyTargetReference[]
  caCertificateRefs: Array<{group: string; kind: string; name: string}>
  wellKnownCACertificates?: string
  hostname: string
  subjectAltNames: Array<{type: string; hostname?: string; uri?: string}>
}

/** Everything the engine binds: a plain snapshot of the input. */
export interface Snapshot {
  gatewayClasses: GatewayClass[]
  gateways: Gateway[]
  listenerSets: ListenerSet[]
  routes: Route[]
  referenceGrants: ReferenceGrant[]
  services: Service[]
  secrets: Secret[]
  configMaps: ConfigMap[]
  namespaces: Namespace[]
  certificates: CertManagerCertificate[]
  backendTLSPolicies: BackendTLSPolicy[]
  /** Every object of the input, whatever its kind (parametersRef may name any kind). */
  inventory: ObjectKey[]
}
