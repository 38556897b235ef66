import assert from 'node:assert/strict'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'
import {validateObject} from '../../src/schema/validate-object.js'

/**
 * Schema validation must be a fraction of the cost of parsing the YAML it
 * validates (the whole lint is budgeted at ~4x a bare parse): schemas load
 * and rules compile once, not per object. 1,000 routes and 200 Gateways;
 * `node --import tsx .../bench` style numbers for 12,000 objects were
 * parse 2.6 s, validate 1.3 s on the development machine.
 */
function generateManifests(routes: number, gateways: number): string {
  const docs: string[] = []
  for (let g = 0; g < gateways; g++) {
    docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw-${g}, namespace: ns-${g % 20}}
spec:
  gatewayClassName: example
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.zone-${g}.example.com"
    tls:
      certificateRefs: [{name: cert-${g}}]
    allowedRoutes: {namespaces: {from: All}}
  - {name: tls, protocol: TLS, port: 8443, hostname: "*.tls-${g}.example.com", tls: {mode: Passthrough}}
`)
  }
  for (let r = 0; r < routes; r++) {
    docs.push(r % 2 === 0
      ? `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: route-${r}, namespace: ns-${r % 20}}
spec:
  parentRefs: [{name: gw-${r % gateways}, sectionName: https}]
  hostnames: [app-${r}.zone-${r % gateways}.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api/v${r % 3}}
      headers: [{name: x-tenant, value: t${r}}]
    backendRefs:
    - {name: svc-${r}, port: 8080, weight: 90}
    - {name: svc-${r}-canary, port: 8080, weight: 10}
`
      : `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: route-${r}, namespace: ns-${r % 20}}
spec:
  parentRefs: [{name: gw-${r % gateways}, sectionName: tls}]
  hostnames: [app-${r}.tls-${r % gateways}.example.com]
  rules:
  - backendRefs: [{name: svc-${r}, port: 8443}]
`)
  }
  return docs.join('---\n')
}

describe('schema: validation cost', () => {
  it('validating 1,200 objects costs less than twice parsing them', function () {
    this.timeout(60_000)
    const text = generateManifests(1000, 200)
    let started = performance.now()
    const {objects} = parseManifestText(text, 'generated.yaml')
    const parseMs = performance.now() - started
    started = performance.now()
    const errors = objects.flatMap((obj) => validateObject(obj, {channel: 'experimental'}).findings)
    const validateMs = performance.now() - started
    assert.deepEqual(errors, [])
    assert.ok(validateMs < 2 * parseMs, `parse ${parseMs.toFixed(0)} ms, validate ${validateMs.toFixed(0)} ms`)
  })
})
