import assert from 'node:assert/strict'
import {buildRedirectLocation, modifyHeaders, modifyPath, replacePrefix, unsupportedFilterTypes} from '../../src/gatewayapi/http-filters.js'

describe('serve/http-filters', () => {
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
})
