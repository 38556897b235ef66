/**
 * collectDiffFacts over the pipeline's analysis of small manifests: rows
 * from the engine's routing table with their match, backends and shares;
 * conditions per object, listener and route parent; the old side's names
 * renamed (--map-namespace) everywhere they appear.
 */
import {strict as assert} from 'node:assert'
import {collectDiffFacts, describeRowMatch} from '../../src/diff/collect-diff-facts.js'
import {createRenamer} from '../../src/diff/namespace-renames.js'
import {analyzeTexts} from '../../src/pipeline/analyze.js'

const MANIFESTS = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: shop-class}
spec: {controllerName: example.com/gateway}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: shop-class
  listeners:
  - {name: http, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: gw, sectionName: http}]
  hostnames: [www.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}, method: POST, headers: [{name: x-canary, value: "true"}]}]
    backendRefs: [{name: api, port: 80, weight: 3}, {name: api-v2, port: 80, weight: 1}]
  - backendRefs: [{name: missing, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: api-v2, namespace: shop}
spec: {ports: [{port: 80}]}
`

describe('collectDiffFacts', () => {
  it('rows: match, backends with shares and validity, in table order', async () => {
    const facts = collectDiffFacts(await analyzeTexts([{file: 'm.yaml', text: MANIFESTS}], {now: new Date('2026-01-01T00:00:00Z')}))
    assert.deepEqual(facts.rows.map((row) => [row.port, `${row.gateway.namespace}/${row.gateway.name}`, row.listener, row.hostname, row.route?.name, row.match, row.state.backends.map((backend) => `${backend.backend} ${backend.share}${backend.valid ? '' : ' invalid'}`)]), [
      [80, 'shop/gw', 'http', 'www.example.com', 'web', 'PathPrefix /api POST headers x-canary', ['shop/api:80 75', 'shop/api-v2:80 25']],
      [80, 'shop/gw', 'http', 'www.example.com', 'web', 'PathPrefix /', ['shop/missing:80 100 invalid']],
    ])
    assert.deepEqual(facts.rows[0].state, {...facts.rows[0].state, protocol: 'HTTP', ready: true})
  })

  it('conditions: per object, listener and route parent', async () => {
    const facts = collectDiffFacts(await analyzeTexts([{file: 'm.yaml', text: MANIFESTS}]))
    const described = facts.conditions.map((entry) => `${entry.resource.kind} ${entry.resource.namespace ?? ''}/${entry.resource.name} ${entry.scope ?? '-'} ${entry.type}=${entry.state.status}/${entry.state.reason}`)
    assert.ok(described.includes('GatewayClass /shop-class - Accepted=True/Accepted'), described.join('\n'))
    assert.ok(described.includes('Gateway shop/gw listener http Programmed=True/Programmed'), described.join('\n'))
    assert.ok(described.includes('HTTPRoute shop/web parent Gateway shop/gw/http ResolvedRefs=False/BackendNotFound'), described.join('\n'))
  })

  it('--map-namespace: namespaces and cluster-scoped names of the old side are renamed everywhere', async () => {
    const facts = collectDiffFacts(await analyzeTexts([{file: 'm.yaml', text: MANIFESTS}]), {rename: createRenamer([{from: 'shop', to: 'prod'}])})
    assert.deepEqual([...new Set(facts.rows.flatMap((row) => [row.gateway.namespace, row.route?.namespace, ...row.state.backends.map((backend) => backend.backend.split('/')[0])]))], ['prod'])
    assert.ok(facts.conditions.some((entry) => entry.resource.kind === 'GatewayClass' && entry.resource.name === 'prod-class'))
    assert.ok(facts.conditions.some((entry) => entry.scope === 'parent Gateway prod/gw/http'))
    assert.ok(facts.findings.length > 0 && facts.findings.every((finding) => finding.resource === undefined || finding.resource.namespace === 'prod' || finding.resource.namespace === undefined))
    assert.deepEqual(facts.resources.map((resource) => `${resource.kind} ${resource.namespace ?? ''}/${resource.name}`), ['GatewayClass /prod-class', 'Gateway prod/gw', 'HTTPRoute prod/web', 'Service prod/api', 'Service prod/api-v2'])
  })

  const matchCases: Array<[Parameters<typeof describeRowMatch>[0], string | undefined]> = [
    [{}, undefined],
    [{rule: 2}, 'rule 2'],
    [{rule: 0, match: {pathType: 'Exact', path: '/a', headers: [], queryParams: []}}, 'Exact /a'],
    [{rule: 0, match: {pathType: 'PathPrefix', path: '/', method: 'GET', headers: ['a', 'b'], queryParams: ['v']}}, 'PathPrefix / GET headers a,b query v'],
  ]
  for (const [row, expected] of matchCases) it(`match key: ${expected ?? 'none'}`, () => assert.equal(describeRowMatch(row), expected))
})
