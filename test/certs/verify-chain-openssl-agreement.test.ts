/**
 * The agreement matrix of issue 10 §1: chains built with the openssl binary
 * (openssl-pki.ts), each judged by `openssl verify -x509_strict -purpose
 * sslserver|sslclient` and by gwctl's verifyChain, through the TLS handshake
 * (with the leaf's key) and without the key. They must agree on every one:
 * the same verdict, and gwctl's first reason among those openssl prints.
 */
import assert from 'node:assert/strict'
import {checkTlsSecret} from '../../src/certs/check-tls-secret.js'
import {parseCertificate, type ParsedCertificate} from '../../src/certs/parsed-certificate.js'
import {splitPemBlocks} from '../../src/certs/pem.js'
import {verifyChain} from '../../src/certs/verify-chain.js'
import {OpensslPki, type CertificateSpec} from './openssl-pki.js'

const DAY = 86_400_000
const now = Date.now()
const ago = (days: number) => new Date(now - days * DAY)

const SKI = 'subjectKeyIdentifier=hash'
const AKI = 'authorityKeyIdentifier=keyid:always'
const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', SKI, AKI]
const LEAF = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', 'subjectAltName=DNS:app.example.com', SKI, AKI]
const replace = (lines: string[], prefix: string, line?: string) => [...lines.filter((candidate) => !candidate.startsWith(prefix)), ...(line === undefined ? [] : [line])]

