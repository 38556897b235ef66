import assert from 'node:assert/strict'
import {compileCelExpression} from '../../src/schema/cel-rules.js'

/** Kubernetes CEL library functions and the standard functions the CRD rules rely on. */
const CASES: Array<[string, unknown]> = [
  ["isIP('10.0.0.1')", true],
  ["isIP('2001:db8::1')", true],
  ["isIP('010.0.0.1')", false],
  ["isIP('::ffff:10.0.0.1')", false],
  ["isIP('fe80::1%eth0')", false],
  ["isIP('api.example.com')", false],
  ["format.dns1123Label().validate('web') == null", true],
  ["format.dns1123Label().validate('Web') != null", true],
  ["format.dns1123Label().validate('web_1')[0].startsWith('a lowercase RFC 1123 label')", true],
  ["format.dns1123Subdomain().validate('a.b-c') == null", true],
  ["format.dns1035Label().validate('1abc') != null", true],
  ["format.qualifiedName().validate('example.com/Name') == null", true],
  ["format.labelValue().validate('') == null", true],
  ["format.dns1123LabelPrefix().validate('web-') == null", true],
  ["'example.com/name'.split('/')[0]", 'example.com'],
  ["'*.example.com'.substring(2)", 'example.com'],
  ["duration('1h') > duration('59m59s')", true],
  ["duration('500ms') < duration('1s')", true],
  ["duration('1h2m3s4ms') == duration('3723004ms')", true],
  ["'a.b'.matches('^a\\\\.b$') && !'axb'.matches('^a\\\\.b$')", true],
  ["'FOO.bar'.matches('^(?i)foo\\\\.BAR$')", true],
  ["[1, 2, 2].filter(x, x == 2).size()", 2n],
  ["[1, 2, 2].exists_one(x, x == 1)", true],
  ["{'a': 1}.all(k, k == 'a')", true],
]

describe('schema/cel-library', () => {
  for (const [expression, expected] of CASES) {
    it(expression, () => assert.deepEqual(compileCelExpression(expression)({}), expected))
  }

  it('compiles an expression once', () => {
    assert.equal(compileCelExpression("isIP('10.0.0.1')"), compileCelExpression("isIP('10.0.0.1')"))
  })

  it('throws on a syntax error', () => {
    assert.throws(() => compileCelExpression('self.all(x,'))
  })
})
