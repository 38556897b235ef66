/**
 * Turns loaded objects into the engine's Snapshot: picks the kinds the
 * engine knows (Gateway API kinds by group, core Service/Secret/ConfigMap/
 * Namespace, cert-manager Certificate) and normalises every served
 * apiVersion to one shape. Gateway API objects are read as the schema stage
 * defaulted them (CRD defaults applied once, src/schema/apply-defaults.ts;
 * without a schema pass the same defaults are applied here, unreported), so
 * the only defaults written below are those no CRD expresses (SEMANTICS.md
 * §0): references default to the referrer's namespace, an absent
 * allowedListeners admits no ListenerSet, an HTTPRoute rule with `matches:
 * []` matches like an omitted one, core kinds (Service type and port
 * protocol), metadata.generation. Objects of other kinds are ignored. Never
 * throws.
 */
import {applySchemaDefaults} from '../schema/default-object.js'
import {
  asArray, asInteger, asObject, asString, asStringList, asStringMap, field, type JsonObject,
} from './json-fields.js'
import {
  GATEWAY_GROUP, ROUTE_KINDS,
  type BackendRef, type BackendTLSPolicy, type GroupKind, type GRPCRouteMatch, type HTTPRouteMatch,
  type FrontendTLS, type FrontendValidation, type LabelSelector, type ListenerSpec, type NamespacesFrom, type ObjectMeta, type ObjectReference,
  type ParametersReference, type ParentReference,
  type Route, type RouteFilter, type RouteKind, type RouteRule, type Snapshot, type StringMatch,
} from './types.js'

/** What the model needs of a loaded object. */
export interface ModelInput {
  object: Record<string, unknown>
  /** Effective namespace (metadata.namespace, or the command's default). */
  namespace: string
  /** True when metadata.namespace was written (false or absent: the command's default). */
  namespaceExplicit?: boolean
  /** The object with CRD defaults applied, from the schema pass; computed here when absent. */
  defaulted?: Record<string, unknown>
}

const CERT_MANAGER_GROUP = 'cert-manager.io'

export function splitApiVersion(apiVersion: string): {group: string; version: string} {
  const slash = apiVersion.lastIndexOf('/')
  return slash === -1 ? {group: '', version: apiVersion} : {group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1)}
}

export function emptySnapshot(): Snapshot {
  return {
    gatewayClasses: [], gateways: [], listenerSets: [], routes: [], referenceGrants: [], services: [], secrets: [],
    configMaps: [], namespaces: [], certificates: [], backendTLSPolicies: [], inventory: [],
  }
}

/** Build the snapshot; `inputs[i]` gets `meta.id = i`; undefined entries (objects left out) are skipped. */
export function buildSnapshot(inputs: ReadonlyArray<ModelInput | undefined>): Snapshot {
  const snapshot = emptySnapshot()
  inputs.forEach((input, id) => {
    if (input !== undefined) addObject(snapshot, input, id)
  })
  return snapshot
}

function readMeta(input: ModelInput, id: number): ObjectMeta {
  const {object} = input
  const apiVersion = asString(object.apiVersion) ?? ''
  const {group, version} = splitApiVersion(apiVersion)
  const metadata = asObject(object.metadata) ?? {}
  const generation = asInteger(metadata.generation)
  return {
    id,
    apiVersion,
    group,
    version,
    kind: asString(object.kind) ?? '',
    namespace: input.namespace,
    name: asString(metadata.name) ?? '',
    labels: asStringMap(metadata.labels),
    annotations: asStringMap(metadata.annotations),
    creationTimestamp: asString(metadata.creationTimestamp),
    generation: generation !== undefined && generation > 0 ? generation : 1,
  }
}

