/**
 * Suppressions through the pipeline (analyzeTexts, as every command runs
 * it): gwctl/ignore annotations and .gwctl.yaml rule levels change what is
 * reported, and nothing else — what blocks serve/resolve stays as detected.
 */
import {strict as assert} from 'node:assert'
import type {RuleLevel} from '../../src/findings/finding.js'
import {analyzeTexts, assertUsable, isBroken, type Analysis} from '../../src/pipeline/analyze.js'
import {UserError} from '../../src/errors/user-error.js'

const NOW = new Date('2026-06-01T00:00:00Z')

/** A Gateway whose listener names an absent Secret (secret-not-found) and an HTTPRoute to an absent Service (backend-not-found). */
function manifests(gatewayAnnotation?: string, routeAnnotation?: string): string {
  const annotate = (value: string | undefined) => (value === undefined ? '' : `  annotations:\n    gwctl/ignore: ${JSON.stringify(value)}\n`)
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
${annotate(gatewayAnnotation)}spec:
  gatewayClassName: example
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    hostname: shop.example.com
    tls:
      certificateRefs:
      - name: shop-tls
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
${annotate(routeAnnotation)}spec:
  parentRefs:
  - name: gw
  rules:
  - backendRefs:
    - name: shop
      port: 8080
`
}

async function analyze(text: string, levels?: Record<string, RuleLevel>): Promise<Analysis> {
  return analyzeTexts([{file: 'm.yaml', text}], {now: NOW, rules: levels === undefined ? undefined : {levels, file: '.gwctl.yaml'}})
}

/** `ruleId severity line:column` per finding, `gateway-class-not-found` left out (every case has it). */
function describeFindings(analysis: Analysis): string[] {
  return analysis.findings.filter((finding) => finding.ruleId !== 'gateway-class-not-found').map((finding) => `${finding.ruleId} ${finding.severity} ${finding.line}:${finding.column}`)
}

function describeSuppressed(analysis: Analysis): string[] {
  return analysis.suppressed.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.suppression.kind}: ${finding.suppression.justification}`)
}

