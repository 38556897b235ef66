/**
 * Chain verification for `certs inspect --verify-with CA`: from the leaf,
 * follow issuers (name/key-identifier match and a verifying signature) through
 * the given intermediates until a trust anchor is reached; every certificate
 * on the way must be valid at `now` and every issuer must be a CA. Pure and
 * synchronous (node:crypto).
 */
import {formatDistinguishedName, isIssuedBy, type ParsedCertificate} from './parsed-certificate.js'

export interface ChainVerification {
  verified: boolean
  /** Subjects from the leaf to the anchor (as far as it got). */
  chain: string[]
  error?: string
}

const MAX_DEPTH = 10

export function verifyChain(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  anchors: readonly ParsedCertificate[],
  now: Date,
): ChainVerification {
  const chain: string[] = []
  let current = leaf
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const subject = formatDistinguishedName(current.x509.subject)
    chain.push(subject)
    const invalid = describeInvalidPeriod(current, now)
    if (invalid !== undefined) return {verified: false, chain, error: `${subject} ${invalid}`}
    if (depth > 0 && !current.x509.ca) return {verified: false, chain, error: `${subject} issues a certificate but is not a CA`}
    if (anchors.some((anchor) => anchor.x509.raw.equals(current.x509.raw))) return {verified: true, chain}
    const anchor = anchors.find((candidate) => isIssuedBy(current, candidate))
    if (anchor !== undefined) {
      const anchorSubject = formatDistinguishedName(anchor.x509.subject)
      const anchorInvalid = describeInvalidPeriod(anchor, now)
      if (anchorInvalid !== undefined) return {verified: false, chain: [...chain, anchorSubject], error: `${anchorSubject} ${anchorInvalid}`}
      if (!anchor.x509.ca) return {verified: false, chain: [...chain, anchorSubject], error: `${anchorSubject} issues a certificate but is not a CA`}
      return {verified: true, chain: [...chain, anchorSubject]}
    }
    const next = intermediates.find((candidate) => candidate !== current && isIssuedBy(current, candidate))
    if (next === undefined) return {verified: false, chain, error: `no issuer of ${subject} (issuer ${formatDistinguishedName(current.x509.issuer)}) among the given certificates`}
    current = next
  }
  return {verified: false, chain, error: `chain longer than ${MAX_DEPTH}`}
}

function describeInvalidPeriod(certificate: ParsedCertificate, now: Date): string | undefined {
  if (certificate.notAfter.getTime() < now.getTime()) return `expired on ${certificate.notAfter.toISOString()}`
  if (certificate.notBefore.getTime() > now.getTime()) return `is not valid before ${certificate.notBefore.toISOString()}`
  return undefined
}
