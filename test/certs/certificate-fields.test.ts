import assert from 'node:assert/strict'
import {formatIpAddress, readCertificateFields} from '../../src/certs/certificate-fields.js'
import {DerError, readDerNode, readDerOid} from '../../src/certs/der-reader.js'
import {splitPemBlocks} from '../../src/certs/pem.js'
import {makeCertificate, makeOpensslCertificate, toIssuer} from './test-certificates.js'

describe('certs/certificate-fields', () => {
  it('reads SANs, key identifiers and the signature algorithm of a gwctl certificate', async () => {
    const ca = await makeCertificate({commonName: 'CA', isCA: true})
    const leaf = await makeCertificate({dnsNames: ['a.example.com', '*.b.example.com'], ipAddresses: ['127.0.0.1', '::1'], issuer: await toIssuer(ca)})
    const fields = readCertificateFields(splitPemBlocks(leaf.certificatePem)[0].der)
    const caFields = readCertificateFields(splitPemBlocks(ca.certificatePem)[0].der)
    assert.deepEqual(fields.subjectAltNames, {dns: ['a.example.com', '*.b.example.com'], ip: ['127.0.0.1', '::1'], other: []})
    assert.equal(fields.signatureAlgorithmOid, '1.2.840.10045.4.3.2')
    assert.equal(fields.authorityKeyId, caFields.subjectKeyId)
    assert.match(fields.subjectKeyId ?? '', /^[0-9a-f]{40}$/)
  })

  it('reads an openssl certificate (SHA-1 RSA)', () => {
    const {crt} = makeOpensslCertificate('rsa:2048', 'sha1', 'x.example.com')
    const fields = readCertificateFields(splitPemBlocks(crt)[0].der)
    assert.equal(fields.signatureAlgorithmOid, '1.2.840.113549.1.1.5')
    assert.deepEqual(fields.subjectAltNames?.dns, ['x.example.com'])
  })

  const addresses: Array<[number[], string]> = [
    [[10, 0, 0, 1], '10.0.0.1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], '2001:db8::1:0:0:1'],
    [[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'fe80::'],
    [[0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8], '1:2:3:4:5:6:7:8'],
  ]
  for (const [bytes, text] of addresses) it(`formats ${text}`, () => assert.equal(formatIpAddress(new Uint8Array(bytes)), text))

  const malformed: Array<[string, number[]]> = [
    ['truncated header', [0x30]],
    ['content past the end', [0x30, 0x05, 0x01]],
    ['indefinite length', [0x30, 0x80, 0, 0]],
  ]
  for (const [name, bytes] of malformed) it(`rejects ${name}`, () => assert.throws(() => readDerNode(new Uint8Array(bytes)), DerError))

  it('decodes OIDs', () => {
    assert.equal(readDerOid(readDerNode(new Uint8Array([0x06, 0x03, 0x55, 0x1d, 0x11]))), '2.5.29.17')
    assert.equal(readDerOid(readDerNode(new Uint8Array([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]))), '1.2.840.10045.4.3.2')
  })
})
