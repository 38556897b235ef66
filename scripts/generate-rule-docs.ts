/**
 * `npm run docs:rules`: writes docs/rules.md from the rule catalogue.
 * `--check` writes nothing and exits 1 when the file is out of date.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {listRules, RULE_CATEGORIES} from '../src/pipeline/rule-catalogue.js'
import {renderRulesMarkdown} from '../src/rules/render-rules-markdown.js'

const target = fileURLToPath(new URL('../docs/rules.md', import.meta.url))
const text = renderRulesMarkdown(listRules(), RULE_CATEGORIES)

if (process.argv.includes('--check')) {
  let current = ''
  try {
    current = readFileSync(target, 'utf8')
  } catch {
    current = ''
  }
  if (current !== text) {
    process.stderr.write('docs/rules.md is out of date: run npm run docs:rules\n')
    process.exitCode = 1
  }
} else {
  writeFileSync(target, text)
  process.stdout.write(`wrote docs/rules.md (${listRules().length} rules)\n`)
}
