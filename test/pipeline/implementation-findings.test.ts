/**
 * Implementation profiles in the pipeline: the engine switches a profile
 * sets (NGF's shared HTTPS/TLS port, TLSRouteModeMixed, TLSRouteModeTerminate)
 * and `implementation-unsupported-feature`, one finding per use of a feature
 * an implementation's report declares unsupported or does not mention.
 */
import {strict as assert} from 'node:assert'
import {readdirSync} from 'node:fs'
import {buildProfile, loadImplementationCatalogue, pickNewestReport, resolveImplementation} from '../../src/implementations/find-implementation.js'
import type {ImplementationProfile} from '../../src/implementations/implementation-profile.js'
import {analyzeManifests, analyzeTexts} from '../../src/pipeline/analyze.js'
import {NGF_HOWTO, SAME_PORT_MIXED} from '../support/profile-manifests.js'
import {projectStatus} from '../../src/gatewayapi/status.js'
import {renderStatusYaml} from '../../src/lint/build-report.js'

const NOW = new Date('2026-06-01T00:00:00Z')
const RULE = 'implementation-unsupported-feature'

async function lint(text: string, implementation: ImplementationProfile | undefined) {
  return analyzeTexts([{file: 'input.yaml', text}], {now: NOW, checkCertificates: false, implementation})
}

