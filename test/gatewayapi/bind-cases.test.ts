/**
 * SEMANTICS.md §12 tricky cases 3, 4, 8, 9, 10, 11, 12, 13, 14 and 15 as
 * tables on the computed status (bind → projectStatus), for the variants the
 * golden files (test/golden) do not already pin: each case names the golden
 * it extends. Status entries use the format of test/expectations/README.md.
 */
import {strict as assert} from 'node:assert'
import type {Binding, EngineFeatures} from '../../src/gatewayapi/binding.js'
import {projectStatus} from '../../src/gatewayapi/status.js'
import {assertStatusExpectation, type StatusExpectation} from '../support/fixture-expectations.js'
import {bindDocuments, gateway, route, services, tlsSecret} from './decide-support.js'

const NOW = new Date('2026-01-01T00:00:00Z')

interface StatusResource {
  kind: string
  metadata: {name: string; namespace?: string}
  status: Record<string, unknown>
}

/** The binding's computed status in the shape of `lint -o json` resources[]. */
function computeResources(binding: Binding): StatusResource[] {
  const status = projectStatus(binding, {now: NOW})
  const {snapshot} = binding
  return [...snapshot.gateways, ...snapshot.listenerSets, ...snapshot.routes].map(({meta}) => ({
    kind: meta.kind, metadata: {name: meta.name, namespace: meta.namespace}, status: status.get(meta.id) ?? {},
  }))
}

interface ParentStatus {conditions: Array<{type: string; status: string; reason: string; message: string}>}

function parentsOf(resources: readonly StatusResource[], kind: string, namespace: string, name: string): ParentStatus[] {
  const found = resources.find((resource) => resource.kind === kind && resource.metadata.namespace === namespace && resource.metadata.name === name)
  assert.ok(found !== undefined, `${kind} ${namespace}/${name} has status`)
  return (found.status.parents ?? []) as ParentStatus[]
}

interface Variant {
  /** What the variant checks, with its §12 case and the golden it extends. */
  what: string
  documents: string[]
  features?: Partial<EngineFeatures>
  status: StatusExpectation[]
  /** Further checks on the status (messages, counts). */
  check?: (resources: StatusResource[]) => void
}

function runVariants(variants: readonly Variant[]): void {
  for (const variant of variants) {
    it(variant.what, () => {
      const resources = computeResources(bindDocuments(variant.documents, variant.features))
      for (const expectation of variant.status) assertStatusExpectation(resources as never, expectation)
      variant.check?.(resources)
    })
  }
}

