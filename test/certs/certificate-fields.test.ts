import assert from 'node:assert/strict'
import {CertificateFieldError, readCertificateFields} from '../../src/certs/certificate-fields.js'
import {formatIpAddress} from '../../src/certs/hostname-coverage.js'
import {splitPemBlocks} from '../../src/certs/pem.js'
import {makeCertificate, makeOpensslCertificate, runOpenssl, toIssuer} from './test-certificates.js'

describe('certs/certificate-fields', () => {
  it('reads SANs, key identifiers, extensions and the signature algorithm of a gwctl certificate', async () => {
    const ca = await makeCertificate({commonName: 'CA', isCA: true})
    const leaf = await makeCertificate({dnsNames: ['a.example.com', '*.b.example.com'], ipAddresses: ['127.0.0.1', '::1', '2001:db8:0:0:1:0:0:1'], issuer: await toIssuer(ca)})
    const fields = readCertificateFields(splitPemBlocks(leaf.certificatePem)[0].der)
    const caFields = readCertificateFields(splitPemBlocks(ca.certificatePem)[0].der)
    assert.deepEqual(fields.subjectAltNames, {dns: ['a.example.com', '*.b.example.com'], ip: ['127.0.0.1', '::1', '2001:db8::1:0:0:1'], other: []})
    assert.equal(fields.signatureAlgorithmOid, '1.2.840.10045.4.3.2')
    assert.equal(fields.tbsSignatureAlgorithmOid, '1.2.840.10045.4.3.2')
    assert.equal(fields.authorityKeyId, caFields.subjectKeyId)
    assert.match(fields.subjectKeyId ?? '', /^[0-9a-f]{40}$/)
    assert.deepEqual([fields.version, fields.basicConstraints, fields.keyUsage, fields.extendedKeyUsage], [3, {ca: false, critical: true}, ['digitalSignature'], ['serverAuth']])
    assert.deepEqual([caFields.basicConstraints, caFields.keyUsage, caFields.hasAuthorityKeyIdExtension], [{ca: true, critical: true}, ['keyCertSign', 'cRLSign'], false])
  })

  it('reads an openssl certificate (SHA-1 RSA) and pathLen, name constraints, email and URI names', () => {
    const {crt} = makeOpensslCertificate('rsa:2048', 'sha1', 'x.example.com')
    const fields = readCertificateFields(splitPemBlocks(crt)[0].der)
    assert.equal(fields.signatureAlgorithmOid, '1.2.840.113549.1.1.5')
    assert.deepEqual(fields.subjectAltNames?.dns, ['x.example.com'])
    const files = runOpenssl([[
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=ca', '-days', '3',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:1', '-addext', 'nameConstraints=critical,permitted;DNS:example.com',
      '-addext', 'subjectAltName=email:a@example.com,URI:https://example.com/', '-addext', 'extendedKeyUsage=clientAuth,1.2.3.4',
    ]], ['c.pem'])
    const ca = readCertificateFields(splitPemBlocks(files['c.pem'])[0].der)
    assert.deepEqual(ca.basicConstraints, {ca: true, pathLength: 1, critical: true})
    assert.equal(ca.hasNameConstraints, true)
    assert.deepEqual(ca.subjectAltNames, {dns: [], ip: [], other: ['email:a@example.com', 'URI:https://example.com/']})
    assert.deepEqual(ca.extendedKeyUsage, ['clientAuth', '1.2.3.4'])
  })

  it('refuses bytes that are no certificate with its own error', () => {
    for (const bytes of [[0x30], [0x30, 0x05, 0x01], [0x30, 0x80, 0, 0], [0x04, 0x01, 0x00]]) {
      assert.throws(() => readCertificateFields(new Uint8Array(bytes)), CertificateFieldError)
    }
  })

  const addresses: Array<[number[], string]> = [
    [[10, 0, 0, 1], '10.0.0.1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], '2001:db8::1:0:0:1'],
    [[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'fe80::'],
    [[0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8], '1:2:3:4:5:6:7:8'],
  ]
  for (const [bytes, text] of addresses) it(`formats ${text}`, () => assert.equal(formatIpAddress(new Uint8Array(bytes)), text))
})
