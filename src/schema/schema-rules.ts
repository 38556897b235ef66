/**
 * The rules src/schema reports (see docs/rule-ids.md), for SARIF rule
 * metadata and documentation. Kept free of heavy imports.
 */
import type {RuleMeta} from '../findings/finding.js'

const CRDS = 'Gateway API v1.6.1 CRDs (schemas/)'

export const SCHEMA_RULES: RuleMeta[] = [
  {id: 'schema-unknown-field', category: 'schema', defaultSeverity: 'error', description: 'A field that is not in the CRD schema (or ObjectMeta), as kubectl apply --validate=strict rejects it.', source: CRDS},
  {id: 'schema-required', category: 'schema', defaultSeverity: 'error', description: 'A required field is missing (after schema defaults are applied).', source: CRDS},
  {id: 'schema-type', category: 'schema', defaultSeverity: 'error', description: 'A value of the wrong JSON type (x-kubernetes-int-or-string and nullable honoured).', source: CRDS},
  {id: 'schema-enum', category: 'schema', defaultSeverity: 'error', description: 'A value outside the enum of the field.', source: CRDS},
  {id: 'schema-pattern', category: 'schema', defaultSeverity: 'error', description: 'A string that does not match the pattern of the field (RE2 semantics).', source: CRDS},
  {id: 'schema-format', category: 'schema', defaultSeverity: 'error', description: 'A string that does not match its format (date-time, ipv4, ipv6), or a value matching none of the allowed forms (oneOf/anyOf/not).', source: CRDS},
  {id: 'schema-range', category: 'schema', defaultSeverity: 'error', description: 'A value outside minimum/maximum, minLength/maxLength (in code points), minItems/maxItems or minProperties/maxProperties.', source: CRDS},
  {id: 'schema-duplicate', category: 'schema', defaultSeverity: 'error', description: 'A duplicate entry in an x-kubernetes-list-type set, or two entries with the same keys in a list-type map (e.g. two listeners named https).', source: CRDS},
  {id: 'schema-cel', category: 'schema', defaultSeverity: 'error', description: 'An x-kubernetes-validations CEL rule of the CRD is violated.', source: CRDS},
  {id: 'schema-metadata', category: 'schema', defaultSeverity: 'error', description: 'metadata not valid for a custom resource: name (DNS subdomain, required unless generateName), namespace, label and annotation keys and values, finalizers, ownerReferences.', source: 'Kubernetes ObjectMeta validation'},
  {id: 'schema-unserved-version', category: 'schema', defaultSeverity: 'error', description: 'An apiVersion or kind the selected channel does not serve.', source: CRDS},
  {id: 'schema-status-ignored', category: 'schema', defaultSeverity: 'info', description: 'A status block in the input: the API server drops it on create and apply (status subresource), so it is not validated.', source: CRDS},
  {id: 'schema-deprecated-version', category: 'practice', defaultSeverity: 'warning', description: 'An apiVersion that is deprecated or not served by the standard channel: names the version to move to.', source: CRDS},
]
