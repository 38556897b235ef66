import {strict as assert} from 'node:assert'
import {UserError} from '../../src/errors/user-error.js'
import {loadImplementationCatalogue, parseImplementationSpec, resolveImplementation} from '../../src/implementations/find-implementation.js'

async function expectUsageError(text: string, message: RegExp, hint: RegExp): Promise<void> {
  await assert.rejects(resolveImplementation(text), (error: unknown) => {
    assert.ok(error instanceof UserError)
    assert.equal(error.kind, 'usage')
    assert.match(error.message, message)
    assert.match(error.hint ?? '', hint)
    return true
  })
}

describe('resolveImplementation', () => {
  it('generic is no profile', async () => assert.equal(await resolveImplementation('generic'), undefined))

  it('parses NAME and NAME@VERSION', () => {
    assert.deepEqual(parseImplementationSpec('ngf'), {name: 'ngf'})
    assert.deepEqual(parseImplementationSpec('ngf@2.6'), {name: 'ngf', version: '2.6'})
  })

  const names: Array<[string, string]> = [
    ['nginx-gateway-fabric', 'nginx-gateway-fabric'], ['ngf', 'nginx-gateway-fabric'], ['NGF', 'nginx-gateway-fabric'],
    ['envoy-gateway', 'envoy-gateway'], ['eg', 'envoy-gateway'], ['kong', 'kong'], ['istio', 'istio'], ['cilium', 'cilium'],
    ['traefik', 'traefik'], ['kgateway', 'kgateway'], ['agentgateway', 'agentgateway'], ['gke', 'gke'],
    ['haproxy-ingress', 'haproxy-ingress'], ['airlock', 'airlock'],
  ]
  for (const [given, name] of names) {
    it(`'${given}' is ${name}`, async () => assert.equal((await resolveImplementation(given))?.name, name))
  }

  it('no version: the newest report of the newest Gateway API release', async () => {
    const catalogue = await loadImplementationCatalogue()
    for (const implementation of catalogue.implementations) {
      const profile = await resolveImplementation(implementation.name)
      const newestRelease = implementation.reports.map((report) => report.gatewayAPIVersion).sort().at(-1)
      assert.equal(profile?.report.gatewayAPIVersion.split('.').slice(0, 2).join('.'), newestRelease?.split('.').slice(0, 2).join('.'), implementation.name)
    }
  })

  const versions: Array<[string, string]> = [
    ['ngf@2.6.0', '2.6.0'], ['ngf@2.6', '2.6.0'], ['ngf@2.5.9', '2.5.0'], ['ngf@v2.7', '2.7.0-pre-release'], ['ngf@99', '2.7.0-pre-release'],
    ['eg@1.7.3', '1.7.0'],
  ]
  for (const [given, version] of versions) {
    it(`${given}: the nearest report at or below is ${version}`, async () => assert.equal((await resolveImplementation(given))?.report.version, version))
  }

  it('an unknown name: did-you-mean and the list', () => expectUsageError('nginx-gatway-fabric', /unknown implementation 'nginx-gatway-fabric'/, /did you mean 'nginx-gateway-fabric'\? known: generic, .*envoy-gateway/))
  it('a version below every report: did-you-mean and the versions', () => expectUsageError('ngf@1.0', /no conformance report at or below version 1\.0/, /reported versions: 2\.7\.0-pre-release, .*2\.0\.0/))
  it('generic has no versions', () => expectUsageError('generic@1', /generic has no versions/, /generic/))

  it('a profile says supported, unsupported or unreported per feature', async () => {
    const cilium = await resolveImplementation('cilium@1.20.0')
    assert.equal(cilium?.support('TLSRoute'), 'supported')
    assert.equal(cilium?.support('TLSRouteModeMixed'), 'unsupported')
    const airlock = await resolveImplementation('airlock')
    assert.equal(airlock?.support('TLSRoute'), 'unreported')
  })
})
