/**
 * The fields of a DER X.509 certificate (RFC 5280 §4.1) that gwctl checks,
 * read with @peculiar/x509 and nothing else: version, the inner and outer
 * signature algorithms, validity, subject/issuer emptiness, the
 * subjectAltName entries as typed values (IPv6 in RFC 5952 text), key identifiers, basicConstraints,
 * keyUsage, extendedKeyUsage, nameConstraints and the criticality of each,
 * and whether an EC key carries explicit curve parameters. Synchronous and
 * pure; throws `CertificateFieldError` on anything @peculiar/x509 cannot
 * decode or on an impossible validity time, so callers never meet a lazily
 * thrown error later. Heavy module (@peculiar/x509): import lazily.
 */
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'

export class CertificateFieldError extends Error {}

export interface SubjectAltNames {
  dns: string[]
  /** Textual IP addresses (IPv6 in compressed form). */
  ip: string[]
  /** Entries of other kinds (email, URI, ...), kept for display as `KIND:value`. */
  other: string[]
}

export interface BasicConstraints {
  ca: boolean
  pathLength?: number
  critical: boolean
}

export interface CertificateFields {
  /** 1, 2 or 3. */
  version: number
  /** signatureAlgorithm of the Certificate (outer). */
  signatureAlgorithmOid: string
  /** signature of the TBSCertificate (inner); RFC 5280 §4.1.1.2 wants both equal. */
  tbsSignatureAlgorithmOid: string
  notBefore: Date
  notAfter: Date
  subjectEmpty: boolean
  issuerEmpty: boolean
  /** Undefined when the certificate has no subjectAltName extension. */
  subjectAltNames?: SubjectAltNames
  subjectAltNamesCritical: boolean
  /** Lower-case hex, when the extension is present. */
  subjectKeyId?: string
  subjectKeyIdCritical: boolean
  /** True when an authorityKeyIdentifier extension is present (with or without a keyIdentifier). */
  hasAuthorityKeyIdExtension: boolean
  authorityKeyId?: string
  authorityKeyIdCritical: boolean
  basicConstraints?: BasicConstraints
  /** keyUsage bit names as RFC 5280 spells them (`digitalSignature`, `keyCertSign`, ...); undefined without the extension. */
  keyUsage?: string[]
  /** extendedKeyUsage purposes: `serverAuth`, `clientAuth`, `anyExtendedKeyUsage`, ... or the OID; undefined without the extension. */
  extendedKeyUsage?: string[]
  hasNameConstraints: boolean
  extensionCount: number
  /** id-ecPublicKey with explicit (not named) curve parameters. */
  explicitCurveParameters: boolean
}

const OID = {
  nameConstraints: '2.5.29.30',
  ecPublicKey: '1.2.840.10045.2.1',
}

const KEY_USAGE_BITS: Array<[number, string]> = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
  [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
]

const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
}

x509.cryptoProvider.set(globalThis.crypto)

/** The @peculiar/x509 certificate with its ASN.1 model readable (version, inner algorithm, key parameters). */
class CertificateReader extends x509.X509Certificate {
  get model() {
    return this.asn
  }
}

/** Read every field at once; throws CertificateFieldError when the DER is not a certificate @peculiar/x509 can decode. */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  try {
    return readFields(new CertificateReader(Uint8Array.from(der)))
  } catch (error) {
    if (error instanceof CertificateFieldError) throw error
    throw new CertificateFieldError(`not a decodable X.509 certificate (${(error as Error).message})`)
  }
}

function readFields(certificate: CertificateReader): CertificateFields {
  const {tbsCertificate, signatureAlgorithm} = certificate.model
  const notBefore = certificate.notBefore
  const notAfter = certificate.notAfter
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) throw new CertificateFieldError('a validity time is not a valid date')
  const spki = tbsCertificate.subjectPublicKeyInfo.algorithm
  const fields: CertificateFields = {
    version: tbsCertificate.version + 1,
    signatureAlgorithmOid: signatureAlgorithm.algorithm,
    tbsSignatureAlgorithmOid: tbsCertificate.signature.algorithm,
    notBefore,
    notAfter,
    subjectEmpty: tbsCertificate.subject.length === 0,
    issuerEmpty: tbsCertificate.issuer.length === 0,
    subjectAltNamesCritical: false,
    subjectKeyIdCritical: false,
    hasAuthorityKeyIdExtension: false,
    authorityKeyIdCritical: false,
    hasNameConstraints: false,
    extensionCount: 0,
    explicitCurveParameters: spki.algorithm === OID.ecPublicKey && spki.parameters !== null && spki.parameters !== undefined && new Uint8Array(spki.parameters)[0] === 0x30,
  }
  const extensions = certificate.extensions
  fields.extensionCount = extensions.length
  for (const extension of extensions) readExtension(extension, fields)
  return fields
}

/** The library's ExtensionFactory already decodes the known extensions; anything else keeps only its type and criticality. */
function readExtension(extension: x509.Extension, fields: CertificateFields): void {
  if (extension instanceof x509.SubjectAlternativeNameExtension) {
    fields.subjectAltNames = readGeneralNames(extension.names)
    fields.subjectAltNamesCritical = extension.critical
  } else if (extension instanceof x509.SubjectKeyIdentifierExtension) {
    fields.subjectKeyId = extension.keyId.toLowerCase()
    fields.subjectKeyIdCritical = extension.critical
  } else if (extension instanceof x509.AuthorityKeyIdentifierExtension) {
    fields.hasAuthorityKeyIdExtension = true
    fields.authorityKeyId = extension.keyId?.toLowerCase()
    fields.authorityKeyIdCritical = extension.critical
  } else if (extension instanceof x509.BasicConstraintsExtension) {
    fields.basicConstraints = {ca: extension.ca, ...(extension.pathLength === undefined ? {} : {pathLength: extension.pathLength}), critical: extension.critical}
  } else if (extension instanceof x509.KeyUsagesExtension) {
    fields.keyUsage = KEY_USAGE_BITS.filter(([bit]) => (extension.usages & bit) !== 0).map(([, name]) => name)
  } else if (extension instanceof x509.ExtendedKeyUsageExtension) {
    fields.extendedKeyUsage = Array.from(extension.usages, (usage) => EXTENDED_KEY_USAGES[String(usage)] ?? String(usage))
  } else if (extension.type === OID.nameConstraints) {
    fields.hasNameConstraints = true
  }
}

function readGeneralNames(names: x509.GeneralNames): SubjectAltNames {
  const result: SubjectAltNames = {dns: [], ip: [], other: []}
  for (const name of names.items) {
    if (name.type === 'dns') result.dns.push(name.value)
    else if (name.type === 'ip') result.ip.push(name.value)
    else if (name.type === 'email') result.other.push(`email:${name.value}`)
    else if (name.type === 'url') result.other.push(`URI:${name.value}`)
    else result.other.push(`${name.type}:${name.value}`)
  }
  return result
}
