/**
 * What `openssl verify -x509_strict` checks beyond a TLS handshake: Node's
 * TLS stack verifies chains without X509_V_FLAG_X509_STRICT, so these RFC
 * 5280 profile checks of OpenSSL 3.0 (crypto/x509/x509_vfy.c,
 * check_extensions and check_curve) are repeated here, over the path as
 * OpenSSL builds it (leaf first, trust anchor last), with OpenSSL's error
 * numbers and texts. The profile checks apply to paths of two or more
 * certificates (RFC 6818 exempts a self-issued end entity); the CA test of
 * X509_check_ca applies to every path. Pure.
 */
import type {ParsedCertificate} from './parsed-certificate.js'
import {verifyErrorOf, type VerifyError} from './x509-verify-errors.js'

export function checkStrictProfile(path: readonly ParsedCertificate[]): VerifyError[] {
  const errors: VerifyError[] = []
  const count = path.length
  path.forEach((certificate, depth) => {
    const fail = (code: number) => errors.push(verifyErrorOf(code, {depth, subject: certificate.subject || '(empty subject)'}))
    const caKind = classifyCa(certificate)
    if (depth === 0 ? caKind !== 0 && caKind !== 1 : caKind !== 1) fail(79)
    if (count < 2) return
    const fields = certificate.fields
    const isCA = fields.basicConstraints?.ca === true
    const usage = new Set(fields.keyUsage ?? [])
    if (fields.explicitCurveParameters) fail(94)
    if (fields.basicConstraints?.pathLength !== undefined) {
      if (!isCA) fail(80)
      if (!usage.has('keyCertSign')) fail(81)
    }
    if (isCA && fields.basicConstraints !== undefined && !fields.basicConstraints.critical) fail(89)
    if (isCA && fields.keyUsage === undefined) fail(92)
    if (!isCA && usage.has('keyCertSign')) fail(82)
    if (fields.issuerEmpty) fail(83)
    if ((isCA || usage.has('cRLSign') || fields.subjectAltNames === undefined) && fields.subjectEmpty) fail(84)
    if (fields.subjectEmpty && fields.subjectAltNames !== undefined && !fields.subjectAltNamesCritical) fail(88)
    if (fields.subjectAltNames !== undefined && countNames(fields.subjectAltNames) === 0) fail(87)
    if (fields.signatureAlgorithmOid !== fields.tbsSignatureAlgorithmOid) fail(78)
    if (fields.hasAuthorityKeyIdExtension && fields.authorityKeyIdCritical) fail(90)
    if (fields.subjectKeyId !== undefined && fields.subjectKeyIdCritical) fail(91)
    if (fields.version >= 3) {
      if (depth + 1 < count && fields.authorityKeyId === undefined) fail(85)
      if (isCA && fields.subjectKeyId === undefined) fail(86)
    } else if (fields.extensionCount > 0) {
      fail(93)
    }
  })
  return errors
}

/**
 * OpenSSL's X509_check_ca: 0 not a CA, 1 basicConstraints cA, 3 a version 1
 * self-signed root, 4 keyUsage keyCertSign without basicConstraints. Under
 * x509_strict only 1 counts as a CA, and a leaf must be 0 or 1.
 */
function classifyCa(certificate: ParsedCertificate): number {
  const {fields} = certificate
  if (fields.keyUsage !== undefined && !fields.keyUsage.includes('keyCertSign')) return 0
  if (fields.basicConstraints !== undefined) return fields.basicConstraints.ca ? 1 : 0
  if (fields.version === 1 && isSelfIssuedAndSigned(certificate)) return 3
  if (fields.keyUsage !== undefined) return 4
  return 0
}

function isSelfIssuedAndSigned(certificate: ParsedCertificate): boolean {
  if (certificate.subject !== certificate.issuer) return false
  try {
    return certificate.x509.verify(certificate.publicKey)
  } catch {
    return false
  }
}

function countNames(names: {dns: string[]; ip: string[]; other: string[]}): number {
  return names.dns.length + names.ip.length + names.other.length
}
