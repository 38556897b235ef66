/**
 * A `status` block in the input (issue 10 §8): real-world files carry one
 * (exported with kubectl get -o yaml, or test data of other projects). The
 * API server drops it on create and apply for kinds with the status
 * subresource, so it is never a schema error, only an info.
 */
import assert from 'node:assert/strict'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'
import {validateObject} from '../../src/schema/validate-object.js'

function validate(text: string) {
  const parsed = parseManifestText(text, 'manifest.yaml')
  assert.equal(parsed.objects.length, 1)
  return validateObject(parsed.objects[0], {channel: 'experimental'})
}

const ROUTE_WITH_STATUS = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
status:
  parents:
  - parentRef: {name: gw}
    controllerName: example.com/controller
    conditions:
    - type: Accepted
      status: "True"
      reason: Accepted
      message: ""
      lastTransitionTime: "2024-05-01T10:00:00Z"
  extra: {written: by another tool}
`

describe('status in input', () => {
  it('an HTTPRoute status that breaks the status schema (missing observedGeneration is fine, unknown fields, required parentRef fields) is an info, not an error', () => {
    const result = validate(ROUTE_WITH_STATUS)
    assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.severity, finding.field, finding.line]), [['schema-status-ignored', 'info', 'status', 7]])
    assert.equal(result.defaulted?.status, undefined, 'the stored object has no status')
  })

  it('a Gateway exported from a cluster, status with addresses and listeners, is an info', () => {
    const result = validate(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: example
  listeners: [{name: http, port: 80, protocol: HTTP}]
status:
  addresses: [{type: IPAddress, value: not-an-ip}]
  conditions: []
  listeners: [{name: http, attachedRoutes: -1}]
`)
    assert.deepEqual(result.findings.map((finding) => finding.ruleId), ['schema-status-ignored'])
  })

  it('a ReferenceGrant has no status subresource: its status is an unknown field, as the API server rejects it', () => {
    const result = validate(`apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: grant, namespace: default}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps}]
  to: [{group: "", kind: Service}]
status: {}
`)
    assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.severity]), [['schema-unknown-field', 'error']])
  })
})
