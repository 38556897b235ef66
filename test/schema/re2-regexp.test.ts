import assert from 'node:assert/strict'
import {compileRe2} from '../../src/schema/re2-regexp.js'

/** Go regexp.MatchString results: unanchored search, RE2 syntax. */
const CASES: Array<{pattern: string; matches: string[]; rejects: string[]}> = [
  {pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', matches: ['a', 'a-b', '0'], rejects: ['', 'A', '-a', 'a-', 'a\nb']},
  {pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', matches: ['*.example.com', 'a.b.c', '1.2.3.4'], rejects: ['*', '*.*.a', 'a..b', 'A.b', `${'a'.repeat(300)}!`]},
  {pattern: "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$", matches: ['X-Header', 'a`b', 'a|b~c'], rejects: ['a b', 'a:b', 'é']},
  {pattern: '^[!-~]+([\\t ]?[!-~]+)*$', matches: ['a b\tc', 'x'], rejects: [' a', 'a  b', `${'a'.repeat(40)}\u0001`, `${'a b'.repeat(200)}\u0001`]},
  {pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$', matches: ['1h', '10s', '1h2m3s4ms', '500ms'], rejects: ['1d', '1h2m3s4ms5s', '123456s', '']},
  {pattern: '^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\\?([^#]*))?(#(.*))?', matches: ['spiffe://example.com/a', 'https://x/y?z#f', 'h://x\n'], rejects: ['example.com/a', '//x']},
  {pattern: '^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&\'()*+,;=:]+$', matches: ['Hostname', 'IPAddress', 'xIPAddressx', 'example.com/custom'], rejects: ['hostname', 'custom']},
  {pattern: '(^\\*$)|(^(http(s)?):\\/\\/(((\\*\\.)?([a-zA-Z0-9\\-]+\\.)*[a-zA-Z0-9-]+|\\*)(:([0-9]{1,5}))?)$)', matches: ['*', 'https://a.example.com', 'http://*.example.com:8080', 'https://*'], rejects: ['ftp://a', 'https://a/', '**']},
  {pattern: '^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$', matches: ['Foo.Bar', '.foo', 'ſ'], rejects: ['foo-bar', '1foo', '']},
  {pattern: 'a.c', matches: ['abc', 'a\rc', 'a\u2028c', 'a😀c'], rejects: ['a\nc', 'ac']},
  {pattern: '^\\s$', matches: [' ', '\t', '\n', '\f', '\r'], rejects: ['\u00a0', '\u2003', '\v']},
  {pattern: '^[^a]$', matches: ['😀', 'b'], rejects: ['a', 'bb']},
  {pattern: 'a{,2}', matches: ['a{,2}'], rejects: ['aa']},
  {pattern: '^\\Qa.b\\E$', matches: ['a.b'], rejects: ['axb']},
  {pattern: '^[[:alpha:]]+$', matches: ['abc'], rejects: ['ab1']},
  {pattern: '^\\pL+$', matches: ['héllo'], rejects: ['h1']},
]

describe('schema/re2-regexp', () => {
  for (const {pattern, matches, rejects} of CASES) {
    it(pattern, () => {
      const matcher = compileRe2(pattern)
      for (const input of matches) assert.equal(matcher.test(input), true, `${JSON.stringify(input)} matches`)
      for (const input of rejects) assert.equal(matcher.test(input), false, `${JSON.stringify(input)} does not match`)
    })
  }

  it('refuses what RE2 refuses (backreferences, lookahead)', () => {
    assert.throws(() => compileRe2('(a)\\1'))
    assert.throws(() => compileRe2('a(?=b)'))
  })

  it('answers inputs that make backtracking engines explode (RE2 is linear; a backtracking engine would hang past the test timeout)', () => {
    assert.equal(compileRe2('^[!-~]+([\\t ]?[!-~]+)*$').test(`${'a'.repeat(5000)}\u0001`), false)
    assert.equal(compileRe2('^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$').test(`${'a'.repeat(100_000)}-`), false)
  })
})