function addObject(snapshot: Snapshot, raw: ModelInput, id: number): void {
  const input = {...raw, object: raw.defaulted ?? applySchemaDefaults(raw.object) ?? raw.object}
  const meta = readMeta(input, id)
  const spec = asObject(input.object.spec) ?? {}
  snapshot.inventory.push({group: meta.group, kind: meta.kind, name: meta.name, namespace: meta.namespace, namespaceExplicit: input.namespaceExplicit ?? true})
  if (meta.group === GATEWAY_GROUP) {
    switch (meta.kind) {
      case 'GatewayClass': {
        snapshot.gatewayClasses.push({meta, controllerName: asString(spec.controllerName) ?? '', parametersRef: readParametersRef(spec.parametersRef)})
        return
      }
      case 'Gateway': {
        snapshot.gateways.push({
          meta,
          gatewayClassName: asString(spec.gatewayClassName) ?? '',
          infrastructureParametersRef: readParametersRef(field(spec, 'infrastructure', 'parametersRef')),
          listeners: readListeners(spec.listeners, meta.namespace),
          allowedListeners: {namespaces: readNamespaces(field(spec, 'allowedListeners', 'namespaces'), 'None')},
          addresses: asArray(spec.addresses).flatMap((entry) => {
            const address = asObject(entry)
            return address === undefined ? [] : [{type: asString(address.type) ?? '', value: asString(address.value)}]
          }),
          backendClientCertificateRef: readObjectRef(field(spec, 'tls', 'backend', 'clientCertificateRef'), meta.namespace),
          frontendTLS: readFrontendTLS(field(spec, 'tls', 'frontend'), meta.namespace),
          defaultScope: asString(spec.defaultScope),
        })
        return
      }
      case 'ListenerSet': {
        const parent = asObject(spec.parentRef) ?? {}
        snapshot.listenerSets.push({
          meta,
          parentRef: {
            group: asString(parent.group) ?? '',
            kind: asString(parent.kind) ?? '',
            name: asString(parent.name) ?? '',
            namespace: asString(parent.namespace) ?? meta.namespace,
          },
          listeners: readListeners(spec.listeners, meta.namespace),
        })
        return
      }
      case 'ReferenceGrant': {
        snapshot.referenceGrants.push({
          meta,
          from: asArray(spec.from).flatMap((entry) => {
            const from = asObject(entry)
            return from === undefined ? [] : [{group: asString(from.group) ?? '', kind: asString(from.kind) ?? '', namespace: asString(from.namespace) ?? ''}]
          }),
          to: asArray(spec.to).flatMap((entry) => {
            const to = asObject(entry)
            return to === undefined ? [] : [{group: asString(to.group) ?? '', kind: asString(to.kind) ?? '', name: asString(to.name) || undefined}]
          }),
        })
        return
      }
      case 'BackendTLSPolicy': {
        snapshot.backendTLSPolicies.push(readBackendTLSPolicy(meta, spec))
        return
      }
      default: {
        if ((ROUTE_KINDS as readonly string[]).includes(meta.kind)) {
          snapshot.routes.push(readRoute(meta, meta.kind as RouteKind, spec))
        }
        return
      }
    }
  }

  if (meta.group === '' && meta.version === 'v1') {
    switch (meta.kind) {
      case 'Service': {
        snapshot.services.push({
          meta,
          type: asString(spec.type) ?? 'ClusterIP',
          externalName: asString(spec.externalName),
          ports: asArray(spec.ports).flatMap((entry) => {
            const port = asObject(entry)
            const number = asInteger(port?.port)
            if (port === undefined || number === undefined) return []
            const target = port.targetPort
            return [{
              name: asString(port.name),
              port: number,
              protocol: asString(port.protocol) ?? 'TCP',
              appProtocol: asString(port.appProtocol),
              targetPort: typeof target === 'number' || typeof target === 'string' ? target : undefined,
            }]
          }),
        })
        return
      }
      case 'Secret': {
        const data = asStringMap(input.object.data)
        for (const [key, value] of Object.entries(asStringMap(input.object.stringData))) {
          data[key] = Buffer.from(value, 'utf8').toString('base64')
        }
        snapshot.secrets.push({meta, type: asString(input.object.type) ?? 'Opaque', data})
        return
      }
      case 'ConfigMap': {
        const data = asStringMap(input.object.data)
        const binary = asStringMap(input.object.binaryData)
        snapshot.configMaps.push({meta, data, dataKeys: [...Object.keys(data), ...Object.keys(binary)]})
        return
      }
      case 'Namespace': {
        // A Namespace is cluster-scoped: its own name is the namespace it stands for.
        snapshot.namespaces.push({meta: {...meta, namespace: ''}})
        return
      }
      default: {
        return
      }
    }
  }

  if (meta.group === CERT_MANAGER_GROUP && meta.kind === 'Certificate') {
    snapshot.certificates.push({
      meta,
      secretName: asString(spec.secretName) ?? '',
      dnsNames: asStringList(spec.dnsNames),
      commonName: asString(spec.commonName),
      ipAddresses: asStringList(spec.ipAddresses),
    })
  }
}

