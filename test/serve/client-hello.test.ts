import assert from 'node:assert/strict'
import {parseClientHello} from '../../src/serve/client-hello.js'
import {buildClientHello, readFixture, splitIntoRecords} from './client-hello-bytes.js'

const LIMIT = 32 * 1024

describe('serve/client-hello', () => {
  const captured = [
    {file: 'curl-app-example-com.bin', sni: 'app.example.com', alpn: ['h2', 'http/1.1']},
    {file: 'openssl-s-client-app-example-com.bin', sni: 'app.example.com', alpn: ['h2', 'http/1.1']},
    {file: 'openssl-s-client-no-sni.bin', sni: '', alpn: []},
  ]
  for (const {file, sni, alpn} of captured) {
    describe(`captured ${file}`, () => {
      const bytes = readFixture(file)
      it('parses SNI and ALPN', () => {
        const parsed = parseClientHello(bytes, LIMIT)
        assert.equal(parsed.status, 'complete')
        assert.deepEqual(parsed.status === 'complete' && {sni: parsed.hello.sni, alpn: parsed.hello.alpn}, {sni, alpn})
      })
      it('answers incomplete for every proper prefix (a hello arriving byte by byte)', () => {
        for (let length = 0; length < bytes.length; length++) {
          assert.equal(parseClientHello(bytes.subarray(0, length), LIMIT).status, 'incomplete', `prefix of ${length} bytes`)
        }
      })
      for (const size of [1, 7, 100]) {
        it(`parses the message split into records of ${size} bytes`, () => {
          const parsed = parseClientHello(splitIntoRecords(bytes, size), LIMIT)
          assert.deepEqual(parsed.status === 'complete' && parsed.hello.sni, sni)
        })
      }
      it('reports too-large when the limit is below its size', () => {
        assert.equal(parseClientHello(bytes, bytes.length - 1).status, 'error')
        assert.deepEqual(parseClientHello(bytes, 64), {status: 'error', code: 'too-large', message: 'ClientHello exceeds the 64-byte limit'})
      })
    })
  }

  const table: Array<{name: string; bytes: Buffer; expected: ReturnType<typeof parseClientHello>; limit?: number}> = [
    {name: 'plain HTTP', bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n'), expected: {status: 'error', code: 'not-tls', message: 'first byte 0x47 is not a TLS handshake record'}},
    {name: 'SSH banner', bytes: Buffer.from('SSH-2.0-OpenSSH\r\n'), expected: {status: 'error', code: 'not-tls', message: 'first byte 0x53 is not a TLS handshake record'}},
    {name: 'handshake type with wrong major version', bytes: Buffer.of(22, 2, 0), expected: {status: 'error', code: 'not-tls', message: 'record version major 2 is not 3'}},
    {name: 'empty input', bytes: Buffer.alloc(0), expected: {status: 'incomplete'}},
    {name: 'ServerHello instead of ClientHello', bytes: Buffer.of(22, 3, 3, 0, 4, 2, 0, 0, 0), expected: {status: 'error', code: 'malformed', message: 'first handshake message has type 2, not ClientHello (1)'}},
    {name: 'empty record', bytes: Buffer.of(22, 3, 1, 0, 0), expected: {status: 'error', code: 'malformed', message: 'empty handshake record at byte 0'}},
    {name: 'alert record in the middle', bytes: Buffer.concat([splitIntoRecords(buildClientHello({sni: 'a.example.com'}), 10).subarray(0, 15), Buffer.of(21, 3, 3, 0, 2, 2, 40)]), expected: {status: 'error', code: 'malformed', message: 'record at byte 15 has content type 21 before the ClientHello ended'}},
    {name: 'body shorter than the fixed fields', bytes: Buffer.of(22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0), expected: {status: 'error', code: 'malformed', message: 'ClientHello ends before its extensions'}},
    {name: 'no extensions at all', bytes: (() => { const full = buildClientHello(); return Buffer.concat([Buffer.of(22, 3, 1, 0, 4 + 2 + 32 + 1 + 4 + 2, 1, 0, 0, 2 + 32 + 1 + 4 + 2), full.subarray(9, 9 + 2 + 32 + 1 + 4 + 2)]) })(), expected: {status: 'complete', hello: {sni: '', alpn: [], recordVersion: 0x0301}}},
    {name: 'synthetic SNI and ALPN', bytes: buildClientHello({sni: 'API.Example.COM.', alpn: ['http/1.1']}), expected: {status: 'complete', hello: {sni: 'api.example.com', alpn: ['http/1.1'], recordVersion: 0x0301}}},
    {name: 'SNI with a space', bytes: buildClientHello({sni: 'bad host.example.com'}), expected: {status: 'error', code: 'invalid-sni', message: 'SNI "bad host.example.com" is not a DNS name'}},
    {name: 'SNI with a NUL byte', bytes: buildClientHello({sni: Buffer.from('app.example.com\0evil', 'latin1')}), expected: {status: 'error', code: 'invalid-sni', message: 'SNI "app.example.com\\u0000evil" is not a DNS name'}},
    {name: 'SNI with UTF-8 bytes', bytes: buildClientHello({sni: Buffer.from('bücher.example', 'utf8')}), expected: {status: 'error', code: 'invalid-sni', message: 'SNI "bÃ¼cher.example" is not a DNS name'}},
    {name: 'SNI with an empty label', bytes: buildClientHello({sni: 'a..example.com'}), expected: {status: 'error', code: 'invalid-sni', message: 'SNI "a..example.com" is not a DNS name'}},
    {name: 'SNI wildcard', bytes: buildClientHello({sni: '*.example.com'}), expected: {status: 'error', code: 'invalid-sni', message: 'SNI "*.example.com" is not a DNS name'}},
    {name: 'empty ALPN name', bytes: buildClientHello({alpn: ['']}), expected: {status: 'error', code: 'malformed', message: 'malformed ALPN extension'}},
    {name: 'hello spanning two full records (20 KiB padding)', bytes: buildClientHello({sni: 'big.example.com', padding: 20_000}), expected: {status: 'complete', hello: {sni: 'big.example.com', alpn: [], recordVersion: 0x0301}}},
    {name: 'hello above the limit', bytes: buildClientHello({sni: 'big.example.com', padding: 40_000}), expected: {status: 'error', code: 'too-large', message: 'ClientHello exceeds the 32768-byte limit'}},
    {name: 'declared length above the limit, before the bytes arrive', bytes: Buffer.of(22, 3, 1, 0, 4, 1, 0xff, 0xff, 0xff), expected: {status: 'error', code: 'too-large', message: 'ClientHello exceeds the 32768-byte limit'}},
  ]
  for (const {name, bytes, expected, limit} of table) {
    it(name, () => assert.deepEqual(parseClientHello(bytes, limit ?? LIMIT), expected))
  }

  it('reports a server_name extension whose list runs past its end', () => {
    const hello = buildClientHello({sni: 'a.example.com'})
    const at = hello.indexOf(Buffer.from('a.example.com')) - 5
    hello.writeUInt16BE(0xff, at)
    assert.deepEqual(parseClientHello(hello, LIMIT), {status: 'error', code: 'malformed', message: 'malformed server_name extension'})
  })
})
