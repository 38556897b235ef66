/**
 * The certificates the benchmark's Secrets share, made once per run with
 * gwctl's own src/certs: an ECDSA P-256 CA and one leaf per domain covering
 * `*.apps-<n>.example.com` (the HTTPS listener hostname and every route
 * hostname under it); every fourth leaf is RSA-2048, as fleets mix both.
 * Valid from 2025-01-01 for twenty years, so the lint clock never makes them
 * expire. Key material is random; everything else is fixed.
 */
import {issueCertificate} from '../src/certs/issue-certificate.js'
import {parseIssuer} from '../src/certs/load-issuer.js'
import type {DomainCertificate} from './generate-manifest-set.js'

const NOT_BEFORE = new Date('2025-01-01T00:00:00Z')
const NOT_AFTER = new Date('2045-01-01T00:00:00Z')

function encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

export async function createDomainCertificates(count: number): Promise<DomainCertificate[]> {
  const ca = await issueCertificate({
    commonName: 'gwctl bench CA', dnsNames: [], ipAddresses: [], notBefore: NOT_BEFORE, notAfter: NOT_AFTER, isCA: true, key: {type: 'ecdsa'},
  })
  const issuer = await parseIssuer(ca.certificatePem, ca.privateKeyPem, 'bench-ca.crt', 'bench-ca.key')
  const certificates: DomainCertificate[] = []
  for (let index = 0; index < count; index++) {
    const domain = `apps-${index}.example.com`
    const leaf = await issueCertificate({
      dnsNames: [`*.${domain}`, domain], ipAddresses: [], notBefore: NOT_BEFORE, notAfter: NOT_AFTER, isCA: false,
      key: index % 4 === 3 ? {type: 'rsa', rsaBits: 2048} : {type: 'ecdsa'}, issuer,
    })
    certificates.push({domain, data: {'ca.crt': encode(ca.certificatePem), 'tls.crt': encode(leaf.chainPem), 'tls.key': encode(leaf.privateKeyPem)}})
  }
  return certificates
}
