/**
 * Schema validation of every object of an input, for the shared pipeline
 * (src/pipeline/analyze.ts imports this module lazily): the findings of
 * validateObject for each Gateway API object, in input order, all at once or
 * one object at a time. SCHEMA_RULES
 * is exported alongside so one lazy import brings both.
 */
import type {Finding} from '../findings/finding.js'
import type {SourceObject} from '../manifests/source.js'
import {validateObject, type ValidateOptions} from './validate-object.js'

export {SCHEMA_RULES} from './schema-rules.js'

export function validateObjects(objects: readonly SourceObject[], options: ValidateOptions): Finding[] {
  const validator = createObjectValidator(options)
  for (const obj of objects) validator.validate(obj)
  return validator.findings
}

/**
 * The same one object at a time, for a loader's visit hook (objects are
 * validated while their YAML AST is held, so locating findings is cheap):
 * `findings` grows in the order objects are given.
 */
export function createObjectValidator(options: ValidateOptions): {validate: (obj: SourceObject) => void; findings: Finding[]} {
  const findings: Finding[] = []
  return {
    findings,
    validate(obj) {
      for (const finding of validateObject(obj, options).findings) findings.push(finding)
    },
  }
}
