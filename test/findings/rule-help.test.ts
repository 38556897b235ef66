import {strict as assert} from 'node:assert'
import type {RuleMeta} from '../../src/findings/finding.js'
import {exampleShell, exampleText, exampleYaml} from '../../src/findings/rule-example.js'
import {formatRuleHelpMarkdown, formatRuleHelpText, wrapText} from '../../src/findings/rule-help.js'

const RULE: RuleMeta = {
  id: 'sample-rule',
  category: 'semantic',
  defaultSeverity: 'warning',
  description: 'A listener that does something odd.',
  why: 'Traffic goes somewhere else than the author meant, and nobody notices until a client fails.',
  fix: 'Change `spec.listeners[].port`.',
  example: exampleYaml(`
    kind: Gateway
    spec:
      listeners: []
  `),
  source: 'Gateway API: Listener.Port',
}

describe('rule help', () => {
  it('examples: indentation, the first line break and trailing space are removed; text joins its lines', () => {
    assert.deepEqual(exampleYaml('\n      a:\n        b: 1   \n\n      c: 2\n    '), {yaml: 'a:\n  b: 1\n\nc: 2\n'})
    assert.deepEqual(exampleShell('\n  gwctl lint x\n'), {shell: 'gwctl lint x\n'})
    assert.deepEqual(exampleText('\n  One sentence\n  on two lines.\n'), {text: 'One sentence on two lines.'})
  })

  it('text: sections, wrapped prose, the example indented and never wrapped', () => {
    assert.equal(formatRuleHelpText(RULE, {width: 40}), [
      'A listener that does something odd.',
      '',
      'Why it matters:',
      '  Traffic goes somewhere else than the',
      '  author meant, and nobody notices until',
      '  a client fails.',
      '',
      'How to fix:',
      '  Change `spec.listeners[].port`.',
      '',
      'Example:',
      '  kind: Gateway',
      '  spec:',
      '    listeners: []',
      '',
      'Source: Gateway API: Listener.Port',
    ].join('\n'))
  })

  it('text without a width does not wrap; no source line without a source; a text example is prose', () => {
    const rule: RuleMeta = {...RULE, source: undefined, example: exampleText('A file saved as UTF-16.')}
    assert.equal(formatRuleHelpText(rule), [
      'A listener that does something odd.',
      '',
      'Why it matters:',
      `  ${RULE.why}`,
      '',
      'How to fix:',
      `  ${RULE.fix}`,
      '',
      'Example:',
      '  A file saved as UTF-16.',
    ].join('\n'))
  })

  const markdownCases: Array<{name: string; rule: RuleMeta; example: string}> = [
    {name: 'yaml', rule: RULE, example: '```yaml\nkind: Gateway\nspec:\n  listeners: []\n```'},
    {name: 'shell', rule: {...RULE, example: exampleShell('gwctl lint x')}, example: '```sh\ngwctl lint x\n```'},
    {name: 'text', rule: {...RULE, example: exampleText('In words.')}, example: 'In words.'},
    {name: 'code holding a fence', rule: {...RULE, example: {shell: 'echo ```\n'}}, example: '~~~~sh\necho ```\n~~~~'},
  ]
  for (const {name, rule, example} of markdownCases) {
    it(`markdown, example: ${name}`, () => {
      assert.equal(formatRuleHelpMarkdown(rule), [
        'A listener that does something odd.',
        '',
        `**Why it matters.** ${RULE.why}`,
        '',
        `**How to fix.** ${RULE.fix}`,
        '',
        '**Example.**',
        '',
        example,
        '',
        'Source: Gateway API: Listener.Port.',
      ].join('\n'))
    })
  }

  const wrapCases: Array<{text: string; width: number | undefined; indent: string; expected: string}> = [
    {text: 'a b c', width: undefined, indent: '> ', expected: '> a b c'},
    {text: 'aaa bbb ccc', width: 7, indent: '', expected: 'aaa bbb\nccc'},
    {text: 'aaa bbb ccc', width: 7, indent: '  ', expected: '  aaa\n  bbb\n  ccc'},
    {text: 'averyveryverylongword x', width: 5, indent: '', expected: 'averyveryverylongword\nx'},
    {text: '  spaced   out  ', width: 80, indent: '', expected: 'spaced out'},
  ]
  for (const {text, width, indent, expected} of wrapCases) {
    it(`wrapText(${JSON.stringify(text)}, ${width}, ${JSON.stringify(indent)})`, () => {
      assert.equal(wrapText(text, width, indent), expected)
    })
  }
})
