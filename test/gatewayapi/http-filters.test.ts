import assert from 'node:assert/strict'
import type {BackendBinding} from '../../src/gatewayapi/binding.js'
import {
  applyHeaderOperations, buildRedirectLocation, composeHeaderOperations, forwardRequest, modifyHeaders, modifyPath, NO_HEADER_OPERATIONS, planForward,
  replacePrefix, selectMirrors, unsupportedFilterTypes, type HeaderModifier, type MirrorPlan,
} from '../../src/gatewayapi/http-filters.js'
import type {RouteFilter} from '../../src/model/types.js'

describe('gatewayapi/http-filters', () => {
  describe('replacePrefix (the HTTPRoute conformance table)', () => {
    const table: Array<[prefix: string, path: string, replacement: string, expected: string]> = [
      ['/foo', '/foo/bar', '/xyz', '/xyz/bar'],
      ['/foo/', '/foo/bar', '/xyz/', '/xyz/bar'],
      ['/foo', '/foo/bar', '/xyz/', '/xyz/bar'],
      ['/foo/', '/foo/bar', '/xyz', '/xyz/bar'],
      ['/foo', '/foo', '/xyz', '/xyz'],
      ['/foo/', '/foo', '/xyz', '/xyz'],
      ['/foo', '/foo/', '/xyz', '/xyz/'],
      ['/foo', '/foo/bar', '/', '/bar'],
      ['/foo', '/foo', '/', '/'],
      ['/foo', '/foo/', '/', '/'],
      ['/', '/foo', '/xyz', '/xyz/foo'],
      ['/', '/', '/xyz', '/xyz'],
      ['/', '/', '/', '/'],
      ['/foo', '/foo/bar', '', '/bar'],
      ['/foo', '/foo/', '', '/'],
      ['/foo', '/foo', '', '/'],
      ['/foo/', '/foo/', '/', '/'],
    ]
    for (const [prefix, path, replacement, expected] of table) {
      it(`prefix ${prefix}, path ${path}, replacement ${replacement} → ${expected}`, () => assert.equal(replacePrefix(path, prefix, replacement), expected))
    }
  })

  it('modifyPath: ReplaceFullPath, ReplacePrefixMatch without a prefix match keeps the path', () => {
    assert.equal(modifyPath('/a/b', {type: 'ReplaceFullPath', replaceFullPath: '/full'}, '/a'), '/full')
    assert.equal(modifyPath('/a/b', {type: 'ReplacePrefixMatch', replacePrefixMatch: '/z'}, undefined), '/a/b')
    assert.equal(modifyPath('/a/b', undefined, '/a'), '/a/b')
  })

  describe('modifyHeaders', () => {
    const headers = ['Host', 'a.example.com', 'X-Keep', '1', 'x-drop', '2', 'My-Header', 'foo']
    const table: Array<{name: string; modifier: Parameters<typeof modifyHeaders>[1]; expected: string[]}> = [
      {name: 'remove is case-insensitive', modifier: {remove: ['X-DROP']}, expected: ['Host', 'a.example.com', 'X-Keep', '1', 'My-Header', 'foo']},
      {name: 'set replaces every value', modifier: {set: [{name: 'x-keep', value: 'new'}]}, expected: ['Host', 'a.example.com', 'x-drop', '2', 'My-Header', 'foo', 'x-keep', 'new']},
      {name: 'add appends to an existing header', modifier: {add: [{name: 'my-header', value: 'bar'}]}, expected: ['Host', 'a.example.com', 'X-Keep', '1', 'x-drop', '2', 'My-Header', 'foo,bar']},
      {name: 'add creates a missing header', modifier: {add: [{name: 'X-New', value: 'v'}]}, expected: [...headers, 'X-New', 'v']},
      {name: 'empty modifier keeps everything', modifier: {}, expected: headers},
      // HTTPHeader.Name: "If multiple entries specify equivalent header names, the first entry ... MUST be considered".
      {name: 'set: the first of equivalent names counts', modifier: {set: [{name: 'X-New', value: 'first'}, {name: 'x-new', value: 'second'}]}, expected: [...headers, 'X-New', 'first']},
      {name: 'add: the first of equivalent names counts', modifier: {add: [{name: 'my-header', value: 'bar'}, {name: 'MY-HEADER', value: 'baz'}]},
        expected: ['Host', 'a.example.com', 'X-Keep', '1', 'x-drop', '2', 'My-Header', 'foo,bar']},
      // HTTPHeaderFilter.Add: "my-header: foo" + add "bar,baz" → "my-header: foo,bar,baz".
      {name: 'add appends a comma-separated value as written', modifier: {add: [{name: 'my-header', value: 'bar,baz'}]},
        expected: ['Host', 'a.example.com', 'X-Keep', '1', 'x-drop', '2', 'My-Header', 'foo,bar,baz']},
      {name: 'remove, then set, then add of one name in one filter', modifier: {remove: ['my-header'], set: [{name: 'My-Header', value: 's'}], add: [{name: 'my-header', value: 'a'}]},
        expected: ['Host', 'a.example.com', 'X-Keep', '1', 'x-drop', '2', 'My-Header', 's,a']},
    ]
    for (const {name, modifier, expected} of table) it(name, () => assert.deepEqual(modifyHeaders(headers, modifier), expected))
  })

  describe('buildRedirectLocation', () => {
    const request = {scheme: 'http' as const, host: 'www.example.com', listenerPort: 80, path: '/old/page', search: '?q=1'}
    const table: Array<{name: string; redirect: Parameters<typeof buildRedirectLocation>[0]; expected: string; req?: Partial<typeof request>}> = [
      {name: 'scheme https: well-known port left out', redirect: {scheme: 'https'}, expected: 'https://www.example.com/old/page?q=1'},
      {name: 'no scheme: the listener port, left out when well-known', redirect: {hostname: 'new.example.com'}, expected: 'http://new.example.com/old/page?q=1'},
      {name: 'no scheme on a non-standard listener port keeps it', redirect: {}, req: {listenerPort: 8080}, expected: 'http://www.example.com:8080/old/page?q=1'},
      {name: 'explicit port', redirect: {scheme: 'https', port: 8443}, expected: 'https://www.example.com:8443/old/page?q=1'},
      {name: 'prefix replacement', redirect: {path: {type: 'ReplacePrefixMatch', replacePrefixMatch: '/new'}}, expected: 'http://www.example.com/new/page?q=1'},
      {name: 'full path replacement', redirect: {path: {type: 'ReplaceFullPath', replaceFullPath: '/'}}, expected: 'http://www.example.com/?q=1'},
    ]
    for (const {name, redirect, expected, req} of table) {
      it(name, () => assert.equal(buildRedirectLocation(redirect, {...request, ...req}, '/old'), expected))
    }
  })

  it('unsupportedFilterTypes lists each unsupported type once', () => {
    const filters = ['ExternalAuth', 'URLRewrite', 'ExternalAuth', 'CORS', 'RequestMirror'].map((type) => ({type, spec: {type}}))
    assert.deepEqual(unsupportedFilterTypes(filters), ['ExternalAuth', 'CORS'])
  })

  /** Header values by lower-case name, in order (what a backend reads; the position of a header line does not matter). */
  const byName = (headers: readonly string[]) => {
    const out: Record<string, string[]> = {}
    for (let i = 0; i < headers.length; i += 2) (out[headers[i].toLowerCase()] ??= []).push(headers[i + 1])
    return out
  }

  describe('composeHeaderOperations: one set of operations equals the filters applied in turn (rule filter, then the backend\'s)', () => {
    const requests: string[][] = [
      [],
      ['X-A', 'client', 'x-b', 'client'],
      ['x-a', 'one', 'X-A', 'two', 'X-C', 'c'],
    ]
    const table: Array<{name: string; first: HeaderModifier; then: HeaderModifier}> = [
      {name: 'add after add appends both', first: {add: [{name: 'X-A', value: 'rule'}]}, then: {add: [{name: 'x-a', value: 'backend'}]}},
      {name: 'set after add wins', first: {add: [{name: 'X-A', value: 'rule'}]}, then: {set: [{name: 'x-a', value: 'backend'}]}},
      {name: 'add after set appends to the set value', first: {set: [{name: 'X-A', value: 'rule'}]}, then: {add: [{name: 'X-A', value: 'backend'}]}},
      {name: 'add after remove sets', first: {remove: ['x-a']}, then: {add: [{name: 'X-A', value: 'backend'}]}},
      {name: 'remove after set removes', first: {set: [{name: 'X-A', value: 'rule'}]}, then: {remove: ['X-A']}},
      {name: 'unrelated names keep their own operations', first: {set: [{name: 'X-A', value: '1'}], remove: ['X-C']}, then: {add: [{name: 'X-B', value: '2'}]}},
    ]
    for (const {name, first, then} of table) {
      it(name, () => {
        const composed = composeHeaderOperations(composeHeaderOperations(NO_HEADER_OPERATIONS, first), then)
        for (const headers of requests) {
          const inTurn = modifyHeaders(modifyHeaders(headers, first), then)
          assert.deepEqual(byName(applyHeaderOperations(headers, composed)), byName(inTurn), `request ${JSON.stringify(headers)}`)
        }
      })
    }
  })

  describe('planForward: the filters of the rule, then of the backend, in the order written', () => {
    const filter = (type: string, block: Record<string, unknown>): RouteFilter => ({type, spec: {type, ...block}})
    const mirrorBackend = {ref: {name: 'shadow', namespace: 'default', kind: 'Service', port: 80}, valid: true} as unknown as BackendBinding
    const table: Array<{name: string; steps: RouteFilter[]; path: string; prefix?: string; expected: {path: string; hostname?: string; request?: unknown; response?: unknown}}> = [
      {name: 'no filters: the path as received', steps: [], path: '/a/b', prefix: '/a', expected: {path: '/a/b'}},
      // HTTPPathModifier.ReplacePrefixMatch: "/foo/bar" with prefix "/foo" and "/xyz" → "/xyz/bar".
      {name: 'ReplacePrefixMatch replaces the prefix of the winning match', steps: [filter('URLRewrite', {urlRewrite: {path: {type: 'ReplacePrefixMatch', replacePrefixMatch: '/xyz'}}})],
        path: '/foo/bar', prefix: '/foo', expected: {path: '/xyz/bar'}},
      {name: 'ReplaceFullPath', steps: [filter('URLRewrite', {urlRewrite: {path: {type: 'ReplaceFullPath', replaceFullPath: '/full'}}})], path: '/foo/bar', prefix: '/foo', expected: {path: '/full'}},
      // HTTPURLRewriteFilter.Hostname: "the value to be used to replace the Host header value during forwarding".
      {name: 'hostname rewrite sets the Host', steps: [filter('URLRewrite', {urlRewrite: {hostname: 'internal.example.com'}})], path: '/p', expected: {path: '/p', hostname: 'internal.example.com'}},
      {name: 'a backend URLRewrite replaces the path the rule set, from the request as received',
        steps: [filter('URLRewrite', {urlRewrite: {hostname: 'rule.example.com', path: {type: 'ReplacePrefixMatch', replacePrefixMatch: '/rule'}}}),
          filter('URLRewrite', {urlRewrite: {path: {type: 'ReplacePrefixMatch', replacePrefixMatch: '/backend'}}})],
        path: '/api/x', prefix: '/api', expected: {path: '/backend/x', hostname: 'rule.example.com'}},
      {name: 'request and response header modifiers compose',
        steps: [filter('RequestHeaderModifier', {requestHeaderModifier: {set: [{name: 'X-Env', value: 'prod'}], add: [{name: 'X-Trace', value: 'rule'}]}}),
          filter('ResponseHeaderModifier', {responseHeaderModifier: {remove: ['Server']}}),
          filter('RequestHeaderModifier', {requestHeaderModifier: {add: [{name: 'x-trace', value: 'backend'}]}})],
        path: '/', expected: {path: '/', request: {set: [{name: 'X-Env', value: 'prod'}], add: [{name: 'X-Trace', value: 'rule,backend'}], remove: []},
          response: {set: [], add: [], remove: ['Server']}}},
    ]
    for (const {name, steps, path, prefix, expected} of table) {
      it(name, () => {
        const plan = planForward(steps.map((entry) => ({filter: entry})), path, prefix)
        assert.deepEqual({path: plan.path, hostname: plan.hostname}, {path: expected.path, hostname: expected.hostname})
        assert.deepEqual(plan.requestHeaders, expected.request ?? NO_HEADER_OPERATIONS)
        assert.deepEqual(plan.responseHeaders, expected.response ?? NO_HEADER_OPERATIONS)
      })
    }

    const shares: Array<{block: Record<string, unknown>; share: [number, number]; percent: number}> = [
      // HTTPRequestMirrorFilter: "If neither field is specified, 100% of requests will be mirrored."
      {block: {}, share: [1, 1], percent: 100},
      {block: {percent: 25}, share: [25, 100], percent: 25},
      {block: {percent: 0}, share: [0, 100], percent: 0},
      {block: {fraction: {numerator: 1, denominator: 3}}, share: [1, 3], percent: 33.33},
      // Fraction.denominator defaults to 100.
      {block: {fraction: {numerator: 5}}, share: [5, 100], percent: 5},
    ]
    for (const {block, share, percent} of shares) {
      it(`RequestMirror ${JSON.stringify(block)}: ${share[0]}/${share[1]} of requests`, () => {
        const plan = planForward([{filter: filter('RequestMirror', {requestMirror: {backendRef: {name: 'shadow', port: 80}, ...block}}), mirrorBackend}], '/', undefined)
        assert.deepEqual(plan.mirrors.map((mirror) => [mirror.numerator, mirror.denominator, mirror.percent]), [[...share, percent]])
      })
    }

    it('a mirror gets the request as the filters before it leave it (filters act in the order written)', () => {
      const plan = planForward([
        {filter: filter('RequestHeaderModifier', {requestHeaderModifier: {set: [{name: 'X-Before', value: '1'}]}})},
        {filter: filter('RequestMirror', {requestMirror: {backendRef: {name: 'shadow', port: 80}}}), mirrorBackend},
        {filter: filter('URLRewrite', {urlRewrite: {hostname: 'after.example.com', path: {type: 'ReplaceFullPath', replaceFullPath: '/after'}}})},
        {filter: filter('RequestHeaderModifier', {requestHeaderModifier: {set: [{name: 'X-After', value: '2'}]}})},
      ], '/orig', undefined)
      const [mirror] = plan.mirrors
      assert.deepEqual({path: mirror.path, hostname: mirror.hostname, set: mirror.requestHeaders.set}, {path: '/orig', hostname: undefined, set: [{name: 'X-Before', value: '1'}]})
      assert.deepEqual({path: plan.path, hostname: plan.hostname, set: plan.requestHeaders.set.map((entry) => entry.name)}, {path: '/after', hostname: 'after.example.com', set: ['X-Before', 'X-After']})
    })

    it('a RequestMirror whose backendRef did not resolve to a binding is not planned', () => {
      assert.deepEqual(planForward([{filter: filter('RequestMirror', {requestMirror: {backendRef: {name: 'x'}}})}], '/', undefined).mirrors, [])
    })
  })

  describe('selectMirrors: who is mirrored, given the injected random values', () => {
    const mirror = (numerator: number, denominator: number, valid = true): MirrorPlan => ({
      backend: {valid} as BackendBinding, numerator, denominator, percent: (numerator / denominator) * 100, path: '/', requestHeaders: NO_HEADER_OPERATIONS,
    })
    const table: Array<{name: string; mirrors: MirrorPlan[]; randoms: number[]; expected: number[]}> = [
      {name: 'every request when the share is 1/1', mirrors: [mirror(1, 1)], randoms: [0.999_999], expected: [0]},
      {name: '25%: a draw below 0.25 is mirrored', mirrors: [mirror(25, 100)], randoms: [0.249], expected: [0]},
      {name: '25%: a draw of 0.25 is not', mirrors: [mirror(25, 100)], randoms: [0.25], expected: []},
      {name: '0% never', mirrors: [mirror(0, 100)], randoms: [0], expected: []},
      {name: 'each mirror draws on its own', mirrors: [mirror(50, 100), mirror(50, 100), mirror(1, 3)], randoms: [0.6, 0.4, 0.3], expected: [1, 2]},
      {name: 'an invalid mirror backend is never mirrored to', mirrors: [mirror(1, 1, false), mirror(1, 1)], randoms: [0, 0], expected: [1]},
    ]
    for (const {name, mirrors, randoms, expected} of table) {
      it(name, () => {
        const draws = [...randoms]
        const chosen = selectMirrors(mirrors, () => draws.shift() ?? 0)
        assert.deepEqual(chosen.map((entry) => mirrors.indexOf(entry)), expected)
      })
    }
  })

  it('forwardRequest: Host apart, the rewritten path with the query string as written, the headers after the operations', () => {
    const forwarded = forwardRequest({path: '/v2/items', hostname: 'internal.example.com',
      requestHeaders: {set: [{name: 'X-Env', value: 'prod'}], add: [], remove: ['x-debug']}},
    {method: 'POST', path: '/api/items', query: [['a', 'b c']], headers: [['host', 'shop.example.com'], ['x-debug', '1'], ['accept', '*/*']]}, '?a=b%20c')
    assert.deepEqual(forwarded, {method: 'POST', host: 'internal.example.com', path: '/v2/items?a=b%20c', headers: [{name: 'accept', value: '*/*'}, {name: 'X-Env', value: 'prod'}]})
  })
})
