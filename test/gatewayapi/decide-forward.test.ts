/**
 * The Decision carries what is forwarded (issue 11 §2): the rewritten path
 * for the winning match, the Host, header operations, mirrors, for the rule
 * and per backend with its own filters (HTTPRoute CRD: HTTPRouteRule.Filters,
 * HTTPBackendRef.Filters "executed if and only if the request is being
 * forwarded to the backend defined here", HTTPURLRewriteFilter,
 * HTTPRequestMirrorFilter; SEMANTICS.md §5.2 mirror refs, §5.3, §4.6
 * unresolvable ExtensionRef → 500).
 */
import assert from 'node:assert/strict'
import {compileDocuments, decideOne, gateway, request, route, services} from './decide-support.js'

const GATEWAY = gateway('gw', ['{name: http, protocol: HTTP, port: 80}'])

function decideHttp(rules: string, path: string, kind = 'HTTPRoute', headers: Array<[string, string]> = []) {
  const table = compileDocuments([GATEWAY, route(kind, 'app', {hostnames: ['app.example.com'], rules}), ...services('default', ['app', 'canary', 'shadow'])])
  return decideOne(table, {port: 80, transport: 'http', host: 'app.example.com', request: request(path, {headers})})
}

describe('gatewayapi/decide: the forward plan', () => {
  const rewrite = (prefix: string, replacement: string) =>
    `[{matches: [{path: {type: PathPrefix, value: "${prefix}"}}], filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: "${replacement}"}}}], backendRefs: [{name: app, port: 80}]}]`
  // HTTPPathModifier.ReplacePrefixMatch conformance examples (trailing `/` ignored on prefix and replacement).
  const table: Array<[prefix: string, path: string, replacement: string, expected: string]> = [
    ['/foo', '/foo/bar', '/xyz', '/xyz/bar'],
    ['/foo/', '/foo/bar', '/xyz/', '/xyz/bar'],
    ['/foo', '/foo', '/xyz', '/xyz'],
    ['/foo', '/foo/', '/xyz', '/xyz/'],
    ['/foo', '/foo/bar', '/', '/bar'],
    ['/', '/foo', '/xyz', '/xyz/foo'],
  ]
  for (const [prefix, path, replacement, expected] of table) {
    it(`ReplacePrefixMatch: match ${prefix}, request ${path}, replacement ${replacement} → ${expected}`, () => {
      const decision = decideHttp(rewrite(prefix, replacement), path)
      assert.equal(decision.forward?.path, expected)
      assert.equal(decision.backends[0].forward?.path, expected)
    })
  }

  it('ReplacePrefixMatch acts on the prefix of the match that won, not the first match of the rule', () => {
    const rules = `[{matches: [{path: {type: PathPrefix, value: /a}}, {path: {type: PathPrefix, value: /a/b}}],
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /z}}}], backendRefs: [{name: app, port: 80}]}]`
    assert.deepEqual([decideHttp(rules, '/a/b/c').forward?.path, decideHttp(rules, '/a/c').forward?.path], ['/z/c', '/z/c'])
  })

  it('rule filters reach every backend; a backend\'s own filters only that backend', () => {
    const rules = `[{filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Env, value: prod}]}},
        {type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: X-Served, value: gw}]}}],
      backendRefs: [{name: app, port: 80, weight: 3},
        {name: canary, port: 80, weight: 1, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-env, value: canary}], add: [{name: X-Canary, value: "1"}]}},
          {type: URLRewrite, urlRewrite: {hostname: canary.internal}}]}]}]`
    const decision = decideHttp(rules, '/p')
    assert.deepEqual(decision.forward?.requestHeaders, {set: [{name: 'X-Env', value: 'prod'}], add: [], remove: []})
    const [app, canary] = decision.backends
    assert.deepEqual({headers: app.forward?.requestHeaders, hostname: app.forward?.hostname}, {headers: decision.forward?.requestHeaders, hostname: undefined})
    assert.deepEqual({headers: canary.forward?.requestHeaders, hostname: canary.forward?.hostname, response: canary.forward?.responseHeaders.add},
      {headers: {set: [{name: 'x-env', value: 'canary'}], add: [{name: 'X-Canary', value: '1'}], remove: []}, hostname: 'canary.internal', response: [{name: 'X-Served', value: 'gw'}]})
  })

  it('RequestMirror: the filter\'s resolved backend and share; a missing Service is planned invalid, so never mirrored to', () => {
    const rules = `[{filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}, percent: 10}},
        {type: RequestMirror, requestMirror: {backendRef: {name: missing, port: 80}}}],
      backendRefs: [{name: app, port: 80, filters: [{type: RequestMirror, requestMirror: {backendRef: {name: canary, port: 80}, fraction: {numerator: 1, denominator: 4}}}]}]}]`
    const decision = decideHttp(rules, '/')
    const view = (mirrors = decision.forward?.mirrors) => mirrors?.map((mirror) => `${mirror.backend.ref.name}:${mirror.percent}%${mirror.backend.valid ? '' : ' invalid'}`)
    assert.deepEqual(view(), ['shadow:10%', 'missing:100% invalid'])
    assert.deepEqual(view(decision.backends[0].forward?.mirrors), ['shadow:10%', 'missing:100% invalid', 'canary:25%'])
    assert.equal(decision.matched, true, 'an invalid mirror does not fail the request (it is just not configured)')
  })

  it('an ExtensionRef filter gwctl cannot resolve is never skipped: the rule answers 500 (HTTPRouteFilter.Type)', () => {
    const decision = decideHttp('[{filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Auth, name: a}}], backendRefs: [{name: app, port: 80}]}]', '/')
    assert.deepEqual({matched: decision.matched, status: decision.httpStatus, forward: decision.forward}, {matched: false, status: 500, forward: undefined})
  })

  it('a backend with an ExtensionRef filter fails its share only', () => {
    const decision = decideHttp(`[{backendRefs: [{name: app, port: 80}, {name: canary, port: 80, filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Auth, name: a}}]}]}]`, '/')
    assert.deepEqual(decision.backends.map((backend) => `${backend.name} ${backend.valid}`), ['app true', 'canary false'])
    assert.equal(decision.matched, true)
    const only = decideHttp(`[{backendRefs: [{name: canary, port: 80, filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Auth, name: a}}]}]}]`, '/')
    assert.deepEqual({matched: only.matched, status: only.httpStatus}, {matched: false, status: 500})
  })

  it('a redirect is answered by the gateway: nothing is forwarded', () => {
    const decision = decideHttp('[{filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]}]', '/x')
    assert.deepEqual({status: decision.httpStatus, forward: decision.forward}, {status: 302, forward: undefined})
  })

  it('GRPCRoute header modifiers are planned like HTTPRoute ones', () => {
    const rules = '[{filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: X-Grpc, value: "1"}]}}], backendRefs: [{name: app, port: 80}]}]'
    const decision = decideHttp(rules, '/pkg.Svc/Call', 'GRPCRoute', [['content-type', 'application/grpc']])
    assert.deepEqual({matched: decision.matched, add: decision.backends[0].forward?.requestHeaders.add, path: decision.forward?.path},
      {matched: true, add: [{name: 'X-Grpc', value: '1'}], path: '/pkg.Svc/Call'})
  })
})
