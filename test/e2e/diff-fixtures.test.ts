/**
 * `gwctl diff` over every pair (scenario, broken variant derived from it:
 * `base` in test/expectations/broken/*.yaml) with the built CLI: the change
 * that matters is named. Each expected finding of the variant appears (rule
 * and object); the routing rows the mistake changes are reported as
 * removed or changed with the aspect that differs (backends, certificate,
 * listener readiness, shadowing), or nothing is reported for traffic when
 * the mistake changes no routing; `--exit-code` follows traffic only; and
 * the text rendering of the report names the same change.
 */
import {strict as assert} from 'node:assert'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'
import type {DiffReport, RowAspect} from '../../src/diff/diff-report.js'
import {renderDiffMarkdown} from '../../src/diff/render-diff-markdown.js'
import {renderDiffText} from '../../src/diff/render-diff-text.js'
import {REPO_ROOT} from '../support/fixture-expectations.js'
import {runGwctl} from '../support/run-cli.js'

interface VariantExpectation {
  variant: string
  base: string
  mistake: string
  findings: Array<{ruleId: string; resource?: {kind: string; namespace?: string; name: string}}>
}

/** What each mistake does to traffic: rows (by hostname) removed, or changed in one aspect; `none`: routing is the same. */
type TrafficChange = {removed: string[]} | {changed: string; aspect: RowAspect} | 'none'

const TRAFFIC: Record<string, TrafficChange> = {
  'allowed-routes-kind-invalid': {removed: ['vault.example.com']},
  'certificate-expired': {changed: 'shop.example.com', aspect: 'certificate'},
  'certificate-key-mismatch': {changed: 'shop.example.com', aspect: 'ready'},
  'certificate-wrong-hostname': {changed: 'shop.example.com', aspect: 'certificate'},
  'duplicate-listener-names': {removed: ['passthrough.example.com']},
  'duplicate-tlsroute-hostname': {changed: 'api.example.com', aspect: 'shadowed'},
  'grant-matches-nothing': {changed: 'pay.example.com', aspect: 'backends'},
  'https-listener-without-tls': {changed: 'shop.example.com', aspect: 'ready'},
  'missing-reference-grant': {changed: 'pay.example.com', aspect: 'backends'},
  'parent-gateway-typo': {removed: ['app.example.com']},
  'passthrough-with-certificate-refs': 'none',
  'reference-grant-wrong-namespace': {changed: 'pay.example.com', aspect: 'backends'},
  'route-hostname-no-match': {removed: ['app.example.com']},
  'route-namespace-not-allowed': {removed: ['shop.example.com', 'pay.example.com']},
  'secret-in-other-namespace-without-grant': {changed: 'shop.example.com', aspect: 'ready'},
  'secret-missing': {changed: 'shop.example.com', aspect: 'certificate'},
  'secret-wrong-type': 'none',
  'section-name-typo': {removed: ['shop.example.com']},
  'service-missing': {changed: 'admin.example.com', aspect: 'backends'},
  'service-port-missing': {changed: 'app.example.com', aspect: 'backends'},
  'tcp-listener-with-hostname': 'none',
  'tls-and-https-same-port': {removed: ['vault.example.com']},
  'tls-mode-missing': {removed: ['passthrough.example.com']},
  'tlsroute-on-https-listener': {removed: ['vault.example.com']},
  'tlsroute-with-matches': 'none',
  'tlsroute-without-hostnames': {removed: ['app.example.com']},
  'typo-certficaterefs': {changed: 'shop.example.com', aspect: 'ready'},
  'v1alpha2-tlsroute-deprecated': 'none',
  'weights-all-zero': {changed: 'api.example.com', aspect: 'backends'},
}

const EXPECTATIONS = join(REPO_ROOT, 'test', 'expectations', 'broken')
const variants = readdirSync(EXPECTATIONS).filter((name) => name.endsWith('.yaml'))
  .map((name) => parse(readFileSync(join(EXPECTATIONS, name), 'utf8')) as VariantExpectation)

describe('gwctl diff: every scenario against each broken variant derived from it', function () {
  this.timeout(60_000)

  it('knows what each variant does to traffic (a new variant needs an entry here)', () => {
    assert.deepEqual(variants.map((entry) => entry.variant).sort(), Object.keys(TRAFFIC).sort())
    assert.deepEqual(readdirSync(join(REPO_ROOT, 'fixtures', 'broken')).sort(), Object.keys(TRAFFIC).sort())
  })

  for (const expectation of variants) {
    const {variant, base} = expectation
    it(`${base} → ${variant}: ${expectation.mistake}`, async () => {
      const args = ['diff', `fixtures/scenarios/${base}`, `fixtures/broken/${variant}`, '--map-namespace', `${base}=broken-${variant}`, '-o', 'json', '--exit-code', '--now', '2026-06-01T00:00:00Z']
      const result = await runGwctl(args, {cwd: REPO_ROOT})
      assert.equal(result.stderr, '')
      const report = JSON.parse(result.stdout) as DiffReport
      const text = renderDiffText(report, false)

      for (const finding of expectation.findings) {
        const named = report.findings.appeared.find((entry) => entry.ruleId === finding.ruleId
          && (finding.resource === undefined || (entry.resource?.kind === finding.resource.kind && entry.resource?.name === finding.resource.name && entry.resource?.namespace === finding.resource.namespace)))
        assert.ok(named !== undefined, `finding ${finding.ruleId} appears:\n${text}`)
        assert.match(text, new RegExp(`\\+ appeared \\w+ ${finding.ruleId} `))
      }
      assert.deepEqual(report.findings.fixed, [], 'the scenario has no finding to fix')

      const traffic = TRAFFIC[variant]
      if (traffic === 'none') {
        assert.deepEqual(report.routes, [], text)
        assert.equal(report.summary.trafficChanged, false)
        assert.equal(result.exitCode, 0, 'finding changes alone do not make --exit-code fail')
        assert.match(text, /^no traffic change;/m)
        return
      }
      assert.equal(report.summary.trafficChanged, true)
      assert.equal(result.exitCode, 1, '--exit-code: traffic changes')
      if ('removed' in traffic) {
        for (const hostname of traffic.removed) {
          const row = report.routes.find((change) => change.change === 'removed' && change.hostname === hostname)
          assert.ok(row?.old !== undefined && row.route !== undefined && row.old.backends.length > 0, `a row for ${hostname} with backends is removed:\n${text}`)
          assert.ok(text.split('\n').some((line) => line.startsWith('- ') && line.includes(` ${hostname} `) && line.includes(`${row.route!.kind} ${row.route!.namespace}/${row.route!.name}`)), text)
        }
      } else {
        const row = report.routes.find((change) => change.change === 'changed' && change.hostname === traffic.changed)
        assert.ok(row !== undefined && (row.aspects ?? []).includes(traffic.aspect), `the ${traffic.aspect} of ${traffic.changed} changes:\n${text}`)
        assert.match(text, new RegExp(`^~ .* ${traffic.changed.replace(/\./g, '\\.')} `, 'm'))
        const label = {backends: 'backends', certificate: 'certificate', ready: 'listener', shadowed: 'shadowed by', protocol: 'protocol'}[traffic.aspect]
        assert.match(text, new RegExp(`^    ${label}: .+ → .+$`, 'm'))
      }
      const markdown = renderDiffMarkdown(report)
      assert.match(markdown.split('\n')[0], /^\*\*gwctl diff\*\*: traffic changes: /)
    })
  }
})
