import assert from 'node:assert/strict'
import {
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkQualifiedName,
} from '../../src/schema/kubernetes-names.js'

const CASES: Array<{check: (v: string) => string[]; valid: string[]; invalid: string[]}> = [
  {check: checkDns1123Label, valid: ['a', 'a-b', '0a', 'a'.repeat(63)], invalid: ['', 'A', 'a.b', '-a', 'a-', 'a'.repeat(64)]},
  {check: checkDns1123Subdomain, valid: ['a', 'a.b-c.d', 'a'.repeat(253)], invalid: ['', 'a..b', '.a', 'A.b', 'a_b', 'a'.repeat(254)]},
  {check: checkDns1035Label, valid: ['a', 'a-1'], invalid: ['1a', 'a.b', '', 'a'.repeat(64)]},
  {check: checkQualifiedName, valid: ['a', 'A_b.c-D', 'example.com/Name', `${'a'.repeat(253)}/${'b'.repeat(63)}`], invalid: ['', '/a', 'a/', 'a/b/c', 'Example.com/a', '-a', 'a-', 'b'.repeat(64), 'a b']},
  {check: checkLabelValue, valid: ['', 'a', 'A.b_c-d', 'a'.repeat(63)], invalid: ['-a', 'a b', 'a/b', 'a'.repeat(64)]},
]

describe('schema/kubernetes-names', () => {
  for (const {check, valid, invalid} of CASES) {
    it(check.name, () => {
      for (const value of valid) assert.deepEqual(check(value), [], value)
      for (const value of invalid) assert.notDeepEqual(check(value), [], value)
    })
  }

  it('words problems as the API server does', () => {
    assert.deepEqual(checkDns1123Label('a'.repeat(64)), ['must be no more than 63 characters'])
    assert.deepEqual(checkQualifiedName('/a'), ['prefix part must be non-empty'])
  })
})
