/**
 * What `gwctl rules` prints: the catalogue as a table (one line per rule:
 * id, category, default severity, summary; grep-friendly), one rule in
 * detail (its help text under a header line), and both as JSON
 * (`{"version": 1, "rules": [...]}` and `{"version": 1, "rule": {...}}`,
 * keys in the order written here). Pure.
 */
import type {RuleExample, RuleMeta} from '../findings/finding.js'
import {formatRuleHelpText} from '../findings/rule-help.js'

export interface RuleJson {
  id: string
  category: string
  defaultSeverity: string
  summary: string
  why: string
  fix: string
  example: RuleExample
  source?: string
}

const HEADER = {id: 'RULE', category: 'CATEGORY', severity: 'SEVERITY', summary: 'SUMMARY'}

export function renderRuleTable(rules: readonly RuleMeta[]): string {
  const rows = [HEADER, ...rules.map((rule) => ({id: rule.id, category: rule.category, severity: rule.defaultSeverity, summary: rule.description}))]
  const idWidth = Math.max(...rows.map((row) => row.id.length))
  const categoryWidth = Math.max(...rows.map((row) => row.category.length))
  const severityWidth = Math.max(...rows.map((row) => row.severity.length))
  return rows
    .map((row) => `${row.id.padEnd(idWidth)}  ${row.category.padEnd(categoryWidth)}  ${row.severity.padEnd(severityWidth)}  ${row.summary}`)
    .join('\n')
}

/** The id, then `category · default severity`, then the help text wrapped at `width`. */
export function renderRuleDetails(rule: RuleMeta, width: number): string {
  return [`${rule.id}`, `${rule.category} rule · default severity ${rule.defaultSeverity}`, '', formatRuleHelpText(rule, {width})].join('\n')
}

export function toRuleJson(rule: RuleMeta): RuleJson {
  return {
    id: rule.id,
    category: rule.category,
    defaultSeverity: rule.defaultSeverity,
    summary: rule.description,
    why: rule.why,
    fix: rule.fix,
    example: rule.example,
    source: rule.source,
  }
}

export function renderRulesJson(rules: readonly RuleMeta[]): string {
  return JSON.stringify({version: 1, rules: rules.map(toRuleJson)}, null, 2)
}

export function renderRuleJson(rule: RuleMeta): string {
  return JSON.stringify({version: 1, rule: toRuleJson(rule)}, null, 2)
}
