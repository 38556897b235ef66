/**
 * OpenSSL's certificate verification errors (X509_V_ERR_*, OpenSSL 3.0
 * numbering, `X509_verify_cert_error_string` texts): what `openssl verify`
 * prints as `error N at D depth lookup: TEXT`. Node reports a verification
 * failure by a code of its own (the X509_V_ERR_ name without its prefix, or
 * UNSPECIFIED) and OpenSSL's text; this table turns either back into the
 * number, so gwctl names an error as openssl does.
 */

export interface VerifyError {
  /** OpenSSL's number (25 for X509_V_ERR_PATH_LENGTH_EXCEEDED), when known. */
  code?: number
  /** OpenSSL's text, e.g. `path length constraint exceeded`. */
  reason: string
  /** Position in the chain as OpenSSL built it (0 is the leaf), when known. */
  depth?: number
  /** Subject of the certificate at `depth`, when known. */
  subject?: string
}

/** Number → [X509_V_ERR_ name suffix, text]. */
const ERRORS: Record<number, [string, string]> = {
  2: ['UNABLE_TO_GET_ISSUER_CERT', 'unable to get issuer certificate'],
  4: ['UNABLE_TO_DECRYPT_CERT_SIGNATURE', "unable to decrypt certificate's signature"],
  6: ['UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'unable to decode issuer public key'],
  7: ['CERT_SIGNATURE_FAILURE', 'certificate signature failure'],
  9: ['CERT_NOT_YET_VALID', 'certificate is not yet valid'],
  10: ['CERT_HAS_EXPIRED', 'certificate has expired'],
  13: ['ERROR_IN_CERT_NOT_BEFORE_FIELD', "format error in certificate's notBefore field"],
  14: ['ERROR_IN_CERT_NOT_AFTER_FIELD', "format error in certificate's notAfter field"],
  17: ['OUT_OF_MEM', 'out of memory'],
  18: ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
  19: ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
  20: ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'],
  21: ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
  22: ['CERT_CHAIN_TOO_LONG', 'certificate chain too long'],
  23: ['CERT_REVOKED', 'certificate revoked'],
  24: ['NO_ISSUER_PUBLIC_KEY', "issuer certificate doesn't have a public key"],
  25: ['PATH_LENGTH_EXCEEDED', 'path length constraint exceeded'],
  26: ['INVALID_PURPOSE', 'unsuitable certificate purpose'],
  27: ['CERT_UNTRUSTED', 'certificate not trusted'],
  28: ['CERT_REJECTED', 'certificate rejected'],
  29: ['SUBJECT_ISSUER_MISMATCH', 'subject issuer mismatch'],
  30: ['AKID_SKID_MISMATCH', 'authority and subject key identifier mismatch'],
  32: ['KEYUSAGE_NO_CERTSIGN', 'key usage does not include certificate signing'],
  34: ['UNHANDLED_CRITICAL_EXTENSION', 'unhandled critical extension'],
  37: ['INVALID_NON_CA', 'invalid non-CA certificate (has CA markings)'],
  39: ['KEYUSAGE_NO_DIGITAL_SIGNATURE', 'key usage does not include digital signature'],
  41: ['INVALID_EXTENSION', 'invalid or inconsistent certificate extension'],
  42: ['INVALID_POLICY_EXTENSION', 'invalid or inconsistent certificate policy extension'],
  47: ['PERMITTED_VIOLATION', 'permitted subtree violation'],
  48: ['EXCLUDED_VIOLATION', 'excluded subtree violation'],
  49: ['SUBTREE_MINMAX', 'name constraints minimum and maximum not supported'],
  51: ['UNSUPPORTED_CONSTRAINT_TYPE', 'unsupported name constraint type'],
  52: ['UNSUPPORTED_CONSTRAINT_SYNTAX', 'unsupported or invalid name constraint syntax'],
  53: ['UNSUPPORTED_NAME_SYNTAX', 'unsupported or invalid name syntax'],
  55: ['PATH_LOOP', 'path loop'],
  62: ['HOSTNAME_MISMATCH', 'hostname mismatch'],
  66: ['EE_KEY_TOO_SMALL', 'EE certificate key too weak'],
  67: ['CA_KEY_TOO_SMALL', 'CA certificate key too weak'],
  68: ['CA_MD_TOO_WEAK', 'CA signature digest algorithm too weak'],
  76: ['UNSUPPORTED_SIGNATURE_ALGORITHM', 'Cannot find certificate signature algorithm'],
  77: ['SIGNATURE_ALGORITHM_MISMATCH', 'subject signature algorithm and issuer public key algorithm mismatch'],
  78: ['SIGNATURE_ALGORITHM_INCONSISTENCY', 'cert info signature and signature algorithm mismatch'],
  79: ['INVALID_CA', 'invalid CA certificate'],
  80: ['PATHLEN_INVALID_FOR_NON_CA', 'Path length invalid for non-CA cert'],
  81: ['PATHLEN_WITHOUT_KU_KEY_CERT_SIGN', 'Path length given without key usage keyCertSign'],
  82: ['KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA', 'Key usage keyCertSign invalid for non-CA cert'],
  83: ['ISSUER_NAME_EMPTY', 'Issuer name empty'],
  84: ['SUBJECT_NAME_EMPTY', 'Subject name empty'],
  85: ['MISSING_AUTHORITY_KEY_IDENTIFIER', 'Missing Authority Key Identifier'],
  86: ['MISSING_SUBJECT_KEY_IDENTIFIER', 'Missing Subject Key Identifier'],
  87: ['EMPTY_SUBJECT_ALT_NAME', 'Empty Subject Alternative Name extension'],
  88: ['EMPTY_SUBJECT_SAN_NOT_CRITICAL', 'Subject empty and Subject Alt Name extension not critical'],
  89: ['CA_BCONS_NOT_CRITICAL', 'Basic Constraints of CA cert not marked critical'],
  90: ['AUTHORITY_KEY_IDENTIFIER_CRITICAL', 'Authority Key Identifier marked critical'],
  91: ['SUBJECT_KEY_IDENTIFIER_CRITICAL', 'Subject Key Identifier marked critical'],
  92: ['CA_CERT_MISSING_KEY_USAGE', 'CA cert does not include key usage extension'],
  93: ['EXTENSIONS_REQUIRE_VERSION_3', 'Using cert extension requires at least X509v3'],
  94: ['EC_KEY_EXPLICIT_PARAMS', 'Certificate public key has explicit ECC parameters'],
}

const BY_NAME = new Map(Object.entries(ERRORS).map(([code, [name]]) => [name, Number(code)]))
const BY_TEXT = new Map(Object.entries(ERRORS).map(([code, [, text]]) => [text, Number(code)]))

/** Errors about the clock only: gwctl judges validity at its own `now` (lint's --now, tests). */
export const TIME_ERROR_CODES: ReadonlySet<number> = new Set([9, 10])

/** Errors that mean no path to a trust anchor was found (OpenSSL stops before checking the path). */
export const PATH_NOT_FOUND_CODES: ReadonlySet<number> = new Set([2, 18, 19, 20, 21])

/** An error by OpenSSL number (for gwctl's own x509_strict checks). */
export function verifyErrorOf(code: number, position?: {depth: number; subject: string}): VerifyError {
  return {code, reason: ERRORS[code]?.[1] ?? `error ${code}`, ...position}
}

/** An error as Node reports it: its code (`PATH_LENGTH_EXCEEDED`, `UNSPECIFIED`) and OpenSSL's text when Node gives it. */
export function verifyErrorFromNode(nodeCode: string | undefined, text: string | undefined): VerifyError {
  const code = (text === undefined ? undefined : BY_TEXT.get(text)) ?? (nodeCode === undefined ? undefined : BY_NAME.get(nodeCode))
  if (code !== undefined) return {code, reason: ERRORS[code][1]}
  return {reason: text ?? (nodeCode === undefined ? 'verification failed' : `verification failed (${nodeCode})`)}
}

/** `path length constraint exceeded (error 25 at depth 2, CN=Root)`. */
export function formatVerifyError(error: VerifyError): string {
  const where = [error.code === undefined ? '' : `error ${error.code}`, error.depth === undefined ? '' : `at depth ${error.depth}`].filter(Boolean).join(' ')
  const detail = [where, error.subject ?? ''].filter(Boolean).join(', ')
  return detail === '' ? error.reason : `${error.reason} (${detail})`
}
