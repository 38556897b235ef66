import assert from 'node:assert/strict'
import {isLoopbackAddress} from '../../src/serve/gateway-addresses.js'

describe('serve/gateway-addresses: isLoopbackAddress', () => {
  const cases: Array<[string, boolean]> = [
    ['127.0.0.1', true], ['127.0.0.2', true], ['127.255.255.254', true], ['128.0.0.1', false], ['10.0.0.5', false],
    ['::1', true], ['0:0:0:0:0:0:0:1', true], ['::ffff:127.0.0.3', true], ['::2', false], ['fe80::1', false], ['localhost', false], ['', false],
  ]
  for (const [address, loopback] of cases) it(`${address || '(empty)'} → ${loopback}`, () => assert.equal(isLoopbackAddress(address), loopback))
})
