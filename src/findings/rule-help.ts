/**
 * The help of one rule as text (a terminal, SARIF `help.text`) and as
 * Markdown (SARIF `help.markdown`, shown in GitHub code scanning, and
 * docs/rules.md): the summary, why it matters, how to fix it, an example
 * and the source. Pure; one rendering for every place a rule is explained.
 */
import type {RuleExample, RuleMeta} from './finding.js'

export interface RuleHelpTextOptions {
  /** Wrap prose at this many columns (examples are never wrapped); no wrapping when undefined. */
  width?: number
}

const INDENT = '  '

/** Sections separated by blank lines, each heading followed by its text indented by two spaces. */
export function formatRuleHelpText(rule: RuleMeta, options: RuleHelpTextOptions = {}): string {
  const wrap = (text: string, indent: string) => wrapText(text, options.width, indent)
  const sections = [
    wrap(rule.description, ''),
    `Why it matters:\n${wrap(rule.why, INDENT)}`,
    `How to fix:\n${wrap(rule.fix, INDENT)}`,
    `Example:\n${formatExampleText(rule.example, wrap)}`,
  ]
  if (rule.source !== undefined) sections.push(`Source: ${rule.source}`)
  return sections.join('\n\n')
}

export function formatRuleHelpMarkdown(rule: RuleMeta): string {
  const sections = [
    rule.description,
    `**Why it matters.** ${rule.why}`,
    `**How to fix.** ${rule.fix}`,
    `**Example.**\n\n${formatExampleMarkdown(rule.example)}`,
  ]
  if (rule.source !== undefined) sections.push(`Source: ${rule.source}.`)
  return sections.join('\n\n')
}

function formatExampleText(example: RuleExample, wrap: (text: string, indent: string) => string): string {
  if ('text' in example) return wrap(example.text, INDENT)
  const code = 'yaml' in example ? example.yaml : example.shell
  return code.trimEnd().split('\n').map((line) => (line === '' ? '' : `${INDENT}${line}`)).join('\n')
}

function formatExampleMarkdown(example: RuleExample): string {
  if ('text' in example) return example.text
  const [language, code] = 'yaml' in example ? ['yaml', example.yaml] : ['sh', example.shell]
  const fence = code.includes('```') ? '~~~~' : '```'
  return `${fence}${language}\n${code.trimEnd()}\n${fence}`
}

/** Greedy word wrap; a word longer than the width gets a line of its own. */
export function wrapText(text: string, width: number | undefined, indent = ''): string {
  if (width === undefined) return `${indent}${text}`
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(line)
  return lines.map((entry) => `${indent}${entry}`).join('\n')
}