const specs: CertificateSpec[] = [
  {name: 'root', extensions: CA},
  {name: 'rootPathlen0', extensions: replace(CA, 'basicConstraints', 'basicConstraints=critical,CA:TRUE,pathlen:0')},
  {name: 'rootRsa', key: 'rsa', extensions: CA},
  {name: 'rootEd', key: 'ed25519', extensions: CA},
  {name: 'rootNcBad', extensions: [...CA, 'nameConstraints=critical,permitted;DNS:example.org']},
  {name: 'rootNcOk', extensions: [...CA, 'nameConstraints=critical,permitted;DNS:example.com']},
  {name: 'rootV1'},
  {name: 'rootExpired', extensions: CA, start: ago(400), end: ago(10)},
  {name: 'rootBcNotCritical', extensions: replace(CA, 'basicConstraints', 'basicConstraints=CA:TRUE')},
  {name: 'rootNoKeyUsage', extensions: replace(CA, 'keyUsage')},
  {name: 'inter', issuer: 'root', extensions: CA},
  {name: 'interUnderPathlen0', issuer: 'rootPathlen0', extensions: CA},
  {name: 'interNotCa', issuer: 'root', extensions: replace(CA, 'basicConstraints', 'basicConstraints=critical,CA:FALSE')},
  {name: 'interNoBasicConstraints', issuer: 'root', extensions: replace(CA, 'basicConstraints')},
  {name: 'interNoCertSign', issuer: 'root', extensions: replace(CA, 'keyUsage', 'keyUsage=critical,digitalSignature,cRLSign')},
  {name: 'interExpired', issuer: 'root', extensions: CA, start: ago(400), end: ago(10)},
  {name: 'interNotYetValid', issuer: 'root', extensions: CA, start: ago(-10), end: ago(-100)},
  {name: 'interClientOnly', issuer: 'root', extensions: [...CA, 'extendedKeyUsage=clientAuth']},
  {name: 'interNoSki', issuer: 'root', extensions: replace(CA, 'subjectKeyIdentifier')},
  {name: 'interSha1', issuer: 'root', extensions: CA, digest: 'sha1'},
  {name: 'interRsa', key: 'rsa', issuer: 'rootRsa', extensions: CA},
  {name: 'interEd', key: 'ed25519', issuer: 'rootEd', extensions: CA},
  {name: 'interNcBad', issuer: 'rootNcBad', extensions: CA},
  {name: 'interNcOk', issuer: 'rootNcOk', extensions: CA},
  {name: 'interImpostor', subject: '/CN=inter', issuer: 'root', extensions: CA},
  {name: 'leaf', issuer: 'inter', extensions: LEAF},
  {name: 'leafRsa', key: 'rsa', issuer: 'interRsa', extensions: replace(LEAF, 'keyUsage', 'keyUsage=critical,digitalSignature,keyEncipherment')},
  {name: 'leafEd', key: 'ed25519', issuer: 'interEd', extensions: LEAF},
  {name: 'leafUnderPathlen0', issuer: 'interUnderPathlen0', extensions: LEAF},
  {name: 'leafPathlenClientOnly', issuer: 'interUnderPathlen0', extensions: replace(LEAF, 'extendedKeyUsage', 'extendedKeyUsage=clientAuth')},
  {name: 'leafUnderNotCa', issuer: 'interNotCa', extensions: LEAF},
  {name: 'leafUnderNoBasicConstraints', issuer: 'interNoBasicConstraints', extensions: LEAF},
  {name: 'leafUnderNoCertSign', issuer: 'interNoCertSign', extensions: LEAF},
  {name: 'leafUnderExpired', issuer: 'interExpired', extensions: LEAF, start: ago(300), end: ago(20)},
  {name: 'leafUnderNotYetValid', issuer: 'interNotYetValid', extensions: LEAF, start: ago(-11), end: ago(-90)},
  {name: 'leafUnderClientOnly', issuer: 'interClientOnly', extensions: LEAF},
  {name: 'leafUnderNoSki', issuer: 'interNoSki', extensions: replace(LEAF, 'authorityKeyIdentifier')},
  {name: 'leafUnderSha1', issuer: 'interSha1', extensions: LEAF},
  {name: 'leafUnderNcBad', issuer: 'interNcBad', extensions: LEAF},
  {name: 'leafUnderNcOk', issuer: 'interNcOk', extensions: LEAF},
  {name: 'leafUnderExpiredRoot', issuer: 'rootExpired', extensions: LEAF, start: ago(300), end: ago(20)},
  {name: 'leafUnderV1Root', issuer: 'rootV1', extensions: replace(LEAF, 'authorityKeyIdentifier')},
  {name: 'leafUnderBcNotCritical', issuer: 'rootBcNotCritical', extensions: LEAF},
  {name: 'leafUnderNoKeyUsage', issuer: 'rootNoKeyUsage', extensions: LEAF},
  {name: 'leafClientOnly', issuer: 'inter', extensions: replace(LEAF, 'extendedKeyUsage', 'extendedKeyUsage=clientAuth')},
  {name: 'leafExpired', issuer: 'inter', extensions: LEAF, start: ago(30), end: ago(2)},
  {name: 'leafNotYetValid', issuer: 'inter', extensions: LEAF, start: ago(-2), end: ago(-30)},
  {name: 'leafSha1', issuer: 'inter', extensions: LEAF, digest: 'sha1'},
  {name: 'leafMd5', key: 'rsa', issuer: 'interRsa', extensions: replace(LEAF, 'keyUsage', 'keyUsage=critical,digitalSignature,keyEncipherment'), digest: 'md5'},
  {name: 'leafRsa1024', key: 'rsa1024', issuer: 'interRsa', extensions: replace(LEAF, 'keyUsage', 'keyUsage=critical,digitalSignature,keyEncipherment')},
  {name: 'leafWrongIssuer', issuer: 'interImpostor', extensions: LEAF},
  {name: 'leafSelfSigned', extensions: replace(LEAF, 'authorityKeyIdentifier')},
  {name: 'leafKeyAgreementOnly', issuer: 'inter', extensions: replace(LEAF, 'keyUsage', 'keyUsage=critical,keyAgreement')},
  {name: 'leafCrlSignOnly', issuer: 'inter', extensions: replace(LEAF, 'keyUsage', 'keyUsage=critical,cRLSign')},
  {name: 'leafNoAki', issuer: 'inter', extensions: replace(LEAF, 'authorityKeyIdentifier')},
  {name: 'leafNoSan', issuer: 'inter', extensions: replace(LEAF, 'subjectAltName')},
  {name: 'leafIsCa', issuer: 'inter', extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign', 'subjectAltName=DNS:app.example.com', SKI, AKI]},
  {name: 'leafPathlenNotCa', issuer: 'inter', extensions: replace(LEAF, 'basicConstraints', 'basicConstraints=critical,CA:FALSE,pathlen:0')},
  {name: 'leafDirect', issuer: 'root', extensions: LEAF},
  {name: 'clientLeaf', issuer: 'inter', extensions: replace(LEAF, 'extendedKeyUsage', 'extendedKeyUsage=clientAuth')},
]

interface MatrixCase {
  name: string
  leaf: string
  untrusted: string[]
  anchors: string[]
  purpose?: 'sslserver' | 'sslclient'
  /** -partial_chain: the anchors need not be self-signed (lint trusts the last certificate of tls.crt so). */
  partialChain?: boolean
}

const chain = (name: string, leaf: string, untrusted: string[], anchors: string[], purpose?: MatrixCase['purpose']): MatrixCase => ({name, leaf, untrusted, anchors, purpose})
const partial = (name: string, leaf: string, untrusted: string[], anchors: string[]): MatrixCase => ({name, leaf, untrusted, anchors, partialChain: true})

const cases: MatrixCase[] = [
  chain('good ECDSA root → intermediate → leaf', 'leaf', ['inter'], ['root']),
  chain('good RSA-2048 chain', 'leafRsa', ['interRsa'], ['rootRsa']),
  chain('good Ed25519 chain', 'leafEd', ['interEd'], ['rootEd']),
  chain('good leaf issued by the root directly', 'leafDirect', [], ['root']),
  chain('pathlen:0 root → intermediate → leaf', 'leafUnderPathlen0', ['interUnderPathlen0'], ['rootPathlen0']),
  chain('pathlen:0 root → intermediate → clientAuth-only leaf (the issue\'s case)', 'leafPathlenClientOnly', ['interUnderPathlen0'], ['rootPathlen0']),
  chain('intermediate with CA:FALSE', 'leafUnderNotCa', ['interNotCa'], ['root']),
  chain('intermediate without basicConstraints', 'leafUnderNoBasicConstraints', ['interNoBasicConstraints'], ['root']),
  chain('intermediate without keyCertSign', 'leafUnderNoCertSign', ['interNoCertSign'], ['root']),
  chain('leaf with extendedKeyUsage clientAuth only', 'leafClientOnly', ['inter'], ['root']),
  chain('intermediate with extendedKeyUsage clientAuth only', 'leafUnderClientOnly', ['interClientOnly'], ['root']),
  chain('leaf expired', 'leafExpired', ['inter'], ['root']),
  chain('intermediate expired', 'leafUnderExpired', ['interExpired'], ['root']),
  chain('root expired', 'leafUnderExpiredRoot', [], ['rootExpired']),
  chain('leaf not yet valid', 'leafNotYetValid', ['inter'], ['root']),
  chain('intermediate not yet valid', 'leafUnderNotYetValid', ['interNotYetValid'], ['root']),
  chain('leaf signed with SHA-1', 'leafSha1', ['inter'], ['root']),
  chain('intermediate signed with SHA-1', 'leafUnderSha1', ['interSha1'], ['root']),
  chain('leaf with an RSA-1024 key', 'leafRsa1024', ['interRsa'], ['rootRsa']),
  chain('leaf signed with MD5', 'leafMd5', ['interRsa'], ['rootRsa']),
  chain('name constraints violated', 'leafUnderNcBad', ['interNcBad'], ['rootNcBad']),
  chain('name constraints satisfied', 'leafUnderNcOk', ['interNcOk'], ['rootNcOk']),
  chain('wrong issuer (same name, other key)', 'leafWrongIssuer', ['inter'], ['root']),
  chain('self-signed leaf against another root', 'leafSelfSigned', [], ['root']),
  chain('self-signed leaf as its own anchor', 'leafSelfSigned', [], ['leafSelfSigned']),
  chain('missing intermediate', 'leaf', [], ['root']),
  chain('leaf keyUsage keyAgreement only (no digitalSignature)', 'leafKeyAgreementOnly', ['inter'], ['root']),
  chain('leaf keyUsage cRLSign only', 'leafCrlSignOnly', ['inter'], ['root']),
  chain('strict: leaf without authorityKeyIdentifier', 'leafNoAki', ['inter'], ['root']),
  chain('strict: intermediate without subjectKeyIdentifier', 'leafUnderNoSki', ['interNoSki'], ['root']),
  chain('strict: version 1 root', 'leafUnderV1Root', [], ['rootV1']),
  chain('strict: CA basicConstraints not critical', 'leafUnderBcNotCritical', [], ['rootBcNotCritical']),
  chain('strict: CA without keyUsage', 'leafUnderNoKeyUsage', [], ['rootNoKeyUsage']),
  chain('strict: pathlen on a non-CA leaf', 'leafPathlenNotCa', ['inter'], ['root']),
  chain('a CA certificate as the server certificate', 'leafIsCa', ['inter'], ['root']),
  chain('leaf without subjectAltName (a chain matter only for SAN rules)', 'leafNoSan', ['inter'], ['root']),
  chain('client certificate as a client (sslclient)', 'clientLeaf', ['inter'], ['root'], 'sslclient'),
  chain('server-only leaf as a client (sslclient)', 'leaf', ['inter'], ['root'], 'sslclient'),
  chain('expired leaf as a client (sslclient)', 'leafExpired', ['inter'], ['root'], 'sslclient'),
  chain('an intermediate as anchor without -partial_chain', 'leaf', [], ['inter']),
  partial('partial chain: trusting the intermediate', 'leaf', [], ['inter']),
  partial('partial chain: a clientAuth-only leaf under a trusted intermediate', 'leafClientOnly', [], ['inter']),
  partial('partial chain: the intermediate without keyCertSign trusted', 'leafUnderNoCertSign', [], ['interNoCertSign']),
  partial('partial chain: a leaf trusted as itself', 'leaf', [], ['leaf']),
  partial('partial chain: a clientAuth-only leaf trusted as itself', 'leafClientOnly', [], ['leafClientOnly']),
  partial('partial chain: pathlen:0 root, its intermediate trusted', 'leafUnderPathlen0', [], ['interUnderPathlen0']),
]

describe('certs/verify-chain agrees with openssl verify -x509_strict', function () {
  this.timeout(180_000)
  const pki = new OpensslPki()
  const parsed = new Map<string, ParsedCertificate>()
  const certificate = (name: string) => {
    if (!parsed.has(name)) parsed.set(name, parseCertificate(splitPemBlocks(pki.issued[name].certificate)[0].der))
    return parsed.get(name)!
  }

  before(async () => {
    await pki.build(specs)
  })
  after(() => pki.remove())

  it(`has at least 20 chains (${cases.length})`, () => assert.ok(cases.length >= 20))

  it('floors beyond openssl verify: SHA-1 and MD5 signatures and RSA-1024 keys verify, and lint reports each as an error', async () => {
    const floors: Array<[string, string, string, RegExp]> = [
      ['leafSha1', 'inter', 'certificate-weak-signature', /is signed with ecdsa-with-SHA1/],
      ['leafMd5', 'interRsa', 'certificate-weak-signature', /is signed with md5WithRSAEncryption/],
      ['leafRsa1024', 'interRsa', 'certificate-weak-key', /has a RSA 1024 bits key; clients require at least 2048 bits/],
    ]
    for (const [leaf, intermediate, ruleId, message] of floors) {
      const secret = {type: 'kubernetes.io/tls', stringData: {'tls.crt': pki.issued[leaf].certificate + pki.issued[intermediate].certificate, 'tls.key': pki.issued[leaf].key}}
      const problems = await checkTlsSecret(secret, {hostnames: ['app.example.com'], now: new Date(), expiryWarningDays: 30})
      assert.deepEqual(problems.map((problem) => [problem.ruleId, problem.severity]), [[ruleId, 'error']], JSON.stringify(problems))
      assert.match(problems[0].message, message)
    }
  })

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const purpose = testCase.purpose ?? 'sslserver'
      const reference = await pki.verify(testCase.leaf, testCase.untrusted, testCase.anchors, purpose, testCase.partialChain)
      const request = {
        leaf: certificate(testCase.leaf),
        intermediates: testCase.untrusted.map(certificate),
        anchors: testCase.anchors.map(certificate),
        partialChain: testCase.partialChain === true,
        purpose: purpose === 'sslserver' ? 'server' as const : 'client' as const,
      }
      for (const [how, verification] of [
        ['TLS handshake', await verifyChain({...request, keyPem: pki.issued[testCase.leaf].key})],
        ['without the key', await verifyChain({...request, allowCommand: true})],
      ] as const) {
        const context = `${how}: gwctl ${JSON.stringify(verification)}\nopenssl: ${reference.output}`
        assert.notEqual(verification.judge, 'none', context)
        assert.equal(verification.verified, reference.ok, context)
        if (!reference.ok) {
          const first = verification.errors[0]
          assert.ok(reference.errors.some((error) => error.code === first.code && error.reason === first.reason), context)
        }
      }
    })
  }
})
