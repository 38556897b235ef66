import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {generateSerialNumber} from '../../src/certs/issue-certificate.js'
import {describeCertificate, parseCertificate} from '../../src/certs/parsed-certificate.js'
import {splitPemBlocks} from '../../src/certs/pem.js'
import {makeCertificate, toIssuer} from './test-certificates.js'

/** `openssl x509 -text` of a PEM certificate. */
function showText(pem: string): string {
  return execFileSync('openssl', ['x509', '-noout', '-text'], {input: pem}).toString()
}

describe('certs/issue-certificate', () => {
  it('serial numbers are 128-bit, random and positive', () => {
    const serials = Array.from({length: 200}, generateSerialNumber)
    assert.equal(new Set(serials).size, 200)
    for (const serial of serials) {
      assert.match(serial, /^[0-9a-f]{32}$/)
      assert.notEqual(serial.slice(0, 2), '00')
    }
  })

  it('a CA: basicConstraints CA critical, keyCertSign and cRLSign, SKI', async () => {
    const ca = await makeCertificate({commonName: 'Root', organization: 'Acme', isCA: true})
    const text = showText(ca.certificatePem)
    assert.match(text, /Subject: O = Acme, CN = Root/)
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:TRUE/)
    assert.match(text, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/)
    assert.match(text, /X509v3 Subject Key Identifier/)
    assert.equal(ca.caPem, undefined)
  })

  const leaves = [
    {key: {type: 'ecdsa' as const}, usage: 'Digital Signature', signature: 'ecdsa-with-SHA256', publicKey: 'ECDSA P-256'},
    {key: {type: 'ecdsa' as const, curve: 'P-384' as const}, usage: 'Digital Signature', signature: 'ecdsa-with-SHA256', publicKey: 'ECDSA P-384'},
    {key: {type: 'rsa' as const, rsaBits: 2048 as const}, usage: 'Digital Signature, Key Encipherment', signature: 'ecdsa-with-SHA256', publicKey: 'RSA 2048 bits'},
    {key: {type: 'ed25519' as const}, usage: 'Digital Signature', signature: 'ecdsa-with-SHA256', publicKey: 'Ed25519'},
  ]
  for (const leaf of leaves) {
    it(`a ${leaf.publicKey} leaf signed by an ECDSA P-256 CA: AKI, SKI, serverAuth, ${leaf.usage}`, async () => {
      const ca = await makeCertificate({commonName: 'Root', isCA: true})
      const issued = await makeCertificate({dnsNames: ['app.example.com', '*.app.example.com'], ipAddresses: ['127.0.0.1'], key: leaf.key, issuer: await toIssuer(ca)})
      const text = showText(issued.certificatePem)
      assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/)
      assert.match(text, new RegExp(`X509v3 Key Usage: critical\\s+${leaf.usage}\\n`))
      assert.match(text, /X509v3 Extended Key Usage:\s+TLS Web Server Authentication\n/)
      assert.match(text, /DNS:app.example.com, DNS:\*.app.example.com, IP Address:127.0.0.1/)
      assert.match(text, /X509v3 Authority Key Identifier/)
      assert.match(text, /Issuer: CN = Root/)
      const description = describeCertificate(parseCertificate(splitPemBlocks(issued.certificatePem)[0].der), new Date())
      assert.equal(description.publicKey.text, leaf.publicKey)
      assert.equal(description.signatureAlgorithm, leaf.signature)
      assert.equal(issued.caPem, ca.certificatePem)
      assert.equal(issued.chainPem, issued.certificatePem, 'a root issuer adds nothing to tls.crt')
    })
  }

  it('signs with the issuer key algorithm: P-384 CA → ecdsa-with-SHA384, RSA CA → sha256WithRSAEncryption, Ed25519 CA → Ed25519', async () => {
    for (const [key, signature] of [[{type: 'ecdsa', curve: 'P-384'}, 'ecdsa-with-SHA384'], [{type: 'rsa'}, 'sha256WithRSAEncryption'], [{type: 'ed25519'}, 'Ed25519']] as const) {
      const ca = await makeCertificate({commonName: 'Root', isCA: true, key})
      const leaf = await makeCertificate({dnsNames: ['a.example.com'], issuer: await toIssuer(ca)})
      assert.equal(describeCertificate(parseCertificate(splitPemBlocks(leaf.certificatePem)[0].der), new Date()).signatureAlgorithm, signature)
    }
  })

  it('an intermediate issuer: tls.crt gets the intermediate, ca.crt the root', async () => {
    const root = await makeCertificate({commonName: 'Root', isCA: true})
    const intermediate = await makeCertificate({commonName: 'Intermediate', isCA: true, issuer: await toIssuer(root)})
    const leaf = await makeCertificate({dnsNames: ['a.example.com'], issuer: await toIssuer(intermediate, root.certificatePem)})
    assert.equal(leaf.chainPem, leaf.certificatePem + intermediate.certificatePem)
    assert.equal(leaf.caPem, root.certificatePem)
  })
})