function readSelector(value: unknown): LabelSelector | undefined {
  const selector = asObject(value)
  if (selector === undefined) return undefined
  return {
    matchLabels: asStringMap(selector.matchLabels),
    matchExpressions: asArray(selector.matchExpressions).flatMap((entry) => {
      const expression = asObject(entry)
      if (expression === undefined) return []
      return [{key: asString(expression.key) ?? '', operator: asString(expression.operator) ?? '', values: asStringList(expression.values)}]
    }),
  }
}

function readNamespaces(value: unknown, defaultFrom: NamespacesFrom): {from: NamespacesFrom; selector?: LabelSelector} {
  const namespaces = asObject(value)
  if (namespaces === undefined) return {from: defaultFrom}
  return {from: asString(namespaces.from) ?? defaultFrom, selector: readSelector(namespaces.selector)}
}

function readParametersRef(value: unknown): ParametersReference | undefined {
  const ref = asObject(value)
  if (ref === undefined) return undefined
  return {group: asString(ref.group) ?? '', kind: asString(ref.kind) ?? '', name: asString(ref.name) ?? '', namespace: asString(ref.namespace) || undefined}
}

/** A SecretObjectReference or ObjectReference (same shape): namespace defaulted to the referrer's. */
function readObjectRef(value: unknown, namespace: string): ObjectReference | undefined {
  const ref = asObject(value)
  if (ref === undefined) return undefined
  const explicit = asString(ref.namespace)
  return {
    group: asString(ref.group) ?? '',
    kind: asString(ref.kind) ?? '',
    name: asString(ref.name) ?? '',
    namespace: explicit || namespace,
    namespaceExplicit: Boolean(explicit),
  }
}

const FRONTEND_PATH = ['spec', 'tls', 'frontend'] as const

function readFrontendValidation(value: unknown, namespace: string, path: ReadonlyArray<string | number>): FrontendValidation | undefined {
  const validation = asObject(value)
  if (validation === undefined) return undefined
  return {
    path,
    caCertificateRefs: asArray(validation.caCertificateRefs).flatMap((entry) => {
      const ref = readObjectRef(entry, namespace)
      return ref === undefined ? [] : [ref]
    }),
    mode: asString(validation.mode) || 'AllowValidOnly',
  }
}

/** spec.tls.frontend (FrontendTLSConfig): `default.validation` and `perPort[].tls.validation`. */
function readFrontendTLS(value: unknown, namespace: string): FrontendTLS | undefined {
  const frontend = asObject(value)
  if (frontend === undefined) return undefined
  return {
    default: readFrontendValidation(field(frontend, 'default', 'validation'), namespace, [...FRONTEND_PATH, 'default', 'validation']),
    perPort: asArray(frontend.perPort).flatMap((entry, index) => {
      const perPort = asObject(entry)
      const port = asInteger(perPort?.port)
      if (perPort === undefined || port === undefined) return []
      return [{index, port, validation: readFrontendValidation(field(perPort, 'tls', 'validation'), namespace, [...FRONTEND_PATH, 'perPort', index, 'tls', 'validation'])}]
    }),
  }
}

