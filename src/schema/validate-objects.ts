/**
 * Schema validation of every object of an input, for the shared pipeline
 * (src/lint/analyze.ts imports this module lazily): the findings of
 * validateObject for each Gateway API object, in input order. SCHEMA_RULES
 * is exported alongside so one lazy import brings both.
 */
import type {Finding} from '../lint/finding.js'
import type {SourceObject} from '../manifests/source.js'
import {validateObject, type ValidateOptions} from './validate-object.js'

export {SCHEMA_RULES} from './schema-rules.js'

export function validateObjects(objects: readonly SourceObject[], options: ValidateOptions): Finding[] {
  const findings: Finding[] = []
  for (const obj of objects) findings.push(...validateObject(obj, options).findings)
  return findings
}
