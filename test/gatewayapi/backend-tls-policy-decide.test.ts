/**
 * BackendTLSPolicies that cannot be honoured, in the engine (SEMANTICS.md §9
 * "Effect on routes/traffic", §5.2 item 6, §5.3): which policy governs a
 * backend, when that makes the backend invalid (route ResolvedRefs=False/
 * InvalidBackendTLSPolicy), and what the decision says a client gets — HTTP
 * 500, gRPC 14 or a reset — for its share of traffic. Complements the golden
 * `backend-tls-policy-unhonoured`.
 */
import {strict as assert} from 'node:assert'
import type {Binding} from '../../src/gatewayapi/binding.js'
import {compileRoutingTable, type ConnectionQuery} from '../../src/gatewayapi/decide.js'
import {bindDocuments, decideOne, gateway, request, route, tlsSecret} from './decide-support.js'

const CA = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ca, namespace: default}\ndata:\n  ca.crt: "-----BEGIN CERTIFICATE-----\\nMAA=\\n-----END CERTIFICATE-----\\n"'

function service(name: string, ports = '[{name: https, port: 443}, {name: admin, port: 8443}]'): string {
  return `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec: {ports: ${ports}}`
}

/** A policy on Service `target` (optionally one port by name) whose CA is the ConfigMap `caName` (`ca` exists, anything else does not). */
function policy(name: string, target: string, options: {caName?: string; section?: string; created?: string; extraTarget?: string} = {}): string {
  const targets = [`{group: "", kind: Service, name: ${target}${options.section === undefined ? '' : `, sectionName: ${options.section}`}}`]
  if (options.extraTarget !== undefined) targets.push(`{group: "", kind: Service, name: ${options.extraTarget}}`)
  return [
    'apiVersion: gateway.networking.k8s.io/v1', 'kind: BackendTLSPolicy',
    `metadata: {name: ${name}, namespace: default${options.created === undefined ? '' : `, creationTimestamp: "${options.created}"`}}`,
    'spec:', `  targetRefs: [${targets.join(', ')}]`,
    '  validation:', `    caCertificateRefs: [{group: "", kind: ConfigMap, name: ${options.caName ?? 'ca'}}]`, `    hostname: ${target}.example.com`,
  ].join('\n')
}

const listeners = [
  '{name: http, port: 80, protocol: HTTP}',
  '{name: tls, port: 443, protocol: TLS, tls: {mode: Terminate, certificateRefs: [{name: server}]}}',
]
const http = (path: string, headers: Array<[string, string]> = []): ConnectionQuery => ({port: 80, transport: 'http', host: 'app.example.com', request: request(path, {headers}), gateway: {namespace: 'default', name: 'gw'}})