describe('suppressions in the pipeline', () => {
  const cases: Array<{name: string; text: string; levels?: Record<string, RuleLevel>; findings: string[]; suppressed: string[]; messages?: RegExp[]}> = [
    {
      name: 'nothing suppressed',
      text: manifests(),
      findings: ['secret-not-found warning 14:9', 'backend-not-found warning 25:7'],
      suppressed: [],
    },
    {
      name: 'an annotation silences its rule on its own object, with the reason',
      text: manifests('secret-not-found: issued by cert-manager in the cluster'),
      findings: ['backend-not-found warning 27:7'],
      suppressed: ['secret-not-found warning annotation: issued by cert-manager in the cluster'],
    },
    {
      name: "an annotation does not silence another object's findings (and is then unused)",
      text: manifests('backend-not-found'),
      findings: ['ignore-annotation-unused info 6:19', 'secret-not-found warning 16:9', 'backend-not-found warning 27:7'],
      suppressed: [],
    },
    {
      name: 'several entries; an unknown id and a malformed entry are warnings at the annotation, with a did-you-mean',
      text: manifests(undefined, 'backend-not-fund, route-parent-not-found: shared Gateway; backend-not-found the Service is elsewhere'),
      findings: ['secret-not-found warning 14:9', 'ignore-annotation-invalid warning 21:19', 'ignore-annotation-invalid warning 21:19', 'ignore-annotation-unused info 21:19', 'backend-not-found warning 27:7'],
      suppressed: [],
      messages: [/names unknown rule 'backend-not-fund' \(did you mean 'backend-not-found'\?\); it silences nothing/, /'backend-not-found the Service is elsewhere' is not a rule id/, /lists route-parent-not-found, which reports nothing on HTTPRoute default\/shop/],
    },
    {
      name: 'the suppression rules cannot silence themselves',
      text: manifests('secret-not-found, ignore-annotation-unused'),
      findings: ['ignore-annotation-invalid warning 6:19', 'backend-not-found warning 27:7'],
      suppressed: ['secret-not-found warning annotation: '],
      messages: [/cannot silence ignore-annotation-unused: set "rules: \{ignore-annotation-unused: off\}" in .gwctl.yaml instead/],
    },
    {
      name: 'a non-string value is invalid',
      text: manifests().replace('  name: gw\n', '  name: gw\n  annotations:\n    gwctl/ignore: [secret-not-found]\n'),
      findings: ['ignore-annotation-invalid warning 6:19', 'schema-type error 6:19', 'secret-not-found warning 16:9', 'backend-not-found warning 27:7'],
      suppressed: [],
      messages: [/must be a string such as "backend-not-found: reason", got a list/],
    },
    {
      name: '.gwctl.yaml: off silences a rule everywhere, a level changes its severity',
      text: manifests(),
      levels: {'backend-not-found': 'off', 'secret-not-found': 'error'},
      findings: ['secret-not-found error 14:9'],
      suppressed: ['backend-not-found warning config: .gwctl.yaml: rules.backend-not-found is off'],
    },
    {
      name: 'the annotation claims its findings first (so it is not unused); the file sets their severity',
      text: manifests('secret-not-found: not ours'),
      levels: {'secret-not-found': 'off', 'backend-not-found': 'info'},
      findings: ['backend-not-found info 27:7'],
      suppressed: ['secret-not-found warning annotation: not ours'],
    },
    {
      name: '.gwctl.yaml can turn off and re-level the suppression rules',
      text: manifests('route-parent-not-found; secret-not-fond'),
      levels: {'ignore-annotation-unused': 'off', 'ignore-annotation-invalid': 'error'},
      findings: ['ignore-annotation-invalid error 6:19', 'secret-not-found warning 16:9', 'backend-not-found warning 27:7'],
      suppressed: ['ignore-annotation-unused info config: .gwctl.yaml: rules.ignore-annotation-unused is off'],
    },
  ]
  for (const {name, text, levels, findings, suppressed, messages} of cases) {
    it(name, async () => {
      const analysis = await analyze(text, levels)
      assert.deepEqual(describeFindings(analysis), findings)
      assert.deepEqual(describeSuppressed(analysis), suppressed)
      for (const message of messages ?? []) assert.ok(analysis.findings.some((finding) => message.test(finding.message)), `a finding says ${message}`)
    })
  }

  it('turning off a schema error changes the report, not what serve and resolve refuse', async () => {
    const text = manifests('schema-unknown-field: we know').replace('  gatewayClassName: example\n', '  gatewayClassName: example\n  bogus: 1\n')
    const analysis = await analyze(text, {'schema-unknown-field': 'warning'})
    assert.ok(!analysis.findings.some((finding) => finding.ruleId === 'schema-unknown-field'))
    assert.deepEqual(analysis.suppressed.map((finding) => `${finding.ruleId} ${finding.severity}`), ['schema-unknown-field warning'])
    assert.equal(isBroken(analysis), true)
    assert.throws(() => assertUsable(analysis), (error: unknown) => {
      assert.ok(error instanceof UserError)
      assert.equal(error.file, 'm.yaml:9:3')
      assert.match(error.hint ?? '', /suppressed for lint by gwctl\/ignore or .gwctl.yaml, but the API server would reject it/)
      return true
    })
  })

  it('a lowered schema error is still refused', async () => {
    const text = manifests().replace('  gatewayClassName: example\n', '  gatewayClassName: example\n  bogus: 1\n')
    const analysis = await analyze(text, {'schema-unknown-field': 'info'})
    assert.ok(analysis.findings.some((finding) => finding.ruleId === 'schema-unknown-field' && finding.severity === 'info'))
    assert.equal(isBroken(analysis), true)
  })
})
