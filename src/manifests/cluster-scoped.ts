/**
 * Which kinds are cluster-scoped (stored without a namespace; the API
 * server clears one written on them), so that every message, report and
 * resource reference names them `Kind name`, never `Kind default/name`:
 * the Gateway API's GatewayClass, and the well-known cluster-scoped kinds of
 * Kubernetes and cert-manager a Gateway setup meets.
 */

const CLUSTER_SCOPED: Record<string, ReadonlySet<string>> = {
  '': new Set(['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus']),
  'gateway.networking.k8s.io': new Set(['GatewayClass']),
  'rbac.authorization.k8s.io': new Set(['ClusterRole', 'ClusterRoleBinding']),
  'apiextensions.k8s.io': new Set(['CustomResourceDefinition']),
  'admissionregistration.k8s.io': new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']),
  'apiregistration.k8s.io': new Set(['APIService']),
  'networking.k8s.io': new Set(['IngressClass']),
  'storage.k8s.io': new Set(['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment']),
  'scheduling.k8s.io': new Set(['PriorityClass']),
  'node.k8s.io': new Set(['RuntimeClass']),
  'cert-manager.io': new Set(['ClusterIssuer']),
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/')
  return slash === -1 ? '' : apiVersion.slice(0, slash)
}

export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED[groupOf(apiVersion)]?.has(kind) ?? false
}

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped kind. */
export function describeObjectName(object: {apiVersion: string; kind: string; namespace: string; name: string}): string {
  return isClusterScoped(object.apiVersion, object.kind) ? `${object.kind} ${object.name}` : `${object.kind} ${object.namespace}/${object.name}`
}
