/** classifyFirstBytes: the h2c connection preface (RFC 9113 §3.4) tells HTTP/2 with prior knowledge from HTTP/1.x. */
import {strict as assert} from 'node:assert'
import {classifyFirstBytes, HTTP2_PREFACE} from '../../src/serve/read-http2-preface.js'

describe('serve/read-http2-preface', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['the whole preface', HTTP2_PREFACE, 'h2c'],
    ['the preface and a SETTINGS frame', Buffer.concat([HTTP2_PREFACE, Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]), 'h2c'],
    ['one byte of it', Buffer.from('P'), 'more'],
    ['all but the last byte', HTTP2_PREFACE.subarray(0, HTTP2_PREFACE.length - 1), 'more'],
    ['an HTTP/1.1 request line', Buffer.from('GET / HTTP/1.1\r\n'), 'http/1'],
    ['a PUT (same first letter as PRI)', Buffer.from('PUT /a HTTP/1.1\r\n'), 'http/1'],
    ['PRI with another version', Buffer.from('PRI * HTTP/1.1\r\n\r\n'), 'http/1'],
  ]
  for (const [what, bytes, expected] of cases) {
    it(`${what}: ${expected}`, () => assert.equal(classifyFirstBytes(bytes), expected))
  }
})