describe('implementation profiles', () => {
  describe('NGF: an HTTPS listener may share the TLS listener\'s port with a non-overlapping hostname', () => {
    it('is a conflict under generic', async () => {
      const analysis = await lint(NGF_HOWTO, undefined)
      assert.deepEqual(analysis.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.ruleId).sort(), ['gateway-listeners-not-valid', 'listener-conflict', 'listener-conflict'])
    })
    it('is clean under nginx-gateway-fabric', async () => {
      const analysis = await lint(NGF_HOWTO, await resolveImplementation('nginx-gateway-fabric'))
      assert.deepEqual(analysis.findings.filter((finding) => finding.severity === 'error'), [])
      assert.ok(analysis.binding.gateways[0].listeners.every((listener) => listener.accepted), 'both listeners accepted')
    })
    it('overlapping hostnames still conflict under nginx-gateway-fabric', async () => {
      const analysis = await lint(NGF_HOWTO.replace('"cafe.example.org"', '"cafe.example.com"'), await resolveImplementation('ngf'))
      assert.equal(analysis.findings.filter((finding) => finding.ruleId === 'listener-conflict').length, 2)
    })
    it('under an implementation with no documented rule: gwctl\'s default conflict, and the behaviour is said to be unknown', async () => {
      const analysis = await lint(NGF_HOWTO, await resolveImplementation('envoy-gateway'))
      const [unknown] = analysis.findings.filter((finding) => finding.ruleId === RULE)
      assert.equal(unknown.severity, 'warning')
      assert.match(unknown.message, /HTTPS and TLS listeners on one port is left to implementations .* envoy-gateway 1\.9\.0 .*behaviour is unknown/)
      assert.equal(unknown.field, 'spec.listeners[1].port')
    })
  })

  describe('TLSRouteModeMixed: Passthrough and Terminate on one port', () => {
    it('every implementation whose report lacks TLSRouteModeMixed gets the finding at the listener; the others do not', async () => {
      const catalogue = await loadImplementationCatalogue()
      for (const implementation of catalogue.implementations) {
        const report = pickNewestReport(implementation)
        const analysis = await lint(SAME_PORT_MIXED, buildProfile(implementation, report))
        const mixed = analysis.findings.filter((finding) => finding.ruleId === RULE && finding.message.includes('TLSRouteModeMixed'))
        if (report.supported.includes('TLSRouteModeMixed')) {
          assert.deepEqual(mixed, [], implementation.name)
          continue
        }
        assert.equal(mixed.length, 1, implementation.name)
        assert.equal(mixed[0].field, 'spec.listeners[1].tls.mode')
        assert.equal(mixed[0].severity, report.unsupported.includes('TLSRouteModeMixed') ? 'error' : 'warning', implementation.name)
        assert.ok(mixed[0].message.includes(`${implementation.name} ${report.version}`), mixed[0].message)
      }
    })
    it('the mixed-modes-same-port fixture: the finding under every implementation whose newest report lacks TLSRouteModeMixed, none under the others', async () => {
      const catalogue = await loadImplementationCatalogue()
      const lacking: string[] = []
      const supporting: string[] = []
      for (const implementation of catalogue.implementations) {
        const report = pickNewestReport(implementation)
        const analysis = await analyzeManifests(['fixtures/scenarios/mixed-modes-same-port'], {now: NOW, checkCertificates: false, implementation: buildProfile(implementation, report)})
        const mixed = analysis.findings.filter((finding) => finding.ruleId === RULE && finding.message.includes('feature TLSRouteModeMixed,'))
        const who = `${implementation.name} ${report.version}`
        if (report.supported.includes('TLSRouteModeMixed')) {
          supporting.push(who)
          assert.deepEqual(mixed, [], who)
          assert.deepEqual(analysis.findings.filter((finding) => finding.ruleId === 'listener-conflict'), [], `${who}: no conflict where the feature is supported`)
          continue
        }
        lacking.push(who)
        assert.equal(mixed.length, 1, who)
        assert.deepEqual([mixed[0].file, mixed[0].field, mixed[0].severity], ['fixtures/scenarios/mixed-modes-same-port/gateway.yaml', 'spec.listeners[1].tls.mode',
          report.unsupported.includes('TLSRouteModeMixed') ? 'error' : 'warning'], who)
        assert.ok(mixed[0].message.includes(who), mixed[0].message)
      }
      assert.ok(lacking.length > 0 && supporting.length > 0, `both kinds of implementation exist (lacking: ${lacking.join(', ')}; supporting: ${supporting.join(', ')})`)
    })
    it('the mixed-modes fixture (Passthrough on 8443, HTTPS on 443: two ports) is not mixed mode under any implementation', async () => {
      const catalogue = await loadImplementationCatalogue()
      for (const implementation of catalogue.implementations) {
        const report = pickNewestReport(implementation)
        const analysis = await analyzeManifests(['fixtures/scenarios/mixed-modes'], {now: NOW, checkCertificates: false, implementation: buildProfile(implementation, report)})
        assert.deepEqual(analysis.findings.filter((finding) => finding.message.includes('TLSRouteModeMixed')), [], `${implementation.name} ${report.version}`)
      }
    })
    it('declared unsupported (cilium): the listeners conflict, as that controller would report', async () => {
      const analysis = await lint(SAME_PORT_MIXED, await resolveImplementation('cilium'))
      assert.equal(analysis.findings.filter((finding) => finding.ruleId === 'listener-conflict').length, 2)
      assert.match(analysis.findings.find((finding) => finding.ruleId === RULE)?.message ?? '', /TLSRouteModeMixed, which cilium 1\.20\.0 declares unsupported: the listeners of that port conflict/)
    })
    it('supported (envoy-gateway) or generic: no conflict', async () => {
      for (const profile of [undefined, await resolveImplementation('eg')]) {
        const analysis = await lint(SAME_PORT_MIXED, profile)
        assert.deepEqual(analysis.findings.filter((finding) => finding.ruleId === 'listener-conflict' || finding.ruleId === RULE), [])
      }
    })
  })

  it('TLSRouteModeTerminate declared unsupported (cilium): a TLSRoute on a Terminate listener is not allowed there', async () => {
    const text = `${SAME_PORT_MIXED.replace('port: 443\n    protocol: TLS\n    hostname: vault', 'port: 8443\n    protocol: TLS\n    hostname: vault')}---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: www
  namespace: default
spec:
  parentRefs:
  - name: mixed
    sectionName: terminate
  hostnames: [www.example.com]
  rules:
  - backendRefs:
    - name: www
      port: 443
`
    const generic = await lint(text, undefined)
    assert.equal(generic.binding.routes.find((route) => route.route.meta.name === 'www')?.parents[0]?.accepted, true)
    const cilium = await lint(text, await resolveImplementation('cilium'))
    assert.equal(cilium.binding.routes.find((route) => route.route.meta.name === 'www')?.parents[0]?.accepted, false)
    const finding = cilium.findings.find((candidate) => candidate.ruleId === RULE && candidate.message.includes('TLSRouteModeTerminate'))
    assert.equal(finding?.field, 'spec.parentRefs[0]')
    assert.equal(finding?.severity, 'error')
  })

  describe('lint --status: GatewayClass status.supportedFeatures as the controller publishes them', () => {
    const CLASS = 'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: nginx\nspec:\n  controllerName: gateway.nginx.org/nginx-gateway-controller\n'
    it('the report\'s supported features, sorted, under a profile', async () => {
      const profile = await resolveImplementation('ngf@2.6')
      const analysis = await lint(CLASS, profile)
      const status = projectStatus(analysis.binding, {now: NOW, supportedFeatures: analysis.implementation?.report.supported}).get(0)
      const names = (status?.supportedFeatures as Array<{name: string}>).map((entry) => entry.name)
      assert.deepEqual(names, [...names].sort())
      assert.ok(names.includes('HTTPRoute') && names.includes('TLSRoute') && !names.includes('TLSRouteModeMixed'), 'ngf 2.6.0 declares TLSRouteModeMixed unsupported')
      assert.deepEqual(new Set(names), new Set(profile?.report.supported))
      assert.match(renderStatusYaml(analysis, NOW), /supportedFeatures:\n {4}- name: BackendTLSPolicy\n/)
    })
    it('none under generic', async () => {
      const analysis = await lint(CLASS, undefined)
      assert.doesNotMatch(renderStatusYaml(analysis, NOW), /supportedFeatures/)
    })
  })

  /**
   * The generated test: for every implementation and every scenario fixture,
   * one finding per use of a feature its report does not list as supported.
   * What each fixture uses is written out here by hand (from its README), so
   * the detector is checked, not restated.
   */
  describe('every implementation × every scenario fixture: one finding per unsupported feature used', () => {
    const USES: Record<string, string[]> = {
      'cert-manager': ['HTTPRoute'],
      'cross-namespace': ['HTTPRoute', 'ReferenceGrant', 'ReferenceGrant', 'TLSRoute'],
      'http-to-https-redirect': ['HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRouteSchemeRedirect'],
      'https-termination': ['HTTPRoute'],
      'mixed-modes': ['HTTPRoute', 'TLSRoute'],
      'mixed-modes-same-port': ['TLSRoute', 'TLSRoute', 'TLSRouteModeMixed', 'TLSRouteModeTerminate'],
      'multi-sni': ['TLSRoute', 'TLSRoute', 'TLSRoute'],
      passthrough: ['TLSRoute'],
      'port-6443': ['HTTPRoute', 'TLSRoute'],
      'tls-terminate-tcproute': ['TCPRoute', 'TCPRoute on a TLS Terminate listener'],
      'weighted-canary': ['TLSRoute'],
      wildcard: ['TLSRoute', 'TLSRoute', 'TLSRoute', 'TLSRoute'],
    }
    it('USES covers every scenario', () => assert.deepEqual(Object.keys(USES).sort(), readdirSync('fixtures/scenarios').sort()))

    for (const [scenario, uses] of Object.entries(USES)) {
      it(scenario, async () => {
        const catalogue = await loadImplementationCatalogue()
        for (const implementation of catalogue.implementations) {
          const report = pickNewestReport(implementation)
          const analysis = await analyzeManifests([`fixtures/scenarios/${scenario}`], {now: NOW, checkCertificates: false, implementation: buildProfile(implementation, report)})
          const expected = uses.filter((feature) => !report.supported.includes(feature)).sort()
          const found = analysis.findings.filter((finding) => finding.ruleId === RULE)
          const named = found.map((finding) => expected.find((feature) => finding.message.includes(`feature ${feature},`) || finding.message.startsWith(`${feature} is left`)) ?? finding.message).sort()
          assert.deepEqual(named, expected, `${scenario} under ${implementation.name} ${report.version}`)
          for (const finding of found) {
            const feature = expected.find((candidate) => finding.message.includes(candidate))!
            assert.equal(finding.severity, report.unsupported.includes(feature) ? 'error' : 'warning', finding.message)
          }
        }
      })
    }
  })
})
