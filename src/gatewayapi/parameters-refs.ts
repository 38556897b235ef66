/**
 * GatewayClass `spec.parametersRef` and Gateway
 * `spec.infrastructure.parametersRef` (SEMANTICS.md §3, §10): "If the
 * referent cannot be found, refers to an unsupported kind, or when the data
 * within that resource is malformed", the object is rejected with
 * Accepted=False/InvalidParameters.
 *
 * What gwctl, playing every controller offline, supports: a ConfigMap (the
 * standard resource the field names) and any kind of an implementation's own
 * API group (EnvoyProxy, GatewayParameters, ...), whose content only that
 * implementation can judge. Unsupported: other core kinds (Secret, Service,
 * ...) and Gateway API kinds, which hold no parameters. A GatewayClass
 * reference to a ConfigMap must name its namespace (it is namespace-scoped).
 * A referent absent from the input is reported apart (`missing`): CI often
 * lints without it, so callers may answer as if it existed.
 */
import {GATEWAY_GROUP, type ObjectKey, type ParametersReference} from '../model/types.js'

export type ParametersVerdict =
  | {state: 'valid'}
  | {state: 'missing'; message: string}
  | {state: 'invalid'; message: string}

const GATEWAY_API_GROUPS = new Set([GATEWAY_GROUP, 'gateway.networking.x-k8s.io'])

function describeRef(ref: ParametersReference, namespace: string | undefined): string {
  const group = ref.group === '' ? '' : `${ref.group}/`
  return `${group}${ref.kind} ${namespace === undefined ? '' : `${namespace}/`}${ref.name}`
}

/**
 * Judge a parametersRef. `localNamespace` is the Gateway's namespace for a
 * LocalParametersReference (the referent lives beside it); undefined for a
 * GatewayClass, whose reference carries its own namespace or none.
 */
export function checkParametersRef(ref: ParametersReference, inventory: readonly ObjectKey[], localNamespace?: string): ParametersVerdict {
  const namespace = localNamespace ?? ref.namespace
  const what = describeRef(ref, namespace)
  if (ref.kind === '' || ref.name === '') return {state: 'invalid', message: `parametersRef ${what} is malformed: kind and name are required`}
  const configMap = ref.group === '' && ref.kind === 'ConfigMap'
  if (ref.group === '' && !configMap) {
    return {state: 'invalid', message: `parametersRef ${what}: kind ${ref.kind} is not supported (a ConfigMap, or a resource of the implementation's own API group)`}
  }
  if (GATEWAY_API_GROUPS.has(ref.group)) {
    return {state: 'invalid', message: `parametersRef ${what}: a Gateway API ${ref.kind} holds no parameters (a ConfigMap, or a resource of the implementation's own API group)`}
  }
  if (configMap && namespace === undefined) {
    return {state: 'invalid', message: `parametersRef ${what} is malformed: a ConfigMap is namespace-scoped, so parametersRef.namespace is required`}
  }
  const found = inventory.some((object) => object.group === ref.group && object.kind === ref.kind && object.name === ref.name
    && (namespace === undefined ? !object.namespaceExplicit : object.namespace === namespace))
  if (found) return {state: 'valid'}
  return {state: 'missing', message: `parametersRef ${what} is not in the input`}
}
