/**
 * Rule examples written inline in the rule lists: each takes an indented
 * template literal and removes its first line break, common indentation
 * and trailing spaces, so an example in the source reads as it is printed.
 */
import type {RuleExample} from './finding.js'

export function exampleYaml(text: string): RuleExample {
  return {yaml: removeIndentation(text)}
}

export function exampleShell(text: string): RuleExample {
  return {shell: removeIndentation(text)}
}

export function exampleText(text: string): RuleExample {
  return {text: removeIndentation(text).trim().replace(/\s*\n\s*/g, ' ')}
}

function removeIndentation(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n')
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length)
  const common = indents.length === 0 ? 0 : Math.min(...indents)
  return `${lines.map((line) => line.slice(common).trimEnd()).join('\n')}\n`
}