function backendView(binding: Binding, query: ConnectionQuery) {
  const decision = decideOne(compileRoutingTable(binding), query)
  return {
    matched: decision.matched,
    httpStatus: decision.httpStatus,
    grpcStatus: decision.grpcStatus,
    backends: decision.backends.map((backend) => ({
      name: `${backend.name}:${backend.port}`, percent: backend.percent, valid: backend.valid,
      policy: backend.binding.tlsPolicy?.policy.meta.name, failure: backend.failure === undefined ? undefined : {...backend.failure, reason: backend.failure.reason.replace(/ \(.*$/, '')},
    })),
  }
}

describe('gatewayapi/backend-tls-policies: a policy that cannot be honoured fails its backends (§9, §5.3)', () => {
  const documents = [
    gateway('gw', listeners), tlsSecret('server'), CA,
    service('broken'), service('fine'), service('partial'), service('split'), service('aged'),
    policy('broken', 'broken', {caName: 'nonexistent'}),
    policy('fine', 'fine'),
    policy('partial', 'partial', {extraTarget: 'ghost'}),
    policy('split-port', 'split', {section: 'https', caName: 'nonexistent'}),
    policy('split-whole', 'split'),
    policy('aged-old', 'aged', {caName: 'nonexistent', created: '2024-01-01T00:00:00Z'}),
    policy('aged-new', 'aged', {created: '2025-01-01T00:00:00Z'}),
    route('HTTPRoute', 'web', {parentRefs: '[{name: gw, sectionName: http}]', rules: `[
      {matches: [{path: {value: /broken}}], backendRefs: [{name: broken, port: 443}]},
      {matches: [{path: {value: /half}}], backendRefs: [{name: fine, port: 443}, {name: broken, port: 443}]},
      {matches: [{path: {value: /partial}}], backendRefs: [{name: partial, port: 443}]},
      {matches: [{path: {value: /split-https}}], backendRefs: [{name: split, port: 443}]},
      {matches: [{path: {value: /split-admin}}], backendRefs: [{name: split, port: 8443}]},
      {matches: [{path: {value: /aged}}], backendRefs: [{name: aged, port: 443}]}]`}),
    route('GRPCRoute', 'rpc', {parentRefs: '[{name: gw, sectionName: http}]', rules: '[{backendRefs: [{name: broken, port: 443}]}]'}),
    route('TLSRoute', 'stream', {parentRefs: '[{name: gw, sectionName: tls}]', hostnames: ['stream.example.com'], rules: '[{backendRefs: [{name: broken, port: 443}]}]'}),
  ]
  let binding: Binding
  before(() => {
    binding = bindDocuments(documents)
  })
  const failing = (name: string, failure: Record<string, unknown>) => ({name, percent: 100, valid: false, policy: 'broken', failure: {...failure, reason: `backendRef Service 'default/broken' port 443: BackendTLSPolicy default/broken cannot be honoured`}})

  const cases: Array<{what: string; query: () => ConnectionQuery; expected: ReturnType<typeof backendView>}> = [
    {
      what: 'HTTPRoute: the only backend fails → HTTP 500 for every request (§5.3)',
      query: () => http('/broken'),
      expected: {matched: false, httpStatus: 500, grpcStatus: undefined, backends: [failing('broken:443', {status: 500})]},
    },
    {
      what: 'HTTPRoute: with a valid backend next to it, the failing one keeps its 50 % share, which gets 500 (§5.3)',
      query: () => http('/half'),
      expected: {matched: true, httpStatus: undefined, grpcStatus: undefined, backends: [
        {name: 'fine:443', percent: 50, valid: true, policy: 'fine', failure: undefined},
        {...failing('broken:443', {status: 500}), percent: 50},
      ]},
    },
    {
      what: 'GRPCRoute: gRPC status 14 UNAVAILABLE (§5.3)',
      query: () => http('/', [['content-type', 'application/grpc']]),
      expected: {matched: false, httpStatus: undefined, grpcStatus: 14, backends: [failing('broken:443', {grpcStatus: 14})]},
    },
    {
      what: 'TLSRoute behind TLS Terminate: the connection is reset (§5.3, §9 "TLS is added whatever the inbound protocol")',
      query: () => ({port: 443, transport: 'tls', sni: 'stream.example.com', gateway: {namespace: 'default', name: 'gw'}}),
      expected: {matched: false, httpStatus: undefined, grpcStatus: undefined, backends: [failing('broken:443', {reset: true})]},
    },
    {
      what: 'a policy Accepted=False only for another, missing target still re-encrypts its existing one: valid, governed (never plaintext)',
      query: () => http('/partial'),
      expected: {matched: true, httpStatus: undefined, grpcStatus: undefined, backends: [{name: 'partial:443', percent: 100, valid: true, policy: 'partial', failure: undefined}]},
    },
    {
      what: 'a failing sectionName policy governs its port over a valid whole-Service policy (the more specific one, SILENT in §9)',
      query: () => http('/split-https'),
      expected: {matched: false, httpStatus: 500, grpcStatus: undefined, backends: [{name: 'split:443', percent: 100, valid: false, policy: 'split-port',
        failure: {status: 500, reason: "backendRef Service 'default/split' port 443: BackendTLSPolicy default/split-port cannot be honoured"}}]},
    },
    {
      what: '…and the whole-Service policy governs the other port',
      query: () => http('/split-admin'),
      expected: {matched: true, httpStatus: undefined, grpcStatus: undefined, backends: [{name: 'split:8443', percent: 100, valid: true, policy: 'split-whole', failure: undefined}]},
    },
    {
      what: 'an older policy without a valid CA takes no part in conflicts: the newer valid one governs (§9 Conflicts)',
      query: () => http('/aged'),
      expected: {matched: true, httpStatus: undefined, grpcStatus: undefined, backends: [{name: 'aged:443', percent: 100, valid: true, policy: 'aged-new', failure: undefined}]},
    },
  ]
  for (const entry of cases) {
    it(entry.what, () => assert.deepEqual(backendView(binding, entry.query()), entry.expected))
  }

  it('route ResolvedRefs=False/InvalidBackendTLSPolicy, Accepted stays True; the finding points at the backendRef (§5.2 item 6)', () => {
    for (const name of ['web', 'rpc', 'stream']) {
      const bound = binding.routes.find((candidate) => candidate.route.meta.name === name)!
      assert.deepEqual([bound.resolvedRefs.status, bound.resolvedRefs.reason], ['False', 'InvalidBackendTLSPolicy'], name)
      assert.equal(bound.parents[0].accepted, true, name)
    }
    const problems = binding.problems.filter((problem) => problem.ruleId === 'backend-tls-policy-unusable').map((problem) => problem.path.join('.'))
    assert.ok(problems.includes('spec.rules.0.backendRefs.0'), problems.join(', '))
  })

  it('the first failing ref decides the route reason: a missing Service before the policy failure (§5.2)', () => {
    const bound = bindDocuments([
      gateway('gw', listeners), CA, service('broken'), policy('broken', 'broken', {caName: 'nonexistent'}),
      route('HTTPRoute', 'web', {parentRefs: '[{name: gw, sectionName: http}]', rules: '[{backendRefs: [{name: absent, port: 443}, {name: broken, port: 443}]}]'}),
    ]).routes[0]
    assert.equal(bound.resolvedRefs.reason, 'BackendNotFound')
    assert.match(bound.resolvedRefs.message, /Service not found.*; backendRef Service 'default\/broken' port 443: BackendTLSPolicy default\/broken cannot be honoured/)
  })
})
