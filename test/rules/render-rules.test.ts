import {strict as assert} from 'node:assert'
import type {RuleMeta} from '../../src/findings/finding.js'
import {renderRuleDetails, renderRuleJson, renderRulesJson, renderRuleTable} from '../../src/rules/render-rules.js'

const RULES: RuleMeta[] = [
  {id: 'input-binary', category: 'input', defaultSeverity: 'error', description: 'A file is not text.', why: 'Why one.', fix: 'Fix one.', example: {text: 'A PNG.'}},
  {
    id: 'listener-overlapping-tls', category: 'semantic', defaultSeverity: 'info', description: 'Hostnames overlap.',
    why: 'Why two.', fix: 'Fix two.', example: {yaml: 'kind: Gateway\n'}, source: 'GEP-3567',
  },
]

describe('gwctl rules rendering', () => {
  it('table: a header and one aligned line per rule', () => {
    assert.equal(renderRuleTable(RULES), [
      'RULE                      CATEGORY  SEVERITY  SUMMARY',
      'input-binary              input     error     A file is not text.',
      'listener-overlapping-tls  semantic  info      Hostnames overlap.',
    ].join('\n'))
  })

  it('an empty list is the header alone', () => {
    assert.equal(renderRuleTable([]), 'RULE  CATEGORY  SEVERITY  SUMMARY')
  })

  it('details: id, category and severity, then the help', () => {
    assert.equal(renderRuleDetails(RULES[1], 80), [
      'listener-overlapping-tls',
      'semantic rule · default severity info',
      '',
      'Hostnames overlap.',
      '',
      'Why it matters:',
      '  Why two.',
      '',
      'How to fix:',
      '  Fix two.',
      '',
      'Example:',
      '  kind: Gateway',
      '',
      'Source: GEP-3567',
    ].join('\n'))
  })

  it('json: version 1, keys in order, source omitted when absent', () => {
    const list = JSON.parse(renderRulesJson(RULES))
    assert.deepEqual(Object.keys(list), ['version', 'rules'])
    assert.equal(list.version, 1)
    assert.deepEqual(list.rules[0], {id: 'input-binary', category: 'input', defaultSeverity: 'error', summary: 'A file is not text.', why: 'Why one.', fix: 'Fix one.', example: {text: 'A PNG.'}})
    assert.deepEqual(Object.keys(list.rules[1]), ['id', 'category', 'defaultSeverity', 'summary', 'why', 'fix', 'example', 'source'])
    assert.deepEqual(JSON.parse(renderRuleJson(RULES[1])), {version: 1, rule: list.rules[1]})
  })
})
