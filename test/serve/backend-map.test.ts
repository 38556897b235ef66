import assert from 'node:assert/strict'
import {parseBackendFlag, parseBackendsFile, parseHostPort} from '../../src/serve/backend-map.js'

describe('serve/backend-map', () => {
  const flags: Array<[string, [string, {host: string; port: number}] | string]> = [
    ['default/app:443=127.0.0.1:9443', ['default/app:443', {host: '127.0.0.1', port: 9443}]],
    ['payments/pay-api:8443=localhost:18443', ['payments/pay-api:8443', {host: 'localhost', port: 18443}]],
    ['default/app:443=[::1]:9443', ['default/app:443', {host: '::1', port: 9443}]],
    ['default/app:443=9443', ['default/app:443', {host: '127.0.0.1', port: 9443}]],
    ['app:443=127.0.0.1:9443', 'expected NAMESPACE/NAME:PORT=HOST:PORT'],
    ['default/app=127.0.0.1:9443', 'expected NAMESPACE/NAME:PORT=HOST:PORT'],
    ['default/app:443=127.0.0.1:99999', 'expected NAMESPACE/NAME:PORT=HOST:PORT'],
    ['default/App:443=127.0.0.1:1', 'expected NAMESPACE/NAME:PORT=HOST:PORT'],
  ]
  for (const [value, expected] of flags) {
    it(`--backend ${value}`, () => {
      if (typeof expected === 'string') assert.throws(() => parseBackendFlag(value), (error: Error) => error.message.includes(expected))
      else assert.deepEqual(parseBackendFlag(value), expected)
    })
  }

  it('parseHostPort refuses port 0 and junk', () => {
    assert.equal(parseHostPort('127.0.0.1:0'), undefined)
    assert.equal(parseHostPort('host name:80'), undefined)
  })

  it('reads a backends file', () => {
    const map = parseBackendsFile('default/app:443: 127.0.0.1:9443\n"eu/eu-api:8443": localhost:9444\n', 'backends.yaml')
    assert.deepEqual([...map], [['default/app:443', {host: '127.0.0.1', port: 9443}], ['eu/eu-api:8443', {host: 'localhost', port: 9444}]])
  })

  const broken: Array<[string, string]> = [
    ['default/app:443: [1, 2]\n', 'backends.yaml:1: value of default/app:443 is not HOST:PORT'],
    ['ok/a:1: 127.0.0.1:2\nnot a key: 127.0.0.1:3\n', 'backends.yaml:2: key "not a key" is not NAMESPACE/NAME:PORT'],
    ['- a\n- b\n', 'backends.yaml:1: expected a map of NAMESPACE/NAME:PORT: HOST:PORT'],
    ['a: [\n', 'backends.yaml:2: '],
  ]
  for (const [text, message] of broken) {
    it(`names file and line: ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseBackendsFile(text, 'backends.yaml'), (error: Error) => error.message.startsWith(message))
    })
  }
})
