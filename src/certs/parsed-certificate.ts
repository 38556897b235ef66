/**
 * One certificate, parsed once and completely: its fields read with
 * @peculiar/x509 (certificate-fields.ts: SANs, key identifiers, extensions,
 * algorithms, validity), plus what only Node's `crypto.X509Certificate`
 * gives (the public key as a KeyObject, the distinguished names as OpenSSL
 * prints them, serial, fingerprint, issuer checks). Every value is read in
 * `parseCertificate`, which throws `CertificateParseError` for any bytes
 * either library refuses, so nothing can throw later (Node's getters are
 * lazy: a bit-flipped key used to throw "decode error" long after parsing).
 * Also the plain-data description `certs inspect` prints. No IO, no clock:
 * `now` is passed in. Heavy module (@peculiar/x509): import lazily.
 */
import {X509Certificate, type KeyObject} from 'node:crypto'
import {readCertificateFields, type CertificateFields, type SubjectAltNames} from './certificate-fields.js'
import {countWholeDays, describeSpan} from './day-count.js'

export class CertificateParseError extends Error {}

export interface ParsedCertificate {
  der: Buffer
  /** Node's view, for issuer checks (`checkIssued`, `verify`); its getters were all read once at parse time. */
  x509: X509Certificate
  fields: CertificateFields
  publicKey: KeyObject
  /** One line, OpenSSL's order: `CN=a, O=b`. */
  subject: string
  issuer: string
  /** basicConstraints cA. */
  isCA: boolean
  serialNumber: string
  sha256Fingerprint: string
  notBefore: Date
  notAfter: Date
}

export interface KeyDescription {
  /** RSA, ECDSA, Ed25519, Ed448, RSA-PSS, DSA, ... */
  type: string
  /** RSA modulus or DSA size in bits. */
  bits?: number
  /** P-256, P-384, P-521 for ECDSA. */
  curve?: string
  /** One-line text, e.g. `ECDSA P-256` or `RSA 2048 bits`. */
  text: string
}

export interface CertificateDescription {
  subject: string
  issuer: string
  /** null when the certificate has no subjectAltName extension. */
  subjectAltNames: SubjectAltNames | null
  /** Upper-case hex, as openssl prints it. */
  serialNumber: string
  notBefore: string
  notAfter: string
  /** Whole days until notAfter, counted toward zero (negative once expired by a day or more). */
  daysLeft: number
  /** `89 days left`, `expired 1350 days ago`, `not valid for another 2 days`: the words lint uses too. */
  validityNote: string
  publicKey: KeyDescription
  signatureAlgorithm: string
  isCA: boolean
  selfSigned: boolean
  /** Colon-separated upper-case hex, as `openssl x509 -fingerprint -sha256` prints it. */
  sha256Fingerprint: string
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
}

/** MD2, MD5 and SHA-1 based signatures: collisions are practical, clients refuse them. */
const WEAK_SIGNATURE_OIDS = new Set(['1.2.840.113549.1.1.2', '1.2.840.113549.1.1.4', '1.2.840.113549.1.1.5', '1.2.840.10040.4.3', '1.2.840.10045.4.1'])

