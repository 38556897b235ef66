/**
 * The decision function (src/gatewayapi/decide.ts), table-driven over small
 * in-memory configurations: which listener, route, rule and backends a
 * connection or request reaches, and the trace entry that says why every
 * other candidate lost or was skipped. Section numbers are SEMANTICS.md's.
 */
import {strict as assert} from 'node:assert'
import {pickBackend, type ConnectionQuery, type RoutingTable} from '../../src/gatewayapi/decide.js'
import type {HttpRequest} from '../../src/gatewayapi/http-match.js'
import {
  assertTrace, compileDocuments, decideOne, gateway, request, route, services, tlsSecret, traceResults, viewDecision,
  type DecisionView, type TraceExpectation,
} from './decide-support.js'

interface Case {
  /** What the case checks, with its SEMANTICS.md section. */
  what: string
  query: ConnectionQuery
  expect: Partial<DecisionView>
  trace?: TraceExpectation[]
  /** Candidates that must not appear in the trace at all (never considered). */
  absent?: string[]
  /** The decision's one-line reason. */
  reason?: RegExp
}

function runCases(table: () => RoutingTable, cases: readonly Case[]): void {
  for (const entry of cases) {
    it(entry.what, () => {
      const decision = decideOne(table(), entry.query)
      const view = viewDecision(decision)
      const picked = Object.fromEntries(Object.keys(entry.expect).map((key) => [key, view[key as keyof DecisionView]]))
      assert.deepEqual(picked, entry.expect, `${entry.what}: decision (reason: ${decision.reason})`)
      if (entry.expect.matched === true) assert.equal(decision.httpStatus === undefined || decision.httpStatus < 400, true, `${entry.what}: no error status`)
      assertTrace(decision, entry.trace ?? [], entry.what)
      for (const candidate of entry.absent ?? []) assert.deepEqual(traceResults(decision, candidate), [], `${entry.what}: ${candidate} is never considered`)
      assert.ok(decision.reason.length > 0 && !decision.reason.includes('\n'), `${entry.what}: a one-line reason`)
      if (entry.reason !== undefined) assert.match(decision.reason, entry.reason, `${entry.what}: reason`)
    })
  }
}

const tls = (sni: string, port = 443, gatewayName = 'gw'): ConnectionQuery => ({port, transport: 'tls', sni, gateway: {namespace: 'default', name: gatewayName}})
const http = (host: string, path = '/', extra: Partial<HttpRequest> = {}, port = 80, gatewayName = 'gw'): ConnectionQuery => ({
  port, transport: 'http', host, request: request(path, extra), gateway: {namespace: 'default', name: gatewayName},
})
const https = (sni: string, host: string, path = '/', port = 443): ConnectionQuery => ({
  port, transport: 'tls', sni, host, request: request(path), gateway: {namespace: 'default', name: 'gw'},
})
const GRPC = ['content-type', 'application/grpc'] as [string, string]

describe('gatewayapi/decide: listener choice (§1.4 specificity, §1.5 selection)', () => {
  // The same four listeners in two orders: the choice must not depend on the order of spec.listeners.
  const listeners = [
    '{name: exact, port: 443, protocol: TLS, hostname: app.example.com, tls: {mode: Passthrough}}',
    '{name: wild, port: 443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}}',
    '{name: deep, port: 443, protocol: TLS, hostname: "*.apps.example.com", tls: {mode: Passthrough}}',
    '{name: any, port: 443, protocol: TLS, tls: {mode: Passthrough}}',
  ]
  const parents = (section: string) => `[{name: gw, sectionName: ${section}}, {name: reversed, sectionName: ${section}}]`
  let table: RoutingTable
  before(() => {
    table = compileDocuments([
      gateway('gw', listeners),
      gateway('reversed', [...listeners].reverse()),
      route('TLSRoute', 'r-exact', {parentRefs: parents('exact'), hostnames: ['app.example.com'], rules: '[{backendRefs: [{name: exact, port: 443}]}]'}),
      route('TLSRoute', 'r-wild', {parentRefs: parents('wild'), hostnames: ['*.example.com'], rules: '[{backendRefs: [{name: wild, port: 443}]}]'}),
      route('TLSRoute', 'r-deep', {parentRefs: parents('deep'), hostnames: ['*.apps.example.com'], rules: '[{backendRefs: [{name: deep, port: 443}]}]'}),
      // v1alpha2 TLSRoute without hostnames: matches any SNI, and a client without SNI (§7).
      route('TLSRoute', 'r-any', {apiVersion: 'gateway.networking.k8s.io/v1alpha2', parentRefs: parents('any'), rules: '[{backendRefs: [{name: any, port: 443}]}]'}),
      ...services('default', ['exact:443', 'wild:443', 'deep:443', 'any:443']),
    ])
  })
  const cases: Case[] = ['gw', 'reversed'].flatMap((name) => [
    {
      what: `${name}: an exact listener hostname beats every wildcard and the hostname-less listener (§1.4 rule 1)`,
      query: tls('app.example.com', 443, name),
      expect: {matched: true, listener: 'exact', route: 'TLSRoute default/r-exact', backends: ['default/exact:443=100%']},
      trace: [
        {step: 'listener', candidate: "listener 'exact'", result: 'chosen', why: /hostname app\.example\.com matches app\.example\.com/},
        {step: 'listener', candidate: "listener 'wild'", result: 'lost', why: /hostname \*\.example\.com is less specific than app\.example\.com/},
        {step: 'listener', candidate: "listener 'any'", result: 'lost', why: /hostname \(none\) is less specific than app\.example\.com/},
        {step: 'listener', candidate: "listener 'deep'", result: 'skipped', why: /hostname \*\.apps\.example\.com does not match app\.example\.com/},
      ],
    },
    {
      what: `${name}: a longer wildcard beats a shorter one (§1.4 rule 2)`,
      query: tls('x.apps.example.com', 443, name),
      expect: {matched: true, listener: 'deep', route: 'TLSRoute default/r-deep'},
      trace: [
        {step: 'listener', candidate: "listener 'deep'", result: 'chosen', why: /hostname \*\.apps\.example\.com matches x\.apps\.example\.com/},
        {step: 'listener', candidate: "listener 'wild'", result: 'lost', why: /\*\.example\.com is less specific than \*\.apps\.example\.com/},
        {step: 'listener', candidate: "listener 'any'", result: 'lost', why: /\(none\) is less specific than \*\.apps\.example\.com/},
        {step: 'listener', candidate: "listener 'exact'", result: 'skipped', why: /does not match x\.apps\.example\.com/},
      ],
    },
    {
      what: `${name}: a wildcard stands for one or more labels (§1.2)`,
      query: tls('a.b.apps.example.com', 443, name),
      expect: {matched: true, listener: 'deep', route: 'TLSRoute default/r-deep'},
      trace: [{step: 'listener', candidate: "listener 'deep'", result: 'chosen', why: /matches a\.b\.apps\.example\.com/}],
    },
    {
      what: `${name}: the wildcard listener beats only the hostname-less one (§1.4 rule 3)`,
      query: tls('www.example.com', 443, name),
      expect: {matched: true, listener: 'wild', route: 'TLSRoute default/r-wild'},
      trace: [
        {step: 'listener', candidate: "listener 'any'", result: 'lost', why: /\(none\) is less specific than \*\.example\.com/},
        {step: 'listener', candidate: "listener 'exact'", result: 'skipped', why: /does not match www\.example\.com/},
      ],
    },
    {
      what: `${name}: *.example.com never matches the apex, which falls to the hostname-less listener (§1.2)`,
      query: tls('example.com', 443, name),
      expect: {matched: true, listener: 'any', route: 'TLSRoute default/r-any'},
      trace: [{step: 'listener', candidate: "listener 'wild'", result: 'skipped', why: /hostname \*\.example\.com does not match example\.com/}],
    },
    {
      what: `${name}: no listener hostname matches all, last (§1.6)`,
      query: tls('other.org', 443, name),
      expect: {matched: true, listener: 'any', route: 'TLSRoute default/r-any', backends: ['default/any:443=100%']},
      trace: [{step: 'listener', candidate: "listener 'any'", result: 'chosen', why: /has no hostname, so it matches any/}],
    },
    {
      what: `${name}: a client without SNI reaches only the hostname-less listener (§1.5, §1.6)`,
      query: tls('', 443, name),
      expect: {matched: true, listener: 'any', route: 'TLSRoute default/r-any'},
      trace: [
        {step: 'listener', candidate: "listener 'exact'", result: 'skipped', why: /hostname app\.example\.com needs an SNI and none was sent/},
        {step: 'listener', candidate: "listener 'wild'", result: 'skipped', why: /needs an SNI/},
        {step: 'listener', candidate: "listener 'deep'", result: 'skipped', why: /needs an SNI/},
        {step: 'listener', candidate: "listener 'any'", result: 'chosen', why: /has no hostname/},
      ],
    },
    {
      what: `${name}: the SNI is matched lower-cased and without a trailing dot (§1.2)`,
      query: tls('APP.Example.COM.', 443, name),
      expect: {matched: true, listener: 'exact', route: 'TLSRoute default/r-exact'},
      trace: [{step: 'listener', candidate: "listener 'exact'", result: 'chosen', why: /matches app\.example\.com/}],
    },
  ])
  runCases(() => table, cases)

  it('a port without listeners is not answered: decide() returns no decision (§1.5 reject)', () => {
    assert.deepEqual(table.decide(tls('app.example.com', 8443)), [], 'no Gateway listens on 8443')
    assert.equal(table.decide({port: 443, transport: 'tls', sni: 'app.example.com'}).length, 2, 'without --gateway, one decision per Gateway on the port')
  })
})

