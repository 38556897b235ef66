/**
 * What `gwctl resolve` says about the certificate a terminating listener
 * presents: the Secret (or the cert-manager Certificate that will create
 * it), the leaf's subject, SANs and expiry, and whether it covers the SNI
 * (RFC 6125 single-label wildcards, src/gatewayapi/hostname.ts).
 */
import type {CertificateBinding} from '../gatewayapi/binding.js'
import {findUncoveredHostnames} from '../certs/hostname-coverage.js'
import {describeCertificate, parseCertificate} from '../certs/parsed-certificate.js'
import {splitPemBlocks} from '../certs/pem.js'
import {readSecretValue} from '../certs/secret-data.js'

export interface CertificateSummary {
  secret: string
  /** `namespace/name` of the cert-manager Certificate when the Secret is not in the input. */
  certManagerCertificate?: string
  subject?: string
  subjectAltNames?: string[]
  notAfter?: string
  daysLeft?: number
  /** Does the certificate cover the SNI? Undefined when nothing is known (Secret absent) or no SNI was sent. */
  coversSni?: boolean
  /** Why details are missing. */
  note?: string
}

export function summarizeCertificate(certificate: CertificateBinding, sni: string | undefined, now: Date): CertificateSummary {
  const summary: CertificateSummary = {secret: `${certificate.ref.namespace}/${certificate.ref.name}`}
  const wants = sni === undefined || sni === '' ? [] : [sni]
  if (certificate.secret === undefined) {
    if (certificate.source !== undefined) {
      const source = certificate.source
      summary.certManagerCertificate = `${source.meta.namespace}/${source.meta.name}`
      summary.subjectAltNames = [...source.dnsNames.map((name) => `DNS:${name}`), ...source.ipAddresses.map((ip) => `IP:${ip}`)]
      if (wants.length > 0) summary.coversSni = findUncoveredHostnames({dns: source.dnsNames, ip: source.ipAddresses, other: []}, wants).length === 0
      summary.note = 'the Secret is issued by cert-manager; names are taken from the Certificate'
    } else {
      summary.note = 'the Secret is not in the input'
    }
    return summary
  }
  try {
    const value = readSecretValue(certificate.secret, 'tls.crt')
    if (value?.text === undefined) return {...summary, note: value?.fault ?? 'the Secret has no tls.crt'}
    const leaf = splitPemBlocks(value.text).find((block) => block.label === 'CERTIFICATE')
    if (leaf === undefined) return {...summary, note: 'tls.crt holds no certificate'}
    const parsed = parseCertificate(leaf.der)
    const description = describeCertificate(parsed, now)
    const names = description.subjectAltNames
    summary.subject = parsed.subject
    summary.subjectAltNames = [...(names?.dns ?? []).map((name) => `DNS:${name}`), ...(names?.ip ?? []).map((ip) => `IP:${ip}`)]
    summary.notAfter = description.notAfter
    summary.daysLeft = description.daysLeft
    if (wants.length > 0) summary.coversSni = findUncoveredHostnames(names, wants).length === 0
  } catch (error) {
    summary.note = `the certificate does not parse: ${(error as Error).message}`
  }
  return summary
}
