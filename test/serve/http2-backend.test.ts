/**
 * buildHttp2RequestHeaders: a forwarded request's flat header list as
 * HTTP/2 request headers — Host becomes :authority, connection-specific
 * headers are dropped (RFC 9113 §8.2.2), TE only as `trailers`, repeated
 * headers kept.
 */
import {strict as assert} from 'node:assert'
import {buildHttp2RequestHeaders} from '../../src/serve/http2-backend.js'

describe('serve/http2-backend: request headers for an HTTP/2 backend', () => {
  it('Host → :authority, pseudo-headers from method, path and scheme', () => {
    assert.deepEqual({...buildHttp2RequestHeaders('POST', '/a.B/C?x=1', 'https', ['host', 'rpc.example.com', 'content-type', 'application/grpc'])}, {
      ':method': 'POST', ':path': '/a.B/C?x=1', ':scheme': 'https', ':authority': 'rpc.example.com', 'content-type': 'application/grpc',
    })
  })

  it('drops connection-specific headers, keeps TE: trailers only, keeps repeated headers', () => {
    const headers = buildHttp2RequestHeaders('GET', '/', 'http', [
      'Host', 'a.example.com', 'Connection', 'keep-alive', 'Keep-Alive', '5', 'Transfer-Encoding', 'chunked', 'Upgrade', 'h2c', 'TE', 'gzip, trailers',
      'X-A', '1', 'x-a', '2',
    ])
    assert.deepEqual({...headers}, {':method': 'GET', ':path': '/', ':scheme': 'http', ':authority': 'a.example.com', te: 'trailers', 'x-a': ['1', '2']})
    assert.equal(buildHttp2RequestHeaders('GET', '/', 'http', ['host', 'a', 'te', 'gzip']).te, undefined)
  })
})
