import assert from 'node:assert/strict'
import type {Finding} from '../../src/findings/finding.js'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'
import type {SourceObject} from '../../src/manifests/source.js'
import type {Channel} from '../../src/schema/crd-index.js'
import {validateObject} from '../../src/schema/validate-object.js'

function parseOne(text: string): SourceObject {
  const parsed = parseManifestText(text, 'manifest.yaml')
  assert.deepEqual(parsed.findings, [])
  assert.equal(parsed.objects.length, 1)
  return parsed.objects[0]
}

function validate(text: string, channel: Channel = 'experimental') {
  return validateObject(parseOne(text), {channel})
}

/** 1-based line and column of the `occurrence`-th appearance of `needle` in `text`. */
function positionOf(text: string, needle: string, occurrence = 1): {line: number; column: number} {
  let index = -1
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1)
    assert.ok(index >= 0, `"${needle}" occurs ${occurrence} times`)
  }
  const before = text.slice(0, index).split('\n')
  return {line: before.length, column: before[before.length - 1].length + 1}
}

function summary(findings: Finding[]) {
  return findings.map((f) => ({ruleId: f.ruleId, field: f.field, line: f.line, column: f.column}))
}

const GATEWAY = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
${listeners}`

describe('schema/validate-object', () => {
  describe('whole manifests: the error and where it points', () => {
    it('a typo in certificateRefs is an unknown field at its key, with a suggestion', () => {
      const text = GATEWAY(`  - name: https
    protocol: HTTPS
    port: 443
    tls:
      mode: Terminate
      certficateRefs:
      - name: edge-cert
`)
      const {findings} = validate(text)
      const unknown = findings.find((f) => f.ruleId === 'schema-unknown-field')
      assert.deepEqual(unknown && {...summary([unknown])[0], message: unknown.message}, {
        ruleId: 'schema-unknown-field',
        field: 'spec.listeners[0].tls.certficateRefs',
        ...positionOf(text, 'certficateRefs'),
        message: 'unknown field "spec.listeners[0].tls.certficateRefs"; did you mean "certificateRefs"?',
      })
      assert.equal(unknown?.severity, 'error')
      assert.equal(unknown?.category, 'schema')
      assert.deepEqual(unknown?.resource, {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'infra', name: 'edge'})
      assert.deepEqual(
        findings.filter((f) => f !== unknown).map((f) => f.message),
        ['certificateRefs or options must be specified when mode is Terminate'],
      )
    })

    it('a TLSRoute with matches: unknown field at the key', () => {
      const text = `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: api
spec:
  parentRefs:
  - name: edge
  hostnames:
  - api.example.com
  rules:
  - matches:
    - path:
        value: /
    backendRefs:
    - name: api
      port: 8443
`
      assert.deepEqual(summary(validate(text).findings), [
        {ruleId: 'schema-unknown-field', field: 'spec.rules[0].matches', ...positionOf(text, 'matches')},
      ])
    })

    it('an HTTPS listener with mode Terminate and no certificateRefs: the CEL rule at the tls key', () => {
      const text = GATEWAY(`  - name: https
    protocol: HTTPS
    port: 443
    tls:
      mode: Terminate
`)
      const {findings} = validate(text)
      assert.deepEqual(summary(findings), [{ruleId: 'schema-cel', field: 'spec.listeners[0].tls', ...positionOf(text, 'tls:')}])
      assert.equal(findings[0].message, 'certificateRefs or options must be specified when mode is Terminate')
    })

    it('the same rule fires on the defaulted mode of an empty tls block', () => {
      const text = GATEWAY(`  - name: https
    protocol: HTTPS
    port: 443
    tls: {}
`)
      assert.deepEqual(summary(validate(text).findings), [{ruleId: 'schema-cel', field: 'spec.listeners[0].tls', ...positionOf(text, 'tls:')}])
    })

    it('duplicate listener names: schema-duplicate at the second name, and the CEL rule at the second listener', () => {
      const text = GATEWAY(`  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: edge-cert
  - name: https
    protocol: TLS
    port: 8443
    tls:
      mode: Passthrough
`)
      const {findings} = validate(text)
      assert.deepEqual(summary(findings), [
        {ruleId: 'schema-duplicate', field: 'spec.listeners[1]', ...positionOf(text, 'https', 2)},
        {ruleId: 'schema-cel', field: 'spec.listeners[1]', ...positionOf(text, 'name: https', 2)},
      ])
      assert.equal(findings[0].message, 'Duplicate value: an entry with name "https" already exists at spec.listeners[0]')
      assert.equal(findings[1].message, 'Listener name must be unique within the Gateway (also spec.listeners[0])')
    })

    it('a TCP listener with a hostname: the CEL rule at that listener', () => {
      const text = GATEWAY(`  - name: http
    protocol: HTTP
    port: 80
  - name: postgres
    protocol: TCP
    port: 5432
    hostname: db.example.com