describe('gatewayapi/decide: unusable listeners are skipped with their reason (§1.5, §2.5, §2.8)', () => {
  let table: RoutingTable
  before(() => {
    table = compileDocuments([
      gateway('gw', [
        '{name: fallback, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: fallback-tls}]}}',
        '{name: dup, port: 443, protocol: HTTPS, hostname: dup.t.io, tls: {certificateRefs: [{name: dup-tls}]}}',
        // HTTPS supports only Terminate: Accepted=False/UnsupportedValue.
        '{name: bad-mode, port: 443, protocol: HTTPS, hostname: mode.t.io, tls: {mode: Passthrough}}',
        // Secret in another namespace without a ReferenceGrant: ResolvedRefs=False/RefNotPermitted, Programmed=False.
        '{name: denied, port: 443, protocol: HTTPS, hostname: denied.t.io, tls: {certificateRefs: [{name: other-tls, namespace: other}]}}',
        // Secret absent from the input: CI lints without Secrets, resolve answers as if it existed.
        '{name: missing, port: 443, protocol: HTTPS, hostname: missing.t.io, tls: {certificateRefs: [{name: missing-tls}]}}',
        '{name: dns-tcp, port: 53, protocol: TCP}',
        '{name: dns-udp, port: 53, protocol: UDP}',
      ], 'allowedListeners: {namespaces: {from: Same}}'),
      // A ListenerSet listener that loses to the Gateway's identical listener: Conflicted, Accepted=False/PortUnavailable.
      [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: ListenerSet',
        'metadata: {name: extra, namespace: default}',
        'spec:',
        '  parentRef: {name: gw}',
        '  listeners:',
        '  - {name: dup-again, port: 443, protocol: HTTPS, hostname: dup.t.io, tls: {certificateRefs: [{name: dup-tls}]}}',
      ].join('\n'),
      gateway('conflicts', [
        '{name: tls, port: 443, protocol: TLS, hostname: a.io, tls: {mode: Passthrough}}',
        '{name: tcp, port: 443, protocol: TCP}',
        '{name: http, port: 80, protocol: HTTP}',
      ]),
      gateway('dead', [
        '{name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}',
        '{name: tcp, port: 443, protocol: TCP}',
      ]),
      route('HTTPRoute', 'web', {rules: '[{backendRefs: [{name: web, port: 80}]}]'}),
      route('TLSRoute', 'a', {parentRefs: '[{name: conflicts}, {name: dead}]', hostnames: ['a.io'], rules: '[{backendRefs: [{name: web, port: 80}]}]'}),
      route('TCPRoute', 'dns', {apiVersion: 'gateway.networking.k8s.io/v1alpha2', parentRefs: '[{name: gw, sectionName: dns-tcp}]', rules: '[{backendRefs: [{name: dns, port: 53}]}]'}),
      tlsSecret('fallback-tls'), tlsSecret('dup-tls'), tlsSecret('other-tls', 'other'),
      ...services('default', ['web', 'dns:53']),
    ])
  })
  runCases(() => table, [
    {
      what: 'a listener of a ListenerSet that lost a conflict is skipped as not accepted; the winner serves (§2.5, §2.9)',
      query: https('dup.t.io', 'dup.t.io'),
      expect: {matched: true, listener: 'dup', route: 'HTTPRoute default/web', certificate: 'default/dup-tls'},
      trace: [
        {step: 'listener', candidate: "listener 'dup-again'", result: 'skipped', why: /^not accepted: PortUnavailable: .*conflicts with listener 'dup'/},
        {step: 'listener', candidate: "listener 'dup'", result: 'chosen', why: /hostname dup\.t\.io matches dup\.t\.io/},
        {step: 'certificate', candidate: 'Secret default/dup-tls', result: 'chosen', why: /first usable certificateRef/},
      ],
    },
    {
      what: 'an Accepted=False listener (HTTPS with Passthrough) is skipped; the hostname-less listener takes the SNI (§2.8)',
      query: https('mode.t.io', 'mode.t.io'),
      expect: {matched: true, listener: 'fallback', route: 'HTTPRoute default/web', certificate: 'default/fallback-tls'},
      trace: [
        {step: 'listener', candidate: "listener 'bad-mode'", result: 'skipped', why: /^not accepted: UnsupportedValue: protocol HTTPS supports only tls\.mode Terminate/},
        {step: 'listener', candidate: "listener 'fallback'", result: 'chosen', why: /has no hostname/},
      ],
    },
    {
      what: 'a listener that is not programmed (certificateRef not permitted) is skipped (§2.3, §2.8)',
      query: https('denied.t.io', 'denied.t.io'),
      expect: {matched: true, listener: 'fallback', certificate: 'default/fallback-tls'},
      trace: [{step: 'listener', candidate: "listener 'denied'", result: 'skipped', why: /^not programmed: certificate references are not resolved: .*other\/other-tls is not permitted/}],
    },
    {
      what: 'a listener whose Secret is only absent from the input still serves, the certificate marked as assumed (§2.3)',
      query: https('missing.t.io', 'missing.t.io'),
      expect: {matched: true, listener: 'missing', route: 'HTTPRoute default/web', certificate: 'default/missing-tls'},
      trace: [
        {step: 'listener', candidate: "listener 'missing'", result: 'chosen', why: /hostname missing\.t\.io matches/},
        {step: 'listener', candidate: "listener 'fallback'", result: 'lost', why: /less specific/},
        {step: 'certificate', candidate: 'Secret default/missing-tls', result: 'chosen', why: /^assumed: the Secret is not in the input/},
      ],
    },
    {
      what: 'listeners of another protocol on the port are skipped: TCP and UDP may share a port (§2.5)',
      query: {port: 53, transport: 'tcp', gateway: {namespace: 'default', name: 'gw'}},
      expect: {matched: true, listener: 'dns-tcp', route: 'TCPRoute default/dns', backends: ['default/dns:53=100%']},
      trace: [
        {step: 'listener', candidate: "listener 'dns-udp'", result: 'skipped', why: /protocol UDP does not take TCP connections/},
        {step: 'listener', candidate: "listener 'dns-tcp'", result: 'chosen', why: /takes port 53/},
      ],
    },
    {
      what: 'Conflicted=True/ProtocolConflict listeners are skipped: TCP and TLS cannot share a port, no listener remains (§2.5, §12 case 8)',
      query: {port: 443, transport: 'tls', sni: 'a.io', gateway: {namespace: 'default', name: 'conflicts'}},
      expect: {matched: false, backends: []},
      trace: [
        {step: 'gateway', candidate: 'Gateway default/conflicts', result: 'chosen', why: /has listeners on port 443/},
        {step: 'listener', candidate: "listener 'tls'", result: 'skipped', why: /^not accepted: ProtocolConflict: /},
        {step: 'listener', candidate: "listener 'tcp'", result: 'skipped', why: /protocol TCP does not take TLS connections/},
      ],
    },
    {
      what: 'a Gateway with no usable listener (Accepted=False) decides nothing and says so (§3)',
      query: {port: 443, transport: 'tls', sni: 'a.io', gateway: {namespace: 'default', name: 'dead'}},
      expect: {matched: false, backends: []},
      trace: [{step: 'gateway', candidate: 'Gateway default/dead', result: 'skipped', why: /^Gateway is not accepted: /}],
    },
  ])
})

