/**
 * Offline, the client certificate a test presents (request.clientCertificate,
 * PEM files relative to the test file) judged as a listener's frontend
 * validation would (Gateway spec.tls.frontend): verified by OpenSSL in a TLS
 * handshake of Node's own stack against the listener's CA bundle, purpose
 * TLS client (src/certs/handshake-verdict.ts) — what serve's TLS server
 * decides, so without `certs inspect`'s x509_strict profile. With AllowValidOnly a certificate that does
 * not verify is refused with the alert OpenSSL sends for its error —
 * `certificate_expired` (not yet valid or expired), `unknown_ca` (no path
 * to the CA), else `bad_certificate`; with AllowInsecureFallback it is
 * accepted, and the trace says it did not verify.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import type {ClientValidationBinding} from '../gatewayapi/binding.js'
import {ALLOW_VALID_ONLY} from '../gatewayapi/frontend-validation.js'
import {judgeByHandshake} from '../certs/handshake-verdict.js'
import {splitPemBlocks} from '../certs/pem.js'
import {formatVerifyError, PATH_NOT_FOUND_CODES, TIME_ERROR_CODES} from '../certs/x509-verify-errors.js'

export interface ClientCertificateVerdict {
  /** The TLS alert the client gets; undefined when the connection proceeds. */
  refused?: string
  /** One line for the trace. */
  why: string
}

function hasCertificate(pem: string): boolean {
  return splitPemBlocks(pem).some((block) => block.label === 'CERTIFICATE')
}

export async function judgeClientCertificate(
  files: {certificate: string; key: string}, testFile: string, validation: ClientValidationBinding,
): Promise<ClientCertificateVerdict> {
  const directory = path.dirname(testFile)
  const [certificatePem, keyPem] = await Promise.all([readFile(path.resolve(directory, files.certificate), 'utf8'), readFile(path.resolve(directory, files.key), 'utf8')])
  const strict = validation.mode === ALLOW_VALID_ONLY
  if (!hasCertificate(certificatePem)) {
    return strict ? {refused: 'certificate_required', why: `${files.certificate} holds no certificate, so none is presented`} : {why: `${files.certificate} holds no certificate; accepted without one (AllowInsecureFallback)`}
  }
  const verdict = await judgeByHandshake({chainPem: certificatePem, keyPem, anchorsPem: validation.caCertificates, partialChain: false, purpose: 'client'})
  if (verdict.outcome === 'verified') return {why: `client certificate ${files.certificate} verifies against ${validation.source}'s CA`}
  const reason = verdict.outcome === 'rejected' ? formatVerifyError(verdict.error) : verdict.reason
  const problem = `client certificate ${files.certificate} does not verify against ${validation.source}'s CA: ${reason}`
  if (!strict) return {why: `${problem}; accepted (AllowInsecureFallback)`}
  const code = verdict.outcome === 'rejected' ? verdict.error.code : undefined
  const alert = code !== undefined && TIME_ERROR_CODES.has(code) ? 'certificate_expired'
    : code !== undefined && PATH_NOT_FOUND_CODES.has(code) ? 'unknown_ca' : 'bad_certificate'
  return {refused: alert, why: problem}
}