function readListeners(value: unknown, namespace: string): ListenerSpec[] {
  return asArray(value).flatMap((entry, index) => {
    const listener = asObject(entry)
    if (listener === undefined) return []
    const tls = asObject(listener.tls)
    const allowed = asObject(listener.allowedRoutes)
    const kinds = allowed === undefined || allowed.kinds === undefined
      ? undefined
      : asArray(allowed.kinds).flatMap((kindEntry): GroupKind[] => {
        const kind = asObject(kindEntry)
        return kind === undefined ? [] : [{group: asString(kind.group) ?? '', kind: asString(kind.kind) ?? ''}]
      })
    return [{
      index,
      name: asString(listener.name) ?? '',
      port: asInteger(listener.port),
      protocol: asString(listener.protocol) ?? '',
      hostname: asString(listener.hostname) || undefined,
      tls: tls === undefined ? undefined : {
        mode: asString(tls.mode) ?? '',
        certificateRefs: asArray(tls.certificateRefs).flatMap((ref) => {
          const read = readObjectRef(ref, namespace)
          return read === undefined ? [] : [read]
        }),
        options: asStringMap(tls.options),
      },
      allowedRoutes: {
        namespaces: readNamespaces(allowed?.namespaces, ''),
        kinds,
      },
    }]
  })
}

function readParentRefs(value: unknown, namespace: string): ParentReference[] {
  return asArray(value).flatMap((entry, index) => {
    const ref = asObject(entry)
    if (ref === undefined) return []
    const explicit = asString(ref.namespace)
    const group = asString(ref.group) ?? ''
    const kind = asString(ref.kind) ?? ''
    const echo: JsonObject = {group, kind, name: asString(ref.name) ?? ''}
    if (explicit !== undefined) echo.namespace = explicit
    const sectionName = asString(ref.sectionName)
    const port = asInteger(ref.port)
    if (sectionName !== undefined) echo.sectionName = sectionName
    if (port !== undefined) echo.port = port
    return [{
      index,
      group,
      kind,
      name: asString(ref.name) ?? '',
      namespace: explicit || namespace,
      namespaceExplicit: Boolean(explicit),
      sectionName: sectionName || undefined,
      port,
      echo,
    }]
  })
}

function readBackendRefs(value: unknown, namespace: string, base: ReadonlyArray<string | number>): {refs: BackendRef[]; filters: RouteFilter[][]} {
  const refs: BackendRef[] = []
  const filters: RouteFilter[][] = []
  asArray(value).forEach((entry, index) => {
    const ref = asObject(entry)
    if (ref === undefined) return
    const explicit = asString(ref.namespace)
    const weight = asInteger(ref.weight)
    refs.push({
      path: [...base, index],
      group: asString(ref.group) ?? '',
      kind: asString(ref.kind) ?? '',
      name: asString(ref.name) ?? '',
      namespace: explicit || namespace,
      namespaceExplicit: Boolean(explicit),
      port: asInteger(ref.port),
      weight: weight ?? 0,
    })
    filters.push(readFilters(ref.filters))
  })
  return {refs, filters}
}

function readFilters(value: unknown): RouteFilter[] {
  return asArray(value).flatMap((entry) => {
    const filter = asObject(entry)
    return filter === undefined ? [] : [{type: asString(filter.type) ?? '', spec: filter}]
  })
}

function readStringMatches(value: unknown): StringMatch[] {
  return asArray(value).flatMap((entry, index) => {
    const match = asObject(entry)
    if (match === undefined) return []
    return [{index, type: asString(match.type) ?? '', name: asString(match.name) ?? '', value: asString(match.value) ?? ''}]
  })
}

