/**
 * The model is built from the schema stage's defaulted objects (issue 9 §8):
 * CRD defaults are applied once (src/schema/apply-defaults.ts), by the
 * validating walk, and the model reads its result — pruned as the API server
 * of the chosen channel stores it. Without a schema pass the same defaults
 * apply, unreported.
 */
import {strict as assert} from 'node:assert'
import {analyzeTexts} from '../../src/pipeline/analyze.js'
import {applyDefaults} from '../../src/schema/apply-defaults.js'
import {compileSchema} from '../../src/schema/schema-node.js'

const MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: example
  defaultScope: All
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  useDefaultGateways: All
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: named, namespace: default}
spec:
  parentRefs: [{name: gw}]
`

describe('model from defaulted objects', () => {
  it('CRD defaults reach the model: parentRef group/kind, the default rule of an HTTPRoute without rules, backendRef kind and weight', async () => {
    const {snapshot} = await analyzeTexts([{file: 'm.yaml', text: MANIFESTS}], {checkCertificates: false})
    const [web, named] = snapshot.routes
    assert.deepEqual([named.parentRefs[0].group, named.parentRefs[0].kind], ['gateway.networking.k8s.io', 'Gateway'])
    assert.deepEqual(named.rules.map((rule) => rule.matches.map((match) => `${match.path.type} ${match.path.value}`)), [['PathPrefix /']])
    assert.deepEqual(web.rules[0].backendRefs.map((ref) => [ref.kind, ref.weight]), [['Service', 1]])
  })

  it('validating for the standard channel, experimental-only fields are pruned as that API server prunes them: no default-Gateway attachment', async () => {
    const experimental = await analyzeTexts([{file: 'm.yaml', text: MANIFESTS}], {checkCertificates: false})
    const standard = await analyzeTexts([{file: 'm.yaml', text: MANIFESTS}], {checkCertificates: false, channel: 'standard'})
    const parents = (analysis: typeof standard, name: string) => analysis.binding.routes.find((route) => route.route.meta.name === name)?.parents.length
    assert.equal(parents(experimental, 'web'), 1, 'experimental: useDefaultGateways attaches the route')
    assert.equal(parents(standard, 'web'), 0, 'standard: the field is unknown, pruned, and the route has no parent')
    assert.ok(standard.findings.some((finding) => finding.ruleId === 'schema-unknown-field' && finding.field === 'spec.useDefaultGateways'))
  })

  it('without schema validation the same defaults apply, unreported', async () => {
    const {snapshot, findings} = await analyzeTexts([{file: 'm.yaml', text: MANIFESTS}], {checkCertificates: false, validateSchemas: false})
    assert.deepEqual(findings.filter((finding) => finding.category === 'schema'), [])
    const named = snapshot.routes[1]
    assert.equal(named.parentRefs[0].kind, 'Gateway')
    assert.equal(named.rules[0].matches[0].path.type, 'PathPrefix')
  })

  describe('applyDefaults', () => {
    const schema = compileSchema({
      type: 'object',
      properties: {
        mode: {type: 'string', default: 'Terminate'},
        nullable: {type: 'string', nullable: true, default: 'x'},
        list: {type: 'array', items: {type: 'object', properties: {weight: {type: 'integer', default: 1}, name: {type: 'string'}}}},
        nested: {type: 'object', default: {}, properties: {from: {type: 'string', default: 'Same'}}},
        typed: {type: 'object', properties: {inner: {type: 'string', default: 'd'}}},
      },
    })
    const cases: Array<[string, unknown, unknown]> = [
      ['absent fields take their defaults, defaults are defaulted', {}, {mode: 'Terminate', nullable: 'x', nested: {from: 'Same'}}],
      ['a null non-nullable field takes its default; a nullable null stays', {mode: null, nullable: null}, {mode: 'Terminate', nullable: null, nested: {from: 'Same'}}],
      ['items are defaulted; unknown fields are kept for the walk to report', {list: [{name: 'a'}, {weight: 3, extra: true}]}, {list: [{name: 'a', weight: 1}, {weight: 3, extra: true}], mode: 'Terminate', nullable: 'x', nested: {from: 'Same'}}],
      ['a value of the wrong type is left alone', {typed: 'oops', mode: 'Passthrough'}, {typed: 'oops', mode: 'Passthrough', nullable: 'x', nested: {from: 'Same'}}],
    ]
    for (const [what, input, expected] of cases) {
      it(what, () => {
        const before = JSON.stringify(input)
        assert.deepEqual(applyDefaults(input, schema), expected)
        assert.equal(JSON.stringify(input), before, 'the input is not modified')
      })
    }
  })
})
