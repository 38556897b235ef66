/**
 * Schema validation of every object of an input, for the shared pipeline
 * (src/pipeline/analyze.ts imports this module lazily): the findings of
 * validateObject for each Gateway API object, in input order, all at once or
 * one object at a time, and the defaulted objects for the model. SCHEMA_RULES
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

export interface ObjectValidator {
  validate: (obj: SourceObject) => void
  /** Grows in the order objects are given. */
  findings: Finding[]
  /** Each validated object as the API server would store it (CRD defaults applied, unknown fields pruned): what the model is built from. */
  defaulted: Map<SourceObject, Record<string, unknown>>
}

/**
 * The same one object at a time, for a loader's visit hook (objects are
 * validated while their YAML AST is held, so locating findings is cheap).
 */
export function createObjectValidator(options: ValidateOptions): ObjectValidator {
  const findings: Finding[] = []
  const defaulted = new Map<SourceObject, Record<string, unknown>>()
  return {
    findings,
    defaulted,
    validate(obj) {
      const result = validateObject(obj, options)
      for (const finding of result.findings) findings.push(finding)
      if (result.defaulted !== undefined) defaulted.set(obj, result.defaulted)
    },
  }
}
