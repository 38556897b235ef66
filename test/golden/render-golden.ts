/**
 * What a golden file holds: for every object gwctl writes status for, its
 * identity and computed status; then the engine's problems (ruleId,
 * severity, object, field, message). Specs are left out: they are in the
 * `.in.yaml` next to it.
 */
import {describeObjectName, isClusterScoped} from '../../src/manifests/cluster-scoped.js'
import {buildSnapshot} from '../../src/model/build-snapshot.js'
import {bind} from '../../src/gatewayapi/bind.js'
import {projectStatus} from '../../src/gatewayapi/status.js'
import {formatFieldPath} from '../../src/manifests/field-path.js'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'

export const GOLDEN_NOW = new Date('2026-01-01T00:00:00Z')

export function renderGolden(text: string, file: string): Record<string, unknown> {
  const {objects, findings} = parseManifestText(text, file)
  if (findings.some((finding) => finding.severity === 'error')) {
    throw new Error(`${file}: input errors: ${findings.map((finding) => `${finding.line}:${finding.column} ${finding.message}`).join('; ')}`)
  }
  const binding = bind(buildSnapshot(objects))
  const status = projectStatus(binding, {now: GOLDEN_NOW})
  const resources = objects.flatMap((object, id) => {
    const computed = status.get(id)
    if (computed === undefined) return []
    return [{apiVersion: object.apiVersion, kind: object.kind, metadata: {name: object.name, namespace: isClusterScoped(object.apiVersion, object.kind) ? undefined : object.namespace}, status: computed}]
  })
  const problems = binding.problems.map((problem) => {
    const object = objects[problem.objectId]
    return {
      ruleId: problem.ruleId,
      severity: problem.severity,
      object: describeObjectName(object),
      field: formatFieldPath(problem.path),
      message: problem.message,
    }
  })
  return {resources, problems}
}
