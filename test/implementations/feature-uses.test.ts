import {strict as assert} from 'node:assert'
import {parse} from 'yaml'
import {FEATURE_FIELDS, findAttachmentUses, findFeatureUses, type FeatureInput} from '../../src/implementations/feature-uses.js'
import {loadImplementationCatalogue} from '../../src/implementations/find-implementation.js'
import {formatFieldPath} from '../../src/manifests/field-path.js'

function input(yaml: string): FeatureInput {
  const object = parse(yaml) as Record<string, unknown>
  return {kind: String(object.kind), namespace: 'default', object}
}

function uses(yaml: string): string[] {
  return findFeatureUses(input(yaml)).map((use) => `${use.feature} ${formatFieldPath(use.path)}`)
}

describe('feature uses', () => {
  it('every feature of the table is a FEATURES.md feature (choices aside), listed once', async () => {
    const known = new Set((await loadImplementationCatalogue()).features.map((feature) => feature.name))
    for (const entry of FEATURE_FIELDS) if (entry.choice === undefined) assert.ok(known.has(entry.feature), entry.feature)
    assert.equal(new Set(FEATURE_FIELDS.map((entry) => entry.feature)).size, FEATURE_FIELDS.length)
  })

  const cases: Array<{what: string; yaml: string; expected: string[]}> = [
    {what: 'a route kind is its feature', yaml: 'kind: UDPRoute\nspec: {}', expected: ['UDPRoute kind']},
    {what: 'ListenerSet', yaml: 'kind: ListenerSet\nspec: {listeners: [{name: a, port: 8080, protocol: HTTP}]}', expected: ['ListenerSet kind', 'GatewayPort8080 spec.listeners[0].port']},
    {
      what: 'Passthrough and Terminate on one port: the later listener',
      yaml: 'kind: Gateway\nspec: {listeners: [{name: a, port: 443, protocol: TLS, tls: {mode: Passthrough}}, {name: b, port: 443, protocol: TLS, tls: {mode: Terminate}}, {name: c, port: 8443, protocol: TLS, tls: {mode: Terminate}}]}',
      expected: ['TLSRouteModeMixed spec.listeners[1].tls.mode'],
    },
    {
      what: 'HTTPS and TLS on one port (a choice), once per port',
      yaml: 'kind: Gateway\nspec: {listeners: [{name: a, port: 443, protocol: TLS, tls: {mode: Passthrough}}, {name: b, port: 443, protocol: HTTPS, hostname: b.io}, {name: c, port: 443, protocol: HTTPS, hostname: c.io}]}',
      expected: ['HTTPS and TLS listeners on one port spec.listeners[1].port'],
    },
    {
      what: 'Gateway addresses, infrastructure, frontend validation',
      yaml: 'kind: Gateway\nspec: {addresses: [{value: 10.0.0.1}], infrastructure: {labels: {a: b}}, tls: {frontend: {default: {validation: {mode: AllowInsecureFallback}}}}, listeners: []}',
      expected: ['GatewayStaticAddresses spec.addresses[0].value', 'GatewayInfrastructurePropagation spec.infrastructure.labels', 'GatewayFrontendClientCertificateValidation spec.tls.frontend', 'GatewayFrontendClientCertificateValidationInsecureFallback spec.tls.frontend.default.validation.mode'],
    },
    {
      what: 'HTTPRoute filters, matches, timeouts, names',
      yaml: `kind: HTTPRoute
spec:
  parentRefs: [{name: gw, port: 443}]
  rules:
  - name: r
    matches: [{method: GET, queryParams: [{name: q, value: v}]}]
    timeouts: {request: 5s, backendRequest: 2s}
    retry: {attempts: 2}
    filters:
    - {type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80}, percent: 10}}
    - {type: RequestMirror, requestMirror: {backendRef: {name: n, port: 80}}}
    - {type: CORS, cors: {allowOrigins: ["*"]}}
    - {type: ResponseHeaderModifier}
    - {type: URLRewrite, urlRewrite: {hostname: a.io, path: {type: ReplaceFullPath, replaceFullPath: /}}}
    - {type: RequestRedirect, requestRedirect: {scheme: https, port: 443, statusCode: 308, path: {type: ReplaceFullPath, replaceFullPath: /}}}
    backendRefs:
    - {name: b, port: 80, filters: [{type: RequestHeaderModifier}, {type: URLRewrite}, {type: RequestRedirect}]}
`,
      expected: [
        'HTTPRouteParentRefPort spec.parentRefs[0].port', 'HTTPRoute kind',
        'HTTPRouteNamedRouteRule spec.rules[0].name', 'HTTPRouteMethodMatching spec.rules[0].matches[0].method', 'HTTPRouteQueryParamMatching spec.rules[0].matches[0].queryParams',
        'HTTPRouteRequestTimeout spec.rules[0].timeouts.request', 'HTTPRouteBackendTimeout spec.rules[0].timeouts.backendRequest', 'HTTPRouteRetry spec.rules[0].retry',
        'HTTPRouteRequestMirror spec.rules[0].filters[0].type', 'HTTPRouteRequestPercentageMirror spec.rules[0].filters[0].requestMirror.percent',
        'HTTPRouteRequestMirror spec.rules[0].filters[1].type', 'HTTPRouteRequestMultipleMirrors spec.rules[0].filters[1].type',
        'HTTPRouteCORS spec.rules[0].filters[2].type', 'HTTPRouteResponseHeaderModification spec.rules[0].filters[3].type',
        'HTTPRouteHostRewrite spec.rules[0].filters[4].urlRewrite.hostname', 'HTTPRoutePathRewrite spec.rules[0].filters[4].urlRewrite.path',
        'HTTPRoutePathRedirect spec.rules[0].filters[5].requestRedirect.path', 'HTTPRoutePortRedirect spec.rules[0].filters[5].requestRedirect.port',
        'HTTPRouteSchemeRedirect spec.rules[0].filters[5].requestRedirect.scheme', 'HTTPRoute308RedirectStatusCode spec.rules[0].filters[5].requestRedirect.statusCode',
        'HTTPRouteBackendRequestHeaderModification spec.rules[0].backendRefs[0].filters[0].type', 'HTTPRouteBackendURLRewrite spec.rules[0].backendRefs[0].filters[1].type',
        'HTTPRouteBackendRequestRedirect spec.rules[0].backendRefs[0].filters[2].type',
      ],
    },
    {
      what: 'RegularExpression matches (a choice: the dialect)',
      yaml: 'kind: HTTPRoute\nspec: {rules: [{matches: [{path: {type: RegularExpression, value: "/a.*"}, headers: [{name: a, value: b}, {type: RegularExpression, name: c, value: "d+"}]}]}]}',
      expected: ['HTTPRoute kind', 'the dialect of RegularExpression matches spec.rules[0].matches[0].path.type', 'the dialect of RegularExpression matches spec.rules[0].matches[0].headers[1].type'],
    },
    {what: 'BackendTLSPolicy with subjectAltNames', yaml: 'kind: BackendTLSPolicy\nspec: {validation: {subjectAltNames: [{type: Hostname, hostname: a.io}]}}', expected: ['BackendTLSPolicy kind', 'BackendTLSPolicySANValidation spec.validation.subjectAltNames']},
    {what: 'GRPCRoute rule name and header filter', yaml: 'kind: GRPCRoute\nspec: {rules: [{name: r, filters: [{type: RequestHeaderModifier}]}]}', expected: ['GRPCRoute kind', 'GRPCRouteNamedRouteRule spec.rules[0].name', 'GRPCRouteRequestHeaderModifier spec.rules[0].filters[0].type']},
  ]
  for (const {what, yaml, expected} of cases) {
    it(what, () => assert.deepEqual(uses(yaml).sort(), [...expected].sort()))
  }

  it('a TLSRoute or TCPRoute on a Terminate listener, by sectionName', () => {
    const gateway = input('kind: Gateway\nmetadata: {name: gw}\nspec: {listeners: [{name: pass, port: 443, protocol: TLS, tls: {mode: Passthrough}}, {name: term, port: 443, protocol: TLS, tls: {mode: Terminate}}]}')
    const route = (kind: string, section: string) => input(`kind: ${kind}\nmetadata: {name: r}\nspec: {parentRefs: [{name: other}, {name: gw, sectionName: ${section}}]}`)
    assert.deepEqual(findAttachmentUses(route('TLSRoute', 'term'), [gateway]), [{feature: 'TLSRouteModeTerminate', path: ['spec', 'parentRefs', 1]}])
    assert.deepEqual(findAttachmentUses(route('TLSRoute', 'pass'), [gateway]), [])
    assert.deepEqual(findAttachmentUses(route('TCPRoute', 'term'), [gateway]), [{feature: 'TCPRoute on a TLS Terminate listener', path: ['spec', 'parentRefs', 1]}])
  })
})
