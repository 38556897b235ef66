/**
 * `implementation-unsupported-feature`: with an implementation profile
 * (`--implementation`, `.gwctl.yaml` implementation:), every use of a
 * conformance feature the implementation's report declares unsupported
 * (error) or does not report (warning: the behaviour is unknown), at the
 * field that uses it, naming the feature, implementation, version and
 * what the controller does instead where the spec says.
 */
import type {Finding, RuleMeta} from '../findings/finding.js'
import {findAttachmentUses, findFeatureField, findFeatureUses, type FeatureField} from '../implementations/feature-uses.js'
import {describeProfile, type FeatureSupport, type ImplementationProfile} from '../implementations/implementation-profile.js'
import {formatFieldPath} from '../manifests/field-path.js'
import type {SourceObject} from '../manifests/source.js'
import {describeResource} from './engine-findings.js'

export const IMPLEMENTATION_RULES: readonly RuleMeta[] = [
  {
    id: 'implementation-unsupported-feature',
    category: 'semantic',
    defaultSeverity: 'error',
    description: 'The configuration uses a Gateway API feature that the chosen implementation (`--implementation`) declares unsupported in its conformance report (error), or does not report at all (warning: its behaviour is unknown).',
    why: 'Extended features are optional: a controller that lacks one rejects the route or listener, or ignores the field, so traffic is not served as written although the manifests are valid and lint is otherwise clean.',
    fix: 'Drop the field (or kind) that uses the feature, express it in a way the implementation supports, or pick an implementation or version whose conformance report lists the feature (`gwctl implementations NAME`).',
    example: {shell: 'gwctl lint --implementation airlock fixtures/scenarios/mixed-modes/'},
    source: 'Gateway API conformance reports (supportedFeatures / unsupportedFeatures); FEATURES.md',
  },
]

export function findImplementationFindings(objects: readonly SourceObject[], profile: ImplementationProfile): Finding[] {
  const findings: Finding[] = []
  const gatewayApi = objects.filter((object) => object.apiVersion.startsWith('gateway.networking.k8s.io/') || object.apiVersion.startsWith('gateway.networking.x-k8s.io/'))
  for (const object of gatewayApi) {
    for (const use of [...findFeatureUses(object), ...findAttachmentUses(object, gatewayApi)]) {
      const support = profile.support(use.feature)
      if (support === 'supported') continue
      const entry = findFeatureField(use.feature)
      const position = object.locate(use.path, 'key')
      const message = describeUse(entry, support, profile)
      findings.push({
        ruleId: 'implementation-unsupported-feature', severity: support === 'unsupported' ? 'error' : 'warning', category: 'semantic', message,
        resource: describeResource(object), field: formatFieldPath(use.path), file: object.file, line: position.line, column: position.column,
      })
    }
  }
  return findings
}

/** The message: the feature, the implementation and version, and what the controller does instead (or that nobody says). */
function describeUse(entry: FeatureField, support: Exclude<FeatureSupport, 'supported'>, profile: ImplementationProfile): string {
  const who = describeProfile(profile)
  if (entry.choice !== undefined) {
    if (support === 'unsupported') return `${entry.field}: ${who} does not allow ${entry.feature}, by its documentation (gwctl implementations ${profile.name} cites it)`
    return `${entry.feature} is left to implementations (${entry.choice.source}); neither the conformance report of ${who} nor a documented fact says what it does, so its behaviour is unknown (gwctl keeps its default: ${entry.instead ?? 'as generic'})`
  }
  if (support === 'unsupported') return `${entry.field} needs feature ${entry.feature}, which ${who} declares unsupported${entry.instead === undefined ? '' : `: ${entry.instead}`}`
  return `${entry.field} needs feature ${entry.feature}, which the conformance report of ${who} does not mention: its behaviour is unknown${entry.instead === undefined ? '' : ` (a controller without the feature: ${entry.instead})`}`
}
