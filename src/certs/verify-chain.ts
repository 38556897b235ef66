/**
 * Does a certificate chain verify, as `openssl verify -x509_strict -purpose
 * sslserver|sslclient` would say? OpenSSL decides, never gwctl: through a
 * TLS handshake in Node's own TLS stack when the leaf's private key is at
 * hand (handshake-verdict.ts), plus the x509_strict profile checks that
 * Node's TLS does not set (strict-chain-checks.ts); without the key, through
 * the `openssl` command (openssl-command-verdict.ts) when the caller allows
 * it. The path from the leaf to its anchor is worked out here only to name
 * certificates in messages and to run the strict checks on it.
 */
import {encodePem} from './pem.js'
import {judgeByHandshake, type HandshakeVerdict, type Purpose} from './handshake-verdict.js'
import {judgeByOpensslCommand} from './openssl-command-verdict.js'
import {isIssuedBy, type ParsedCertificate} from './parsed-certificate.js'
import {checkStrictProfile} from './strict-chain-checks.js'
import {formatVerifyError, PATH_NOT_FOUND_CODES, TIME_ERROR_CODES, verifyErrorOf, type VerifyError} from './x509-verify-errors.js'

export interface ChainRequest {
  leaf: ParsedCertificate
  /** PEM private key of the leaf; without it only the openssl command can judge. */
  keyPem?: string
  /** Certificates sent with the leaf, untrusted, in any order. */
  intermediates: readonly ParsedCertificate[]
  anchors: readonly ParsedCertificate[]
  /** Trust an anchor that is not self-signed, as `-partial_chain` does. */
  partialChain: boolean
  /** `ca`: a CA certificate, verified without a TLS purpose (only the openssl command can: a CA is no TLS peer). */
  purpose: ChainPurpose
  /** Without a key, let the openssl command judge (certs inspect). */
  allowCommand?: boolean
  /** Leave out errors about the clock: the caller judges validity at its own `now`. */
  ignoreTime?: boolean
}

export type ChainPurpose = Purpose | 'ca'

export type Judge = 'tls-handshake' | 'openssl-command' | 'none'

export interface ChainVerification {
  verified: boolean
  /** Subjects from the leaf towards the anchor, as far as a path was found. */
  chain: string[]
  /** The first error, in words (`path length constraint exceeded (error 25 at depth 2, CN=Root)`). */
  error?: string
  errors: VerifyError[]
  /** Who judged; `none` when nobody could (the error says why). */
  judge: Judge
}

const MAX_DEPTH = 10

export async function verifyChain(request: ChainRequest): Promise<ChainVerification> {
  const {path, anchored} = buildPath(request.leaf, request.intermediates, request.anchors)
  const chain = path.map((certificate) => certificate.subject || '(empty subject)')
  const judged = await judge(request, path, anchored)
  if ('unjudged' in judged) return {verified: false, chain, error: judged.unjudged, errors: [], judge: 'none'}
  const errors = request.ignoreTime === true ? judged.errors.filter((error) => error.code === undefined || !TIME_ERROR_CODES.has(error.code)) : judged.errors
  return {verified: errors.length === 0, chain, ...(errors.length === 0 ? {} : {error: formatVerifyError(errors[0])}), errors, judge: judged.judge}
}

async function judge(request: ChainRequest, path: ParsedCertificate[], anchored: boolean): Promise<{errors: VerifyError[]; judge: Judge} | {unjudged: string}> {
  const pem = (certificates: readonly ParsedCertificate[]) => certificates.map((certificate) => encodePem('CERTIFICATE', certificate.der))
  if (request.anchors.length === 0) return {unjudged: 'no trust anchor to verify against'}
  if (request.keyPem !== undefined && request.purpose !== 'ca') {
    const verdict = await judgeByHandshake({
      chainPem: pem([request.leaf, ...request.intermediates]).join(''),
      keyPem: request.keyPem,
      anchorsPem: pem(request.anchors),
      partialChain: request.partialChain,
      purpose: request.purpose,
    })
    if (verdict.outcome === 'failed') return {unjudged: `no TLS handshake could be made with this certificate and key: ${verdict.reason}`}
    const said = verdict.outcome === 'rejected' ? {...verdict, error: restateAsVerify(verdict.error)} : verdict
    return {errors: mergeStrictErrors(said, anchored ? checkStrictProfile(path) : []), judge: 'tls-handshake'}
  }
  if (request.allowCommand !== true) return {unjudged: request.purpose === 'ca' ? 'a CA certificate is no TLS peer: only the openssl command can verify its chain' : 'the private key of the certificate is needed to verify its chain'}
  const verdict = await judgeByOpensslCommand({
    leafPem: pem([request.leaf])[0],
    untrustedPem: pem(request.intermediates),
    anchorsPem: pem(request.anchors),
    partialChain: request.partialChain,
    purpose: request.purpose,
  })
  if (verdict.outcome === 'unavailable') {
    const why = request.purpose === 'ca' ? 'a CA certificate is no TLS peer' : `without the private key of ${request.leaf.subject || 'the certificate'} no TLS handshake can verify its chain (give the key file too)`
    return {unjudged: `${why}, and ${verdict.reason}`}
  }
  return {errors: verdict.outcome === 'verified' ? [] : verdict.errors, judge: 'openssl-command'}
}

/**
 * In a handshake OpenSSL reports a leaf whose issuer is nowhere to be found
 * as error 21 (unable to verify the first certificate); `openssl verify`
 * says 20 (unable to get local issuer certificate) for the same chain.
 */
function restateAsVerify(error: VerifyError): VerifyError {
  return error.code === 21 ? verifyErrorOf(20) : error
}

/** OpenSSL's own error first, then the strict profile's (which know the depth), without repeating an error. */
function mergeStrictErrors(verdict: Exclude<HandshakeVerdict, {outcome: 'failed'}>, strict: VerifyError[]): VerifyError[] {
  if (verdict.outcome === 'verified') return strict
  const own = verdict.error
  if (own.code !== undefined && PATH_NOT_FOUND_CODES.has(own.code)) return [own]
  const sameCode = strict.find((error) => error.code !== undefined && error.code === own.code)
  return sameCode === undefined ? [own, ...strict] : [sameCode, ...strict.filter((error) => error !== sameCode)]
}

/**
 * The path OpenSSL would build (trusted issuers first): from the leaf, the
 * issuer is a certificate whose subject is the leaf's issuer, whose key
 * identifier matches, and whose key verifies the signature.
 */
function buildPath(leaf: ParsedCertificate, intermediates: readonly ParsedCertificate[], anchors: readonly ParsedCertificate[]): {path: ParsedCertificate[]; anchored: boolean} {
  const path = [leaf]
  let current = leaf
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (anchors.some((anchor) => anchor.der.equals(current.der))) return {path, anchored: true}
    const anchor = anchors.find((candidate) => !candidate.der.equals(current.der) && isIssuedBy(current, candidate))
    if (anchor !== undefined) return {path: [...path, anchor], anchored: true}
    const next = intermediates.find((candidate) => !path.some((known) => known.der.equals(candidate.der)) && isIssuedBy(current, candidate))
    if (next === undefined) return {path, anchored: false}
    path.push(next)
    current = next
  }
  return {path, anchored: false}
}