describe('gatewayapi/decide: TLSRoute precedence (§7)', () => {
  let table: RoutingTable
  before(() => {
    const tlsRoute = (name: string, hostnames: string[], created?: string, namespace = 'default') => route('TLSRoute', name, {
      namespace, created, hostnames, parentRefs: '[{name: gw, namespace: default}]', rules: `[{backendRefs: [{name: ${name}, port: 443}]}]`,
    })
    table = compileDocuments([
      gateway('gw', ['{name: tls, port: 443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}, allowedRoutes: {namespaces: {from: All}}}']),
      tlsRoute('exact', ['app.example.com'], '2025-03-01T00:00:00Z'),
      tlsRoute('wild', ['*.example.com'], '2025-01-01T00:00:00Z'),
      tlsRoute('deep', ['*.apps.example.com'], '2025-02-01T00:00:00Z'),
      tlsRoute('dup-new', ['dup.example.com'], '2025-06-01T00:00:00Z'),
      tlsRoute('dup-old', ['dup.example.com'], '2025-01-01T00:00:00Z'),
      tlsRoute('z', ['tie.example.com'], '2025-01-01T00:00:00Z', 'ns-a'),
      tlsRoute('a', ['tie.example.com'], '2025-01-01T00:00:00Z', 'ns-b'),
      tlsRoute('unstamped', ['stamp.example.com']),
      tlsRoute('stamped', ['stamp.example.com'], '2025-09-01T00:00:00Z'),
      // Several hostnames: the most specific one that matches the SNI is the route's (§7 "only one route hostname may match").
      tlsRoute('multi', ['other.example.org', '*.multi.example.com'], '2025-05-01T00:00:00Z'),
      ...services('default', ['exact:443', 'wild:443', 'deep:443', 'dup-new:443', 'dup-old:443', 'unstamped:443', 'stamped:443', 'multi:443']),
      ...services('ns-a', ['z:443']),
      ...services('ns-b', ['a:443']),
    ])
  })
  runCases(() => table, [
    {
      what: 'the most specific matching hostname wins over an older wildcard route (§7 (1))',
      query: tls('app.example.com'),
      expect: {matched: true, route: 'TLSRoute default/exact', backends: ['default/exact:443=100%']},
      trace: [
        {step: 'route', candidate: 'TLSRoute default/exact', result: 'chosen', why: /hostname app\.example\.com matches app\.example\.com/},
        {step: 'route', candidate: 'TLSRoute default/wild', result: 'lost', why: /hostname \*\.example\.com is less specific than app\.example\.com/},
        {step: 'route', candidate: 'TLSRoute default/deep', result: 'skipped', why: /hostnames \*\.apps\.example\.com do not match app\.example\.com/},
      ],
    },
    {
      what: 'a longer wildcard route hostname beats a shorter one (§7 (1), §1.4)',
      query: tls('x.y.apps.example.com'),
      expect: {matched: true, route: 'TLSRoute default/deep'},
      trace: [{step: 'route', candidate: 'TLSRoute default/wild', result: 'lost', why: /\*\.example\.com is less specific than \*\.apps\.example\.com/}],
    },
    {
      what: 'same hostname: the oldest creationTimestamp wins (§7 (2))',
      query: tls('dup.example.com'),
      expect: {matched: true, route: 'TLSRoute default/dup-old'},
      trace: [{step: 'route', candidate: 'TLSRoute default/dup-new', result: 'lost', why: /^same hostname dup\.example\.com; default\/dup-old is older \(creationTimestamp 2025-01-01T00:00:00Z < 2025-06-01T00:00:00Z\)/}],
    },
    {
      what: 'same hostname and timestamp: namespace/name alphabetical, ns-a/z before ns-b/a (§7 (3))',
      query: tls('tie.example.com'),
      expect: {matched: true, route: 'TLSRoute ns-a/z', backends: ['ns-a/z:443=100%']},
      trace: [{step: 'route', candidate: 'TLSRoute ns-b/a', result: 'lost', why: /same creationTimestamp, and ns-a\/z sorts before ns-b\/a/}],
    },
    {
      what: 'a route without creationTimestamp counts as newest (created now, offline)',
      query: tls('stamp.example.com'),
      expect: {matched: true, route: 'TLSRoute default/stamped'},
      trace: [{step: 'route', candidate: 'TLSRoute default/unstamped', result: 'lost', why: /default\/stamped has a creationTimestamp and default\/unstamped has none/}],
    },
    {
      what: 'a route with several hostnames competes with the one that matches (*.multi.example.com beats *.example.com) (§7)',
      query: tls('a.multi.example.com'),
      expect: {matched: true, route: 'TLSRoute default/multi'},
      trace: [
        {step: 'route', candidate: 'TLSRoute default/multi', result: 'chosen', why: /hostname \*\.multi\.example\.com matches a\.multi\.example\.com/},
        {step: 'route', candidate: 'TLSRoute default/wild', result: 'lost', why: /less specific than \*\.multi\.example\.com/},
      ],
    },
    {
      what: 'only the catch-all matches an unclaimed name (§1.3)',
      query: tls('zzz.example.com'),
      expect: {matched: true, route: 'TLSRoute default/wild'},
      trace: [{step: 'route', candidate: 'TLSRoute default/exact', result: 'skipped', why: /do not match zzz\.example\.com/}],
    },
    {
      what: 'a client without SNI reaches no listener with a hostname: rejected (§7 last bullet)',
      query: tls(''),
      expect: {matched: false, backends: []},
      trace: [{step: 'listener', candidate: "listener 'tls'", result: 'skipped', why: /needs an SNI/}],
    },
  ])

  it('every other candidate appears once, as lost or skipped, never as chosen too (§7)', () => {
    const decision = decideOne(table, tls('dup.example.com'))
    assert.deepEqual(traceResults(decision, 'TLSRoute default/dup-old'), ['chosen'], 'the winner is only chosen')
    assert.deepEqual(traceResults(decision, 'TLSRoute default/dup-new'), ['lost'], 'the loser is only lost')
  })
})

describe('gatewayapi/decide: TCPRoute and UDPRoute, oldest wins (§8.4)', () => {
  let table: RoutingTable
  before(() => {
    const stream = (kind: string, name: string, section: string, created?: string) => route(kind, name, {
      apiVersion: 'gateway.networking.k8s.io/v1alpha2', created, parentRefs: `[{name: gw, sectionName: ${section}}]`, rules: `[{backendRefs: [{name: ${name}, port: 5432}]}]`,
    })
    table = compileDocuments([
      gateway('gw', [
        '{name: pg, port: 5432, protocol: TCP}',
        '{name: dns, port: 53, protocol: UDP}',
        '{name: redis-tls, port: 6380, protocol: TLS, hostname: cache.example.com, tls: {mode: Terminate, certificateRefs: [{name: cache-tls}]}}',
        '{name: empty, port: 6000, protocol: TCP}',
      ]),
      stream('TCPRoute', 'pg-new', 'pg', '2025-06-01T00:00:00Z'),
      stream('TCPRoute', 'pg-none', 'pg'),
      stream('TCPRoute', 'pg-old', 'pg', '2025-01-01T00:00:00Z'),
      stream('UDPRoute', 'dns-b', 'dns', '2025-01-01T00:00:00Z'),
      stream('UDPRoute', 'dns-a', 'dns', '2025-01-01T00:00:00Z'),
      stream('TCPRoute', 'redis', 'redis-tls'),
      tlsSecret('cache-tls'),
      ...services('default', ['pg-new:5432', 'pg-none:5432', 'pg-old:5432', 'dns-a:5432', 'dns-b:5432', 'redis:5432']),
    ])
  })
  const stream = (transport: 'tcp' | 'udp', port: number): ConnectionQuery => ({port, transport, gateway: {namespace: 'default', name: 'gw'}})
  runCases(() => table, [
    {
      what: 'TCP: the oldest TCPRoute takes every connection; newer and unstamped routes lose (§8.4)',
      query: stream('tcp', 5432),
      expect: {matched: true, listener: 'pg', route: 'TCPRoute default/pg-old', backends: ['default/pg-old:5432=100%']},
      trace: [
        {step: 'route', candidate: 'TCPRoute default/pg-old', result: 'chosen', why: /oldest route on the listener/},
        {step: 'route', candidate: 'TCPRoute default/pg-new', result: 'lost', why: /default\/pg-old is older/},
        {step: 'route', candidate: 'TCPRoute default/pg-none', result: 'lost', why: /default\/pg-none has none \(treated as newest\)/},
      ],
    },
    {
      what: 'UDP: same timestamp, namespace/name decides (§8.4)',
      query: stream('udp', 53),
      expect: {matched: true, listener: 'dns', route: 'UDPRoute default/dns-a'},
      trace: [{step: 'route', candidate: 'UDPRoute default/dns-b', result: 'lost', why: /same creationTimestamp, and default\/dns-a sorts before default\/dns-b/}],
    },
    {
      what: 'TLS Terminate: the TCPRoute behind the listener, with the certificate presented (§2.2, §7)',
      query: tls('cache.example.com', 6380),
      expect: {matched: true, listener: 'redis-tls', route: 'TCPRoute default/redis', certificate: 'default/cache-tls'},
      trace: [
        {step: 'certificate', candidate: 'Secret default/cache-tls', result: 'chosen', why: /first usable certificateRef of listener 'redis-tls'/},
        {step: 'route', candidate: 'TCPRoute default/redis', result: 'chosen', why: /attached to listener 'redis-tls'/},
      ],
    },
    {
      what: 'a TCP listener without routes rejects the connection and says so',
      query: stream('tcp', 6000),
      expect: {matched: false, listener: 'empty', backends: []},
      trace: [{step: 'listener', candidate: "listener 'empty'", result: 'chosen', why: /takes port 6000/}],
    },
  ])
})

