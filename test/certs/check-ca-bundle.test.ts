/**
 * checkCaBundleUsable, the engine's injected `inspectCaBundle` hook: a
 * `ca.crt` serves as trust anchors only when every CERTIFICATE block parses
 * as X.509 (Gateway spec.tls.frontend and BackendTLSPolicy caCertificateRefs,
 * SEMANTICS.md §2.4, §9: a malformed CA is InvalidCACertificateRef).
 */
import {strict as assert} from 'node:assert'
import {checkCaBundleUsable} from '../../src/certs/check-ca-bundle.js'
import {encodePem} from '../../src/certs/pem.js'
import {makeCertificate} from './test-certificates.js'

describe('certs/check-ca-bundle', () => {
  let caPem: string
  before(async () => {
    caPem = (await makeCertificate({commonName: 'test CA', isCA: true})).certificatePem
  })

  const cases: Array<{what: string; pem: () => string; expected: RegExp | 'usable'}> = [
    {what: 'one CA certificate', pem: () => caPem, expected: 'usable'},
    {what: 'two CA certificates (a bundle)', pem: () => caPem + caPem, expected: 'usable'},
    {what: 'text that is no PEM', pem: () => 'not a certificate', expected: /holds no PEM CERTIFICATE block/},
    {what: 'a CERTIFICATE block whose body is not base64', pem: () => '-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n', expected: /not valid base64/},
    {what: 'well-formed DER that is no certificate (an empty SEQUENCE)', pem: () => encodePem('CERTIFICATE', Uint8Array.from([0x30, 0x00])), expected: /certificate 1 is not a valid X\.509 certificate/},
    {what: 'a good certificate followed by a truncated one', pem: () => caPem + encodePem('CERTIFICATE', Buffer.from(caPem.split('\n').slice(1, 4).join(''), 'base64')), expected: /certificate 2 is not a valid X\.509 certificate/},
  ]
  for (const entry of cases) {
    it(entry.what, () => {
      const result = checkCaBundleUsable(entry.pem())
      if (entry.expected === 'usable') assert.deepEqual(result, {usable: true})
      else assert.match(result.usable ? '(usable)' : result.message, entry.expected)
    })
  }
})
