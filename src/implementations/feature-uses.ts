/**
 * Which Gateway API conformance features a configuration uses, and at
 * which field: the one table (FEATURE_FIELDS) mapping fields and kinds to
 * the feature names of FEATURES.md, each entry citing the field and what a
 * controller that lacks the feature does instead (from the field's CRD
 * description where it says). Entries marked `choice` are not features but
 * behaviour the spec leaves to implementations (SEMANTICS.md IMPL) that no
 * conformance report covers; only a documented fact (implementation-facts.ts)
 * says what an implementation does. Pure: reads plain objects, returns uses.
 */
import type {FieldPath} from '../manifests/field-path.js'

export interface FeatureField {
  feature: string
  /** The field or kind that uses the feature (Gateway API v1.6.1 CRDs). */
  field: string
  /** What a controller without the feature does instead, where the spec says. */
  instead?: string
  /** Not a conformance feature: a choice left to implementations, with where the spec says so. */
  choice?: {source: string}
}

export const HTTPS_TLS_SHARED_PORT = 'HTTPS and TLS listeners on one port'
export const TCPROUTE_ON_TLS_TERMINATE = 'TCPRoute on a TLS Terminate listener'
export const REGEX_DIALECT = 'the dialect of RegularExpression matches'

const ROUTE_NOT_ACCEPTED = 'it sets the route\'s Accepted condition to False (UnsupportedValue) and does not program the rule'
const KIND_NOT_SERVED = 'it does not reconcile this kind: no listener lists it in supportedKinds and no traffic reaches its backends'