describe('gatewayapi/decide: HTTPRoute precedence, criterion by criterion (§8.2)', () => {
  let table: RoutingTable
  before(() => {
    const http = (name: string, options: {hostnames?: string[]; match?: string; created?: string; namespace?: string; rules?: string}) => route('HTTPRoute', name, {
      namespace: options.namespace,
      created: options.created ?? '2025-06-01T00:00:00Z',
      hostnames: options.hostnames,
      rules: options.rules ?? `[{matches: [${options.match ?? '{}'}], backendRefs: [{name: svc, port: 80}]}]`,
    })
    table = compileDocuments([
      gateway('gw', ['{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}']),
      // 1. non-wildcard hostname length (§12 case 6: hostname beats path)
      http('c1-precise', {hostnames: ['shop.c1.io'], match: '{path: {type: PathPrefix, value: /}}'}),
      http('c1-wild', {hostnames: ['*.c1.io'], match: '{path: {type: Exact, value: /cart}}', created: '2025-01-01T00:00:00Z'}),
      // 2. hostname length, wildcards included; no hostname is shortest
      http('c2-deep', {hostnames: ['*.b.c2.io'], match: '{path: {type: PathPrefix, value: /}}'}),
      http('c2-shallow', {hostnames: ['*.c2.io'], match: '{path: {type: Exact, value: /x}}', created: '2025-01-01T00:00:00Z'}),
      http('c2-none', {match: '{path: {type: Exact, value: /only-c2-none}}', created: '2025-01-01T00:00:00Z'}),
      // 3. Exact path over PathPrefix (and over RegularExpression, gwctl's choice)
      http('c3-exact', {hostnames: ['c3.io'], match: '{path: {type: Exact, value: /p}}'}),
      http('c3-prefix', {hostnames: ['c3.io'], match: '{path: {type: PathPrefix, value: /p}}', created: '2025-01-01T00:00:00Z'}),
      http('c3-regex', {hostnames: ['c3.io'], match: '{path: {type: RegularExpression, value: "/p.*"}}', created: '2025-01-01T00:00:00Z'}),
      // 4. longest PathPrefix; with a trailing slash, the normalised length then the raw one
      http('c4-short', {hostnames: ['c4.io'], match: '{path: {type: PathPrefix, value: /a}}', created: '2025-01-01T00:00:00Z'}),
      http('c4-long', {hostnames: ['c4.io'], match: '{path: {type: PathPrefix, value: /a/b}}'}),
      http('c4-slash', {hostnames: ['c4.io'], match: '{path: {type: PathPrefix, value: /a/}}'}),
      // 5. method match
      http('c5-plain', {hostnames: ['c5.io'], created: '2025-01-01T00:00:00Z'}),
      http('c5-method', {hostnames: ['c5.io'], match: '{method: GET}'}),
      // 6. most header matches (a name listed twice counts once)
      http('c6-one', {hostnames: ['c6.io'], match: '{headers: [{name: x-a, value: "1"}]}', created: '2025-01-01T00:00:00Z'}),
      http('c6-two', {hostnames: ['c6.io'], match: '{headers: [{name: x-a, value: "1"}, {name: x-b, value: "2"}]}'}),
      http('c6-repeated', {hostnames: ['c6.io'], match: '{headers: [{name: x-a, value: "1"}, {name: X-A, value: "9"}]}', created: '2025-03-01T00:00:00Z'}),
      // 7. most query matches
      http('c7-plain', {hostnames: ['c7.io'], created: '2025-01-01T00:00:00Z'}),
      http('c7-query', {hostnames: ['c7.io'], match: '{queryParams: [{name: v, value: "1"}]}'}),
      // 8. oldest; 9. namespace/name
      http('c8-new', {hostnames: ['c8.io'], created: '2025-06-01T00:00:00Z'}),
      http('c8-old', {hostnames: ['c8.io'], created: '2025-01-01T00:00:00Z'}),
      http('z', {hostnames: ['c9.io'], namespace: 'ns-a', created: '2025-01-01T00:00:00Z'}),
      http('a', {hostnames: ['c9.io'], namespace: 'ns-b', created: '2025-01-01T00:00:00Z'}),
      // 10. first rule in list order, then first match in the rule
      http('c10', {hostnames: ['c10.io'], rules: '[{matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: first, port: 80}]}, {matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: second, port: 80}]}]'}),
      // the order of the criteria: path length before method, method before headers, headers before query
      http('o-long', {hostnames: ['order.io'], match: '{path: {type: PathPrefix, value: /a/b}}'}),
      http('o-method', {hostnames: ['order.io'], match: '{path: {type: PathPrefix, value: /a}, method: GET, headers: [{name: x-a, value: "1"}, {name: x-b, value: "2"}]}', created: '2025-01-01T00:00:00Z'}),
      http('o-header', {hostnames: ['order2.io'], match: '{headers: [{name: x-a, value: "1"}]}'}),
      http('o-method2', {hostnames: ['order2.io'], match: '{method: GET}'}),
      http('o-query', {hostnames: ['order3.io'], match: '{queryParams: [{name: a, value: "1"}, {name: b, value: "1"}]}', created: '2025-01-01T00:00:00Z'}),
      http('o-header2', {hostnames: ['order3.io'], match: '{headers: [{name: x-a, value: "1"}]}'}),
      ...services('default', ['svc', 'first', 'second']),
      ...services('ns-a', ['svc']),
      ...services('ns-b', ['svc']),
    ])
  })
  const h = (host: string, path = '/', extra: Partial<HttpRequest> = {}) => http(host, path, extra)
  const both = {headers: [['x-a', '1'], ['x-b', '2']] as Array<[string, string]>}
  runCases(() => table, [
    {
      what: '1. a longer non-wildcard hostname beats an Exact path on a wildcard hostname (§8.2 (1), §12 case 6)',
      query: h('shop.c1.io', '/cart'),
      expect: {matched: true, route: 'HTTPRoute default/c1-precise'},
      trace: [
        {step: 'route', candidate: 'HTTPRoute default/c1-precise', result: 'chosen', why: /rule 0 matches GET \/cart with hostname shop\.c1\.io/},
        {step: 'route', candidate: 'HTTPRoute default/c1-wild', result: 'lost', why: /HTTPRoute default\/c1-precise rule 0 wins with a longer non-wildcard hostname/},
      ],
    },
    {
      what: '2. a longer (wildcard) hostname beats a shorter one with an Exact path (§8.2 (2))',
      query: h('a.b.c2.io', '/x'),
      expect: {matched: true, route: 'HTTPRoute default/c2-deep'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c2-shallow', result: 'lost', why: /c2-deep rule 0 wins with a longer hostname/}],
    },
    {
      what: '2. any hostname beats no hostname (length 0) (§8.2 (2))',
      query: h('a.b.c2.io', '/only-c2-none'),
      expect: {matched: true, route: 'HTTPRoute default/c2-deep'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c2-none', result: 'lost', why: /c2-deep rule 0 wins with a longer hostname/}],
    },
    {
      what: '3. an Exact path beats PathPrefix and RegularExpression of older routes (§8.2 (3))',
      query: h('c3.io', '/p'),
      expect: {matched: true, route: 'HTTPRoute default/c3-exact'},
      trace: [
        {step: 'route', candidate: 'HTTPRoute default/c3-prefix', result: 'lost', why: /c3-exact rule 0 wins with a stronger path match type/},
        {step: 'route', candidate: 'HTTPRoute default/c3-regex', result: 'lost', why: /c3-exact rule 0 wins with a stronger path match type/},
      ],
    },
    {
      what: '3. without an Exact match, RegularExpression ranks above PathPrefix (IMPL, documented in http-match.ts)',
      query: h('c3.io', '/pq'),
      expect: {matched: true, route: 'HTTPRoute default/c3-regex'},
      trace: [
        {step: 'route', candidate: 'HTTPRoute default/c3-exact', result: 'skipped', why: /no rule matches GET \/pq/},
        {step: 'route', candidate: 'HTTPRoute default/c3-prefix', result: 'skipped', why: /no rule matches GET \/pq/},
      ],
    },
    {
      what: '4. the longest PathPrefix wins over an older shorter one (§8.2 (4))',
      query: h('c4.io', '/a/b/c'),
      expect: {matched: true, route: 'HTTPRoute default/c4-long'},
      trace: [
        {step: 'route', candidate: 'HTTPRoute default/c4-short', result: 'lost', why: /c4-long rule 0 wins with a longer path/},
        {step: 'route', candidate: 'HTTPRoute default/c4-slash', result: 'lost', why: /c4-long rule 0 wins with a longer path/},
      ],
    },
    {
      what: '4. /a/ and /a have the same normalised length; the raw value breaks the tie (SILENT, §8.2 note)',
      query: h('c4.io', '/a/x'),
      expect: {matched: true, route: 'HTTPRoute default/c4-slash'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c4-short', result: 'lost', why: /c4-slash rule 0 wins with a longer path/}],
    },
    {
      what: '5. a method match beats none (§8.2 (5))',
      query: h('c5.io'),
      expect: {matched: true, route: 'HTTPRoute default/c5-method'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c5-plain', result: 'lost', why: /c5-method rule 0 wins with a method match/}],
    },
    {
      what: '5. a method that does not match leaves the plain route (§8.1)',
      query: h('c5.io', '/', {method: 'POST'}),
      expect: {matched: true, route: 'HTTPRoute default/c5-plain'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c5-method', result: 'skipped', why: /no rule matches POST \//}],
    },
    {
      what: '6. most header matches wins; a name listed twice counts once (§8.1, §8.2 (6))',
      query: h('c6.io', '/', both),
      expect: {matched: true, route: 'HTTPRoute default/c6-two'},
      trace: [
        {step: 'route', candidate: 'HTTPRoute default/c6-one', result: 'lost', why: /c6-two rule 0 wins with more header matches/},
        {step: 'route', candidate: 'HTTPRoute default/c6-repeated', result: 'lost', why: /c6-two rule 0 wins with more header matches/},
      ],
    },
    {
      what: '6. one header each (x-a twice counts once): the older route wins (§8.2 (6), (8))',
      query: h('c6.io', '/', {headers: [['x-a', '1']]}),
      expect: {matched: true, route: 'HTTPRoute default/c6-one'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c6-repeated', result: 'lost', why: /c6-one wins: default\/c6-one is older/}],
    },
    {
      what: '7. most query parameter matches wins (§8.2 (7))',
      query: h('c7.io', '/', {query: [['v', '1']]}),
      expect: {matched: true, route: 'HTTPRoute default/c7-query'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c7-plain', result: 'lost', why: /c7-query rule 0 wins with more query parameter matches/}],
    },
    {
      what: '8. identical matches: the oldest route wins (§8.2 (8))',
      query: h('c8.io'),
      expect: {matched: true, route: 'HTTPRoute default/c8-old'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c8-new', result: 'lost', why: /c8-old wins: default\/c8-old is older \(creationTimestamp 2025-01-01T00:00:00Z < 2025-06-01T00:00:00Z\)/}],
    },
    {
      what: '9. identical timestamps: namespace/name alphabetical, ns-a/z before ns-b/a (§8.2 (9), §12 case 7)',
      query: h('c9.io'),
      expect: {matched: true, route: 'HTTPRoute ns-a/z'},
      trace: [{step: 'route', candidate: 'HTTPRoute ns-b/a', result: 'lost', why: /same creationTimestamp, and ns-a\/z sorts before ns-b\/a/}],
    },
    {
      what: '10. within one route, the first matching rule wins (§8.2 (10))',
      query: h('c10.io'),
      expect: {matched: true, route: 'HTTPRoute default/c10', rule: 0, backends: ['default/first:80=100%']},
      trace: [{step: 'route', candidate: 'HTTPRoute default/c10', result: 'chosen', why: /^rule 0 matches GET \//}],
    },
    {
      what: 'order: a longer PathPrefix outranks a method and two headers (§8.2 (4) before (5), (6))',
      query: h('order.io', '/a/b', both),
      expect: {matched: true, route: 'HTTPRoute default/o-long'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/o-method', result: 'lost', why: /o-long rule 0 wins with a longer path/}],
    },
    {
      what: 'order: a method match outranks a header match (§8.2 (5) before (6))',
      query: h('order2.io', '/', {headers: [['x-a', '1']]}),
      expect: {matched: true, route: 'HTTPRoute default/o-method2'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/o-header', result: 'lost', why: /o-method2 rule 0 wins with a method match/}],
    },
    {
      what: 'order: one header match outranks two query matches (§8.2 (6) before (7))',
      query: h('order3.io', '/', {headers: [['x-a', '1']], query: [['a', '1'], ['b', '1']]}),
      expect: {matched: true, route: 'HTTPRoute default/o-header2'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/o-query', result: 'lost', why: /o-header2 rule 0 wins with more header matches/}],
    },
  ])
})

describe('gatewayapi/decide: SEMANTICS.md §12 tricky cases 1, 2, 5, 6, 7, 15', () => {
  describe('case 1: wildcard × wildcard', () => {
    let table: RoutingTable
    before(() => {
      table = compileDocuments([
        gateway('gw', ['{name: wild, port: 80, protocol: HTTP, hostname: "*.example.com"}']),
        route('HTTPRoute', 'com', {hostnames: ['*.com'], rules: '[{backendRefs: [{name: web, port: 80}]}]'}),
        ...services('default', ['web']),
      ])
    })
    runCases(() => table, [
      {
        what: 'route *.com on listener *.example.com serves a.b.example.com through the intersected *.example.com (§12 case 1, §1.3)',
        query: http('a.b.example.com'),
        expect: {matched: true, listener: 'wild', route: 'HTTPRoute default/com', backends: ['default/web:80=100%']},
        trace: [{step: 'route', candidate: 'HTTPRoute default/com', result: 'chosen', why: /with hostname \*\.example\.com$/}],
      },
      {
        what: 'the apex example.com is not served: 404 (§12 case 1)',
        query: http('example.com'),
        expect: {matched: false, httpStatus: 404, backends: []},
        trace: [{step: 'listener', candidate: "listener 'wild'", result: 'skipped', why: /hostname \*\.example\.com does not match example\.com/}],
      },
      {
        what: 'a name under *.com but outside the listener (www.other.com) is not served: 404 (§1.3)',
        query: http('www.other.com'),
        expect: {matched: false, httpStatus: 404},
        trace: [{step: 'listener', candidate: "listener 'wild'", result: 'skipped', why: /does not match www\.other\.com/}],
      },
    ])
  })

  describe('case 2: partial hostname intersection', () => {
    let table: RoutingTable
    before(() => {
      table = compileDocuments([
        gateway('gw', ['{name: shop, port: 80, protocol: HTTP, hostname: "*.shop.io"}', '{name: any, port: 80, protocol: HTTP}']),
        route('HTTPRoute', 'api', {parentRefs: '[{name: gw, sectionName: shop}]', hostnames: ['api.shop.io', 'api.shop.dev'], rules: '[{backendRefs: [{name: web, port: 80}]}]'}),
        ...services('default', ['web']),
      ])
    })
    runCases(() => table, [
      {
        what: 'api.shop.io, the intersecting hostname, is served (§12 case 2)',
        query: http('api.shop.io'),
        expect: {matched: true, listener: 'shop', route: 'HTTPRoute default/api'},
        trace: [{step: 'route', candidate: 'HTTPRoute default/api', result: 'chosen', why: /with hostname api\.shop\.io/}],
      },
      {
        what: 'api.shop.dev, listed by the route but outside the listener, is never programmed: 404 on the other listener (§12 case 2)',
        query: http('api.shop.dev'),
        expect: {matched: false, listener: 'any', httpStatus: 404},
        trace: [{step: 'listener', candidate: "listener 'shop'", result: 'skipped', why: /does not match api\.shop\.dev/}],
      },
    ])
  })

  describe('case 5: listener isolation with shared routes', () => {
    const documents = (bSection: string) => [
      gateway('gw', ['{name: api, port: 80, protocol: HTTP, hostname: api.x.io}', '{name: wild, port: 80, protocol: HTTP, hostname: "*.x.io"}']),
      route('HTTPRoute', 'a', {parentRefs: '[{name: gw, sectionName: api}]', rules: '[{matches: [{path: {type: Exact, value: /v1}}], backendRefs: [{name: a, port: 80}]}]'}),
      route('HTTPRoute', 'b', {parentRefs: bSection, rules: '[{matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: b, port: 80}]}]'}),
      ...services('default', ['a', 'b']),
    ]
    let shared: RoutingTable
    let wildOnly: RoutingTable
    before(() => {
      shared = compileDocuments(documents('[{name: gw}]'))
      wildOnly = compileDocuments(documents('[{name: gw, sectionName: wild}]'))
    })
    runCases(() => shared, [
      {
        what: 'api.x.io /other is served by B through the api listener, B being attached to both (§12 case 5, §1.5)',
        query: http('api.x.io', '/other'),
        expect: {matched: true, listener: 'api', route: 'HTTPRoute default/b', backends: ['default/b:80=100%']},
        trace: [
          {step: 'listener', candidate: "listener 'wild'", result: 'lost', why: /less specific than api\.x\.io/},
          {step: 'route', candidate: 'HTTPRoute default/a', result: 'skipped', why: /no rule matches GET \/other/},
        ],
      },
      {
        what: 'api.x.io /v1: A (Exact) beats B (PathPrefix /) on the api listener (§8.2 (3))',
        query: http('api.x.io', '/v1'),
        expect: {matched: true, listener: 'api', route: 'HTTPRoute default/a'},
        trace: [{step: 'route', candidate: 'HTTPRoute default/b', result: 'lost', why: /HTTPRoute default\/a rule 0 wins with a stronger path match type/}],
      },
      {
        what: 'www.x.io /v1 uses only the wild listener\'s routes: A is not there, B serves (§1.5 isolation)',
        query: http('www.x.io', '/v1'),
        expect: {matched: true, listener: 'wild', route: 'HTTPRoute default/b'},
        trace: [
          {step: 'listener', candidate: "listener 'api'", result: 'skipped', why: /hostname api\.x\.io does not match www\.x\.io/},
          {step: 'route', candidate: 'HTTPRoute default/b', result: 'chosen', why: /rule 0 matches GET \/v1 with hostname \*\.x\.io/},
        ],
        absent: ['HTTPRoute default/a'],
      },
    ])
    runCases(() => wildOnly, [
      {
        what: 'B attached only to the wild listener: api.x.io /other gets 404, no fall-through to *.x.io (§12 case 5, §1.5)',
        query: http('api.x.io', '/other'),
        expect: {matched: false, listener: 'api', httpStatus: 404, backends: []},
        absent: ['HTTPRoute default/b'],
        reason: /no HTTPRoute rule on listener 'api' .* matches api\.x\.io GET \/other: the gateway answers 404/,
        trace: [
          {step: 'listener', candidate: "listener 'api'", result: 'chosen', why: /hostname api\.x\.io matches/},
          {step: 'route', candidate: 'HTTPRoute default/a', result: 'skipped', why: /no rule matches GET \/other/},
        ],
      },
    ])
  })

  describe('case 7: tie-breaks', () => {
    const documents = (first: {header: boolean; created: string; namespace: string; name: string}, second: {created: string; namespace: string; name: string}) => [
      gateway('gw', ['{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}']),
      route('HTTPRoute', first.name, {namespace: first.namespace, created: first.created, hostnames: ['t.io'],
        rules: `[{matches: [{path: {type: PathPrefix, value: /p}${first.header ? ', headers: [{name: x-tie, value: "1"}]' : ''}}], backendRefs: [{name: svc, port: 80}]}]`}),
      route('HTTPRoute', second.name, {namespace: second.namespace, created: second.created, hostnames: ['t.io'],
        rules: '[{matches: [{path: {type: PathPrefix, value: /p}}], backendRefs: [{name: svc, port: 80}]}]'}),
      ...services(first.namespace, ['svc']), ...services(second.namespace, ['svc']),
    ]
    const variants = [
      {
        what: 'the route with a header match beats an older identical one (§12 case 7)',
        documents: documents({header: true, created: '2025-06-01T00:00:00Z', namespace: 'default', name: 'with-header'}, {created: '2025-01-01T00:00:00Z', namespace: 'default', name: 'plain'}),
        winner: 'HTTPRoute default/with-header', loser: 'HTTPRoute default/plain', why: /with-header rule 0 wins with more header matches/,
      },
      {
        what: 'identical routes: the older creationTimestamp wins (§12 case 7)',
        documents: documents({header: false, created: '2025-06-01T00:00:00Z', namespace: 'default', name: 'newer'}, {created: '2025-01-01T00:00:00Z', namespace: 'default', name: 'older'}),
        winner: 'HTTPRoute default/older', loser: 'HTTPRoute default/newer', why: /default\/older is older/,
      },
      {
        what: 'identical timestamps: ns-a/z beats ns-b/a (§12 case 7)',
        documents: documents({header: false, created: '2025-01-01T00:00:00Z', namespace: 'ns-b', name: 'a'}, {created: '2025-01-01T00:00:00Z', namespace: 'ns-a', name: 'z'}),
        winner: 'HTTPRoute ns-a/z', loser: 'HTTPRoute ns-b/a', why: /same creationTimestamp, and ns-a\/z sorts before ns-b\/a/,
      },
    ]
    for (const variant of variants) {
      it(variant.what, () => {
        const decision = decideOne(compileDocuments(variant.documents), http('t.io', '/p/q', {headers: [['x-tie', '1']]}))
        assert.equal(viewDecision(decision).route, variant.winner, `${variant.what}: winner`)
        assertTrace(decision, [{step: 'route', candidate: variant.loser, result: 'lost', why: variant.why}], variant.what)
      })
    }
  })

  describe('case 15: counting and weights — invalid backends keep their share (§5.3)', () => {
    const documents = (aWeight: number) => [
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}', '{name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}']),
      route('HTTPRoute', 'web', {parentRefs: '[{name: gw, sectionName: http}, {name: gw, namespace: default, sectionName: http}]',
        rules: `[{backendRefs: [{name: a, port: 80, weight: ${aWeight}}, {name: b, port: 80, weight: 1}]}]`}),
      route('TLSRoute', 'pass', {parentRefs: '[{name: gw, sectionName: tls}]', hostnames: ['pass.io'],
        rules: `[{backendRefs: [{name: a, port: 80, weight: ${aWeight}}, {name: b, port: 80, weight: 1}]}]`}),
      ...services('default', ['a']),
    ]
    let weighted: RoutingTable
    let zeroed: RoutingTable
    before(() => {
      weighted = compileDocuments(documents(3))
      zeroed = compileDocuments(documents(0))
    })
    runCases(() => weighted, [
      {
        what: 'HTTP: a (3, valid) and b (1, Service missing) → 75 % / 25 %, the request still matches (§12 case 15, §5.3)',
        query: http('any.io'),
        expect: {matched: true, route: 'HTTPRoute default/web', backends: ['default/a:80=75%', 'default/b:80=25% invalid']},
        trace: [
          {step: 'backend', candidate: 'Service default/a:80', result: 'chosen', why: /^75% of connections \(weight 3 of 4\)/},
          {step: 'backend', candidate: 'Service default/b:80', result: 'skipped', why: /^invalid, its 25% share fails: /},
        ],
      },
      {
        what: 'TLS: the TLSRoute analogue rejects 25 % of connections instead (§12 case 15, §5.3)',
        query: tls('pass.io'),
        expect: {matched: true, route: 'TLSRoute default/pass', backends: ['default/a:80=75%', 'default/b:80=25% invalid']},
        trace: [{step: 'backend', candidate: 'Service default/b:80', result: 'skipped', why: /^invalid, its 25% share fails/}],
      },
    ])
    runCases(() => zeroed, [
      {
        what: 'HTTP: a set to weight 0 leaves only the invalid b: every request gets 500 (§12 case 15)',
        query: http('any.io'),
        expect: {matched: false, route: 'HTTPRoute default/web', httpStatus: 500, backends: ['default/a:80=0%', 'default/b:80=100% invalid']},
        reason: /matched but has no valid backend: the gateway answers 500/,
        trace: [
          {step: 'backend', candidate: 'Service default/a:80', result: 'skipped', why: /^0% of connections \(weight 0 of 1\)/},
          {step: 'backend', candidate: 'Service default/b:80', result: 'skipped', why: /^invalid, its 100% share fails/},
        ],
      },
      {
        what: 'TLS: every connection is rejected, no HTTP status (§12 case 15, §5.3)',
        query: tls('pass.io'),
        expect: {matched: false, route: 'TLSRoute default/pass', backends: ['default/a:80=0%', 'default/b:80=100% invalid']},
        trace: [{step: 'backend', candidate: 'Service default/b:80', result: 'skipped', why: /^invalid, its 100% share fails/}],
        reason: /matched but has no valid backend: the connection is rejected/,
      },
    ])
    it('the route with two parentRefs to the same listener is counted once there (§12 case 15, §4.5)', () => {
      const listener = weighted.binding.gateways[0].listeners.find((candidate) => candidate.spec.name === 'http')
      assert.equal(listener?.attachedRoutes, 1, 'attachedRoutes counts routes, not parentRefs')
      const decision = decideOne(weighted, http('any.io'))
      assert.deepEqual(traceResults(decision, 'HTTPRoute default/web'), ['chosen'], 'the route is considered once, not once per parentRef')
    })
  })
})

describe('gatewayapi/decide: GRPCRoute precedence and matching (§8.3)', () => {
  let table: RoutingTable
  before(() => {
    const grpc = (name: string, match: string | undefined, created = '2025-06-01T00:00:00Z', hostnames?: string[]) => route('GRPCRoute', name, {
      created, hostnames, rules: `[{${match === undefined ? '' : `matches: [${match}], `}backendRefs: [{name: ${name}, port: 50051}]}]`,
    })
    table = compileDocuments([
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      grpc('service-only', '{method: {service: pkg.Svc}}', '2025-01-01T00:00:00Z'),
      grpc('service-method', '{method: {service: pkg.Svc, method: Get}}'),
      grpc('method-only', '{method: {method: Get}}', '2025-01-01T00:00:00Z'),
      grpc('with-header', '{method: {service: pkg.Svc, method: Put}, headers: [{name: x-a, value: "1"}]}'),
      grpc('put', '{method: {service: pkg.Svc, method: Put}}', '2025-01-01T00:00:00Z'),
      grpc('catch-all', undefined, '2025-01-01T00:00:00Z'),
      grpc('hosted', '{method: {method: Del}}', '2025-06-01T00:00:00Z', ['grpc.example.com']),
      grpc('regex', '{method: {type: RegularExpression, service: "pkg\\\\.R.*"}}'),
      route('HTTPRoute', 'web', {created: '2025-01-01T00:00:00Z', rules: '[{backendRefs: [{name: web, port: 80}]}]'}),
      ...services('default', ['service-only:50051', 'service-method:50051', 'method-only:50051', 'with-header:50051', 'put:50051', 'catch-all:50051', 'hosted:50051', 'regex:50051', 'web']),
    ])
  })
  const g = (path: string, headers: Array<[string, string]> = [], host = 'any.io') => http(host, path, {method: 'POST', headers: [GRPC, ...headers]})
  runCases(() => table, [
    {
      what: 'service and method beat service alone, an older route (§8.3: method characters)',
      query: g('/pkg.Svc/Get'),
      expect: {matched: true, route: 'GRPCRoute default/service-method'},
      trace: [
        {step: 'route', candidate: 'GRPCRoute default/service-only', result: 'lost', why: /service-method rule 0 wins with a longer method/},
        {step: 'route', candidate: 'GRPCRoute default/method-only', result: 'lost', why: /service-method rule 0 wins with a longer service/},
        {step: 'route', candidate: 'GRPCRoute default/catch-all', result: 'lost', why: /service-method rule 0 wins with a longer service/},
      ],
    },
    {
      what: 'service characters come before method characters (§8.3 order)',
      query: g('/pkg.Svc/List'),
      expect: {matched: true, route: 'GRPCRoute default/service-only'},
      trace: [{step: 'route', candidate: 'GRPCRoute default/method-only', result: 'skipped', why: /no rule matches POST \/pkg\.Svc\/List/}],
    },
    {
      what: 'a method match alone beats the rule without matches (§8.3)',
      query: g('/other.Svc/Get'),
      expect: {matched: true, route: 'GRPCRoute default/method-only'},
      trace: [{step: 'route', candidate: 'GRPCRoute default/catch-all', result: 'lost', why: /method-only rule 0 wins with a longer method/}],
    },
    {
      what: 'more header matches win after service and method tie (§8.3)',
      query: g('/pkg.Svc/Put', [['x-a', '1']]),
      expect: {matched: true, route: 'GRPCRoute default/with-header'},
      trace: [{step: 'route', candidate: 'GRPCRoute default/put', result: 'lost', why: /with-header rule 0 wins with more header matches/}],
    },
    {
      what: 'a hostname beats every hostname-less route (§8.3: hostname first)',
      query: g('/pkg.Svc/Del', [], 'grpc.example.com'),
      expect: {matched: true, route: 'GRPCRoute default/hosted'},
      trace: [{step: 'route', candidate: 'GRPCRoute default/service-only', result: 'lost', why: /hosted rule 0 wins with a longer non-wildcard hostname/}],
    },
    {
      what: 'RegularExpression service matches the whole service name (§8.3)',
      query: g('/pkg.Reports/Run'),
      expect: {matched: true, route: 'GRPCRoute default/regex'},
      trace: [
        {step: 'route', candidate: 'GRPCRoute default/regex', result: 'chosen', why: /^rule 0 matches POST \/pkg\.Reports\/Run/},
        {step: 'route', candidate: 'GRPCRoute default/service-only', result: 'skipped', why: /no rule matches POST \/pkg\.Reports\/Run/},
      ],
    },
    {
      what: 'a rule without matches takes every other gRPC request (§8.3, §0 defaults)',
      query: g('/x.Y/Z'),
      expect: {matched: true, route: 'GRPCRoute default/catch-all'},
      trace: [{step: 'route', candidate: 'GRPCRoute default/service-only', result: 'skipped', why: /no rule matches POST \/x\.Y\/Z/}],
    },
    {
      what: 'a request that is not gRPC never reaches a GRPCRoute, nor gRPC an HTTPRoute (§4.7: no merging)',
      query: http('any.io', '/pkg.Svc/Get', {method: 'POST'}),
      expect: {matched: true, route: 'HTTPRoute default/web'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/web', result: 'chosen', why: /^rule 0 matches POST \/pkg\.Svc\/Get/}],
      absent: ['GRPCRoute'],
    },
  ])
})

describe('gatewayapi/decide: gRPC and HTTP routes are never merged (§4.7, §8.3)', () => {
  it('a gRPC request that no GRPCRoute matches is not served by the catch-all HTTPRoute: gRPC status 12 UNIMPLEMENTED (§1.5)', () => {
    const table = compileDocuments([
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      route('GRPCRoute', 'svc', {rules: '[{matches: [{method: {service: pkg.Svc}}], backendRefs: [{name: svc, port: 80}]}]'}),
      route('HTTPRoute', 'web', {rules: '[{backendRefs: [{name: svc, port: 80}]}]'}),
      ...services('default', ['svc']),
    ])
    const decision = decideOne(table, http('any.io', '/other.Svc/Get', {method: 'POST', headers: [GRPC]}))
    assert.deepEqual(viewDecision(decision), {matched: false, listener: 'http', backends: []}, 'no GRPCRoute matches')
    assert.equal(decision.grpcStatus, 12, 'gRPC Unimplemented, not an HTTP 404')
    assertTrace(decision, [{step: 'route', candidate: 'GRPCRoute default/svc', result: 'skipped', why: /^no rule matches POST \/other\.Svc\/Get/}], 'gRPC miss')
    assert.deepEqual(traceResults(decision, 'HTTPRoute default/web'), [], 'the HTTPRoute is not a candidate for gRPC')
    assert.match(decision.reason, /no GRPCRoute rule on listener 'http'/, 'the reason names the route kind')
  })
})

describe('gatewayapi/decide: path, header, query and method matching (§8.1)', () => {
  let table: RoutingTable
  before(() => {
    const one = (host: string, match: string) => route('HTTPRoute', host.replaceAll('.', '-'), {hostnames: [host], rules: `[{matches: [${match}], backendRefs: [{name: web, port: 80}]}]`})
    table = compileDocuments([
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      one('exact.io', '{path: {type: Exact, value: /abc}}'),
      one('prefix.io', '{path: {type: PathPrefix, value: /abc}}'),
      one('slash.io', '{path: {type: PathPrefix, value: /abc/}}'),
      one('root.io', '{path: {type: PathPrefix, value: /}}'),
      one('regex.io', '{path: {type: RegularExpression, value: "/a.c"}}'),
      one('header.io', '{headers: [{name: X-Canary, value: "true"}]}'),
      one('header-regex.io', '{headers: [{type: RegularExpression, name: x-version, value: "v[0-9]+"}]}'),
      one('header-twice.io', '{headers: [{name: x-a, value: "1"}, {name: x-a, value: "2"}]}'),
      one('query.io', '{queryParams: [{name: v, value: "1"}]}'),
      one('query-twice.io', '{queryParams: [{name: v, value: "1"}, {name: v, value: "2"}]}'),
      one('method.io', '{method: POST}'),
      one('and.io', '{path: {type: PathPrefix, value: /api}, method: GET, headers: [{name: x-a, value: "1"}]}'),
      route('HTTPRoute', 'any-of', {hostnames: ['or.io'], rules: '[{matches: [{path: {type: Exact, value: /one}}, {path: {type: Exact, value: /two}}], backendRefs: [{name: web, port: 80}]}]'}),
      ...services('default', ['web']),
    ])
  })
  const MATCH_CASES: Array<[string, string, Partial<HttpRequest>, boolean, string]> = [
    ['exact.io', '/abc', {}, true, 'Exact: equal path'],
    ['exact.io', '/abc/', {}, false, 'Exact: /abc ≠ /abc/'],
    ['exact.io', '/ABC', {}, false, 'Exact: case-sensitive'],
    ['prefix.io', '/abc', {}, true, 'PathPrefix /abc matches /abc'],
    ['prefix.io', '/abc/', {}, true, 'PathPrefix /abc matches /abc/'],
    ['prefix.io', '/abc/def', {}, true, 'PathPrefix /abc matches /abc/def'],
    ['prefix.io', '/abcd', {}, false, 'PathPrefix is element-wise: /abc does not match /abcd'],
    ['prefix.io', '/Abc', {}, false, 'PathPrefix: case-sensitive'],
    ['slash.io', '/abc', {}, true, 'PathPrefix /abc/: the trailing slash is ignored, /abc matches'],
    ['slash.io', '/abc/def', {}, true, 'PathPrefix /abc/ matches /abc/def'],
    ['slash.io', '/abcd', {}, false, 'PathPrefix /abc/ does not match /abcd'],
    ['root.io', '/anything/at/all', {}, true, 'PathPrefix / matches everything'],
    ['regex.io', '/abc', {}, true, 'RegularExpression /a.c matches /abc'],
    ['regex.io', '/abcd', {}, false, 'RegularExpression is anchored at the end: not /abcd'],
    ['regex.io', '/x/abc', {}, false, 'RegularExpression is anchored at the start: not /x/abc'],
    ['header.io', '/', {headers: [['x-canary', 'true']]}, true, 'header names are case-insensitive (X-Canary)'],
    ['header.io', '/', {headers: [['x-canary', 'TRUE']]}, false, 'header values are exact'],
    ['header.io', '/', {}, false, 'a missing header does not match'],
    ['header-regex.io', '/', {headers: [['x-version', 'v12']]}, true, 'RegularExpression header value, whole value'],
    ['header-regex.io', '/', {headers: [['x-version', 'v12-beta']]}, false, 'RegularExpression header value is anchored'],
    ['header-twice.io', '/', {headers: [['x-a', '1']]}, true, 'a header name listed twice: only the first entry counts'],
    ['header-twice.io', '/', {headers: [['x-a', '2']]}, false, 'a header name listed twice: the second entry is ignored'],
    ['query.io', '/', {query: [['v', '1']]}, true, 'query parameter exact match'],
    ['query.io', '/', {query: [['V', '1']]}, false, 'query parameter names are case-sensitive'],
    ['query.io', '/', {query: [['v', '1'], ['v', '2']]}, true, 'a repeated request parameter: the first value is used'],
    ['query.io', '/', {query: [['v', '2'], ['v', '1']]}, false, 'a repeated request parameter: later values are ignored'],
    ['query-twice.io', '/', {query: [['v', '1']]}, true, 'a query name listed twice in the match: only the first entry counts'],
    ['method.io', '/', {method: 'POST'}, true, 'method exact'],
    ['method.io', '/', {method: 'GET'}, false, 'another method does not match'],
    ['and.io', '/api/x', {headers: [['x-a', '1']]}, true, 'the predicates of one match are ANDed: all hold'],
    ['and.io', '/api/x', {method: 'POST', headers: [['x-a', '1']]}, false, 'the predicates of one match are ANDed: method fails'],
    ['and.io', '/web', {headers: [['x-a', '1']]}, false, 'the predicates of one match are ANDed: path fails'],
    ['or.io', '/two', {}, true, 'the matches of a rule are ORed: the second one matches'],
  ]
  for (const [host, path, extra, matched, what] of MATCH_CASES) {
    it(`${host} ${extra.method ?? 'GET'} ${path}: ${what} (§8.1)`, () => {
      const decision = decideOne(table, http(host, path, extra))
      const routeName = `HTTPRoute default/${host === 'or.io' ? 'any-of' : host.replaceAll('.', '-')}`
      assert.equal(decision.matched, matched, `${what}: matched (reason: ${decision.reason})`)
      if (matched) {
        assert.equal(viewDecision(decision).route, routeName, `${what}: route`)
        assertTrace(decision, [{step: 'route', candidate: routeName, result: 'chosen', why: /^rule 0 matches /}], what)
      } else {
        assert.equal(decision.httpStatus, 404, `${what}: no rule matches → 404 (§8.2)`)
        assertTrace(decision, [{step: 'route', candidate: routeName, result: 'skipped', why: /^no rule matches /}], what)
      }
    })
  }
})

describe('gatewayapi/decide: HTTPS misdirected requests, 421 and 404 (§1.5)', () => {
  let table: RoutingTable
  before(() => {
    table = compileDocuments([
      gateway('gw', [
        '{name: a, port: 443, protocol: HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: a-tls}]}}',
        '{name: wild, port: 443, protocol: HTTPS, hostname: "*.example.com", tls: {certificateRefs: [{name: wild-tls}]}}',
        '{name: open, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: wild-tls}]}}',
        '{name: b, port: 8443, protocol: HTTPS, hostname: b.example.com, tls: {certificateRefs: [{name: a-tls}]}}',
      ]),
      route('HTTPRoute', 'web', {rules: '[{backendRefs: [{name: web, port: 80}]}]'}),
      tlsSecret('a-tls'), tlsSecret('wild-tls'),
      ...services('default', ['web']),
    ])
  })
  runCases(() => table, [
    {
      what: 'SNI and Host select the same listener: served, with that listener\'s certificate',
      query: https('a.example.com', 'a.example.com'),
      expect: {matched: true, listener: 'a', route: 'HTTPRoute default/web', certificate: 'default/a-tls'},
      trace: [
        {step: 'listener', candidate: "listener 'wild'", result: 'lost', why: /less specific than a\.example\.com/},
        {step: 'certificate', candidate: 'Secret default/a-tls', result: 'chosen', why: /first usable certificateRef of listener 'a'/},
        {step: 'route', candidate: 'HTTPRoute default/web', result: 'chosen', why: /with hostname a\.example\.com$/},
      ],
    },
    {
      what: 'Host keeps its port and case: still the same listener (§1.2: port ignored, lower-cased)',
      query: https('a.example.com', 'A.Example.com:443'),
      expect: {matched: true, listener: 'a'},
      trace: [{step: 'route', candidate: 'HTTPRoute default/web', result: 'chosen', why: /with hostname a\.example\.com$/}],
    },
    {
      what: 'SNI on the wildcard listener, Host of the exact listener: 421 (§1.5)',
      query: https('b.example.com', 'a.example.com'),
      expect: {matched: false, listener: 'wild', httpStatus: 421, certificate: 'default/wild-tls', backends: []},
      trace: [{step: 'listener', candidate: "listener 'a'", result: 'skipped', why: /^Host a\.example\.com belongs to listener 'a' .*, but the TLS connection was made for SNI b\.example\.com on listener 'wild' .*\(misdirected request\)$/}],
    },
    {
      what: 'SNI on the exact listener, Host that only the wildcard listener matches: 421 (§1.5)',
      query: https('a.example.com', 'c.example.com'),
      expect: {matched: false, listener: 'a', httpStatus: 421},
      trace: [{step: 'listener', candidate: "listener 'wild'", result: 'skipped', why: /belongs to listener 'wild'/}],
    },
    {
      what: 'Host that no listener matches: 404 (§1.5 MUST)',
      query: https('a.example.com', 'other.org'),
      expect: {matched: false, listener: 'a', httpStatus: 404, certificate: 'default/a-tls'},
      trace: [{step: 'listener', candidate: "listener 'a'", result: 'skipped', why: /Host other\.org matches no listener on port 443/}],
    },
    {
      what: 'no SNI: the hostname-less listener answers and the Host header picks the route (§1.6)',
      query: https('', 'c.example.com', '/', 8443),
      expect: {matched: true, listener: 'open', certificate: 'default/wild-tls'},
      trace: [
        {step: 'listener', candidate: "listener 'b'", result: 'skipped', why: /needs an SNI and none was sent/},
        {step: 'listener', candidate: "listener 'open'", result: 'chosen', why: /has no hostname/},
        {step: 'route', candidate: 'HTTPRoute default/web', result: 'chosen', why: /with hostname \(any\)$/},
      ],
    },
    {
      what: 'no SNI, but the Host belongs to a more specific listener: 421 (§1.5)',
      query: https('', 'b.example.com', '/', 8443),
      expect: {matched: false, listener: 'open', httpStatus: 421},
      trace: [{step: 'listener', candidate: "listener 'b'", result: 'skipped', why: /^Host b\.example\.com belongs to listener 'b' .* made for no SNI on listener 'open' .*\(misdirected request\)$/}],
    },
    {
      what: 'no SNI and no hostname-less listener: the handshake finds no listener (§1.5)',
      query: https('', 'a.example.com'),
      expect: {matched: false, backends: []},
      trace: [{step: 'listener', candidate: "listener 'a'", result: 'skipped', why: /needs an SNI and none was sent/}],
    },
  ])
})

describe('gatewayapi/decide: weights as shares of the rule (§5.4) and invalid backends (§5.3)', () => {
  let table: RoutingTable
  before(() => {
    const rule = (host: string, backends: string) => route('HTTPRoute', host.replaceAll('.', '-'), {hostnames: [host], rules: `[{backendRefs: [${backends}]}]`})
    table = compileDocuments([
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      rule('canary.io', '{name: stable, port: 80, weight: 90}, {name: canary, port: 80, weight: 10}'),
      rule('thirds.io', '{name: stable, port: 80}, {name: canary, port: 80}, {name: third, port: 80}'),
      rule('raw.io', '{name: stable, port: 80, weight: 3}, {name: canary, port: 80, weight: 1}'),
      rule('off.io', '{name: stable, port: 80, weight: 1}, {name: canary, port: 80, weight: 0}'),
      rule('zero.io', '{name: stable, port: 80, weight: 0}, {name: canary, port: 80, weight: 0}'),
      rule('denied.io', '{name: stable, port: 80}, {name: secret, namespace: other, port: 80}'),
      rule('badport.io', '{name: stable, port: 80}, {name: canary, port: 8080}'),
      route('HTTPRoute', 'empty', {hostnames: ['empty.io'], rules: '[{}]'}),
      route('HTTPRoute', 'redirect', {hostnames: ['redirect.io'], rules: '[{filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]}]'}),
      ...services('default', ['stable', 'canary', 'third']),
      ...services('other', ['secret']),
    ])
  })
  runCases(() => table, [
    {
      what: 'weights 90/10 are 90 % and 10 %',
      query: http('canary.io'),
      expect: {matched: true, backends: ['default/stable:80=90%', 'default/canary:80=10%']},
      trace: [
        {step: 'backend', candidate: 'Service default/stable:80', result: 'chosen', why: /^90% of connections \(weight 90 of 100\)/},
        {step: 'backend', candidate: 'Service default/canary:80', result: 'chosen', why: /^10% of connections \(weight 10 of 100\)/},
      ],
    },
    {
      what: 'omitted weights are 1 each: thirds, two decimals',
      query: http('thirds.io'),
      expect: {matched: true, backends: ['default/stable:80=33.33%', 'default/canary:80=33.33%', 'default/third:80=33.33%']},
      trace: [{step: 'backend', candidate: 'Service default/third:80', result: 'chosen', why: /^33\.33% of connections \(weight 1 of 3\)/}],
    },
    {
      what: 'weights are relative, not percentages: 3 and 1 are 75 % and 25 %',
      query: http('raw.io'),
      expect: {matched: true, backends: ['default/stable:80=75%', 'default/canary:80=25%']},
      trace: [{step: 'backend', candidate: 'Service default/stable:80', result: 'chosen', why: /^75% of connections \(weight 3 of 4\)/}],
    },
    {
      what: 'weight 0: no traffic to that entry, the other takes 100 %',
      query: http('off.io'),
      expect: {matched: true, backends: ['default/stable:80=100%', 'default/canary:80=0%']},
      trace: [{step: 'backend', candidate: 'Service default/canary:80', result: 'skipped', why: /^0% of connections \(weight 0 of 1\)/}],
    },
    {
      what: 'all weights 0: no backend, 500 (SILENT, recommended default)',
      query: http('zero.io'),
      expect: {matched: false, httpStatus: 500, backends: ['default/stable:80=0%', 'default/canary:80=0%']},
      reason: /matched but has every backend weight is 0: the gateway answers 500/,
      trace: [{step: 'backend', candidate: 'Service default/stable:80', result: 'skipped', why: /weight 0 of 0/}],
    },
    {
      what: 'a backend not permitted (no ReferenceGrant) keeps its 50 % share, which fails (§5.2, §5.3)',
      query: http('denied.io'),
      expect: {matched: true, backends: ['default/stable:80=50%', 'other/secret:80=50% invalid']},
      trace: [{step: 'backend', candidate: 'Service other/secret:80', result: 'skipped', why: /^invalid, its 50% share fails: /}],
    },
    {
      what: 'a Service port that does not exist makes the backend invalid, share kept (§5.2 (4))',
      query: http('badport.io'),
      expect: {matched: true, backends: ['default/stable:80=50%', 'default/canary:8080=50% invalid']},
      trace: [{step: 'backend', candidate: 'Service default/canary:8080', result: 'skipped', why: /^invalid, its 50% share fails/}],
    },
    {
      what: 'a rule without backendRefs and without a redirect: 500 (§5.3)',
      query: http('empty.io'),
      expect: {matched: false, route: 'HTTPRoute default/empty', httpStatus: 500, backends: []},
      trace: [{step: 'route', candidate: 'HTTPRoute default/empty', result: 'chosen', why: /^rule 0 matches GET \//}],
      reason: /rule 0 has no backendRefs: the gateway answers 500/,
    },
    {
      what: 'a RequestRedirect rule answers itself with its status code',
      query: http('redirect.io'),
      expect: {matched: true, route: 'HTTPRoute default/redirect', httpStatus: 301, backends: []},
      trace: [{step: 'route', candidate: 'HTTPRoute default/redirect', result: 'chosen', why: /^rule 0 matches GET \//}],
      reason: /redirects \(301\)/,
    },
  ])
})

describe('gatewayapi/decide: pickBackend distributes by weight (§5.3, §5.4)', () => {
  let table: RoutingTable
  before(() => {
    table = compileDocuments([
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      route('HTTPRoute', 'split', {hostnames: ['split.io'], rules: '[{backendRefs: [{name: a, port: 80, weight: 3}, {name: b, port: 80, weight: 1}]}]'}),
      route('HTTPRoute', 'broken', {hostnames: ['broken.io'], rules: '[{backendRefs: [{name: a, port: 80, weight: 1}, {name: gone, port: 80, weight: 1}]}]'}),
      route('HTTPRoute', 'zero', {hostnames: ['zero.io'], rules: '[{backendRefs: [{name: a, port: 80, weight: 0}, {name: b, port: 80, weight: 1}]}]'}),
      route('HTTPRoute', 'none', {hostnames: ['none.io'], rules: '[{backendRefs: [{name: a, port: 80, weight: 0}]}]'}),
      ...services('default', ['a', 'b']),
    ])
  })
  const backendsOf = (host: string) => decideOne(table, http(host)).backends
  const cases: Array<{what: string; host: string; random: number; expect: string | undefined}> = [
    {what: 'the start of the range goes to the first backend', host: 'split.io', random: 0, expect: 'a'},
    {what: 'just under 3/4 is still the first backend (weight 3 of 4)', host: 'split.io', random: 0.7499, expect: 'a'},
    {what: 'from 3/4 on, the second backend (weight 1 of 4)', host: 'split.io', random: 0.75, expect: 'b'},
    {what: 'the end of the range goes to the last backend', host: 'split.io', random: 0.9999, expect: 'b'},
    {what: 'an invalid backend is picked for its share: that request fails (§5.3)', host: 'broken.io', random: 0.6, expect: 'gone'},
    {what: 'a weight-0 backend is never picked', host: 'zero.io', random: 0, expect: 'b'},
    {what: 'all weights 0: nothing to pick', host: 'none.io', random: 0.5, expect: undefined},
  ]
  for (const entry of cases) {
    it(`${entry.host} random ${entry.random}: ${entry.what}`, () => {
      assert.equal(pickBackend(backendsOf(entry.host), entry.random)?.name, entry.expect, entry.what)
    })
  }
  it('1,000 evenly spread draws split exactly 750/250 for weights 3 and 1 (§5.4)', () => {
    const backends = backendsOf('split.io')
    const counts = new Map<string, number>()
    for (let i = 0; i < 1000; i++) {
      const name = pickBackend(backends, i / 1000)?.name ?? 'none'
      counts.set(name, (counts.get(name) ?? 0) + 1)
    }
    assert.deepEqual(Object.fromEntries(counts), {a: 750, b: 250}, 'shares follow the weights')
  })
  it('the invalid backend gets its share of draws: 500/500 (§5.3)', () => {
    const backends = backendsOf('broken.io')
    let failed = 0
    for (let i = 0; i < 1000; i++) if (pickBackend(backends, i / 1000)?.valid === false) failed++
    assert.equal(failed, 500, 'half of the requests go to the missing Service and fail')
  })
})
