import assert from 'node:assert/strict'
import {findUncoveredHostnames, normalizeIp} from '../../src/certs/hostname-coverage.js'

describe('certs/hostname-coverage', () => {
  const sans = {dns: ['app.example.com', '*.api.example.com'], ip: ['10.0.0.1', '2001:db8::1'], other: []}
  const cases: Array<[string, string[], string[]]> = [
    ['precise name covered', ['app.example.com'], []],
    ['case and trailing dot ignored', ['APP.example.com.'], []],
    ['wildcard SAN covers one label', ['v1.api.example.com'], []],
    ['wildcard SAN does not cover two labels', ['a.v1.api.example.com'], ['a.v1.api.example.com']],
    ['wildcard SAN does not cover the bare domain', ['api.example.com'], ['api.example.com']],
    ['wildcard hostname covered by the same wildcard', ['*.api.example.com'], []],
    ['wildcard hostname not covered by a broader-looking precise SAN', ['*.example.com'], ['*.example.com']],
    ['IPv4 hostname', ['10.0.0.1'], []],
    ['IPv6 hostname in another spelling and in brackets', ['[2001:DB8:0:0:0:0:0:1]'], []],
    ['IP not in the SANs', ['10.0.0.2'], ['10.0.0.2']],
    ['`*` and empty ask for nothing, duplicates reported once', ['*', '', 'x.example.com', 'x.example.com'], ['x.example.com']],
  ]
  for (const [name, hostnames, expected] of cases) {
    it(name, () => assert.deepEqual(findUncoveredHostnames(sans, hostnames), expected))
  }

  it('a certificate without SAN covers nothing', () => {
    assert.deepEqual(findUncoveredHostnames(null, ['app.example.com', '*']), ['app.example.com'])
  })

  const ips: Array<[string, string]> = [
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['::ffff:10.1.2.3', '::ffff:a01:203'],
    ['fe80::', 'fe80::'],
    ['192.168.0.1', '192.168.0.1'],
  ]
  for (const [input, expected] of ips) it(`normalizeIp ${input}`, () => assert.equal(normalizeIp(input), expected))
})
