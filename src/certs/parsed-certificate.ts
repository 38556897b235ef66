/**
 * One certificate parsed synchronously with Node's `crypto.X509Certificate`
 * plus the DER fields it lacks, and its plain-data description (what
 * `certs inspect` prints and `-o json` returns). No IO, no clock: `now` is
 * passed in.
 */
import {X509Certificate, type KeyObject} from 'node:crypto'
import {readCertificateFields, type CertificateFields, type SubjectAltNames} from './certificate-fields.js'

export interface ParsedCertificate {
  x509: X509Certificate
  fields: CertificateFields
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
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number
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
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
}

const WEAK_SIGNATURE_OIDS = new Set([
  '1.2.840.113549.1.1.2',
  '1.2.840.113549.1.1.4',
  '1.2.840.113549.1.1.5',
  '1.2.840.10040.4.3',
  '1.2.840.10045.4.1',
])

const CURVES: Record<string, string> = {prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521'}

/** Parse DER; throws on anything that is not an X.509 certificate. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const x509 = new X509Certificate(der)
  return {
    x509,
    fields: readCertificateFields(der),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
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
      const curve = CURVES[details.namedCurve ?? ''] ?? details.namedCurve ?? 'unknown curve'
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
  const {x509} = certificate
  return (x509.subject ?? '') === (x509.issuer ?? '') && x509.verify(x509.publicKey)
}

/**
 * Was `subject` issued by `issuer`: names and key identifiers match (Node's
 * `subject.checkIssued(issuer)`, i.e. OpenSSL's X509_check_issued) and the
 * issuer's key verifies the signature?
 */
export function isIssuedBy(subject: ParsedCertificate, issuer: ParsedCertificate): boolean {
  return subject.x509.checkIssued(issuer.x509) && subject.x509.verify(issuer.x509.publicKey)
}

export function describeCertificate(certificate: ParsedCertificate, now: Date): CertificateDescription {
  const {x509, fields} = certificate
  return {
    subject: formatDistinguishedName(x509.subject),
    issuer: formatDistinguishedName(x509.issuer),
    subjectAltNames: fields.subjectAltNames ?? null,
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    daysLeft: Math.floor((certificate.notAfter.getTime() - now.getTime()) / 86_400_000),
    publicKey: describePublicKey(x509.publicKey),
    signatureAlgorithm: nameSignatureAlgorithm(fields.signatureAlgorithmOid),
    isCA: x509.ca,
    selfSigned: isSelfSigned(certificate),
    sha256Fingerprint: x509.fingerprint256,
  }
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
