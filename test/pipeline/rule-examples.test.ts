/**
 * Every YAML example of the rule catalogue (docs/rules.md, `gwctl rules ID`,
 * SARIF help) is linted with the default flags and must report its rule,
 * with the catalogue's default severity and category: an example that no
 * longer triggers its rule is a documentation bug.
 */
import {strict as assert} from 'node:assert'
import {analyzeTexts} from '../../src/pipeline/analyze.js'
import {listRules} from '../../src/pipeline/rule-catalogue.js'

const NOW = new Date('2025-06-01T00:00:00Z')

describe('rule catalogue examples', () => {
  for (const rule of listRules()) {
    if (!('yaml' in rule.example)) continue
    const {yaml} = rule.example
    it(`${rule.id}: its YAML example reports it`, async () => {
      const analysis = await analyzeTexts([{file: 'example.yaml', text: yaml}], {now: NOW})
      const finding = analysis.findings.find((candidate) => candidate.ruleId === rule.id)
      const reported = [...new Set(analysis.findings.map((candidate) => candidate.ruleId))].join(', ') || 'nothing'
      assert.ok(finding, `the example of ${rule.id} reports ${reported}`)
      assert.equal(finding.severity, rule.defaultSeverity, `severity of ${rule.id}`)
      assert.equal(finding.category, rule.category, `category of ${rule.id}`)
    })
  }
})
