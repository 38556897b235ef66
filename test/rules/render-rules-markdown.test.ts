import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {listRules, RULE_CATEGORIES} from '../../src/pipeline/rule-catalogue.js'
import {renderRulesMarkdown} from '../../src/rules/render-rules-markdown.js'
import {REPO_ROOT} from '../support/fixture-expectations.js'

describe('docs/rules.md', () => {
  const generated = renderRulesMarkdown(listRules(), RULE_CATEGORIES)

  it('is in sync with the rule catalogue (regenerate with npm run docs:rules)', () => {
    assert.equal(readFileSync(join(REPO_ROOT, 'docs', 'rules.md'), 'utf8'), generated)
  })

  it('indexes every rule and gives each its own section, under its category', () => {
    for (const rule of listRules()) {
      assert.ok(generated.includes(`| [${rule.id}](#${rule.id}) | ${rule.category} | ${rule.defaultSeverity} |`), `index row of ${rule.id}`)
      const section = generated.indexOf(`\n### ${rule.id}\n`)
      assert.ok(section > generated.indexOf(`\n## ${rule.category}\n`), `section of ${rule.id} under ## ${rule.category}`)
    }
  })

  it('escapes a pipe in a summary and skips empty categories', () => {
    const text = renderRulesMarkdown(
      [{id: 'a-b', category: 'practice', defaultSeverity: 'info', description: 'x | y.', why: 'w.', fix: 'f.', example: {text: 't.'}}],
      RULE_CATEGORIES,
    )
    assert.ok(text.includes('| [a-b](#a-b) | practice | info | x \\| y. |'))
    assert.ok(!text.includes('## input'))
    assert.ok(text.includes('## practice'))
  })
})
