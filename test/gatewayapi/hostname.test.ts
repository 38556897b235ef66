/**
 * Table tests of src/gatewayapi/hostname.ts, seeded from the examples in the
 * CRD descriptions (Listener.Hostname, HTTPRouteSpec.Hostnames, TLSRoute
 * hostnames) and SEMANTICS.md §1.
 */
import {strict as assert} from 'node:assert'
import {
  certificateNameCovers, compareHostnameSpecificity, hostnameLength, hostnameMatches, intersectHostnames,
  intersectRouteHostnames, isWildcardHostname, normalizeRequestHost, preciseHostnameLength,
} from '../../src/gatewayapi/hostname.js'

describe('hostname', () => {
  describe('hostnameMatches (SEMANTICS.md §1.2: a wildcard stands for one or more labels)', () => {
    const cases: Array<[string | undefined, string, boolean, string]> = [
      ['*.example.com', 'a.example.com', true, 'one label under the wildcard'],
      ['*.example.com', 'a.b.example.com', true, 'several labels under the wildcard (Listener.Hostname)'],
      ['*.example.com', 'example.com', false, 'the wildcard needs at least one label'],
      ['*.example.com', 'aexample.com', false, 'suffix on whole labels only'],
      ['*.com', 'www.example.com', true, '*.com matches deep names (docs: hostnames)'],
      ['foo.example.com', 'foo.example.com', true, 'exact'],
      ['foo.example.com', 'bar.example.com', false, 'exact mismatch'],
      [undefined, 'anything.io', true, 'no hostname matches all'],
      ['*', 'anything.io', true, 'the pseudo-hostname * matches all'],
      ['*.example.com', '*.example.com', false, 'a precise request host is never a wildcard'],
    ]
    for (const [pattern, host, expected, why] of cases) {
      it(`${pattern ?? '(none)'} vs ${host} → ${expected}: ${why}`, () => {
        assert.equal(hostnameMatches(pattern, host), expected)
      })
    }
  })

  describe('intersectHostnames (SEMANTICS.md §1.3 table)', () => {
    const cases: Array<[string | undefined, string | undefined, string | null]> = [
      ['www.example.com', 'www.example.com', 'www.example.com'],
      ['*.example.com', 'a.b.example.com', 'a.b.example.com'],
      ['www.example.com', '*.example.com', 'www.example.com'],
      ['*.example.com', '*.com', '*.example.com'],
      ['*.com', '*.example.com', '*.example.com'],
      ['*.example.com', '*.example.com', '*.example.com'],
      ['*.example.com', 'example.com', null],
      ['*.a.com', '*.b.com', null],
      [undefined, 'x.io', 'x.io'],
      [undefined, '*.y.io', '*.y.io'],
      ['foo.example.com', undefined, 'foo.example.com'],
      [undefined, undefined, '*'],
      ['a.io', 'b.io', null],
    ]
    for (const [listener, route, expected] of cases) {
      it(`${listener ?? '(none)'} ∩ ${route ?? '(none)'} = ${expected ?? 'none'}`, () => {
        assert.equal(intersectHostnames(listener, route), expected)
      })
    }
  })

  describe('intersectRouteHostnames', () => {
    const cases: Array<[string | undefined, string[], string[], string]> = [
      ['*.example.com', ['a.example.net', 'b.example.com'], ['b.example.com'], 'non-intersecting hostnames are dropped'],
      [undefined, ['x.io', '*.y.io'], ['x.io', '*.y.io'], 'a listener without hostname keeps the route hostnames'],
      ['foo.example.com', [], ['foo.example.com'], 'a route without hostnames inherits the listener hostname'],
      [undefined, [], ['*'], 'neither has a hostname'],
      ['*.shop.io', ['api.shop.io', 'api.shop.dev'], ['api.shop.io'], 'SEMANTICS.md §12 case 2'],
      ['www.example.com', ['*.example.com', 'www.example.com'], ['www.example.com'], 'duplicates removed'],
    ]
    for (const [listener, routes, expected, why] of cases) {
      it(why, () => assert.deepEqual(intersectRouteHostnames(listener, routes), expected))
    }
  })

  describe('compareHostnameSpecificity (SEMANTICS.md §1.4)', () => {
    const ordered = ['a.b.foo.example.com', 'foo.example.com', 'example.com', '*.foo.example.com', '*.example.com', '*.com', undefined]
    for (let i = 0; i < ordered.length - 1; i++) {
      it(`${ordered[i]} is more specific than ${ordered[i + 1] ?? '(none)'}`, () => {
        assert.ok(compareHostnameSpecificity(ordered[i], ordered[i + 1]) < 0)
        assert.ok(compareHostnameSpecificity(ordered[i + 1], ordered[i]) > 0)
      })
    }
    it('equal wildcards tie', () => assert.equal(compareHostnameSpecificity('*.a.io', '*.b.io'), 0))
  })

  describe('HTTPRoute precedence metrics (HTTPRouteSpec.Hostnames)', () => {
    const cases: Array<[string, number, number]> = [
      ['foo.example.com', 15, 15],
      ['*.example.com', 0, 13],
      ['*', 0, 0],
    ]
    for (const [hostname, precise, total] of cases) {
      it(`${hostname}: non-wildcard ${precise}, total ${total}`, () => {
        assert.equal(preciseHostnameLength(hostname), precise)
        assert.equal(hostnameLength(hostname), total)
      })
    }
  })

  describe('certificateNameCovers (RFC 6125 §6.4.3: a SAN wildcard covers one label)', () => {
    const cases: Array<[string, string, boolean]> = [
      ['*.example.com', 'a.example.com', true],
      ['*.example.com', 'a.b.example.com', false],
      ['*.example.com', 'example.com', false],
      ['app.example.com', 'app.example.com', true],
      ['APP.example.com', 'app.example.com', true],
      ['app.example.com', 'api.example.com', false],
      ['*.example.com', '*.example.com', true],
      ['a.example.com', '*.example.com', false],
      ['*.com', '*.example.com', false],
    ]
    for (const [san, hostname, expected] of cases) {
      it(`SAN ${san} ${expected ? 'covers' : 'does not cover'} ${hostname}`, () => assert.equal(certificateNameCovers(san, hostname), expected))
    }
  })

  describe('normalizeRequestHost (Host header port ignored; DNS case-insensitive)', () => {
    const cases: Array<[string, string]> = [
      ['App.Example.COM', 'app.example.com'],
      ['app.example.com:8443', 'app.example.com'],
      ['app.example.com.', 'app.example.com'],
      ['[::1]:443', '[::1]'],
      ['', ''],
    ]
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(normalizeRequestHost(input), expected))
    }
  })

  it('isWildcardHostname', () => {
    assert.equal(isWildcardHostname('*.a.io'), true)
    assert.equal(isWildcardHostname('a.io'), false)
    assert.equal(isWildcardHostname('*'), false)
  })
})
