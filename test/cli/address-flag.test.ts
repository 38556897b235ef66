import assert from 'node:assert/strict'
import {parseAddressFlags} from '../../src/cli/address-flag.js'

describe('cli/address-flag', () => {
  const valid: Array<[string[], {all?: string; byGateway: Array<[string, string]>}]> = [
    [[], {byGateway: []}],
    [['127.0.0.1'], {all: '127.0.0.1', byGateway: []}],
    [['::1'], {all: '::1', byGateway: []}],
    [['[::1]'], {all: '::1', byGateway: []}],
    [['localhost'], {all: 'localhost', byGateway: []}],
    [['infra/edge=127.0.0.2', 'web=127.0.0.3', '0.0.0.0'], {all: '0.0.0.0', byGateway: [['infra/edge', '127.0.0.2'], ['default/web', '127.0.0.3']]}],
  ]
  for (const [values, expected] of valid) {
    it(`${values.join(' ') || '(none)'}`, () => {
      const parsed = parseAddressFlags(values, 'default')
      assert.deepEqual({all: parsed.all, byGateway: [...parsed.byGateway]}, {all: expected.all, byGateway: expected.byGateway})
    })
  }
  const invalid: Array<[string[], RegExp]> = [
    [['127.0.0.1', '127.0.0.2'], /^--address 127\.0\.0\.1 and --address 127\.0\.0\.2: only one address can apply to every Gateway$/],
    [['a/b/c=127.0.0.2'], /^--address "a\/b\/c=127\.0\.0\.2": expected ADDRESS or NAMESPACE\/NAME=ADDRESS$/],
    [['gw=127.0.0.2', 'gw=127.0.0.3'], /^--address gives Gateway default\/gw two addresses, 127\.0\.0\.2 and 127\.0\.0\.3$/],
    [['gw=not an address'], /is not an IP address or host name$/],
  ]
  for (const [values, expected] of invalid) {
    it(`${values.join(' ')} is refused`, () => assert.throws(() => parseAddressFlags(values, 'default'), (error: Error) => expected.test(error.message)))
  }
})
