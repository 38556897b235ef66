import assert from 'node:assert/strict'
import {assignTargets, parseTargetAddress, parseTargetMapping} from '../../../src/testing/live/target-addresses.js'
import {UserError} from '../../../src/errors/user-error.js'

describe('testing/live/target-addresses', () => {
  const addresses: Array<{value: string; parsed?: {host: string; port?: number}}> = [
    {value: '203.0.113.7', parsed: {host: '203.0.113.7'}},
    {value: 'gateway.example.com:8443', parsed: {host: 'gateway.example.com', port: 8443}},
    {value: '[2001:db8::7]:443', parsed: {host: '2001:db8::7', port: 443}},
    {value: '2001:db8::7', parsed: {host: '2001:db8::7'}},
    {value: ' 127.0.0.1:1 ', parsed: {host: '127.0.0.1', port: 1}},
    {value: '127.0.0.1:0'},
    {value: '127.0.0.1:65536'},
    {value: 'https://gateway.example.com'},
    {value: ''},
  ]
  for (const {value, parsed} of addresses) {
    it(`--target ${JSON.stringify(value)} → ${parsed === undefined ? 'usage error' : JSON.stringify(parsed)}`, () => {
      if (parsed === undefined) assert.throws(() => parseTargetAddress(value), (error: unknown) => error instanceof UserError && /expected HOST or HOST:PORT/.test(error.message))
      else assert.deepEqual(parseTargetAddress(value), parsed)
    })
  }

  it('parses --target-map with and without a listener port, and refuses a malformed one', () => {
    assert.deepEqual(parseTargetMapping('infra/public=203.0.113.7'), {gateway: {namespace: 'infra', name: 'public'}, address: {host: '203.0.113.7'}})
    assert.deepEqual(parseTargetMapping('infra/public:443=127.0.0.1:8443'), {gateway: {namespace: 'infra', name: 'public'}, listenerPort: 443, address: {host: '127.0.0.1', port: 8443}})
    for (const bad of ['public=1.2.3.4', 'infra/public', 'infra/Public=1.2.3.4', 'infra/public:0=1.2.3.4']) {
      assert.throws(() => parseTargetMapping(bad), (error: unknown) => error instanceof UserError && /--target-map/.test(error.message), bad)
    }
  })

  const gateways = [{gateway: {namespace: 'a', name: 'one'}, ports: [443, 80]}, {gateway: {namespace: 'b', name: 'two'}, ports: [443]}]
  const resolutions: Array<{why: string; targets?: string[]; targetMap?: string[]; expect: Array<[string, number, string]>}> = [
    {why: 'one host for every Gateway, each listener on its own port', targets: ['10.0.0.1'],
      expect: [['a/one', 443, '10.0.0.1:443'], ['a/one', 80, '10.0.0.1:80'], ['b/two', 443, '10.0.0.1:443']]},
    {why: 'several --target values pair with the Gateways in input order', targets: ['10.0.0.1', '10.0.0.2:8443'],
      expect: [['a/one', 80, '10.0.0.1:80'], ['b/two', 443, '10.0.0.2:8443']]},
    {why: '--target-map wins over --target; a port-specific entry over a gateway-wide one', targets: ['10.0.0.1'], targetMap: ['b/two=10.0.0.9', 'a/one:80=127.0.0.1:8080'],
      expect: [['a/one', 443, '10.0.0.1:443'], ['a/one', 80, '127.0.0.1:8080'], ['b/two', 443, '10.0.0.9:443']]},
    {why: 'one port per listener port of a multi-port Gateway', targetMap: ['a/one:443=127.0.0.1:1', 'a/one:80=127.0.0.1:2'],
      expect: [['a/one', 443, '127.0.0.1:1'], ['a/one', 80, '127.0.0.1:2'], ['b/two', 443, 'none']]},
  ]
  for (const {why, targets, targetMap, expect} of resolutions) {
    it(`resolves: ${why}`, () => {
      const resolve = assignTargets(gateways, targets ?? [], targetMap ?? [])
      for (const [name, port, address] of expect) {
        const [namespace, gateway] = name.split('/')
        const found = resolve({namespace, name: gateway}, port)
        assert.equal('notServed' in found ? 'none' : `${found.host}:${found.port}`, address, `${name}:${port}`)
      }
    })
  }

  const refusals: Array<{why: string; targets?: string[]; targetMap?: string[]; error: RegExp}> = [
    {why: 'HOST:PORT for a Gateway with two listener ports', targets: ['127.0.0.1:8443'], error: /is one port, but the Gateway listens on ports 443, 80/},
    {why: 'a count of --target values that matches no Gateway count', targets: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], error: /3 --target values for 2 Gateways \(a\/one, b\/two\)/},
    {why: 'an unknown Gateway', targetMap: ['a/three=1.1.1.1'], error: /no such Gateway in the manifests \(they hold a\/one, b\/two\)/},
    {why: 'a listener port the Gateway lacks', targetMap: ['b/two:80=1.1.1.1:80'], error: /has no listener on port 80 \(its ports: 443\)/},
  ]
  for (const {why, targets, targetMap, error} of refusals) {
    it(`refuses ${why}`, () => {
      assert.throws(() => assignTargets(gateways, targets ?? [], targetMap ?? []), (thrown: unknown) => thrown instanceof UserError && error.test(thrown.message))
    })
  }
})
