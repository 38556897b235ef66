/**
 * Shadowed routes (issue 10 §9): rows of the routing table that never
 * receive traffic name who takes it; serve says the same at start. Each
 * verdict is checked against the decision function itself.
 */
import {strict as assert} from 'node:assert'
import {listRoutingTable} from '../../src/gatewayapi/routing-table.js'
import {renderRoutingTable} from '../../src/resolve/render-table.js'
import {DataPlane} from '../../src/serve/data-plane.js'
import {bindDocuments, compileDocuments, decideOne, gateway, request, route, services, tlsSecret, viewDecision} from './decide-support.js'

const tlsRoute = (name: string, hostnames: string[], created: string, backends: string) =>
  route('TLSRoute', name, {hostnames, created, rules: `[{backendRefs: ${backends}}]`})

describe('gatewayapi/shadowing', () => {
  it('a TLSRoute canary split that loses every hostname to an older route is marked with the winner (table rows, text, serve start-up)', () => {
    const documents = [
      gateway('gw', ['{name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}']),
      tlsRoute('main', ['app.example.com'], '2024-01-01T00:00:00Z', '[{name: app, port: 443}]'),
      tlsRoute('canary', ['app.example.com'], '2025-01-01T00:00:00Z', '[{name: app, port: 443, weight: 90}, {name: app-next, port: 443, weight: 10}]'),
      ...services('default', ['app:443', 'app-next:443']),
    ]
    const binding = bindDocuments(documents)
    const rows = listRoutingTable(binding)
    const canary = rows.find((row) => row.route?.name === 'canary')
    assert.deepEqual(canary?.shadowedBy?.route, {kind: 'TLSRoute', namespace: 'default', name: 'main'})
    assert.match(canary?.shadowedBy?.why ?? '', /^TLSRoute default\/main also claims app\.example\.com and wins \(same hostname app\.example\.com; .*older/)
    assert.equal(rows.find((row) => row.route?.name === 'main')?.shadowedBy, undefined, 'the winner is live')
    assert.deepEqual(JSON.parse(JSON.stringify(canary)).backends.map((backend: {weight: number}) => backend.weight), [90, 10], 'the row keeps its weights (json is additive)')

    const text = renderRoutingTable(rows)
    assert.match(text, /TLSRoute default\/canary \(shadowed\)/)
    assert.match(text, /\nshadowed: TLSRoute default\/canary on default\/gw listener tls \(port 443, app\.example\.com\) never receives traffic: TLSRoute default\/main also claims/)

    const decision = decideOne(compileDocuments(documents), {port: 443, transport: 'tls', sni: 'app.example.com', gateway: {namespace: 'default', name: 'gw'}})
    assert.equal(viewDecision(decision).route, 'TLSRoute default/main', 'the decision agrees')

    const plane = new DataPlane(binding, new Map(), {portMap: new Map()})
    assert.ok(plane.describeProblems().some((line) => /^Gateway default\/gw: TLSRoute default\/canary never receives traffic on listener 'tls' .* for app\.example\.com: TLSRoute default\/main also claims/.test(line)),
      'serve warns at start')
  })

  it('an HTTPRoute match that an older route with the same hostname and a wider prefix always takes is shadowed; a narrower or header-refined one is not', () => {
    const documents = [
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      route('HTTPRoute', 'catch-all', {hostnames: ['shop.io'], created: '2024-01-01T00:00:00Z', rules: '[{matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: a, port: 80}]}]'}),
      route('HTTPRoute', 'same-root', {hostnames: ['shop.io'], created: '2025-01-01T00:00:00Z', rules: '[{matches: [{path: {type: PathPrefix, value: /}}, {path: {type: PathPrefix, value: /cart}}, {path: {type: PathPrefix, value: /}, headers: [{name: x-beta, value: "1"}]}], backendRefs: [{name: b, port: 80}]}]'}),
      ...services('default', ['a', 'b']),
    ]
    const rows = listRoutingTable(bindDocuments(documents)).filter((row) => row.route?.name === 'same-root')
    assert.deepEqual(rows.map((row) => [row.match?.path, row.match?.headers.join(','), row.shadowedBy?.route?.name]), [
      ['/', '', 'catch-all'],
      ['/cart', '', undefined],
      ['/', 'x-beta', undefined],
    ])
    const table = compileDocuments(documents)
    const ask = (path: string, headers: Array<[string, string]> = []) => viewDecision(decideOne(table, {port: 80, transport: 'http', host: 'shop.io', request: request(path, {headers}), gateway: {namespace: 'default', name: 'gw'}})).route
    assert.equal(ask('/'), 'HTTPRoute default/catch-all', 'the shadowed match never wins')
    assert.equal(ask('/cart'), 'HTTPRoute default/same-root', 'the longer prefix is live')
    assert.equal(ask('/', [['x-beta', '1']]), 'HTTPRoute default/same-root', 'the header match is live')
  })

  it('a route hostname that a more specific listener on the same port takes is shadowed on the wildcard listener (listener isolation)', () => {
    const documents = [
      gateway('gw', [
        '{name: wildcard, port: 443, protocol: HTTPS, hostname: "*.example.com", tls: {certificateRefs: [{name: cert}]}}',
        '{name: api, port: 443, protocol: HTTPS, hostname: api.example.com, tls: {certificateRefs: [{name: cert}]}}',
      ]),
      route('HTTPRoute', 'api', {hostnames: ['api.example.com'], rules: '[{backendRefs: [{name: a, port: 80}]}]'}),
      tlsSecret('cert'),
      ...services('default', ['a']),
    ]
    const rows = listRoutingTable(bindDocuments(documents)).filter((row) => row.route?.name === 'api')
    assert.deepEqual(rows.map((row) => [row.listener, row.shadowedBy?.listener]), [['wildcard', 'api'], ['api', undefined]])
    assert.match(rows[0].shadowedBy?.why ?? '', /listener 'api' .* is more specific and takes every connection for api\.example\.com/)
  })

  it('TCPRoutes on one listener: the younger is shadowed by the older', () => {
    const rows = listRoutingTable(bindDocuments([
      gateway('gw', ['{name: tcp, port: 5432, protocol: TCP}']),
      route('TCPRoute', 'old', {created: '2024-01-01T00:00:00Z', rules: '[{backendRefs: [{name: db, port: 5432}]}]'}),
      route('TCPRoute', 'new', {created: '2025-01-01T00:00:00Z', rules: '[{backendRefs: [{name: db, port: 5432}]}]'}),
      ...services('default', ['db:5432']),
    ]))
    assert.deepEqual(rows.map((row) => [row.route?.name, row.shadowedBy?.route?.name]), [['old', undefined], ['new', 'old']])
  })
})
