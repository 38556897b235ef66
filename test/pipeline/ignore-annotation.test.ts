import {strict as assert} from 'node:assert'
import {parseIgnoreAnnotation, type ParsedIgnoreAnnotation} from '../../src/pipeline/ignore-annotation.js'

describe('parseIgnoreAnnotation: "RULE_ID, RULE_ID: reason; RULE_ID: reason"', () => {
  const cases: Array<{name: string; value: string; expected: ParsedIgnoreAnnotation}> = [
    {name: 'one id', value: 'backend-not-found', expected: {entries: [{ruleIds: ['backend-not-found'], reason: ''}], problems: []}},
    {name: 'one id with a reason', value: 'backend-not-found: the Service is deployed by another repo', expected: {entries: [{ruleIds: ['backend-not-found'], reason: 'the Service is deployed by another repo'}], problems: []}},
    {name: 'several ids, spaces anywhere', value: '  a-rule ,b-rule,  c-rule :  why  ', expected: {entries: [{ruleIds: ['a-rule', 'b-rule', 'c-rule'], reason: 'why'}], problems: []}},
    {
      name: 'several entries, each with its reason',
      value: 'a-rule: why; b-rule, c-rule: other why',
      expected: {entries: [{ruleIds: ['a-rule'], reason: 'why'}, {ruleIds: ['b-rule', 'c-rule'], reason: 'other why'}], problems: []},
    },
    {name: 'a reason may hold colons', value: 'a-rule: see https://example.com/t/1: fixed later', expected: {entries: [{ruleIds: ['a-rule'], reason: 'see https://example.com/t/1: fixed later'}], problems: []}},
    {name: 'a trailing ; and empty entries are ignored', value: 'a-rule: why;; ', expected: {entries: [{ruleIds: ['a-rule'], reason: 'why'}], problems: []}},
    {name: 'an empty reason is no reason', value: 'a-rule:', expected: {entries: [{ruleIds: ['a-rule'], reason: ''}], problems: []}},
    {name: 'empty value', value: '  ', expected: {entries: [], problems: ['is empty: list the rule ids to silence, e.g. "backend-not-found: the Service is deployed by another repository"']}},
    {name: 'a reason without ids', value: ': because', expected: {entries: [], problems: ["entry ': because' names no rule id before its ':'"]}},
    {name: 'a stray comma; the other ids still apply', value: 'a-rule,, b-rule: why', expected: {entries: [{ruleIds: ['a-rule', 'b-rule'], reason: 'why'}], problems: ["entry 'a-rule,, b-rule: why' has an empty rule id (a stray ',')"]}},
    {
      name: 'a reason without its colon',
      value: 'a-rule the Service lives elsewhere',
      expected: {entries: [], problems: [`'a-rule the Service lives elsewhere' is not a rule id: separate ids with ',' and the reason with ':' ("RULE_ID, RULE_ID: reason")`]},
    },
  ]
  for (const {name, value, expected} of cases) {
    it(name, () => assert.deepEqual(parseIgnoreAnnotation(value), expected))
  }
})
