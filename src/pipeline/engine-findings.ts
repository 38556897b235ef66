/**
 * Turns the binding engine's problems into findings: the object's file and
 * the line and column of the offending field, the resource, and the
 * severity policy of the command (`--require-refs` makes references to
 * objects absent from the input errors).
 */
import type {Problem} from '../gatewayapi/problems.js'
import {formatFieldPath} from '../manifests/field-path.js'
import {isClusterScoped} from '../manifests/cluster-scoped.js'
import type {SourceObject} from '../manifests/source.js'
import type {Finding, ResourceRef} from '../findings/finding.js'

/** Rules about objects absent from the input: warnings by default, errors with --require-refs. */
const ABSENT_REFERENCE_RULES = new Set(['secret-not-found', 'backend-not-found', 'parameters-ref-not-found'])

export function describeResource(object: SourceObject): ResourceRef {
  const resource: ResourceRef = {apiVersion: object.apiVersion, kind: object.kind, name: object.name}
  if (!isClusterScoped(object.apiVersion, object.kind)) resource.namespace = object.namespace
  return resource
}

export function convertProblem(problem: Problem, objects: readonly SourceObject[], options: {requireRefs: boolean}): Finding {
  const object = objects[problem.objectId]
  const position = object.locate(problem.path, problem.target ?? 'key')
  const severity = options.requireRefs && ABSENT_REFERENCE_RULES.has(problem.ruleId) ? 'error' : problem.severity
  return {
    ruleId: problem.ruleId,
    severity,
    category: problem.category,
    message: problem.message,
    resource: describeResource(object),
    field: formatFieldPath(problem.path),
    file: object.file,
    line: position.line,
    column: position.column,
  }
}
