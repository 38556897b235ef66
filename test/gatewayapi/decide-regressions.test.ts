/**
 * Engine bugs found by the decision-function tables, each pinned by the
 * smallest configuration that showed it (SEMANTICS.md sections cited).
 */
import {strict as assert} from 'node:assert'
import {listRoutingTable} from '../../src/gatewayapi/routing-table.js'
import {assertTrace, bindDocuments, compileDocuments, decideOne, gateway, request, route, services, viewDecision} from './decide-support.js'

const http = (host: string, path: string, headers: Array<[string, string]> = [], method = 'GET') => ({
  port: 80, transport: 'http' as const, host, request: request(path, {method, headers}), gateway: {namespace: 'default', name: 'gw'},
})

describe('gatewayapi/decide regressions', () => {
  it('a GRPCRoute that loses on service or method length is explained with §8.3 criteria, not HTTPRoute path ones', () => {
    const table = compileDocuments([
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      route('GRPCRoute', 'service', {created: '2025-01-01T00:00:00Z', rules: '[{matches: [{method: {service: pkg.Svc}}], backendRefs: [{name: svc, port: 80}]}]'}),
      route('GRPCRoute', 'method', {created: '2025-06-01T00:00:00Z', rules: '[{matches: [{method: {service: pkg.Svc, method: Get}}], backendRefs: [{name: svc, port: 80}]}]'}),
      ...services('default', ['svc']),
    ])
    const decision = decideOne(table, http('any.io', '/pkg.Svc/Get', [['content-type', 'application/grpc']], 'POST'))
    assert.equal(viewDecision(decision).route, 'GRPCRoute default/method', 'service + method beats service alone (§8.3)')
    assertTrace(decision, [{step: 'route', candidate: 'GRPCRoute default/service', result: 'lost', why: /^GRPCRoute default\/method rule 0 wins with a longer method$/}],
      'the loss names the gRPC criterion')
  })

  it('an HTTPRoute rule with `matches: []` matches every request, like an omitted matches (§0 defaults, HTTPRouteRule.Matches)', () => {
    const documents = [
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      route('HTTPRoute', 'empty-matches', {rules: '[{matches: [], backendRefs: [{name: svc, port: 80}]}]'}),
      ...services('default', ['svc']),
    ]
    const decision = decideOne(compileDocuments(documents), http('any.io', '/anything'))
    assert.deepEqual(viewDecision(decision), {matched: true, listener: 'http', route: 'HTTPRoute default/empty-matches', rule: 0, backends: ['default/svc:80=100%']},
      '"If no matches are specified, the default is a prefix path match on \'/\'"')
    const [row] = listRoutingTable(bindDocuments(documents))
    assert.deepEqual(row.match, {pathType: 'PathPrefix', path: '/', method: undefined, headers: [], queryParams: []}, 'the routing table shows the default match')
  })
})