const CURVES: Record<string, string> = {prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521'}

/** Parse DER; throws CertificateParseError on anything that is not a certificate both libraries read in full. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const bytes = Buffer.from(der)
  try {
    const fields = readCertificateFields(bytes)
    const x509 = new X509Certificate(bytes)
    if (Number.isNaN(Date.parse(x509.validFrom)) || Number.isNaN(Date.parse(x509.validTo))) throw new CertificateParseError('a validity time is not a valid date')
    const publicKey = x509.publicKey
    describePublicKey(publicKey)
    return {
      der: bytes,
      x509,
      fields,
      publicKey,
      subject: formatDistinguishedName(x509.subject),
      issuer: formatDistinguishedName(x509.issuer),
      isCA: fields.basicConstraints?.ca === true,
      serialNumber: x509.serialNumber.toUpperCase(),
      sha256Fingerprint: x509.fingerprint256,
      notBefore: fields.notBefore,
      notAfter: fields.notAfter,
    }
  } catch (error) {
    throw new CertificateParseError((error as Error).message)
  }
}

export function nameSignatureAlgorithm(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid] ?? oid
}

/** SHA-1, MD5 and MD2 based signatures. */
export function isWeakSignatureAlgorithm(oid: string): boolean {
  return WEAK_SIGNATURE_OIDS.has(oid)
}

export function describePublicKey(key: KeyObject): KeyDescription {
  const details = key.asymmetricKeyDetails ?? {}
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss': {
      const type = key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS'
      return {type, bits: details.modulusLength, text: `${type} ${details.modulusLength} bits`}
    }
    case 'ec': {
      const curve = CURVES[details.namedCurve ?? ''] ?? details.namedCurve ?? 'explicit curve parameters'
      return {type: 'ECDSA', curve, text: `ECDSA ${curve}`}
    }
    case 'ed25519':
      return {type: 'Ed25519', text: 'Ed25519'}
    case 'ed448':
      return {type: 'Ed448', text: 'Ed448'}
    case 'dsa':
      return {type: 'DSA', bits: details.modulusLength, text: `DSA ${details.modulusLength} bits`}
    default:
      return {type: key.asymmetricKeyType ?? 'unknown', text: key.asymmetricKeyType ?? 'unknown'}
  }
}

/**
 * Subject equals issuer and the signature verifies with its own key. (Not
 * `checkIssued(itself)`: OpenSSL refuses that for a self-signed leaf whose
 * keyUsage lacks keyCertSign.)
 */
export function isSelfSigned(certificate: ParsedCertificate): boolean {
  return certificate.subject === certificate.issuer && verifiesWith(certificate, certificate.publicKey)
}

/**
 * Was `subject` issued by `issuer`, as OpenSSL's chain building decides
 * (ossl_x509_likely_issued): the issuer's subject is the subject's issuer,
 * the key identifiers do not contradict each other, and the issuer's key
 * verifies the signature. Whether the issuer may sign certificates at all
 * (CA, keyCertSign, pathLen) is the chain verdict's business, not this.
 */
export function isIssuedBy(subject: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (subject.issuer !== issuer.subject) return false
  const {authorityKeyId} = subject.fields
  const {subjectKeyId} = issuer.fields
  if (authorityKeyId !== undefined && subjectKeyId !== undefined && authorityKeyId !== subjectKeyId) return false
  return verifiesWith(subject, issuer.publicKey)
}

function verifiesWith(certificate: ParsedCertificate, key: KeyObject): boolean {
  try {
    return certificate.x509.verify(key)
  } catch {
    return false
  }
}

export function describeCertificate(certificate: ParsedCertificate, now: Date): CertificateDescription {
  const {fields} = certificate
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    subjectAltNames: fields.subjectAltNames ?? null,
    serialNumber: certificate.serialNumber,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    daysLeft: countWholeDays(certificate.notAfter.getTime() - now.getTime()),
    validityNote: describeValidity(certificate, now),
    publicKey: describePublicKey(certificate.publicKey),
    signatureAlgorithm: nameSignatureAlgorithm(fields.signatureAlgorithmOid),
    isCA: certificate.isCA,
    selfSigned: isSelfSigned(certificate),
    sha256Fingerprint: certificate.sha256Fingerprint,
  }
}

function describeValidity(certificate: ParsedCertificate, now: Date): string {
  const left = certificate.notAfter.getTime() - now.getTime()
  if (left < 0) return `expired ${describeSpan(left)} ago`
  const wait = certificate.notBefore.getTime() - now.getTime()
  if (wait > 0) return `not valid for another ${describeSpan(wait)}`
  return `${describeSpan(left)} left`
}

/** `CN=a\nO=b` as Node prints names, on one line: `CN=a, O=b`. */
export function formatDistinguishedName(name: string | undefined): string {
  return (name ?? '').split('\n').filter(Boolean).join(', ')
}

/** `DNS:a.example.com, IP:127.0.0.1`, or `(none)`. */
export function formatSubjectAltNames(names: SubjectAltNames | null): string {
  if (names === null) return '(none)'
  const parts = [...names.dns.map((name) => `DNS:${name}`), ...names.ip.map((ip) => `IP:${ip}`), ...names.other]
  return parts.length === 0 ? '(empty)' : parts.join(', ')
}
