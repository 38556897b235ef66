import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {generateSchemas} from '../../scripts/generate-schemas.js'
import {sharedPath, skipWithoutShared} from '../support/shared-directory.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const CRD_DIR = process.env.GWCTL_CRD_DIR ?? sharedPath('gateway-api')

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listFiles(path) : [path]
  })
}

describe('scripts/generate-schemas', function () {
  let out: string | undefined
  before(function () {
    skipWithoutShared(this, CRD_DIR, 'comparing schemas/ with the Gateway API CRD bundle (or set GWCTL_CRD_DIR)')
    out = mkdtempSync(join(tmpdir(), 'gwctl-schemas-'))
  })
  after(() => {
    if (out !== undefined) rmSync(out, {recursive: true, force: true})
  })

  it('the committed schemas/ are what the CRD bundle generates (run npm run schemas)', () => {
    const index = generateSchemas(CRD_DIR, out!)
    const generated = listFiles(out!).map((f) => relative(out!, f)).sort()
    // routing-tests.schema.json is gwctl's own (test/testing/routing-tests-schema.test.ts), not generated from the CRDs.
    const committed = listFiles(join(ROOT, 'schemas')).map((f) => relative(join(ROOT, 'schemas'), f)).filter((f) => f !== 'routing-tests.schema.json').sort()
    assert.deepEqual(committed, generated)
    for (const file of generated) assert.equal(readFileSync(join(ROOT, 'schemas', file), 'utf8'), readFileSync(join(out!, file), 'utf8'), file)
    assert.equal(index.bundleVersion, 'v1.6.1')
  })

  it('indexes every CRD of the bundle with served versions per channel', () => {
    const index = generateSchemas(CRD_DIR, out!)
    const servedVersions = (kind: string) => {
      const entry = index.kinds.find((k) => k.kind === kind)
      return Object.fromEntries(Object.entries(entry?.channels ?? {}).map(([channel, c]) => [channel, c.versions.filter((v) => v.served).map((v) => v.name).join(',')]))
    }
    assert.deepEqual(index.kinds.map((k) => `${k.group}/${k.kind}`), [
      'gateway.networking.k8s.io/BackendTLSPolicy',
      'gateway.networking.k8s.io/Gateway',
      'gateway.networking.k8s.io/GatewayClass',
      'gateway.networking.k8s.io/GRPCRoute',
      'gateway.networking.k8s.io/HTTPRoute',
      'gateway.networking.k8s.io/ListenerSet',
      'gateway.networking.k8s.io/ReferenceGrant',
      'gateway.networking.k8s.io/TCPRoute',
      'gateway.networking.k8s.io/TLSRoute',
      'gateway.networking.k8s.io/UDPRoute',
      'gateway.networking.x-k8s.io/XBackend',
      'gateway.networking.x-k8s.io/XBackendTrafficPolicy',
      'gateway.networking.x-k8s.io/XMesh',
    ])
    assert.deepEqual(servedVersions('TLSRoute'), {standard: 'v1', experimental: 'v1,v1alpha2,v1alpha3'})
    assert.deepEqual(servedVersions('ReferenceGrant'), {standard: 'v1,v1beta1', experimental: 'v1,v1beta1'})
    assert.deepEqual(servedVersions('XMesh'), {experimental: 'v1alpha1'})
    const tlsRoute = index.kinds.find((k) => k.kind === 'TLSRoute')?.channels.standard
    assert.equal(tlsRoute?.storageVersion, 'v1')
    assert.deepEqual(tlsRoute?.versions.find((v) => v.name === 'v1alpha2'), {
      name: 'v1alpha2',
      served: false,
      storage: false,
      deprecated: true,
      deprecationWarning: 'The v1alpha2 version of TLSRoute has been deprecated and will be removed in a future release of the API. Please upgrade to v1.',
      statusSubresource: true,
    })
    const referenceGrant = index.kinds.find((k) => k.kind === 'ReferenceGrant')?.channels.standard
    assert.deepEqual(referenceGrant?.versions.map((v) => v.statusSubresource ?? false), [false, false], 'ReferenceGrant has no status subresource')
  })
})
