/**
 * The TLS server side of Terminate listeners: a SecureContext per Secret the
 * engine chose (Decision.certificate) and client-certificate validation
 * (Decision.clientValidation: its CA bundle is the context's trust store),
 * built once per configuration. A Secret that is absent from the input, or
 * whose pair Node's TLS stack refuses, gives a problem instead, reported at
 * start and on each connection.
 * No session tickets: every connection makes a full handshake, which is what
 * a smoke test of certificates should exercise.
 */
import {constants} from 'node:crypto'
import {createSecureContext, type SecureContext} from 'node:tls'
import type {CertificateBinding, ClientValidationBinding} from '../gatewayapi/binding.js'
import {decodeSecretText} from '../gatewayapi/tls-secret.js'

export type ListenerCertificate = {context: SecureContext; problem?: undefined} | {context?: undefined; problem: string}

export class ListenerCertificates {
  private readonly cache = new Map<CertificateBinding, Map<ClientValidationBinding | undefined, ListenerCertificate>>()

  get(certificate: CertificateBinding | undefined, validation?: ClientValidationBinding): ListenerCertificate {
    if (certificate === undefined) return {problem: 'the listener has no usable certificateRef'}
    let byValidation = this.cache.get(certificate)
    if (byValidation === undefined) {
      byValidation = new Map()
      this.cache.set(certificate, byValidation)
    }
    let entry = byValidation.get(validation)
    if (entry === undefined) {
      entry = buildContext(certificate, validation)
      byValidation.set(validation, entry)
    }
    return entry
  }
}

function buildContext(certificate: CertificateBinding, validation: ClientValidationBinding | undefined): ListenerCertificate {
  const name = `Secret ${certificate.ref.namespace}/${certificate.ref.name}`
  const {secret} = certificate
  if (secret === undefined) {
    return {problem: certificate.source === undefined
      ? `${name} is not in the input: serve has no certificate to present`
      : `${name} would be issued by cert-manager Certificate ${certificate.source.meta.namespace}/${certificate.source.meta.name}; it is not in the input (gwctl certs create --for)`}
  }
  const cert = decodeSecretText(secret.data['tls.crt'] ?? '')
  const key = decodeSecretText(secret.data['tls.key'] ?? '')
  if (cert === undefined || key === undefined) return {problem: `${name} has no base64 tls.crt and tls.key`}
  if (validation !== undefined && validation.caCertificates.length === 0) return {problem: `${validation.source} has no valid CA certificate to verify clients with`}
  try {
    return {context: createSecureContext({cert, key, ca: validation?.caCertificates, secureOptions: constants.SSL_OP_NO_TICKET})}
  } catch (error) {
    return {problem: `${validation === undefined ? name : `${name} with the client CA of ${validation.source}`}: ${(error as Error).message}`}
  }
}
