/**
 * A schema problem before it becomes a Finding: the ruleId, the field path
 * the API server would name, and where in the source to point (the key of a
 * field, or its value). validate-object.ts turns issues into Findings with
 * the object's file, position and resource.
 */
import type {FieldPath} from '../manifests/field-path.js'

export interface SchemaIssue {
  ruleId: string
  /** The field the problem is about (the Finding's `field`). */
  path: FieldPath
  message: string
  /** Point at the field's key (unknown fields, missing fields' parent) or its value. */
  target: 'key' | 'value'
  /** Where to point when it is not `path` itself (e.g. the duplicated key inside a list entry). */
  locatePath?: FieldPath
}
