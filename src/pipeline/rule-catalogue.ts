/**
 * The rule catalogue: every rule gwctl can report, from every stage (input,
 * schema, semantic, certificate, suppression), the one list that `gwctl rules`,
 * docs/rules.md (npm run docs:rules), SARIF rule metadata and `.gwctl.yaml`
 * rule ids are checked against. Adding a rule: add its RuleMeta (with why,
 * fix and an example) to the list of the stage that reports it, include
 * that list here if it is a new one, and run `npm run docs:rules`; the
 * tests check that every id the code reports is listed, that every YAML
 * example triggers its rule, and that docs/rules.md is in sync.
 */
import {CERTIFICATE_RULES} from '../certs/certificate-rules.js'
import {UserError} from '../errors/user-error.js'
import {suggestName} from '../errors/suggest-name.js'
import type {Category, RuleMeta} from '../findings/finding.js'
import {INPUT_RULES} from '../manifests/input-rules.js'
import {SCHEMA_RULES} from '../schema/schema-rules.js'
import {SEMANTIC_RULES} from './semantic-rules.js'
import {SUPPRESSION_RULES} from './suppression-rules.js'
import {IMPLEMENTATION_RULES} from './implementation-findings.js'

/** Categories in catalogue order (the order of DESIGN.md). */
export const RULE_CATEGORIES: readonly Category[] = ['input', 'schema', 'semantic', 'certificate', 'practice']

/** Every rule, input first, then schema, semantic, certificate, suppression and implementation-profile rules (each stage in its own order). */
export function listRules(): RuleMeta[] {
  return [...INPUT_RULES, ...SCHEMA_RULES, ...SEMANTIC_RULES, ...CERTIFICATE_RULES, ...SUPPRESSION_RULES, ...IMPLEMENTATION_RULES]
}

/** The rule with this id, if gwctl has one. */
export function findRule(id: string): RuleMeta | undefined {
  return listRules().find((rule) => rule.id === id)
}

/** The rule with this id; an unknown id is a usage error naming the closest rule id. */
export function requireRule(id: string): RuleMeta {
  const rule = findRule(id)
  if (rule !== undefined) return rule
  const suggestion = suggestName(id, listRules().map((candidate) => candidate.id))
  throw new UserError('usage', `unknown rule '${id}'`, {
    hint: suggestion === undefined ? 'gwctl rules lists every rule' : `did you mean '${suggestion}'? gwctl rules lists every rule`,
  })
}
