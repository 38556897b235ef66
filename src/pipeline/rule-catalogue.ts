/**
 * Every rule gwctl can report, from every stage (input, schema, semantic,
 * certificate, suppression): the one list that `.gwctl.yaml` rule ids, SARIF rule
 * metadata and `gwctl rules` are checked against.
 */
import {CERTIFICATE_RULES} from '../certs/certificate-rules.js'
import type {RuleMeta} from '../findings/finding.js'
import {INPUT_RULES} from '../manifests/input-rules.js'
import {SCHEMA_RULES} from '../schema/schema-rules.js'
import {SEMANTIC_RULES} from './semantic-rules.js'
import {SUPPRESSION_RULES} from './suppression-rules.js'

/** Every rule, input first, then schema, semantic, certificate and suppression rules. */
export function listRules(): RuleMeta[] {
  return [...INPUT_RULES, ...SCHEMA_RULES, ...SEMANTIC_RULES, ...CERTIFICATE_RULES, ...SUPPRESSION_RULES]
}

/** The rule with this id, if gwctl has one. */
export function findRule(id: string): RuleMeta | undefined {
  return listRules().find((rule) => rule.id === id)
}
