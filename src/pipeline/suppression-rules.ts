/**
 * Rule metadata of the findings about suppressions themselves: a
 * `gwctl/ignore` annotation gwctl cannot read, and one that silenced
 * nothing. Reported by suppress-findings.ts; listed by listRules.
 */
import type {RuleMeta} from '../findings/finding.js'
import {exampleYaml} from '../findings/rule-example.js'

export type SuppressionRuleId = 'ignore-annotation-invalid' | 'ignore-annotation-unused'

export const SUPPRESSION_RULES: RuleMeta[] = [
  {id: 'ignore-annotation-invalid', category: 'practice', defaultSeverity: 'warning',
    description: 'A gwctl/ignore annotation that is not "RULE_ID[, RULE_ID...][: reason][; ...]", or names a rule gwctl does not have (or one it cannot silence); the entry silences nothing.',
    why: 'An entry gwctl cannot read silences nothing, so the findings it was meant to accept still fail the run — or, worse, a misspelt rule id hides nothing while the reviewer believes it does.',
    fix: 'Write the annotation as `gwctl/ignore: "rule-a, rule-b: reason"` (entries separated by `;`) with rule ids from `gwctl rules`.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example
        annotations:
          gwctl/ignore: "no-such-rule: accepted by the platform team"
      spec:
        controllerName: example.com/gateway-controller
    `),
    source: 'gwctl suppressions (README, .gwctl.yaml and gwctl/ignore)'},
  {id: 'ignore-annotation-unused', category: 'practice', defaultSeverity: 'info',
    description: 'A rule listed in a gwctl/ignore annotation reported nothing on that object: the suppression can go.',
    why: 'A suppression that silences nothing is stale: the problem it accepted was fixed, and left in place it would silently hide the same rule if the problem came back.',
    fix: 'Remove the rule id (or the whole annotation) from the object.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example
        annotations:
          gwctl/ignore: "listener-conflict: two listeners share 443 on purpose"
      spec:
        controllerName: example.com/gateway-controller
    `),
    source: 'gwctl suppressions (README, .gwctl.yaml and gwctl/ignore)'},
]
