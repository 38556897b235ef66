/**
 * parametersRef of GatewayClass and Gateway infrastructure (issue 10 §7,
 * SEMANTICS.md §3, §10): the verdict per reference shape, and what it means
 * for routing (golden: test/golden/parameters-ref.in.yaml for status).
 */
import {strict as assert} from 'node:assert'
import {checkParametersRef} from '../../src/gatewayapi/parameters-refs.js'
import type {ObjectKey, ParametersReference} from '../../src/model/types.js'
import {compileDocuments, decideOne, gateway, route, services, viewDecision} from './decide-support.js'

const inventory: ObjectKey[] = [
  {group: '', kind: 'ConfigMap', name: 'params', namespace: 'infra', namespaceExplicit: true},
  {group: 'gateway.example.com', kind: 'ProxyConfig', name: 'proxy', namespace: 'infra', namespaceExplicit: true},
  {group: 'gateway.example.com', kind: 'ClusterProxyConfig', name: 'shared', namespace: 'default', namespaceExplicit: false},
]

describe('gatewayapi/parameters-refs', () => {
  const cases: Array<[string, ParametersReference, string | undefined, string]> = [
    ['a ConfigMap in the input', {group: '', kind: 'ConfigMap', name: 'params', namespace: 'infra'}, undefined, 'valid'],
    ['a ConfigMap beside the Gateway (LocalParametersReference)', {group: '', kind: 'ConfigMap', name: 'params'}, 'infra', 'valid'],
    ['a ConfigMap in another namespace than the Gateway', {group: '', kind: 'ConfigMap', name: 'params'}, 'apps', 'missing'],
    ['a GatewayClass ConfigMap ref without namespace', {group: '', kind: 'ConfigMap', name: 'params'}, undefined, 'invalid'],
    ['an implementation resource in the input', {group: 'gateway.example.com', kind: 'ProxyConfig', name: 'proxy', namespace: 'infra'}, undefined, 'valid'],
    ['a cluster-scoped implementation resource', {group: 'gateway.example.com', kind: 'ClusterProxyConfig', name: 'shared'}, undefined, 'valid'],
    ['an implementation resource absent from the input', {group: 'gateway.example.com', kind: 'ProxyConfig', name: 'other', namespace: 'infra'}, undefined, 'missing'],
    ['a Secret (core kind other than ConfigMap)', {group: '', kind: 'Secret', name: 'params', namespace: 'infra'}, undefined, 'invalid'],
    ['a Gateway API kind', {group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw'}, 'infra', 'invalid'],
    ['no name', {group: 'gateway.example.com', kind: 'ProxyConfig', name: ''}, 'infra', 'invalid'],
  ]
  for (const [what, ref, local, expected] of cases) {
    it(`${what} → ${expected}`, () => assert.equal(checkParametersRef(ref, inventory, local).state, expected))
  }

  it('a Gateway with an unsupported parametersRef gets no traffic; one whose referent is only absent from the input is resolved as if it existed', () => {
    const table = compileDocuments([
      gateway('unsupported', ['{name: http, port: 80, protocol: HTTP}'], 'infrastructure: {parametersRef: {group: "", kind: Service, name: x}}'),
      gateway('absent', ['{name: http, port: 8080, protocol: HTTP}'], 'infrastructure: {parametersRef: {group: "", kind: ConfigMap, name: x}}'),
      route('HTTPRoute', 'web', {parentRefs: '[{name: unsupported}, {name: absent}]', rules: '[{backendRefs: [{name: web, port: 80}]}]'}),
      ...services('default', ['web']),
    ])
    const request = (port: number, name: string) => decideOne(table, {port, transport: 'http', host: 'a.io', gateway: {namespace: 'default', name}})
    const rejected = request(80, 'unsupported')
    assert.equal(rejected.matched, false)
    assert.match(rejected.reason, /Gateway default\/unsupported is not accepted/)
    assert.equal(viewDecision(request(8080, 'absent')).route, 'HTTPRoute default/web')
  })
})
