/**
 * `gwctl rules [RULE_ID]`: the rule catalogue (src/pipeline/rule-catalogue.ts)
 * as a table, or one rule with why it matters, how to fix it and an
 * example. Exit 0; 2 for an unknown rule id (with a did-you-mean) or a bad flag.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {GwctlCommand} from '../cli/gwctl-command.js'
import type {Category} from '../findings/finding.js'
import {listRules, requireRule, RULE_CATEGORIES} from '../pipeline/rule-catalogue.js'
import {renderRuleDetails, renderRuleJson, renderRulesJson, renderRuleTable} from '../rules/render-rules.js'

const MAX_WIDTH = 100
const PIPE_WIDTH = 80

export default class Rules extends GwctlCommand {
  static override summary = 'List the rules lint reports, or explain one: why it matters, how to fix it, an example'

  static override description = `Without RULE_ID: one line per rule (id, category, default severity, summary), the ids that findings, SARIF, .gwctl.yaml and gwctl/ignore annotations use. With RULE_ID: the rule in full. The same text is in docs/rules.md and in the help of each rule in GitHub code scanning.

Exit codes: 0 success; 2 an unknown rule id (the closest id is suggested) or a bad flag.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --category certificate',
    '<%= config.bin %> <%= command.id %> listener-route-kind',
    '<%= config.bin %> <%= command.id %> --output json | jq -r \'.rules[] | select(.defaultSeverity == "error") | .id\'',
  ]

  static override args = {
    ruleId: Args.string({description: 'a rule id, e.g. listener-route-kind; omit to list every rule', ignoreStdin: true}),
  }

  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['text', 'json'], default: 'text'}),
    category: Flags.string({description: 'list only the rules of this category', options: [...RULE_CATEGORIES]}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Rules)
    const json = flags.output === 'json'
    if (args.ruleId !== undefined) {
      const rule = requireRule(args.ruleId)
      const width = process.stdout.isTTY ? Math.min(process.stdout.columns || PIPE_WIDTH, MAX_WIDTH) : PIPE_WIDTH
      process.stdout.write(`${json ? renderRuleJson(rule) : renderRuleDetails(rule, width)}\n`)
      return
    }
    const rules = listRules().filter((rule) => flags.category === undefined || rule.category === (flags.category as Category))
    process.stdout.write(`${json ? renderRulesJson(rules) : renderRuleTable(rules)}\n`)
  }
}