/** Feature → the field that uses it; one entry per feature. */
export const FEATURE_FIELDS: readonly FeatureField[] = [
  {feature: 'HTTPRoute', field: 'kind: HTTPRoute', instead: KIND_NOT_SERVED},
  {feature: 'GRPCRoute', field: 'kind: GRPCRoute', instead: KIND_NOT_SERVED},
  {feature: 'TLSRoute', field: 'kind: TLSRoute', instead: KIND_NOT_SERVED},
  {feature: 'TCPRoute', field: 'kind: TCPRoute', instead: KIND_NOT_SERVED},
  {feature: 'UDPRoute', field: 'kind: UDPRoute', instead: KIND_NOT_SERVED},
  {feature: 'ReferenceGrant', field: 'kind: ReferenceGrant', instead: 'cross-namespace references stay unresolved (RefNotPermitted)'},
  {feature: 'BackendTLSPolicy', field: 'kind: BackendTLSPolicy', instead: 'it connects to the backend without the policy\'s TLS settings or refuses the backend'},
  {feature: 'BackendTLSPolicySANValidation', field: 'BackendTLSPolicy spec.validation.subjectAltNames', instead: 'the policy is not accepted'},
  {feature: 'ListenerSet', field: 'kind: ListenerSet', instead: 'its listeners are not attached to the Gateway'},
  {feature: 'GatewayPort8080', field: 'Gateway spec.listeners[].port: 8080', instead: 'the listener is not accepted'},
  {feature: 'GatewayStaticAddresses', field: 'Gateway spec.addresses[].value', instead: 'the Gateway is not programmed (AddressNotUsable)'},
  {feature: 'GatewayInfrastructurePropagation', field: 'Gateway spec.infrastructure.labels / annotations', instead: 'the labels and annotations are not put on the generated resources'},
  {feature: 'GatewayFrontendClientCertificateValidation', field: 'Gateway spec.tls.frontend', instead: 'clients are not asked for a certificate'},
  {feature: 'GatewayFrontendClientCertificateValidationInsecureFallback', field: 'Gateway spec.tls.frontend.*.validation.mode: AllowInsecureFallback', instead: 'the validation mode is not accepted'},
  {feature: 'TLSRouteModeMixed', field: 'Gateway spec.listeners[].tls.mode: Passthrough and Terminate on one port', instead: 'the listeners of that port conflict and are not programmed'},
  {feature: 'TLSRouteModeTerminate', field: 'TLSRoute spec.parentRefs[] to a TLS listener with tls.mode Terminate', instead: 'the listener does not accept TLSRoute (NotAllowedByListeners) and the route is not served there'},
  {feature: HTTPS_TLS_SHARED_PORT, field: 'Gateway spec.listeners[].port shared by protocols HTTPS and TLS', instead: 'both listeners conflict (ProtocolConflict)', choice: {source: 'SEMANTICS.md §2.5 (compatibility of HTTP/HTTPS/TLS on one port is IMPL)'}},
  {feature: TCPROUTE_ON_TLS_TERMINATE, field: 'TCPRoute spec.parentRefs[] to a TLS listener with tls.mode Terminate', instead: 'the listener accepts TCPRoute and forwards the decrypted stream', choice: {source: 'SEMANTICS.md §2.2 (TCPRoute on a TLS Terminate listener is IMPL)'}},
  {feature: REGEX_DIALECT, field: 'HTTPRoute / GRPCRoute spec.rules[].matches[] type: RegularExpression', instead: 'whole-value RE2 matching', choice: {source: 'SEMANTICS.md §8.1 and §8.3 (the RegularExpression dialect is IMPL)'}},
  {feature: 'HTTPRouteRequestMirror', field: 'HTTPRoute spec.rules[].filters[].type: RequestMirror', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteRequestMultipleMirrors', field: 'HTTPRoute spec.rules[].filters[]: more than one RequestMirror', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteRequestPercentageMirror', field: 'HTTPRoute spec.rules[].filters[].requestMirror.percent / fraction', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteCORS', field: 'HTTPRoute spec.rules[].filters[].type: CORS', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteResponseHeaderModification', field: 'HTTPRoute spec.rules[].filters[].type: ResponseHeaderModifier', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteHostRewrite', field: 'HTTPRoute spec.rules[].filters[].urlRewrite.hostname', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRoutePathRewrite', field: 'HTTPRoute spec.rules[].filters[].urlRewrite.path', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRoutePathRedirect', field: 'HTTPRoute spec.rules[].filters[].requestRedirect.path', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRoutePortRedirect', field: 'HTTPRoute spec.rules[].filters[].requestRedirect.port', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteSchemeRedirect', field: 'HTTPRoute spec.rules[].filters[].requestRedirect.scheme', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRoute303RedirectStatusCode', field: 'HTTPRoute spec.rules[].filters[].requestRedirect.statusCode: 303', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRoute307RedirectStatusCode', field: 'HTTPRoute spec.rules[].filters[].requestRedirect.statusCode: 307', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRoute308RedirectStatusCode', field: 'HTTPRoute spec.rules[].filters[].requestRedirect.statusCode: 308', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteMethodMatching', field: 'HTTPRoute spec.rules[].matches[].method', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteQueryParamMatching', field: 'HTTPRoute spec.rules[].matches[].queryParams', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteRequestTimeout', field: 'HTTPRoute spec.rules[].timeouts.request', instead: 'the timeout is not applied'},
  {feature: 'HTTPRouteBackendTimeout', field: 'HTTPRoute spec.rules[].timeouts.backendRequest', instead: 'the timeout is not applied'},
  {feature: 'HTTPRouteRetry', field: 'HTTPRoute spec.rules[].retry', instead: 'requests are not retried'},
  {feature: 'HTTPRouteNamedRouteRule', field: 'HTTPRoute spec.rules[].name'},
  {feature: 'HTTPRouteParentRefPort', field: 'HTTPRoute spec.parentRefs[].port', instead: 'the parentRef is not accepted'},
  {feature: 'HTTPRouteBackendRequestHeaderModification', field: 'HTTPRoute spec.rules[].backendRefs[].filters[].type: RequestHeaderModifier', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteBackendRequestRedirect', field: 'HTTPRoute spec.rules[].backendRefs[].filters[].type: RequestRedirect', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'HTTPRouteBackendURLRewrite', field: 'HTTPRoute spec.rules[].backendRefs[].filters[].type: URLRewrite', instead: ROUTE_NOT_ACCEPTED},
  {feature: 'GRPCRouteNamedRouteRule', field: 'GRPCRoute spec.rules[].name'},
  {feature: 'GRPCRouteRequestHeaderModifier', field: 'GRPCRoute spec.rules[].filters[].type: RequestHeaderModifier', instead: ROUTE_NOT_ACCEPTED},
]

const BY_FEATURE = new Map(FEATURE_FIELDS.map((entry) => [entry.feature, entry]))

export function findFeatureField(feature: string): FeatureField {
  const entry = BY_FEATURE.get(feature)
  if (entry === undefined) throw new Error(`feature ${feature} has no FEATURE_FIELDS entry`)
  return entry
}

export interface FeatureUse {
  feature: string
  path: FieldPath
}

/** The object as the feature detector reads it. */
export interface FeatureInput {
  kind: string
  namespace: string
  object: Record<string, unknown>
}

type Json = Record<string, unknown>

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : undefined
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function has(object: Json | undefined, key: string): boolean {
  return object !== undefined && object[key] !== undefined && object[key] !== null
}

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'])
const KIND_FEATURES = new Set([...ROUTE_KINDS, 'ReferenceGrant', 'BackendTLSPolicy', 'ListenerSet'])

/**
 * Uses that depend on another object: a TLSRoute (TLSRouteModeTerminate) or
 * TCPRoute (a choice) whose parentRef selects a TLS Terminate listener of a
 * Gateway in `inputs` (by sectionName and port when set).
 */
export function findAttachmentUses(input: FeatureInput, inputs: readonly FeatureInput[]): FeatureUse[] {
  if (input.kind !== 'TLSRoute' && input.kind !== 'TCPRoute') return []
  const uses: FeatureUse[] = []
  asArray(asObject(input.object.spec)?.parentRefs).forEach((value, p) => {
    const ref = asObject(value) ?? {}
    if ((ref.kind ?? 'Gateway') !== 'Gateway' || (ref.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io') return
    const namespace = String(ref.namespace ?? input.namespace)
    const gateway = inputs.find((candidate) => candidate.kind === 'Gateway' && candidate.namespace === namespace && asObject(candidate.object.metadata)?.name === ref.name)
    const listeners = asArray(asObject(gateway?.object.spec)?.listeners).map((listener) => asObject(listener) ?? {})
    const terminating = listeners.some((listener) => listener.protocol === 'TLS' && (asObject(listener.tls)?.mode ?? 'Terminate') === 'Terminate'
      && (ref.sectionName === undefined || ref.sectionName === listener.name) && (ref.port === undefined || ref.port === listener.port))
    if (terminating) uses.push({feature: input.kind === 'TLSRoute' ? 'TLSRouteModeTerminate' : TCPROUTE_ON_TLS_TERMINATE, path: ['spec', 'parentRefs', p]})
  })
  return uses
}

/** Every feature use of one object, in field order. */
export function findFeatureUses(input: FeatureInput): FeatureUse[] {
  const uses: FeatureUse[] = []
  const use = (feature: string, path: FieldPath) => uses.push({feature, path})
  const spec = asObject(input.object.spec)
  if (KIND_FEATURES.has(input.kind)) use(input.kind, ['kind'])
  if (input.kind === 'Gateway' || input.kind === 'ListenerSet') findListenerUses(spec, use)
  if (input.kind === 'Gateway') findGatewayUses(spec, use)
  if (input.kind === 'BackendTLSPolicy' && asArray(asObject(spec?.validation)?.subjectAltNames).length > 0) {
    use('BackendTLSPolicySANValidation', ['spec', 'validation', 'subjectAltNames'])
  }
  if (input.kind === 'HTTPRoute') findHttpRouteUses(spec, use)
  if (input.kind === 'HTTPRoute' || input.kind === 'GRPCRoute') findRegexUses(spec, use)
  if (input.kind === 'GRPCRoute') {
    asArray(spec?.rules).forEach((rule, r) => {
      if (has(asObject(rule), 'name')) use('GRPCRouteNamedRouteRule', ['spec', 'rules', r, 'name'])
      asArray(asObject(rule)?.filters).forEach((filter, f) => {
        if (asObject(filter)?.type === 'RequestHeaderModifier') use('GRPCRouteRequestHeaderModifier', ['spec', 'rules', r, 'filters', f, 'type'])
      })
    })
  }
  return uses
}

function findListenerUses(spec: Json | undefined, use: (feature: string, path: FieldPath) => void): void {
  const listeners = asArray(spec?.listeners).map((listener) => asObject(listener) ?? {})
  const modesByPort = new Map<unknown, Map<string, number>>()
  listeners.forEach((listener, l) => {
    if (listener.port === 8080) use('GatewayPort8080', ['spec', 'listeners', l, 'port'])
    if (listener.protocol !== 'TLS') return
    const mode = String(asObject(listener.tls)?.mode ?? 'Terminate')
    const modes = modesByPort.get(listener.port) ?? new Map<string, number>()
    if (!modes.has(mode)) modes.set(mode, l)
    modesByPort.set(listener.port, modes)
  })
  for (const modes of modesByPort.values()) {
    if (modes.size < 2) continue
    const later = Math.max(...modes.values())
    use('TLSRouteModeMixed', has(asObject(listeners[later].tls), 'mode') ? ['spec', 'listeners', later, 'tls', 'mode'] : ['spec', 'listeners', later, 'protocol'])
  }
  const sharedPorts = new Set<unknown>()
  listeners.forEach((listener, l) => {
    if (listener.protocol !== 'HTTPS' && listener.protocol !== 'TLS') return
    const other = listener.protocol === 'HTTPS' ? 'TLS' : 'HTTPS'
    const earlier = listeners.slice(0, l).some((candidate) => candidate.port === listener.port && candidate.protocol === other)
    if (earlier && !sharedPorts.has(listener.port)) {
      sharedPorts.add(listener.port)
      use(HTTPS_TLS_SHARED_PORT, ['spec', 'listeners', l, 'port'])
    }
  })
}

function findGatewayUses(spec: Json | undefined, use: (feature: string, path: FieldPath) => void): void {
  asArray(spec?.addresses).forEach((address, a) => {
    if (has(asObject(address), 'value') && asObject(address)?.value !== '') use('GatewayStaticAddresses', ['spec', 'addresses', a, 'value'])
  })
  const infrastructure = asObject(spec?.infrastructure)
  for (const key of ['labels', 'annotations']) {
    if (Object.keys(asObject(infrastructure?.[key]) ?? {}).length > 0) use('GatewayInfrastructurePropagation', ['spec', 'infrastructure', key])
  }
  const frontend = asObject(asObject(spec?.tls)?.frontend)
  if (frontend !== undefined) {
    use('GatewayFrontendClientCertificateValidation', ['spec', 'tls', 'frontend'])
    const check = (validation: Json | undefined, path: FieldPath) => {
      if (validation?.mode === 'AllowInsecureFallback') use('GatewayFrontendClientCertificateValidationInsecureFallback', [...path, 'mode'])
    }
    check(asObject(asObject(frontend.default)?.validation), ['spec', 'tls', 'frontend', 'default', 'validation'])
    asArray(frontend.perPort).forEach((entry, p) => check(asObject(asObject(asObject(entry)?.tls)?.validation), ['spec', 'tls', 'frontend', 'perPort', p, 'tls', 'validation']))
  }
}

/** Every RegularExpression match (path, method, headers, queryParams) of an HTTPRoute or GRPCRoute. */
function findRegexUses(spec: Json | undefined, use: (feature: string, path: FieldPath) => void): void {
  asArray(spec?.rules).forEach((rule, r) => {
    asArray(asObject(rule)?.matches).forEach((value, m) => {
      const match = asObject(value) ?? {}
      const at = (...rest: Array<string | number>): FieldPath => ['spec', 'rules', r, 'matches', m, ...rest]
      for (const key of ['path', 'method']) {
        if (asObject(match[key])?.type === 'RegularExpression') use(REGEX_DIALECT, at(key, 'type'))
      }
      for (const key of ['headers', 'queryParams']) {
        asArray(match[key]).forEach((entry, e) => {
          if (asObject(entry)?.type === 'RegularExpression') use(REGEX_DIALECT, at(key, e, 'type'))
        })
      }
    })
  })
}

function findHttpRouteUses(spec: Json | undefined, use: (feature: string, path: FieldPath) => void): void {
  asArray(spec?.parentRefs).forEach((ref, p) => {
    if (has(asObject(ref), 'port')) use('HTTPRouteParentRefPort', ['spec', 'parentRefs', p, 'port'])
  })
  asArray(spec?.rules).forEach((value, r) => {
    const rule = asObject(value) ?? {}
    const at = (...rest: Array<string | number>): FieldPath => ['spec', 'rules', r, ...rest]
    if (has(rule, 'name')) use('HTTPRouteNamedRouteRule', at('name'))
    asArray(rule.matches).forEach((match, m) => {
      if (has(asObject(match), 'method')) use('HTTPRouteMethodMatching', at('matches', m, 'method'))
      if (asArray(asObject(match)?.queryParams).length > 0) use('HTTPRouteQueryParamMatching', at('matches', m, 'queryParams'))
    })
    const timeouts = asObject(rule.timeouts)
    if (has(timeouts, 'request')) use('HTTPRouteRequestTimeout', at('timeouts', 'request'))
    if (has(timeouts, 'backendRequest')) use('HTTPRouteBackendTimeout', at('timeouts', 'backendRequest'))
    if (has(rule, 'retry')) use('HTTPRouteRetry', at('retry'))
    let mirrors = 0
    asArray(rule.filters).forEach((value, f) => {
      const filter = asObject(value) ?? {}
      const type = at('filters', f, 'type')
      switch (filter.type) {
        case 'RequestMirror': {
          use('HTTPRouteRequestMirror', type)
          mirrors++
          if (mirrors === 2) use('HTTPRouteRequestMultipleMirrors', type)
          const mirror = asObject(filter.requestMirror)
          if (has(mirror, 'percent')) use('HTTPRouteRequestPercentageMirror', at('filters', f, 'requestMirror', 'percent'))
          else if (has(mirror, 'fraction')) use('HTTPRouteRequestPercentageMirror', at('filters', f, 'requestMirror', 'fraction'))
          break
        }
        case 'CORS':
          use('HTTPRouteCORS', type)
          break
        case 'ResponseHeaderModifier':
          use('HTTPRouteResponseHeaderModification', type)
          break
        case 'URLRewrite': {
          const rewrite = asObject(filter.urlRewrite)
          if (has(rewrite, 'hostname')) use('HTTPRouteHostRewrite', at('filters', f, 'urlRewrite', 'hostname'))
          if (has(rewrite, 'path')) use('HTTPRoutePathRewrite', at('filters', f, 'urlRewrite', 'path'))
          break
        }
        case 'RequestRedirect': {
          const redirect = asObject(filter.requestRedirect)
          const field = (key: string) => at('filters', f, 'requestRedirect', key)
          if (has(redirect, 'path')) use('HTTPRoutePathRedirect', field('path'))
          if (has(redirect, 'port')) use('HTTPRoutePortRedirect', field('port'))
          if (has(redirect, 'scheme')) use('HTTPRouteSchemeRedirect', field('scheme'))
          if (redirect?.statusCode === 303 || redirect?.statusCode === 307 || redirect?.statusCode === 308) use(`HTTPRoute${redirect.statusCode}RedirectStatusCode`, field('statusCode'))
          break
        }
        default:
          break
      }
    })
    asArray(rule.backendRefs).forEach((ref, b) => {
      asArray(asObject(ref)?.filters).forEach((value, f) => {
        const kindOf: Record<string, string> = {RequestHeaderModifier: 'HTTPRouteBackendRequestHeaderModification', RequestRedirect: 'HTTPRouteBackendRequestRedirect', URLRewrite: 'HTTPRouteBackendURLRewrite'}
        const feature = kindOf[String(asObject(value)?.type)]
        if (feature !== undefined) use(feature, at('backendRefs', b, 'filters', f, 'type'))
      })
    })
  })
}