const gw = (namespace: string, name: string) => ({kind: 'Gateway', namespace, name})
const res = (kind: string, namespace: string, name: string) => ({kind, namespace, name})
const ns = (name: string, labels = '{}') => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${labels}}`

describe('gatewayapi/bind §12 case 3: Accepted reason precedence across listeners (§4.4; extends golden route-parent-reasons)', () => {
  const documents = (routeNamespace: string, hostnames: string[], selector: string) => [
    gateway('gw', [
      '{name: a, port: 80, protocol: HTTP, hostname: a.io}',
      `{name: b, port: 80, protocol: HTTP, hostname: b.io, allowedRoutes: {namespaces: {from: Selector, selector: ${selector}}}}`,
    ], '', 'infra'),
    ns('infra'), ns('web', '{team: web}'),
    route('HTTPRoute', 'r', {namespace: routeNamespace, parentRefs: '[{name: gw, namespace: infra}]', hostnames, rules: '[{}]'}),
  ]
  runVariants([
    {
      what: 'L2 admits web by kubernetes.io/metadata.name (synthesised, §2.7) but no hostname intersects → NoMatchingListenerHostname',
      documents: documents('web', ['c.io'], '{matchLabels: {kubernetes.io/metadata.name: web}}'),
      status: [{resource: res('HTTPRoute', 'web', 'r'), parent: 0, condition: 'Accepted', status: 'False', reason: 'NoMatchingListenerHostname'}],
    },
    {
      what: 'L2 admits web via matchExpressions In and b.io intersects → Accepted, counted on b only (§4.3, §4.5)',
      documents: documents('web', ['b.io'], '{matchExpressions: [{key: team, operator: In, values: [web]}]}'),
      status: [
        {resource: res('HTTPRoute', 'web', 'r'), parent: 0, condition: 'Accepted', status: 'True', reason: 'Accepted'},
        {resource: gw('infra', 'gw'), listener: 'b', attachedRoutes: 1},
        {resource: gw('infra', 'gw'), listener: 'a', attachedRoutes: 0},
      ],
    },
    {
      what: 'a namespace only implied (no Namespace object) still carries kubernetes.io/metadata.name (§2.7)',
      documents: documents('implied', ['b.io'], '{matchLabels: {kubernetes.io/metadata.name: implied}}'),
      status: [{resource: res('HTTPRoute', 'implied', 'r'), parent: 0, condition: 'Accepted', status: 'True', reason: 'Accepted'}],
    },
    {
      what: 'NotIn matches a namespace without the key; L1 (Same) refuses, so the route attaches through L2 only (§2.7)',
      documents: documents('web', ['a.io', 'b.io'], '{matchExpressions: [{key: tier, operator: NotIn, values: [prod]}]}'),
      status: [
        {resource: res('HTTPRoute', 'web', 'r'), parent: 0, condition: 'Accepted', status: 'True', reason: 'Accepted'},
        {resource: gw('infra', 'gw'), listener: 'a', attachedRoutes: 0},
        {resource: gw('infra', 'gw'), listener: 'b', attachedRoutes: 1},
      ],
    },
  ])
})

describe('gatewayapi/bind §12 case 4: sectionName typo next to a valid ListenerSet parent (§4.2, §4.5; extends golden route-parent-reasons)', () => {
  runVariants([{
    what: 'parentRef sectionName htps → NoMatchingParent, attachedRoutes unchanged; the ListenerSet parentRef is independently Accepted',
    documents: [
      gateway('gw', ['{name: https, port: 443, protocol: HTTPS, hostname: www.t.io, tls: {certificateRefs: [{name: www}]}}'], 'allowedListeners: {namespaces: {from: Same}}'),
      [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: ListenerSet',
        'metadata: {name: ls, namespace: default}',
        'spec:',
        '  parentRef: {name: gw}',
        '  listeners:',
        '  - {name: app, port: 443, protocol: HTTPS, hostname: app.t.io, tls: {certificateRefs: [{name: app}]}}',
      ].join('\n'),
      route('HTTPRoute', 'r', {parentRefs: '[{name: gw, sectionName: htps}, {kind: ListenerSet, name: ls, sectionName: app}]', rules: '[{}]'}),
      tlsSecret('www'), tlsSecret('app'),
    ],
    status: [
      {resource: res('HTTPRoute', 'default', 'r'), parentCount: 2},
      {resource: res('HTTPRoute', 'default', 'r'), parent: 0, condition: 'Accepted', status: 'False', reason: 'NoMatchingParent'},
      {resource: res('HTTPRoute', 'default', 'r'), parent: 1, condition: 'Accepted', status: 'True', reason: 'Accepted'},
      {resource: gw('default', 'gw'), listener: 'https', attachedRoutes: 0},
      {resource: res('ListenerSet', 'default', 'ls'), listener: 'app', attachedRoutes: 1},
    ],
  }])
})

describe('gatewayapi/bind §12 case 8: protocol conflict with TCP (§2.5, §3; extends golden listener-protocol-conflict)', () => {
  runVariants([{
    what: 'TCP :443 and HTTPS :443 alone: both ProtocolConflict, Programmed=False, Gateway Accepted=False/ListenersNotValid',
    documents: [
      gateway('gw', ['{name: tcp, port: 443, protocol: TCP}', '{name: https, port: 443, protocol: HTTPS, hostname: a.io, tls: {certificateRefs: [{name: a}]}}']),
      tlsSecret('a'),
    ],
    status: [
      {resource: gw('default', 'gw'), listener: 'tcp', condition: 'Conflicted', status: 'True', reason: 'ProtocolConflict'},
      {resource: gw('default', 'gw'), listener: 'https', condition: 'Conflicted', status: 'True', reason: 'ProtocolConflict'},
      {resource: gw('default', 'gw'), listener: 'tcp', condition: 'Programmed', status: 'False'},
      {resource: gw('default', 'gw'), listener: 'https', condition: 'Programmed', status: 'False'},
      {resource: gw('default', 'gw'), condition: 'Accepted', status: 'False', reason: 'ListenersNotValid'},
      {resource: gw('default', 'gw'), condition: 'Programmed', status: 'False'},
    ],
  }])
})

describe('gatewayapi/bind §12 case 9: ListenerSet precedence after the unique listener is deleted (§2.9; extends golden listenerset-precedence)', () => {
  const listenerSet = (name: string, created: string, listeners: string[]) => [
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: ListenerSet',
    `metadata: {name: ${name}, namespace: infra, creationTimestamp: "${created}"}`,
    'spec:',
    '  parentRef: {name: gw}',
    '  listeners:',
    ...listeners.map((listener) => `  - ${listener}`),
  ].join('\n')
  const app = '{name: app, port: 443, protocol: HTTPS, hostname: app.t.io, tls: {certificateRefs: [{name: app}]}}'
  runVariants([{
    what: 'LS2 with only the clashing listener → Accepted=False/ListenersNotValid, Programmed=False; attachedListenerSets 1; LS1 and the Gateway untouched',
    documents: [
      gateway('gw', ['{name: www, port: 443, protocol: HTTPS, hostname: www.t.io, tls: {certificateRefs: [{name: www}]}}'], 'allowedListeners: {namespaces: {from: Same}}', 'infra'),
      listenerSet('ls1', '2025-01-01T00:00:00Z', [app]),
      listenerSet('ls2', '2025-02-01T00:00:00Z', [app]),
      tlsSecret('www', 'infra'), tlsSecret('app', 'infra'),
    ],
    status: [
      {resource: res('ListenerSet', 'infra', 'ls2'), condition: 'Accepted', status: 'False', reason: 'ListenersNotValid'},
      {resource: res('ListenerSet', 'infra', 'ls2'), condition: 'Programmed', status: 'False', reason: 'ListenersNotValid'},
      {resource: res('ListenerSet', 'infra', 'ls2'), listener: 'app', condition: 'Conflicted', status: 'True', reason: 'HostnameConflict'},
      {resource: res('ListenerSet', 'infra', 'ls2'), listener: 'app', condition: 'Accepted', status: 'False', reason: 'PortUnavailable'},
      {resource: res('ListenerSet', 'infra', 'ls1'), condition: 'Accepted', status: 'True', reason: 'Accepted'},
      {resource: res('ListenerSet', 'infra', 'ls1'), listener: 'app', condition: 'Conflicted', status: 'False'},
      {resource: gw('infra', 'gw'), listener: 'www', condition: 'Programmed', status: 'True', reason: 'Programmed'},
      {resource: gw('infra', 'gw'), condition: 'Accepted', status: 'True', reason: 'Accepted'},
    ],
    check: (resources) => {
      const gatewayStatus = resources.find((resource) => resource.kind === 'Gateway')?.status
      assert.equal(gatewayStatus?.attachedListenerSets, 1, 'attachedListenerSets counts only the Accepted ListenerSet (§2.9)')
    },
  }])
})

describe('gatewayapi/bind §12 case 10: allowedListeners absent (§2.9, §4.4; extends golden listenerset-precedence)', () => {
  runVariants([{
    what: 'no spec.allowedListeners: a ListenerSet in the same namespace is NotAllowed, attachedListenerSets 0; its route notes the parent state',
    documents: [
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: ListenerSet',
        'metadata: {name: ls, namespace: default}',
        'spec:',
        '  parentRef: {name: gw}',
        '  listeners:',
        '  - {name: extra, port: 8080, protocol: HTTP}',
      ].join('\n'),
      route('HTTPRoute', 'r', {parentRefs: '[{kind: ListenerSet, name: ls}]', rules: '[{}]'}),
    ],
    status: [
      {resource: res('ListenerSet', 'default', 'ls'), condition: 'Accepted', status: 'False', reason: 'NotAllowed'},
      {resource: res('ListenerSet', 'default', 'ls'), condition: 'Programmed', status: 'False', reason: 'NotAllowed'},
      {resource: gw('default', 'gw'), condition: 'Accepted', status: 'True', reason: 'Accepted'},
      {resource: res('HTTPRoute', 'default', 'r'), parentCount: 1},
    ],
    check: (resources) => {
      assert.equal(resources.find((resource) => resource.kind === 'Gateway')?.status.attachedListenerSets, 0, 'attachedListenerSets is 0 and reported (§2.9)')
      const [parent] = parentsOf(resources, 'HTTPRoute', 'default', 'r')
      const accepted = parent.conditions.find((condition) => condition.type === 'Accepted')
      assert.match(accepted?.message ?? '', /ListenerSet default\/ls is not accepted \(NotAllowed\)/, 'the route status names the parent\'s state (§4.4 SILENT recommendation)')
    },
  }])
})

describe('gatewayapi/bind §12 case 11: grant shape (§6, §5.2; extends golden route-resolved-refs)', () => {
  const documents = (grant: string | undefined, withService = true) => [
    gateway('gw', ['{name: http, port: 80, protocol: HTTP}'], '', 'web'),
    route('HTTPRoute', 'r', {namespace: 'web', parentRefs: '[{name: gw}]', rules: '[{backendRefs: [{name: pg, namespace: db, port: 5432}]}]'}),
    ...(grant === undefined ? [] : [[
      'apiVersion: gateway.networking.k8s.io/v1beta1',
      'kind: ReferenceGrant',
      'metadata: {name: grant, namespace: db}',
      `spec: ${grant}`,
    ].join('\n')]),
    ...(withService ? services('db', ['pg:5432']) : []),
  ]
  const resolved = (status: string, reason: string): StatusExpectation[] => [
    {resource: res('HTTPRoute', 'web', 'r'), parent: 0, condition: 'ResolvedRefs', status, reason},
    // Invalid backendRefs never make an HTTPRoute Accepted=False (§5.2).
    {resource: res('HTTPRoute', 'web', 'r'), parent: 0, condition: 'Accepted', status: 'True', reason: 'Accepted'},
  ]
  runVariants([
    {
      what: 'grant in db whose from.kind is GRPCRoute → RefNotPermitted',
      documents: documents('{from: [{group: gateway.networking.k8s.io, kind: GRPCRoute, namespace: web}], to: [{group: "", kind: Service}]}'),
      status: resolved('False', 'RefNotPermitted'),
    },
    {
      what: 'grant with to.name other → RefNotPermitted',
      documents: documents('{from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}], to: [{group: "", kind: Service, name: other}]}'),
      status: resolved('False', 'RefNotPermitted'),
    },
    {
      what: 'grant from another namespace (from.namespace api) → RefNotPermitted',
      documents: documents('{from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: api}], to: [{group: "", kind: Service}]}'),
      status: resolved('False', 'RefNotPermitted'),
    },
    {
      what: 'grant with to.name pg → resolves',
      documents: documents('{from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}], to: [{group: "", kind: Service, name: pg}]}'),
      status: resolved('True', 'ResolvedRefs'),
    },
    {
      what: 'a second from entry matching is enough: entries are ORed → resolves',
      documents: documents('{from: [{group: gateway.networking.k8s.io, kind: TLSRoute, namespace: web}, {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}], to: [{group: "", kind: Secret}, {group: "", kind: Service}]}'),
      status: resolved('True', 'ResolvedRefs'),
    },
    {
      what: 'Service absent and no grant → RefNotPermitted, never BackendNotFound (existence is not revealed)',
      documents: documents(undefined, false),
      status: resolved('False', 'RefNotPermitted'),
    },
    {
      what: 'Service absent with a valid grant → BackendNotFound (§5.2 order: grant, then existence)',
      documents: documents('{from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}], to: [{group: "", kind: Service}]}', false),
      status: resolved('False', 'BackendNotFound'),
    },
  ])
})

describe('gatewayapi/bind §12 case 12: ListenerSet grant isolation (§2.3, §6)', () => {
  runVariants([{
    what: 'a grant for Gateways in infra does not cover a ListenerSet in infra: its listener RefNotPermitted, the Gateway\'s identical ref resolves',
    documents: [
      gateway('gw', ['{name: www, port: 443, protocol: HTTPS, hostname: www.t.io, tls: {certificateRefs: [{name: tls, namespace: certs}]}}'], 'allowedListeners: {namespaces: {from: Same}}', 'infra'),
      [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: ListenerSet',
        'metadata: {name: ls, namespace: infra}',
        'spec:',
        '  parentRef: {name: gw}',
        '  listeners:',
        '  - {name: app, port: 443, protocol: HTTPS, hostname: app.t.io, tls: {certificateRefs: [{name: tls, namespace: certs}]}}',
        '  - {name: own, port: 443, protocol: HTTPS, hostname: own.t.io, tls: {certificateRefs: [{name: own}]}}',
      ].join('\n'),
      [
        'apiVersion: gateway.networking.k8s.io/v1beta1',
        'kind: ReferenceGrant',
        'metadata: {name: gateways, namespace: certs}',
        'spec: {from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}], to: [{group: "", kind: Secret}]}',
      ].join('\n'),
      tlsSecret('tls', 'certs'), tlsSecret('own', 'infra'),
    ],
    status: [
      {resource: gw('infra', 'gw'), listener: 'www', condition: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs'},
      {resource: res('ListenerSet', 'infra', 'ls'), listener: 'app', condition: 'ResolvedRefs', status: 'False', reason: 'RefNotPermitted'},
      {resource: res('ListenerSet', 'infra', 'ls'), listener: 'app', condition: 'Programmed', status: 'False'},
      // A ListenerSet may use Secrets of its own namespace without a grant (§2.3).
      {resource: res('ListenerSet', 'infra', 'ls'), listener: 'own', condition: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs'},
      {resource: res('ListenerSet', 'infra', 'ls'), condition: 'Accepted', status: 'True'},
    ],
  }])
})

describe('gatewayapi/bind §12 case 13: certificateRefs of kind ConfigMap (§2.3; extends golden listener-certificate-refs)', () => {
  runVariants([{
    what: 'kind ConfigMap (group "") → InvalidCertificateRef, Programmed=False, routes still attach (§2.3)',
    documents: [
      gateway('gw', ['{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{group: "", kind: ConfigMap, name: tls}]}}']),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tls, namespace: default}\ndata: {tls.crt: x, tls.key: y}',
      route('HTTPRoute', 'r', {rules: '[{}]'}),
    ],
    status: [
      {resource: gw('default', 'gw'), listener: 'https', condition: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef'},
      {resource: gw('default', 'gw'), listener: 'https', condition: 'Programmed', status: 'False', reason: 'Invalid'},
      {resource: gw('default', 'gw'), listener: 'https', attachedRoutes: 1},
      {resource: res('HTTPRoute', 'default', 'r'), parent: 0, condition: 'Accepted', status: 'True', reason: 'Accepted'},
    ],
  }])
})

describe('gatewayapi/bind §12 case 14: TLS modes on one port (§2.5, §7, gep-2643)', () => {
  const documents = [
    gateway('gw', [
      '{name: pass, port: 5432, protocol: TLS, hostname: "*.db.io", tls: {mode: Passthrough}}',
      '{name: term, port: 5432, protocol: TLS, hostname: pg.db.io, tls: {mode: Terminate, certificateRefs: [{name: pg}]}}',
    ]),
    route('TLSRoute', 'r', {parentRefs: '[{name: gw, sectionName: pass}]', hostnames: ['x.db.io'], rules: '[{backendRefs: [{name: x, port: 5432}]}]'}),
    tlsSecret('pg'), ...services('default', ['x:5432']),
  ]
  runVariants([
    {
      what: 'TLSRouteModeMixed not supported: Passthrough and Terminate on :5432 are both ProtocolConflict; Gateway not accepted',
      documents,
      features: {mixedTlsModes: false},
      status: [
        {resource: gw('default', 'gw'), listener: 'pass', condition: 'Conflicted', status: 'True', reason: 'ProtocolConflict'},
        {resource: gw('default', 'gw'), listener: 'term', condition: 'Conflicted', status: 'True', reason: 'ProtocolConflict'},
        {resource: gw('default', 'gw'), listener: 'pass', condition: 'Programmed', status: 'False'},
        {resource: gw('default', 'gw'), condition: 'Accepted', status: 'False', reason: 'ListenersNotValid'},
        // Listener health does not affect attachment (§4.3): the route still attaches and is counted (§4.5).
        {resource: gw('default', 'gw'), listener: 'pass', attachedRoutes: 1},
      ],
    },
    {
      what: 'gwctl\'s default supports TLSRouteModeMixed: the same listeners are distinct by hostname, no conflict (§2.5, engine option)',
      documents,
      status: [
        {resource: gw('default', 'gw'), listener: 'pass', condition: 'Conflicted', status: 'False', reason: 'NoConflicts'},
        {resource: gw('default', 'gw'), listener: 'term', condition: 'Conflicted', status: 'False', reason: 'NoConflicts'},
        {resource: gw('default', 'gw'), listener: 'term', supportedKinds: ['TLSRoute', 'TCPRoute']},
        {resource: gw('default', 'gw'), listener: 'pass', supportedKinds: ['TLSRoute']},
        {resource: gw('default', 'gw'), condition: 'Accepted', status: 'True', reason: 'Accepted'},
      ],
    },
  ])
})

describe('gatewayapi/bind §12 case 15: a TLSRoute/TCPRoute with a missing backend (§5.3, gep-2644; extends golden route-resolved-refs)', () => {
  runVariants([{
    what: 'TLSRoute and TCPRoute with one missing Service: Accepted=True, ResolvedRefs=False/BackendNotFound',
    documents: [
      gateway('gw', ['{name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}', '{name: tcp, port: 5432, protocol: TCP}']),
      route('TLSRoute', 'pass', {parentRefs: '[{name: gw, sectionName: tls}]', hostnames: ['pass.io'], rules: '[{backendRefs: [{name: a, port: 80, weight: 3}, {name: b, port: 80}]}]'}),
      route('TCPRoute', 'stream', {apiVersion: 'gateway.networking.k8s.io/v1alpha2', parentRefs: '[{name: gw, sectionName: tcp}]', rules: '[{backendRefs: [{name: a, port: 80}, {name: b, port: 80}]}]'}),
      ...services('default', ['a']),
    ],
    status: [
      {resource: res('TLSRoute', 'default', 'pass'), parent: 0, condition: 'Accepted', status: 'True', reason: 'Accepted'},
      {resource: res('TLSRoute', 'default', 'pass'), parent: 0, condition: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound'},
      {resource: res('TCPRoute', 'default', 'stream'), parent: 0, condition: 'Accepted', status: 'True', reason: 'Accepted'},
      {resource: res('TCPRoute', 'default', 'stream'), parent: 0, condition: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound'},
      {resource: gw('default', 'gw'), listener: 'tls', attachedRoutes: 1},
      {resource: gw('default', 'gw'), listener: 'tcp', attachedRoutes: 1},
    ],
  }])
})
