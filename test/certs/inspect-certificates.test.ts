import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {inspectCertificates} from '../../src/certs/inspect-certificates.js'
import {splitPemBlocks} from '../../src/certs/pem.js'
import {renderTlsSecretYaml} from '../../src/certs/tls-secret-manifest.js'
import {makeCertificate, toIssuer} from './test-certificates.js'

describe('certs/inspect-certificates', () => {
  let dir: string
  const now = new Date()
  const file = (name: string, content: string | Buffer) => {
    writeFileSync(join(dir, name), content)
    return join(dir, name)
  }
  let root: Awaited<ReturnType<typeof makeCertificate>>
  let intermediate: Awaited<ReturnType<typeof makeCertificate>>
  let leaf: Awaited<ReturnType<typeof makeCertificate>>
  let stranger: Awaited<ReturnType<typeof makeCertificate>>

  before(async () => {
    root = await makeCertificate({commonName: 'Root', isCA: true})
    intermediate = await makeCertificate({commonName: 'Intermediate', isCA: true, issuer: await toIssuer(root), key: {type: 'rsa'}})
    leaf = await makeCertificate({dnsNames: ['app.example.com'], ipAddresses: ['127.0.0.1'], issuer: await toIssuer(intermediate, root.certificatePem), key: {type: 'ed25519'}})
    stranger = await makeCertificate({dnsNames: ['other.example.com']})
  })
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-inspect-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('describes a chain file and a separate key, and verifies the chain against the root', async () => {
    const report = await inspectCertificates([file('leaf.crt', leaf.chainPem), file('leaf.key', leaf.privateKeyPem)], {now, verifyWith: [file('root.crt', root.certificatePem)]})
    const [chain, key] = report.sources
    assert.deepEqual(chain.certificates.map((certificate) => [certificate.subject, certificate.publicKey.text, certificate.isCA]), [['CN=app.example.com', 'Ed25519', false], ['CN=Intermediate', 'RSA 2048 bits', true]])
    assert.deepEqual(chain.certificates[0].subjectAltNames, {dns: ['app.example.com'], ip: ['127.0.0.1'], other: []})
    assert.equal(chain.certificates[0].signatureAlgorithm, 'sha256WithRSAEncryption')
    assert.ok(chain.certificates[0].daysLeft >= 89)
    assert.match(chain.certificates[0].sha256Fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    assert.deepEqual(chain.verification, {verified: true, chain: ['CN=app.example.com', 'CN=Intermediate', 'CN=Root'], errors: [], judge: 'tls-handshake'})
    assert.deepEqual(chain.problems, [])
    assert.deepEqual(key.keys, [{publicKey: {type: 'Ed25519', text: 'Ed25519'}, matches: `${join(dir, 'leaf.crt')} certificate 1`}])
    assert.equal(report.ok, true)
  })

  it('reads multi-document Secret YAML and Lists, base64 data and stringData, and ca.crt', async () => {
    const secret = renderTlsSecretYaml({name: 'app-tls', namespace: 'web', certificatePem: leaf.chainPem, privateKeyPem: leaf.privateKeyPem, caPem: root.certificatePem})
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: plain}\n  type: kubernetes.io/tls\n  stringData:\n    tls.crt: ${JSON.stringify(stranger.certificatePem)}\n    tls.key: ${JSON.stringify(stranger.privateKeyPem)}\n`
    const report = await inspectCertificates([file('secrets.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${secret}---\n${list}`)], {now})
    assert.deepEqual(report.sources.map((source) => [source.document, source.secret, source.certificates.length, source.caCertificates.length, source.keys[0].matches?.replace(dir, 'DIR')]), [
      [1, {name: 'app-tls', namespace: 'web', type: 'kubernetes.io/tls'}, 2, 1, 'DIR/secrets.yaml Secret app-tls certificate 1'],
      [2, {name: 'plain', type: 'kubernetes.io/tls'}, 1, 0, 'DIR/secrets.yaml Secret plain certificate 1'],
    ])
  })

  it('reports a key that matches no certificate, a failed verification, and the lint problems', async () => {
    const mixed = file('mixed.pem', stranger.certificatePem + leaf.privateKeyPem)
    const report = await inspectCertificates([mixed], {now, verifyWith: [file('root.crt', root.certificatePem)]})
    const [source] = report.sources
    assert.equal(source.keys[0].matches, null)
    assert.deepEqual(source.problems.map((problem) => problem.ruleId), ['certificate-key-mismatch'])
    assert.equal(source.verification?.verified, false)
    assert.match(source.verification?.error ?? '', /^self-signed certificate \(error 18 at depth 0, CN=other\.example\.com\)$/)
    assert.equal(report.ok, false)
  })

  it('reads a DER certificate', async () => {
    const der = splitPemBlocks(root.certificatePem)[0].der
    const report = await inspectCertificates([file('root.der', der)], {now})
    assert.equal(report.sources[0].certificates[0].subject, 'CN=Root')
    assert.equal(report.sources[0].certificates[0].selfSigned, true)
  })

  const unreadable: Array<[string, string | Buffer, RegExp]> = [
    ['plain text', 'hello world\n', /holds no PEM block, DER certificate or Secret/],
    ['YAML without a Secret', 'kind: ConfigMap\n', /holds no PEM block, DER certificate or Secret/],
    ['broken YAML', 'a: [\n', /not PEM, and not YAML/],
    ['a corrupt PEM body', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n', /PEM block CERTIFICATE is not valid base64/],
    ['PEM with neither certificate nor key', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', /holds no CERTIFICATE or private key PEM block/],
  ]
  for (const [name, content, expected] of unreadable) {
    it(`refuses ${name}, naming the file`, async () => {
      const path = file('input', content)
      await assert.rejects(inspectCertificates([path], {now}), (error: Error & {file?: string}) => expected.test(error.message) && error.file === path)
    })
  }

  it('refuses a missing file', async () => {
    await assert.rejects(inspectCertificates([join(dir, 'nope.crt')], {now}), /no such file/)
  })
})
