/**
 * Fields of a DER X.509 certificate (RFC 5280 §4.1) that Node's synchronous
 * `crypto.X509Certificate` does not expose in Node 20: the outer signature
 * algorithm, the subjectAltName entries as typed values, and the key
 * identifiers. Pure and synchronous; throws `DerError` on malformed DER.
 */
import {DerError, readDerChildren, readDerContent, readDerNode, readDerOid} from './der-reader.js'

export interface SubjectAltNames {
  dns: string[]
  /** Textual IP addresses (IPv6 in compressed form). */
  ip: string[]
  /** Entries of other kinds (email, URI, ...), kept for display as `KIND:value`. */
  other: string[]
}

export interface CertificateFields {
  signatureAlgorithmOid: string
  /** Undefined when the certificate has no subjectAltName extension. */
  subjectAltNames?: SubjectAltNames
  /** Lower-case hex, when the extension is present. */
  subjectKeyId?: string
  authorityKeyId?: string
}

const OID_SUBJECT_ALT_NAME = '2.5.29.17'
const OID_SUBJECT_KEY_ID = '2.5.29.14'
const OID_AUTHORITY_KEY_ID = '2.5.29.35'

export function readCertificateFields(der: Uint8Array): CertificateFields {
  const certificate = readDerNode(der)
  const [tbs, signatureAlgorithm] = readDerChildren(certificate)
  if (tbs?.tag !== 0x30 || signatureAlgorithm?.tag !== 0x30) throw new DerError('not an X.509 certificate')
  const fields: CertificateFields = {signatureAlgorithmOid: readDerOid(readDerChildren(signatureAlgorithm)[0])}
  const extensions = readDerChildren(tbs).find((node) => node.tag === 0xa3)
  if (extensions === undefined) return fields
  for (const extension of readDerChildren(readDerChildren(extensions)[0])) {
    const parts = readDerChildren(extension)
    const oid = readDerOid(parts[0])
    const value = readDerContent(parts[parts.length - 1])
    if (oid === OID_SUBJECT_ALT_NAME) fields.subjectAltNames = readGeneralNames(value)
    if (oid === OID_SUBJECT_KEY_ID) fields.subjectKeyId = toHex(readDerContent(readDerNode(value)))
    if (oid === OID_AUTHORITY_KEY_ID) {
      const keyId = readDerChildren(readDerNode(value)).find((node) => node.tag === 0x80)
      if (keyId !== undefined) fields.authorityKeyId = toHex(readDerContent(keyId))
    }
  }
  return fields
}

function readGeneralNames(value: Uint8Array): SubjectAltNames {
  const names: SubjectAltNames = {dns: [], ip: [], other: []}
  const text = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes)
  for (const name of readDerChildren(readDerNode(value))) {
    const content = readDerContent(name)
    if (name.tag === 0x82) names.dns.push(text(content))
    else if (name.tag === 0x87) names.ip.push(formatIpAddress(content))
    else if (name.tag === 0x81) names.other.push(`email:${text(content)}`)
    else if (name.tag === 0x86) names.other.push(`URI:${text(content)}`)
    else names.other.push(`tag-${name.tag & 0x1f}`)
  }
  return names
}

/** Text form of a 4- or 16-octet iPAddress; IPv6 with the longest zero run compressed (RFC 5952). */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.')
  if (bytes.length !== 16) return `invalid(${toHex(bytes)})`
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(bytes[i] * 256 + bytes[i + 1])
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; i++) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i]
    i = j
  }
  const hex = groups.map((group) => group.toString(16))
  if (bestStart === -1) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}
