/**
 * Small exactness (issue 10 §10): cluster-scoped objects are named without a
 * namespace, two identical copies of one object are an info, copies that
 * differ stay a warning.
 */
import {strict as assert} from 'node:assert'
import {describeObjectName} from '../../src/manifests/cluster-scoped.js'
import {analyzeTexts} from '../../src/pipeline/analyze.js'

const gatewayClass = (controller: string, namespace = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: kong${namespace === '' ? '' : `, namespace: ${namespace}`}}
spec: {controllerName: ${controller}}
`

const duplicates = async (first: string, second: string) => {
  const analysis = await analyzeTexts([{file: 'a.yaml', text: first}, {file: 'b.yaml', text: second}], {checkCertificates: false})
  return analysis.findings.filter((finding) => finding.ruleId.startsWith('input-'))
}

describe('duplicate objects and cluster-scoped names', () => {
  it('two identical copies are an info (input-identical-duplicate), named without a namespace', async () => {
    const [finding, ...others] = await duplicates(gatewayClass('konghq.com/kic'), gatewayClass('konghq.com/kic'))
    assert.deepEqual(others, [])
    assert.equal(finding.ruleId, 'input-identical-duplicate')
    assert.equal(finding.severity, 'info')
    assert.equal(finding.message, 'GatewayClass kong is defined again, identically, at b.yaml:1; the copies are the same object')
    assert.deepEqual(finding.resource, {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'kong'})
  })

  it('copies that differ stay a warning (input-duplicate-object)', async () => {
    const [finding] = await duplicates(gatewayClass('konghq.com/kic'), gatewayClass('example.com/other'))
    assert.equal(finding.ruleId, 'input-duplicate-object')
    assert.equal(finding.severity, 'warning')
    assert.match(finding.message, /^GatewayClass kong is defined again at b\.yaml:1 with different content/)
  })

  it('a namespace written on a cluster-scoped object does not make it another object', async () => {
    const found = await duplicates(gatewayClass('konghq.com/kic', 'team-a'), gatewayClass('konghq.com/kic', 'team-b'))
    assert.deepEqual(found.map((finding) => finding.ruleId), ['input-duplicate-object'])
  })

  it('describeObjectName names namespaced kinds with their namespace and cluster-scoped ones without', () => {
    const name = (apiVersion: string, kind: string) => describeObjectName({apiVersion, kind, namespace: 'default', name: 'x'})
    assert.equal(name('gateway.networking.k8s.io/v1', 'GatewayClass'), 'GatewayClass x')
    assert.equal(name('v1', 'Namespace'), 'Namespace x')
    assert.equal(name('cert-manager.io/v1', 'ClusterIssuer'), 'ClusterIssuer x')
    assert.equal(name('gateway.networking.k8s.io/v1', 'Gateway'), 'Gateway default/x')
    assert.equal(name('v1', 'Secret'), 'Secret default/x')
  })
})
