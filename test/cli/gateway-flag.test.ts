import assert from 'node:assert/strict'
import {parseGatewayFlag} from '../../src/cli/gateway-flag.js'

describe('cli/gateway-flag', () => {
  const valid: Array<[string, string, {namespace: string; name: string}]> = [
    ['gw', 'default', {namespace: 'default', name: 'gw'}],
    ['gw', 'infra', {namespace: 'infra', name: 'gw'}],
    ['infra/edge', 'default', {namespace: 'infra', name: 'edge'}],
    ['infra/edge.v2', 'default', {namespace: 'infra', name: 'edge.v2'}],
    ['a-1/b-2', 'default', {namespace: 'a-1', name: 'b-2'}],
  ]
  for (const [value, namespace, expected] of valid) {
    it(`${value} (--namespace ${namespace})`, () => assert.deepEqual(parseGatewayFlag(value, namespace), expected))
  }

  const invalid: Array<[string, string, RegExp]> = [
    ['a/b/c', 'default', /^--gateway 'a\/b\/c' has more than one \/$/],
    ['/x', 'default', /^--gateway '\/x': the namespace before \/ is empty$/],
    ['x/', 'default', /^--gateway 'x\/': the name is empty$/],
    ['', 'default', /^--gateway '': the name is empty$/],
    ['Infra/edge', 'default', /'Infra' is not a namespace name/],
    ['infra.x/edge', 'default', /'infra\.x' is not a namespace name/],
    ['edge_1', 'default', /'edge_1' is not a Gateway name/],
    ['gw', 'Bad_NS', /'Bad_NS' is not a namespace name/],
    [`ns/${'a'.repeat(254)}`, 'default', /is not a Gateway name/],
  ]
  for (const [value, namespace, pattern] of invalid) {
    it(`refuses ${JSON.stringify(value.slice(0, 20))} (--namespace ${namespace}) with a hint`, () => {
      assert.throws(() => parseGatewayFlag(value, namespace), (error: Error & {kind?: string; hint?: string}) => {
        assert.match(error.message, pattern)
        assert.equal(error.kind, 'usage')
        assert.equal(error.hint, 'use NAMESPACE/NAME, or NAME with --namespace')
        return true
      })
    })
  }
})
