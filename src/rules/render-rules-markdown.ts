/**
 * docs/rules.md, generated from the rule catalogue (`npm run docs:rules`;
 * a test fails when the committed file differs): an index table, then each
 * category with every rule's help in the Markdown that SARIF's
 * `help.markdown` carries. Pure.
 */
import type {Category, RuleMeta} from '../findings/finding.js'
import {formatRuleHelpMarkdown} from '../findings/rule-help.js'

const CATEGORY_TEXT: Record<Category, string> = {
  input: 'The input could not be read as Kubernetes manifests: the file, its YAML, or the shape of a document.',
  schema: 'What the API server would reject: the OpenAPI schema and the CEL validation rules of the Gateway API CRDs, and Kubernetes metadata rules.',
  semantic: 'What a conformant controller would report in the status of the objects: listeners, attachment of routes, references, policies.',
  certificate: 'The content of the Secrets that terminating listeners reference: type, PEM, key, chain, validity, hostnames, strength.',
  practice: 'Legal, and accepted by a controller, but probably not what the author meant.',
}

export function renderRulesMarkdown(rules: readonly RuleMeta[], categories: readonly Category[]): string {
  const lines = [
    '# Rules',
    '',
    '<!-- Generated from the rule catalogue (src/pipeline/rule-catalogue.ts) by `npm run docs:rules`; do not edit by hand. -->',
    '',
    'Every finding of `gwctl lint` carries one of these rule ids. The ids are stable: scripts, SARIF',
    'baselines, `.gwctl.yaml` (`rules: {RULE_ID: off|error|warning|info}`) and `gwctl/ignore`',
    'annotations refer to them. `gwctl rules` lists them and `gwctl rules RULE_ID` explains one;',
    'GitHub code scanning shows the same text as the help of each alert.',
    '',
    '| rule | category | default severity | summary |',
    '|---|---|---|---|',
    ...categories.flatMap((category) =>
      rules.filter((rule) => rule.category === category).map((rule) =>
        `| [${rule.id}](#${rule.id}) | ${category} | ${rule.defaultSeverity} | ${escapeTableCell(rule.description)} |`)),
  ]
  for (const category of categories) {
    const members = rules.filter((rule) => rule.category === category)
    if (members.length === 0) continue
    lines.push('', `## ${category}`, '', CATEGORY_TEXT[category])
    for (const rule of members) {
      lines.push('', `### ${rule.id}`, '', `*${category} · default severity ${rule.defaultSeverity}*`, '', formatRuleHelpMarkdown(rule))
    }
  }
  return `${lines.join('\n')}\n`
}

function escapeTableCell(text: string): string {
  return text.replaceAll('|', '\\|')
}
