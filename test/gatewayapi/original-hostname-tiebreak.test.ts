/**
 * SEMANTICS.md §1.4 (SILENT, recommended default): precedence uses the
 * intersected hostname, then breaks ties on the route's original hostname
 * entry (more specific first), before age. Listener `*.apps.example.com`;
 * an older route `*.com` and a newer route `*.example.com` both intersect to
 * `*.apps.example.com`: the newer, more specific route wins — for TLSRoutes
 * and HTTPRoutes alike — and the shadowing warning names it.
 */
import {strict as assert} from 'node:assert'
import {originalRouteHostname} from '../../src/gatewayapi/hostname.js'
import {bindDocuments, compileDocuments, gateway, route} from './decide-support.js'

describe('original route hostname breaks ties on the intersected hostname (SEMANTICS.md §1.4)', () => {
  describe('originalRouteHostname', () => {
    const cases: Array<[string | undefined, string[], string, string, string]> = [
      ['*.apps.example.com', ['*.com', '*.example.com'], '*.apps.example.com', '*.example.com', 'the most specific source wins'],
      ['*.apps.example.com', ['a.apps.example.com'], 'a.apps.example.com', 'a.apps.example.com', 'a precise route hostname is its own source'],
      [undefined, [], '*', '*', 'a route without hostnames'],
      ['app.example.com', ['*.example.com'], 'app.example.com', '*.example.com', 'a wildcard narrowed by the listener'],
    ]
    for (const [listener, hostnames, intersected, expected, why] of cases) {
      it(why, () => assert.equal(originalRouteHostname(listener, hostnames, intersected), expected))
    }
  })

  const listener = '{name: tls, port: 443, protocol: TLS, hostname: "*.apps.example.com", tls: {mode: Passthrough}}'
  const tlsRoutes = [
    gateway('gw', [listener]),
    route('TLSRoute', 'broad-old', {created: '2025-01-01T00:00:00Z', hostnames: ['*.com'], rules: '[{backendRefs: [{name: broad, port: 443}]}]'}),
    route('TLSRoute', 'narrow-new', {created: '2025-06-01T00:00:00Z', hostnames: ['*.example.com'], rules: '[{backendRefs: [{name: narrow, port: 443}]}]'}),
  ]

  it('TLSRoute: the more specific original entry wins before age, and the trace says why', () => {
    const [decision] = compileDocuments(tlsRoutes).decide({port: 443, transport: 'tls', sni: 'x.apps.example.com'})
    assert.equal(decision.route?.route.meta.name, 'narrow-new')
    const lost = decision.trace.find((step) => step.candidate === 'TLSRoute default/broad-old')
    assert.equal(lost?.result, 'lost')
    assert.match(lost?.why ?? '', /route hostname \*\.com is less specific than \*\.example\.com/)
  })

  it('the shadowing warning names the same winner', () => {
    const binding = bindDocuments(tlsRoutes)
    const warning = binding.problems.find((problem) => problem.ruleId === 'tlsroute-hostname-shadowed')
    assert.ok(warning !== undefined)
    assert.match(warning.message, /^TLSRoute default\/broad-old never receives \*\.apps\.example\.com .*TLSRoute default\/narrow-new also claims it/)
  })

  it('HTTPRoute: the same tie-break comes before path precedence', () => {
    const http = [
      gateway('gw', ['{name: http, port: 80, protocol: HTTP, hostname: "*.apps.example.com"}']),
      route('HTTPRoute', 'broad-old', {created: '2025-01-01T00:00:00Z', hostnames: ['*.com'], rules: '[{matches: [{path: {type: Exact, value: /a}}], backendRefs: [{name: broad, port: 80}]}]'}),
      route('HTTPRoute', 'narrow-new', {created: '2025-06-01T00:00:00Z', hostnames: ['*.example.com'], rules: '[{backendRefs: [{name: narrow, port: 80}]}]'}),
    ]
    const [decision] = compileDocuments(http).decide({port: 80, transport: 'http', host: 'x.apps.example.com', request: {method: 'GET', path: '/a', query: [], headers: []}})
    assert.equal(decision.route?.route.meta.name, 'narrow-new')
    assert.match(decision.trace.find((step) => step.candidate === 'HTTPRoute default/broad-old')?.why ?? '', /more specific route hostname/)
  })
})
