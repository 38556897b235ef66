/**
 * Rule metadata of the findings about suppressions themselves: a
 * `gwctl/ignore` annotation gwctl cannot read, and one that silenced
 * nothing. Reported by suppress-findings.ts; listed by listRules.
 */
import type {RuleMeta} from '../findings/finding.js'

export type SuppressionRuleId = 'ignore-annotation-invalid' | 'ignore-annotation-unused'

export const SUPPRESSION_RULES: RuleMeta[] = [
  {id: 'ignore-annotation-invalid', category: 'practice', defaultSeverity: 'warning',
    description: 'A gwctl/ignore annotation that is not "RULE_ID[, RULE_ID...][: reason][; ...]", or names a rule gwctl does not have (or one it cannot silence); the entry silences nothing.',
    source: 'gwctl suppressions (README, .gwctl.yaml and gwctl/ignore)'},
  {id: 'ignore-annotation-unused', category: 'practice', defaultSeverity: 'info',
    description: 'A rule listed in a gwctl/ignore annotation reported nothing on that object: the suppression can go.',
    source: 'gwctl suppressions (README, .gwctl.yaml and gwctl/ignore)'},
]
