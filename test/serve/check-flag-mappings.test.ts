import assert from 'node:assert/strict'
import {analyzeManifests} from '../../src/pipeline/analyze.js'
import {checkBackendFlags, checkPortMap, describeUnusedBackendEntries, listReferencedServicePorts} from '../../src/serve/check-flag-mappings.js'

const NOW = new Date('2026-06-01T00:00:00Z')

describe('serve/check-flag-mappings: --backend and --port-map must map something', () => {
  let binding: Awaited<ReturnType<typeof analyzeManifests>>['binding']
  before(async () => {
    binding = (await analyzeManifests(['fixtures/scenarios/wildcard'], {now: NOW, checkCertificates: false})).binding
  })

  it('knows every Service port a route references', () => {
    assert.deepEqual([...listReferencedServicePorts(binding)].sort(), ['wildcard-eu/eu-api:8443', 'wildcard/app-router:8443', 'wildcard/fallback:8443', 'wildcard/secure-app:8443'])
  })

  const backends: Array<[string, RegExp | undefined]> = [
    ['wildcard/secure-app:8443=127.0.0.1:9443', undefined],
    ['wildcard/secure-ap:8443=127.0.0.1:9443', /^--backend wildcard\/secure-ap:8443=127\.0\.0\.1:9443: no route references Service port wildcard\/secure-ap:8443; did you mean wildcard\/secure-app:8443\?$/],
    ['wildcard/secure-app:443=127.0.0.1:9443', /did you mean wildcard\/secure-app:8443\?$/],
    ['default/secure-app:8443=127.0.0.1:9443', /did you mean wildcard\/secure-app:8443\?$/],
    ['other/database:5432=127.0.0.1:5432', /^--backend other\/database:5432=127\.0\.0\.1:5432: no route references Service port other\/database:5432$/],
  ]
  for (const [flag, expected] of backends) {
    it(`--backend ${flag}`, () => {
      if (expected === undefined) checkBackendFlags(binding, [flag])
      else assert.throws(() => checkBackendFlags(binding, [flag]), (error: Error & {hint?: string}) => expected.test(error.message))
    })
  }
  it('an unknown --backend lists the referenced ports as a hint', () => {
    assert.throws(() => checkBackendFlags(binding, ['other/database:5432=5432']), (error: Error & {hint?: string}) => error.hint === 'referenced: wildcard-eu/eu-api:8443, wildcard/app-router:8443, wildcard/fallback:8443, wildcard/secure-app:8443')
  })

  it('--backends file entries nothing references are warnings, not errors (one file may serve several manifest sets)', () => {
    assert.deepEqual(describeUnusedBackendEntries(binding, 'backends.yaml', ['wildcard/secure-app:8443', 'wildcard/secure-ap:8443', 'other/database:5432']), [
      '--backends backends.yaml: no route references Service port wildcard/secure-ap:8443; did you mean wildcard/secure-app:8443?',
      '--backends backends.yaml: no route references Service port other/database:5432',
    ])
  })

  const ports: Array<[number, RegExp | undefined]> = [
    [443, undefined],
    [444, /^--port-map 444=8443: no listener has port 444; did you mean 443\?$/],
    [8443, /^--port-map 8443=8443: no listener has port 8443; did you mean 443\?$/],
    [9000, /^--port-map 9000=8443: no listener has port 9000$/],
  ]
  for (const [port, expected] of ports) {
    it(`--port-map ${port}=8443`, () => {
      if (expected === undefined) checkPortMap(binding, new Map([[port, 8443]]))
      else assert.throws(() => checkPortMap(binding, new Map([[port, 8443]])), (error: Error) => expected.test(error.message))
    })
  }
})
