/**
 * Rule examples written inline in the rule lists: `exampleYaml` takes an
 * indented template literal and returns the manifest with its first line
 * break, common indentation and trailing spaces removed, so the YAML in the
 * source reads as it will be printed.
 */
import type {RuleExample} from './finding.js'

export function exampleYaml(text: string): RuleExample {
  return {yaml: removeIndentation(text)}
}

export function exampleText(text: string): RuleExample {
  return {text: removeIndentation(text)}
}

function removeIndentation(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n')
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length)
  const common = indents.length === 0 ? 0 : Math.min(...indents)
  return `${lines.map((line) => line.slice(common).trimEnd()).join('\n')}\n`
}