`)
      const {findings} = validate(text)
      assert.deepEqual(summary(findings), [{ruleId: 'schema-cel', field: 'spec.listeners[1]', ...positionOf(text, 'name: postgres')}])
      assert.equal(findings[0].message, "hostname must not be specified for protocols ['TCP', 'UDP']")
    })

    it('protocol TLS without tls: the CEL rule at that listener', () => {
      const text = GATEWAY(`  - name: tls
    protocol: TLS
    port: 443
`)
      const {findings} = validate(text)
      assert.deepEqual(summary(findings), [{ruleId: 'schema-cel', field: 'spec.listeners[0]', ...positionOf(text, 'name: tls')}])
      assert.equal(findings[0].message, 'tls mode must be set for protocol TLS')
    })

    it('protocol TLS with tls but no mode is accepted: the mode defaults to Terminate', () => {
      const text = GATEWAY(`  - name: tls
    protocol: TLS
    port: 443
    tls:
      certificateRefs:
      - name: edge-cert
`)
      const result = validate(text)
      assert.deepEqual(result.findings, [])
      assert.deepEqual((result.defaulted as any).spec.listeners[0].tls, {certificateRefs: [{name: 'edge-cert', group: '', kind: 'Secret'}], mode: 'Terminate'})
    })

    it('a TLSRoute v1 without hostnames: required, at the parent key', () => {
      const text = `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: api
spec:
  rules:
  - backendRefs:
    - name: api
      port: 8443
`
      const {findings} = validate(text)
      assert.deepEqual(summary(findings), [{ruleId: 'schema-required', field: 'spec.hostnames', ...positionOf(text, 'spec:')}])
    })

    it('bad scalar values point at the value', () => {
      const text = GATEWAY(`  - name: Web
    protocol: HTTP
    port: 70000
`)
      assert.deepEqual(summary(validate(text).findings), [
        {ruleId: 'schema-pattern', field: 'spec.listeners[0].name', ...positionOf(text, 'Web')},
        {ruleId: 'schema-range', field: 'spec.listeners[0].port', ...positionOf(text, '70000')},
      ])
    })

    it('a wrong type is reported and keeps CEL rules above it from running', () => {
      const text = GATEWAY(`  - name: db
    protocol: TCP
    port: "5432"
    hostname: db.example.com
