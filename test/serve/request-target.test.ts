import assert from 'node:assert/strict'
import type {IncomingMessage} from 'node:http'
import {findHttp2Authority, normalizeRequestTarget} from '../../src/serve/request-target.js'

/** The parts of an IncomingMessage normalizeRequestTarget reads and rewrites. */
function request(url: string, rawHeaders: string[], httpVersion = '1.1'): IncomingMessage {
  const headers: Record<string, string> = {}
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i].toLowerCase()] ??= rawHeaders[i + 1]
  return {url, rawHeaders: [...rawHeaders], headers, httpVersion} as unknown as IncomingMessage
}

describe('serve/request-target', () => {
  const accepted: Array<[string, string, string[], {url: string; host: string | undefined; rawHosts: string[]}]> = [
    ['origin-form', '/api?x=1', ['Host', 'shop.example.com'], {url: '/api?x=1', host: 'shop.example.com', rawHosts: ['shop.example.com']}],
    ['absolute-form with the same Host', 'http://shop.example.com/api/echo', ['Host', 'shop.example.com'], {url: '/api/echo', host: 'shop.example.com', rawHosts: ['shop.example.com']}],
    ['absolute-form, Host without the default port', 'http://Shop.Example.com:80/a', ['Host', 'shop.example.com'], {url: '/a', host: 'Shop.Example.com:80', rawHosts: ['shop.example.com']}],
    ['absolute-form without Host: the authority becomes Host', 'https://shop.example.com:8443?q', [], {url: '/?q', host: 'shop.example.com:8443', rawHosts: ['shop.example.com:8443']}],
    ['absolute-form with an empty path', 'http://[::1]:8080', ['Host', '[::1]:8080'], {url: '/', host: '[::1]:8080', rawHosts: ['[::1]:8080']}],
    ['asterisk-form left alone', '*', ['Host', 'shop.example.com'], {url: '*', host: 'shop.example.com', rawHosts: ['shop.example.com']}],
  ]
  for (const [what, url, headers, expected] of accepted) {
    it(`accepts ${what}`, () => {
      const req = request(url, headers)
      assert.equal(normalizeRequestTarget(req), undefined)
      const rawHosts = req.rawHeaders.filter((_, at) => at % 2 === 1 && req.rawHeaders[at - 1].toLowerCase() === 'host')
      assert.deepEqual({url: req.url, host: req.headers.host, rawHosts}, expected)
    })
  }

  it('accepts HTTP/1.0 without Host', () => {
    assert.equal(normalizeRequestTarget(request('/', [], '1.0')), undefined)
  })

  const refused: Array<[string, string, string[], RegExp]> = [
    ['two identical Host headers', '/', ['Host', 'a.example.com', 'host', 'a.example.com'], /2 Host headers/],
    ['conflicting Host headers', '/', ['Host', 'a.example.com', 'Host', 'b.example.com'], /2 Host headers/],
    ['Host conflicting with the absolute-form authority', 'http://a.example.com/', ['Host', 'b.example.com'], /conflicts with the request target's authority "a\.example\.com"/],
    ['Host with a different port than the authority', 'http://a.example.com:8080/', ['Host', 'a.example.com'], /conflicts/],
    ['HTTP/1.1 without Host', '/', [], /without a Host header/],
    ['a malformed Host', '/', ['Host', 'a.example.com/evil'], /malformed Host header/],
    ['userinfo in the authority', 'http://user@a.example.com/', [], /invalid authority/],
    ['an empty authority', 'http:///path', [], /invalid authority/],
    ['a scheme that is not http(s)', 'ftp://a.example.com/', [], /scheme ftp/],
  ]
  for (const [what, url, headers, reason] of refused) {
    it(`refuses ${what}`, () => {
      assert.match(normalizeRequestTarget(request(url, headers)) ?? '', reason)
    })
  }
})

describe('serve/request-target: HTTP/2 :authority and Host (RFC 9113 §8.3.1)', () => {
  const cases: Array<[string, string | undefined, string[], {host?: string; problem?: RegExp}]> = [
    [':authority alone', 'shop.example.com:8443', [], {host: 'shop.example.com:8443'}],
    ['Host alone (no :authority)', undefined, ['shop.example.com'], {host: 'shop.example.com'}],
    ['the same Host as :authority, any case', 'Shop.example.com', ['shop.example.com'], {host: 'Shop.example.com'}],
    ['a Host that conflicts with :authority', 'shop.example.com', ['evil.example.com'], {problem: /conflicts with :authority/}],
    ['two Host headers', 'shop.example.com', ['shop.example.com', 'shop.example.com'], {problem: /2 Host headers/}],
    ['neither', undefined, [], {problem: /without :authority or Host/}],
    ['a malformed :authority', 'shop example', [], {problem: /malformed :authority/}],
    ['userinfo in :authority', 'user@shop.example.com', [], {problem: /malformed :authority/}],
    ['a malformed Host', undefined, ['a b'], {problem: /malformed Host/}],
  ]
  for (const [what, authority, hosts, expected] of cases) {
    it(what, () => {
      const found = findHttp2Authority(authority, hosts)
      if (expected.host !== undefined) assert.deepEqual(found, {host: expected.host})
      else assert.match(found.problem ?? '', expected.problem!)
    })
  }
})