/** The CRD default of an omitted HTTPRouteRule.matches, which the API server does not apply to an explicit `[]`. */
const DEFAULT_HTTP_MATCH: HTTPRouteMatch = {path: {type: 'PathPrefix', value: '/'}, headers: [], queryParams: []}

/** HTTPRouteRule.Matches: "If no matches are specified, the default is a prefix path match on '/'" — `[]` too. */
function readHttpMatches(value: unknown): HTTPRouteMatch[] {
  if (Array.isArray(value) && value.length === 0) return [DEFAULT_HTTP_MATCH]
  return asArray(value).flatMap((entry, index) => {
    const match = asObject(entry)
    if (match === undefined) return []
    const path = asObject(match.path)
    return [{
      index,
      path: {type: asString(path?.type) ?? '', value: asString(path?.value) ?? ''},
      headers: readStringMatches(match.headers),
      queryParams: readStringMatches(match.queryParams),
      method: asString(match.method),
    }]
  })
}

function readGrpcMatches(value: unknown): GRPCRouteMatch[] {
  return asArray(value).flatMap((entry, index) => {
    const match = asObject(entry)
    if (match === undefined) return []
    const method = asObject(match.method)
    return [{
      index,
      method: method === undefined ? undefined : {
        type: asString(method.type) ?? '',
        service: asString(method.service),
        method: asString(method.method),
      },
      headers: readStringMatches(match.headers),
    }]
  })
}

function readRoute(meta: ObjectMeta, kind: RouteKind, spec: JsonObject): Route {
  const hasMatches = kind === 'HTTPRoute' || kind === 'GRPCRoute'
  const rulesValue = spec.rules
  const rules: RouteRule[] = asArray(rulesValue).flatMap((entry, index) => {
    const rule = asObject(entry)
    if (rule === undefined) return []
    const backends = readBackendRefs(rule.backendRefs, meta.namespace, ['spec', 'rules', index, 'backendRefs'])
    return [{
      index,
      name: asString(rule.name),
      matches: kind === 'HTTPRoute' ? readHttpMatches(rule.matches) : [],
      grpcMatches: kind === 'GRPCRoute' ? readGrpcMatches(rule.matches) : [],
      filters: hasMatches ? readFilters(rule.filters) : [],
      backendRefs: backends.refs,
      backendFilters: backends.filters,
      timeouts: asObject(rule.timeouts) === undefined ? undefined : asStringMap(rule.timeouts),
    }]
  })
  return {
    meta,
    kind,
    hostnames: kind === 'TCPRoute' || kind === 'UDPRoute' ? [] : asStringList(spec.hostnames),
    parentRefs: readParentRefs(spec.parentRefs, meta.namespace),
    rules,
    useDefaultGateways: asString(spec.useDefaultGateways),
  }
}

function readBackendTLSPolicy(meta: ObjectMeta, spec: JsonObject): BackendTLSPolicy {
  const validation = asObject(spec.validation) ?? {}
  return {
    meta,
    targetRefs: asArray(spec.targetRefs).flatMap((entry) => {
      const ref = asObject(entry)
      if (ref === undefined) return []
      return [{group: asString(ref.group) ?? '', kind: asString(ref.kind) ?? '', name: asString(ref.name) ?? '', sectionName: asString(ref.sectionName) || undefined}]
    }),
    caCertificateRefs: asArray(validation.caCertificateRefs).flatMap((entry) => {
      const ref = asObject(entry)
      if (ref === undefined) return []
      return [{group: asString(ref.group) ?? '', kind: asString(ref.kind) ?? '', name: asString(ref.name) ?? ''}]
    }),
    wellKnownCACertificates: asString(validation.wellKnownCACertificates) || undefined,
    hostname: asString(validation.hostname) ?? '',
    subjectAltNames: asArray(validation.subjectAltNames).flatMap((entry) => {
      const san = asObject(entry)
      if (san === undefined) return []
      return [{type: asString(san.type) ?? '', hostname: asString(san.hostname), uri: asString(san.uri)}]
    }),
  }
}
