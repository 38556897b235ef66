import assert from 'node:assert/strict'
import {isIpAddress, isIpv4Format, isIpv6Format} from '../../src/schema/ip-address.js'

/** Expected [isIP (netip, CEL), format ipv4, format ipv6] as the API server decides them. */
const CASES: Array<[string, boolean, boolean, boolean]> = [
  ['10.0.0.1', true, true, false],
  ['255.255.255.255', true, true, false],
  ['0.0.0.0', true, true, false],
  ['256.0.0.1', false, false, false],
  ['010.0.0.1', false, true, false],
  ['1.2.3', false, false, false],
  ['1.2.3.4.5', false, false, false],
  ['1.2.3.', false, false, false],
  ['a.b.c.d', false, false, false],
  ['::1', true, false, true],
  ['::', true, false, true],
  ['2001:db8::8a2e:370:7334', true, false, true],
  ['2001:0db8:0000:0000:0000:ff00:0042:8329', true, false, true],
  ['1:2:3:4:5:6:7:8', true, false, true],
  ['1:2:3:4:5:6:7::', true, false, true],
  ['1::2:3:4:5:6:7:8', false, false, false],
  ['1:2:3:4:5:6:7:8:9', false, false, false],
  ['1::2::3', false, false, false],
  ['12345::1', false, false, false],
  ['::ffff:1.2.3.4', false, true, true],
  ['::1.2.3.4', true, true, true],
  ['64:ff9b::1.2.3.4', true, true, true],
  ['fe80::1%eth0', false, false, false],
  ['fe80::1%', false, false, false],
  [':1', false, false, false],
  ['1:', false, false, false],
  ['', false, false, false],
  ['example.com', false, false, false],
]

describe('schema/ip-address', () => {
  for (const [text, ip, v4, v6] of CASES) {
    it(JSON.stringify(text), () => {
      assert.deepEqual([isIpAddress(text), isIpv4Format(text), isIpv6Format(text)], [ip, v4, v6])
    })
  }
})