`)
      const {findings} = validate(text)
      assert.deepEqual(summary(findings), [{ruleId: 'schema-type', field: 'spec.listeners[0].port', ...positionOf(text, '"5432"')}])
      assert.equal(findings[0].message, 'must be of type integer, got string "5432"')
    })

    it('an unsupported enum value', () => {
      const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  rules:
  - matches:
    - path:
        type: Glob
        value: /a
`
      const {findings} = validate(text)
      assert.deepEqual(summary(findings), [{ruleId: 'schema-enum', field: 'spec.rules[0].matches[0].path.type', ...positionOf(text, 'Glob')}])
      assert.equal(findings[0].message, 'Unsupported value: "Glob": supported values: "Exact", "PathPrefix", "RegularExpression"')
    })

    it('status is not validated: the API server drops it (status subresource), an info says so', () => {
      const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec: {}
status:
  parents:
  - controllerName: example.com/gateway
    parentRef:
      name: edge
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, message: ok, lastTransitionTime: "2026-01-01T00:00:00Z"}
    extra: true
`
      assert.deepEqual(summary(validate(text).findings), [{ruleId: 'schema-status-ignored', field: 'status', ...positionOf(text, 'status:')}])
    })
  })

  describe('objects that are not Gateway API', () => {
    const cases = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n  - port: 443\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: infra\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca\ndata: {}\n',
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspec:\n  secretName: tls\n',
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: istio\nspec:\n  servers: []\n',
    ]
    for (const text of cases) {
      it(text.split('\n').slice(0, 2).join(' '), () => {
        assert.deepEqual(validate(text), {known: false, findings: [], defaulted: undefined, skippedTransitionRules: 0})
      })
    }
  })

  describe('apiVersion', () => {
    const route = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: TLSRoute
metadata:
  name: api
spec:
  parentRefs:
  - name: edge
  hostnames:
  - api.example.com
  rules:
  - backendRefs:
    - name: api
      port: 8443
`

    it('a version no channel serves is an error at the apiVersion value, and nothing else is checked', () => {
      const text = route('gateway.networking.k8s.io/v1beta1')
      const result = validate(text)
      assert.deepEqual(summary(result.findings), [{ruleId: 'schema-unserved-version', field: 'apiVersion', ...positionOf(text, 'gateway.networking')}])
      assert.equal(result.findings[0].message, 'TLSRoute gateway.networking.k8s.io/v1beta1 is not served; the experimental channel serves v1, v1alpha2, v1alpha3')
      assert.equal(result.known, true)
      assert.equal(result.defaulted, undefined)
    })

    it('a kind the group does not have', () => {
      const text = 'apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRouter\nmetadata:\n  name: x\n'
      const result = validate(text)
      assert.deepEqual(summary(result.findings), [{ruleId: 'schema-unserved-version', field: 'kind', ...positionOf(text, 'TLSRouter')}])
      assert.match(result.findings[0].message, /^no kind "TLSRouter" in gateway.networking.k8s.io \(Gateway API v1.6.1\); kinds: .*TLSRoute/)
    })

    it('experimental channel: TLSRoute v1alpha2 is served, with a practice warning naming v1', () => {
      const text = route('gateway.networking.k8s.io/v1alpha2')
      const result = validate(text)
      assert.deepEqual(
        result.findings.map((f) => ({...summary([f])[0], severity: f.severity, category: f.category})),
        [{ruleId: 'schema-deprecated-version', field: 'apiVersion', ...positionOf(text, 'gateway.networking'), severity: 'warning', category: 'practice'}],
      )
      assert.equal(
        result.findings[0].message,
        'TLSRoute gateway.networking.k8s.io/v1alpha2 is deprecated and not served by the standard channel: move to gateway.networking.k8s.io/v1 (The v1alpha2 version of TLSRoute has been deprecated and will be removed in a future release of the API. Please upgrade to v1.)',
      )
      assert.ok(result.defaulted)
    })

    it('standard channel: TLSRoute v1alpha2 is not served (error) and deprecated (warning)', () => {
      const result = validate(route('gateway.networking.k8s.io/v1alpha2'), 'standard')
      assert.deepEqual(result.findings.map((f) => [f.ruleId, f.severity]), [
        ['schema-deprecated-version', 'warning'],
        ['schema-unserved-version', 'error'],
      ])
      assert.equal(result.findings[1].message, 'TLSRoute gateway.networking.k8s.io/v1alpha2 is served by the experimental channel only; the standard channel serves v1')
    })

    it('the other versions standard does not serve warn too', () => {
      const cases = [
        ['TCPRoute', 'v1alpha2', 'spec:\n  rules:\n  - backendRefs:\n    - name: db\n      port: 5432\n'],
        ['UDPRoute', 'v1alpha2', 'spec:\n  rules:\n  - backendRefs:\n    - name: dns\n      port: 53\n'],
        ['BackendTLSPolicy', 'v1alpha3', 'spec:\n  targetRefs:\n  - {group: "", kind: Service, name: api}\n  validation:\n    hostname: api.example.com\n    wellKnownCACertificates: System\n'],
        ['TLSRoute', 'v1alpha3', 'spec:\n  hostnames: [api.example.com]\n  rules:\n  - backendRefs:\n    - name: api\n      port: 8443\n'],
      ]
      for (const [kind, version, spec] of cases) {
        const result = validate(`apiVersion: gateway.networking.k8s.io/${version}\nkind: ${kind}\nmetadata:\n  name: x\n${spec}`)
        assert.deepEqual(result.findings.map((f) => f.ruleId), ['schema-deprecated-version'], kind)
        assert.match(result.findings[0].message, new RegExp(`move to gateway.networking.k8s.io/v1 `))
      }
    })

    it('versions standard serves do not warn (Gateway and HTTPRoute v1beta1, ReferenceGrant v1beta1)', () => {
      for (const text of [
        'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: c\n  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n',
        'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec: {}\n',
        'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: g\nspec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: TLSRoute, namespace: store}\n  to:\n  - {group: "", kind: Service}\n',
      ]) {
        assert.deepEqual(validate(text, 'standard').findings, [], text)
      }
    })

    it('standard channel: experimental-only fields are unknown fields, named as such', () => {
      const text = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  rules:\n  - retry:\n      attempts: 2\n'
      assert.deepEqual(validate(text, 'experimental').findings, [])
      const {findings} = validate(text, 'standard')
      assert.deepEqual(summary(findings), [{ruleId: 'schema-unknown-field', field: 'spec.rules[0].retry', ...positionOf(text, 'retry')}])
      assert.equal(findings[0].message, 'unknown field "spec.rules[0].retry" (a field of the experimental channel; validating for standard)')
    })

    it('standard channel: an experimental-only kind', () => {
      const text = 'apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XMesh\nmetadata:\n  name: mesh\nspec:\n  controllerName: example.com/mesh\n'
      assert.deepEqual(validate(text, 'experimental').findings, [])
      const {findings} = validate(text, 'standard')
      assert.deepEqual(findings.map((f) => [f.ruleId, f.message]), [
        ['schema-unserved-version', 'XMesh is served by the experimental channel only (validating for the standard channel)'],
      ])
    })
  })

  describe('metadata', () => {
    const route = (metadata: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
${metadata}spec: {}
`
    const cases: Array<{title: string; metadata: string; expected: Array<{ruleId: string; field: string; at: string}>}> = [
      {title: 'a valid name, namespace, labels, annotations, finalizers', metadata: '  name: web.v2\n  namespace: shop\n  labels:\n    app.kubernetes.io/name: web\n    tier: ""\n  annotations:\n    Example.com/Note: anything at all\n  finalizers: [example.com/cleanup]\n  creationTimestamp: null\n  resourceVersion: "42"\n  generation: 3\n  uid: 0f7c\n', expected: []},
      {title: 'generateName instead of name', metadata: '  generateName: web-\n', expected: []},
      {title: 'no name', metadata: '  namespace: shop\n', expected: [{ruleId: 'schema-metadata', field: 'metadata.name', at: 'metadata:'}]},
      {title: 'an upper-case name', metadata: '  name: Web\n', expected: [{ruleId: 'schema-metadata', field: 'metadata.name', at: 'Web'}]},
      {title: 'a name over 253 characters', metadata: `  name: ${'a'.repeat(254)}\n`, expected: [{ruleId: 'schema-metadata', field: 'metadata.name', at: 'aaa'}]},
      {title: 'a namespace with a dot', metadata: '  name: web\n  namespace: shop.prod\n', expected: [{ruleId: 'schema-metadata', field: 'metadata.namespace', at: 'shop.prod'}]},
      {title: 'a bad label key and value', metadata: '  name: web\n  labels:\n    -app: web\n    tier: front end\n', expected: [
        {ruleId: 'schema-metadata', field: 'metadata.labels["-app"]', at: '-app'},
        {ruleId: 'schema-metadata', field: 'metadata.labels.tier', at: 'front end'},
      ]},
      {title: 'a label value that is not a string', metadata: '  name: web\n  labels:\n    replicas: 3\n', expected: [{ruleId: 'schema-type', field: 'metadata.labels.replicas', at: '3'}]},
      {title: 'an unknown metadata field', metadata: '  name: web\n  label:\n    app: web\n', expected: [{ruleId: 'schema-unknown-field', field: 'metadata.label', at: 'label'}]},
      {title: 'an ownerReference without uid', metadata: '  name: web\n  ownerReferences:\n  - {apiVersion: v1, kind: ConfigMap, name: owner}\n', expected: [{ruleId: 'schema-required', field: 'metadata.ownerReferences[0].uid', at: '{apiVersion'}]},
    ]
    for (const {title, metadata, expected} of cases) {
      it(title, () => {
        const text = route(metadata)
        assert.deepEqual(summary(validate(text).findings), expected.map(({ruleId, field, at}) => ({ruleId, field, ...positionOf(text, at)})))
      })
    }

    it('a cluster-scoped kind: namespace ignored, resource without namespace', () => {
      const text = 'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: example\n  namespace: Not_Checked\nspec:\n  controllerName: example.com/gateway\n'
      const result = validate(text)
      assert.deepEqual(result.findings, [])
      assert.equal(result.skippedTransitionRules, 1)
    })
  })

  describe('defaults', () => {
    it('applies schema defaults where the parent object is present, and prunes unknown fields', () => {
      const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
  - name: edge
  rules:
  - backendRefs:
    - name: web
      port: 80
    typo: 1
`
      const result = validate(text)
      assert.deepEqual((result.defaulted as any).spec, {
        parentRefs: [{name: 'edge', group: 'gateway.networking.k8s.io', kind: 'Gateway'}],
        rules: [{backendRefs: [{name: 'web', port: 80, group: '', kind: 'Service', weight: 1}], matches: [{path: {type: 'PathPrefix', value: '/'}}]}],
      })
      assert.deepEqual(result.findings.map((f) => f.field), ['spec.rules[0].typo'])
    })

    it('a null field takes its default; without one it is dropped', () => {
      const text = GATEWAY(`  - name: https
    protocol: HTTPS
    port: 443
    hostname: null
    tls:
      mode: null
      certificateRefs:
      - name: edge-cert
`)
      const result = validate(text)
      assert.deepEqual(result.findings, [])
      const listener = (result.defaulted as any).spec.listeners[0]
      assert.equal('hostname' in listener, false)
      assert.equal(listener.tls.mode, 'Terminate')
    })

    it('does not modify the source object', () => {
      const obj = parseOne(GATEWAY('  - {name: http, protocol: HTTP, port: 80}\n'))
      const before = JSON.stringify(obj.object)
      validateObject(obj, {channel: 'experimental'})
      assert.equal(JSON.stringify(obj.object), before)
    })
  })
})
