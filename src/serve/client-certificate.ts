/**
 * Client certificates on listeners with Gateway spec.tls.frontend
 * validation, as the engine decided (Decision.clientValidation): the TLS
 * server options that request one (the CA bundle is in the listener's
 * SecureContext, see listener-certificates.ts), and the verdict once the
 * handshake is done. AllowValidOnly: OpenSSL aborts a handshake without a
 * certificate (SSL_VERIFY_FAIL_IF_NO_PEER_CERT), and one that does not
 * verify against the CA closes the connection before a byte of it is read;
 * AllowInsecureFallback: the connection is accepted, and the access log
 * says with what.
 *
 * Node's tls.Server makes the verification check itself (onServerSocketSecure,
 * reading OpenSSL's verify result from the socket's handle); a TLSSocket
 * built on a socket whose ClientHello was read first does not, so the same
 * check is made here. Without that handle the verdict fails closed.
 */
import type {TLSSocket} from 'node:tls'
import type {ClientValidationBinding} from '../gatewayapi/binding.js'
import {ALLOW_INSECURE_FALLBACK} from '../gatewayapi/frontend-validation.js'

export interface ClientCertificateVerdict {
  /** The connection may carry traffic. */
  accepted: boolean
  /** For the access log's clientCert field. */
  summary: string
}

/** TLSSocket options of a listener: request a client certificate when it validates them. */
export function clientCertificateOptions(validation: ClientValidationBinding | undefined): {requestCert: boolean; rejectUnauthorized: boolean} {
  if (validation === undefined) return {requestCert: false, rejectUnauthorized: false}
  return {requestCert: true, rejectUnauthorized: validation.mode !== ALLOW_INSECURE_FALLBACK}
}

interface VerifiableHandle {
  verifyError?: () => (Error & {code?: string}) | null | undefined
}

/** OpenSSL's verdict on the client certificate of a finished handshake. */
export function judgeClientCertificate(socket: TLSSocket, validation: ClientValidationBinding): ClientCertificateVerdict {
  const peer = socket.getPeerX509Certificate()
  const handle = (socket as unknown as {_handle?: VerifiableHandle})._handle
  let problem: string | undefined
  if (peer === undefined) {
    problem = 'no client certificate'
  } else if (typeof handle?.verifyError !== 'function') {
    problem = 'client certificate could not be verified'
  } else {
    const error = handle.verifyError()
    if (error) problem = `client certificate not verified (${error.code ?? error.message})`
  }
  if (problem === undefined) {
    const subject = (peer!.subject ?? '').split('\n').filter(Boolean).join(', ')
    return {accepted: true, summary: `verified (${subject || 'empty subject'})`}
  }
  if (validation.mode === ALLOW_INSECURE_FALLBACK) return {accepted: true, summary: `${problem}, accepted (AllowInsecureFallback)`}
  return {accepted: false, summary: `${problem} (AllowValidOnly)`}
}
