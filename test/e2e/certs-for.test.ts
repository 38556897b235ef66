/**
 * `gwctl certs create --for` end to end (issue 5): on every fixture set,
 * issue what the manifests lack, then lint manifests + generated Secrets:
 * no missing-Secret and no certificate finding remains, and the Secrets
 * issued are the ones the expectations list (test/expectations certsCreateFor).
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import {readBrokenExpectations, readScenarioExpectations} from '../support/fixture-expectations.js'
import {runGwctl} from '../support/run-cli.js'

interface LintJson {findings: Array<{ruleId: string; category: string; message: string}>}

const PASSTHROUGH_WITHOUT_BACKEND_SECRET = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: apps}
spec:
  gatewayClassName: example
  listeners:
  - {name: tls, port: 5432, protocol: TLS, tls: {mode: Passthrough}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: db, namespace: apps}
spec:
  parentRefs: [{name: gw}]
  hostnames: [db.example.com]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: apps}
spec: {ports: [{port: 5432}]}
`

describe('e2e: gwctl certs create --for', function () {
  this.timeout(120_000)
  const sets = [
    ...readScenarioExpectations().map((scenario) => ({name: scenario.scenario, dir: scenario.dir, expected: scenario.certsCreateFor})),
    ...readBrokenExpectations().filter((variant) => variant.variant === 'secret-missing').map((variant) => ({name: `broken/${variant.variant}`, dir: variant.dir, expected: (variant as {certsCreateFor?: Array<{secret: string; dnsNames?: string[]}>}).certsCreateFor ?? []})),
  ]
  let out: string
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'gwctl-for-'))
  })
  afterEach(() => rmSync(out, {recursive: true, force: true}))

  for (const set of sets) {
    it(`${set.name}: issues ${set.expected.length === 0 ? 'nothing' : set.expected.map((need) => need.secret).join(', ')}, then lint finds no missing Secret or certificate problem`, async () => {
      const created = await runGwctl(['certs', 'create', '--for', set.dir, '--out-dir', out, '-o', 'json'])
      assert.equal(created.exitCode, 0, created.stderr)
      const result = JSON.parse(created.stdout) as {issued: Array<{namespace: string; secretName: string; dnsNames: string[]}>}
      assert.deepEqual(result.issued.map((secret) => `${secret.namespace}/${secret.secretName}`).sort(), set.expected.map((need) => need.secret).sort())
      for (const need of set.expected) {
        const issued = result.issued.find((secret) => `${secret.namespace}/${secret.secretName}` === need.secret)
        if (need.dnsNames !== undefined) assert.deepEqual([...issued!.dnsNames].sort(), [...need.dnsNames].sort())
      }
      for (const file of readdirSync(out).filter((name) => name.endsWith('.secret.yaml'))) {
        const secret = parse(readFileSync(join(out, file), 'utf8')) as {type: string; data: Record<string, string>}
        assert.equal(secret.type, 'kubernetes.io/tls')
        assert.ok(secret.data['tls.crt'] && secret.data['tls.key'] && secret.data['ca.crt'], `${file} holds tls.crt, tls.key and ca.crt`)
      }
      const lint = await runGwctl(['lint', set.dir, ...(result.issued.length > 0 ? [out] : []), '-o', 'json', '--fail-on', 'none'])
      assert.equal(lint.exitCode, 0, lint.stderr)
      const left = (JSON.parse(lint.stdout) as LintJson).findings.filter((finding) => finding.ruleId === 'secret-not-found' || finding.category === 'certificate')
      assert.deepEqual(left.map((finding) => `${finding.ruleId}: ${finding.message}`), [])
    })
  }

  it('reuses the local CA and never overwrites an issued Secret without --force', async () => {
    const dir = readBrokenExpectations().find((variant) => variant.variant === 'secret-missing')!.dir
    const first = await runGwctl(['certs', 'create', '--for', dir, '--out-dir', out])
    assert.equal(first.exitCode, 0, first.stderr)
    assert.match(first.stdout, /created local CA/)
    const secretFile = readdirSync(out).find((name) => name.endsWith('.secret.yaml'))!
    const before = readFileSync(join(out, secretFile), 'utf8')
    const second = await runGwctl(['certs', 'create', '--for', dir, '--out-dir', out])
    assert.equal(second.exitCode, 0, second.stderr)
    assert.match(second.stdout, /skipped Secret .*the file exists \(use --force to replace it\)/)
    assert.equal(readFileSync(join(out, secretFile), 'utf8'), before)
    const forced = await runGwctl(['certs', 'create', '--for', dir, '--out-dir', out, '--force'])
    assert.equal(forced.exitCode, 0, forced.stderr)
    assert.match(forced.stdout, /reused local CA/)
    assert.notEqual(readFileSync(join(out, secretFile), 'utf8'), before)
  })

  it('--backends issues the certificate a Passthrough backend presents, with the route hostnames', async () => {
    const manifests = join(out, 'manifests')
    mkdirSync(manifests)
    writeFileSync(join(manifests, 'passthrough.yaml'), PASSTHROUGH_WITHOUT_BACKEND_SECRET)
    const created = await runGwctl(['certs', 'create', '--for', manifests, '--backends', '--out-dir', join(out, 'generated'), '-o', 'json'])
    assert.equal(created.exitCode, 0, created.stderr)
    const result = JSON.parse(created.stdout) as {issued: Array<{namespace: string; secretName: string; dnsNames: string[]}>}
    assert.deepEqual(result.issued.map((secret) => ({secret: `${secret.namespace}/${secret.secretName}`, dnsNames: secret.dnsNames})), [{secret: 'apps/db-tls', dnsNames: ['db.example.com']}])
    const without = await runGwctl(['certs', 'create', '--for', manifests, '--out-dir', join(out, 'plain'), '-o', 'json'])
    assert.deepEqual((JSON.parse(without.stdout) as {issued: unknown[]}).issued, [], 'without --backends nothing is issued for Passthrough')
  })

  it('bad input is one line and exit 2', async () => {
    const result = await runGwctl(['certs', 'create', '--for', join(out, 'missing-dir'), '--out-dir', out])
    assert.equal(result.exitCode, 2)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    assert.doesNotMatch(result.stderr, /\n\s+at /)
  })
})
