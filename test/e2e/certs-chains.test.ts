/**
 * Issue 10 §1–§3 through the built CLI, one test per "Why" bullet: a chain
 * OpenSSL refuses (pathlen:0 root → intermediate → clientAuth-only leaf) is
 * refused by inspect and lint too; a CN-only leaf is an error in lint and
 * inspect, and `certs create --for` never issues one; damaged certificate
 * bytes are findings or one-line errors in lint, resolve, serve and
 * inspect (serve's loader: the in-process fuzz test); `--days` beyond year 9999 and a dangling symbolic link at the key
 * path write nothing.
 */
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {encodePem, splitPemBlocks} from '../../src/certs/pem.js'
import {renderTlsSecretYaml} from '../../src/certs/tls-secret-manifest.js'
import {OpensslPki} from '../certs/openssl-pki.js'
import {runOpenssl} from '../certs/test-certificates.js'
import {runGwctl} from '../support/run-cli.js'

const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always']

function gatewayYaml(name: string, secret: string, hostname?: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: web}
spec:
  gatewayClassName: example
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
${hostname === undefined ? '' : `    hostname: ${hostname}\n`}    tls: {certificateRefs: [{name: ${secret}}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: web}
spec:
  parentRefs: [{name: ${name}}]
  rules: [{backendRefs: [{name: app, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: web}
spec: {ports: [{port: 80}]}
`
}

interface LintJson {findings: Array<{ruleId: string; severity: string; category: string; message: string}>}

describe('e2e: certificate chains as OpenSSL sees them, SAN rules, damaged bytes', function () {
  this.timeout(180_000)
  const pki = new OpensslPki()
  const at = (name: string) => pki.file(name)
  const certificates = (output: string) => (JSON.parse(output) as LintJson).findings.filter((finding) => finding.category === 'certificate')

  before(async () => {
    await pki.build([
      {name: 'root', extensions: CA.map((line) => (line.startsWith('basicConstraints') ? 'basicConstraints=critical,CA:TRUE,pathlen:0' : line))},
      {name: 'inter', issuer: 'root', extensions: CA},
      {name: 'leaf', subject: '/CN=app.example.com', issuer: 'inter', extensions: [
        'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth', 'subjectAltName=DNS:app.example.com', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always',
      ]},
    ])
    writeFileSync(at('chain.crt'), pki.issued.leaf.certificate + pki.issued.inter.certificate)
    writeFileSync(at('chain-tls.secret.yaml'), renderTlsSecretYaml({name: 'chain-tls', namespace: 'web', certificatePem: pki.issued.leaf.certificate + pki.issued.inter.certificate, privateKeyPem: pki.issued.leaf.key, caPem: pki.issued.root.certificate}))
    const cnOnly = runOpenssl([['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=app.example.com', '-days', '90']], ['k.pem', 'c.pem'])
    writeFileSync(at('cn-only.crt'), cnOnly['c.pem'])
    writeFileSync(at('cn-only.key'), cnOnly['k.pem'])
    writeFileSync(at('cn-only-tls.secret.yaml'), renderTlsSecretYaml({name: 'cn-only-tls', namespace: 'web', certificatePem: cnOnly['c.pem'], privateKeyPem: cnOnly['k.pem']}))
    mkdirSync(at('chain'))
    writeFileSync(join(at('chain'), 'gateway.yaml'), gatewayYaml('chain', 'chain-tls', 'app.example.com'))
    writeFileSync(join(at('chain'), 'secret.yaml'), readFileSync(at('chain-tls.secret.yaml')))
    mkdirSync(at('cn-only'))
    writeFileSync(join(at('cn-only'), 'gateway.yaml'), gatewayYaml('bare', 'cn-only-tls'))
    writeFileSync(join(at('cn-only'), 'secret.yaml'), readFileSync(at('cn-only-tls.secret.yaml')))
  })
  after(() => pki.remove())

  it('pathlen:0 root → intermediate → clientAuth-only leaf: openssl verify fails, and so do inspect --verify-with (with or without the key) and lint', async () => {
    const reference = await pki.verify('leaf', ['inter'], ['root'], 'sslserver')
    assert.deepEqual(reference.errors.map((error) => error.code), [26, 25])
    writeFileSync(at('root.crt'), pki.issued.root.certificate)
    const withKey = await runGwctl(['certs', 'inspect', at('chain.crt'), at('leaf.key'), '--verify-with', at('root.crt')])
    assert.equal(withKey.exitCode, 1, withKey.stderr)
    assert.match(withKey.stdout, /verify {10}FAILED: path length constraint exceeded \(error 25\) \(CN=app\.example\.com <- CN=inter <- CN=root\)/)
    const withoutKey = await runGwctl(['certs', 'inspect', at('chain.crt'), '--verify-with', at('root.crt')])
    assert.equal(withoutKey.exitCode, 1, withoutKey.stderr)
    assert.match(withoutKey.stdout, /verify {10}FAILED: unsuitable certificate purpose \(error 26 at depth 0, CN=app\.example\.com\)/)
    assert.match(withoutKey.stdout, /and: path length constraint exceeded \(error 25 at depth 2, CN=root\)/)
    const lint = await runGwctl(['lint', at('chain'), '-o', 'json'])
    assert.equal(lint.exitCode, 1, lint.stderr)
    const errors = certificates(lint.stdout).filter((finding) => finding.severity === 'error')
    assert.deepEqual(errors.map((finding) => [finding.ruleId, finding.message]), [
      ['certificate-chain-invalid', 'OpenSSL rejects the chain of tls.crt (trusting ca.crt): path length constraint exceeded (error 25)'],
      ['certificate-purpose', 'the leaf certificate (CN=app.example.com) has extendedKeyUsage clientAuth, a server certificate needs serverAuth (OpenSSL says unsuitable certificate purpose, error 26, once the error above is fixed)'],
    ])
  })

  it('a CN-only leaf (openssl req -subj /CN=...) is an error in lint, for a listener without hostname too, and in inspect', async () => {
    const lint = await runGwctl(['lint', at('cn-only'), '-o', 'json'])
    assert.equal(lint.exitCode, 1, lint.stderr)
    assert.deepEqual(certificates(lint.stdout).map((finding) => [finding.ruleId, finding.severity]), [['certificate-san-missing', 'error']])
    const inspect = await runGwctl(['certs', 'inspect', at('cn-only.crt'), at('cn-only.key'), '--json'])
    const report = JSON.parse(inspect.stdout) as {sources: Array<{problems: Array<{ruleId: string; severity: string}>}>}
    assert.deepEqual(report.sources[0].problems.map((problem) => [problem.ruleId, problem.severity]), [['certificate-san-missing', 'error']])
  })

  it('certs create --for on a listener without hostname whose routes name none: refused with the reason, exit 1, nothing issued', async () => {
    mkdirSync(at('for-bare'))
    writeFileSync(join(at('for-bare'), 'gateway.yaml'), gatewayYaml('bare', 'missing-tls'))
    const result = await runGwctl(['certs', 'create', '--for', at('for-bare'), '--out-dir', at('for-out')])
    assert.equal(result.exitCode, 1, result.stderr)
    assert.match(result.stdout, /^refused Secret web\/missing-tls: no hostname to put in its subjectAltName: listener 'https' \(HTTPS\/Terminate :443\) of Gateway web\/bare has no hostname and no route attached to it names one/m)
    assert.equal(existsSync(join(at('for-out'), 'web.missing-tls.secret.yaml')), false)
  })

  // serve's loader meets the same bytes in-process in test/certs/certificate-fuzz.test.ts.
  it('bit-flipped certificate bytes: lint, lint --status and resolve give findings or one-line errors, never an internal error', async () => {
    const der = Buffer.from(splitPemBlocks(pki.issued.leaf.certificate)[0].der)
    der[der.indexOf(Buffer.from([0x03, 0x42, 0x00, 0x04])) + 10] ^= 1
    mkdirSync(at('flipped'))
    writeFileSync(join(at('flipped'), 'gateway.yaml'), gatewayYaml('chain', 'chain-tls', 'app.example.com'))
    writeFileSync(join(at('flipped'), 'secret.yaml'), renderTlsSecretYaml({name: 'chain-tls', namespace: 'web', certificatePem: encodePem('CERTIFICATE', der), privateKeyPem: pki.issued.leaf.key}))
    const lint = await runGwctl(['lint', at('flipped'), '-o', 'json'])
    assert.equal(lint.exitCode, 1, lint.stderr)
    assert.ok(certificates(lint.stdout).some((finding) => finding.ruleId === 'certificate-pem' && finding.message === 'certificate 1 of tls.crt is not a valid X.509 certificate'), lint.stdout)
    const results = await Promise.all([
      runGwctl(['lint', at('flipped'), '--status']),
      runGwctl(['resolve', '--sni', 'app.example.com', at('flipped')]),
    ])
    for (const result of results) {
      assert.doesNotMatch(result.stderr, /internal error|please report/, result.stderr)
      assert.notEqual(result.exitCode, null)
    }
    writeFileSync(at('flipped.der'), der)
    const inspect = await runGwctl(['certs', 'inspect', at('flipped.der')])
    assert.deepEqual([inspect.exitCode, inspect.stderr], [2, `gwctl: ${at('flipped.der')}: is binary but not a DER X.509 certificate`])
  })

  it('certs create --days 2933000 and a dangling symlink at the key path: exit 2, one line, nothing written', async () => {
    mkdirSync(at('create'))
    const days = await runGwctl(['certs', 'create', 'far', '--dns', 'far.example.com', '--days', '2933000', '--out-dir', at('create')])
    assert.equal(days.exitCode, 2)
    assert.match(days.stderr, /^gwctl: --days 2933000: the certificate would end at year 100\d\d; X\.509 validity times run from 1950-01-01T00:00:00Z to 9999-12-31T23:59:59Z$/)
    assert.deepEqual(readdirSync(at('create')), [])
    symlinkSync(join(at('create'), 'nowhere.key'), join(at('create'), 'app.key'))
    const dangling = await runGwctl(['certs', 'create', 'app', '--dns', 'app.example.com', '--out-dir', at('create')])
    assert.equal(dangling.exitCode, 2)
    assert.equal(dangling.stderr.split('\n').length, 1, dangling.stderr)
    assert.match(dangling.stderr, /refusing to overwrite .*app\.key \(a symbolic link to a missing file\)/)
    assert.deepEqual(readdirSync(at('create')), ['app.key'])
  })
})
