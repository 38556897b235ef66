/**
 * The TLS server side of Terminate listeners: a SecureContext per Secret the
 * engine chose (Decision.certificate), built once per configuration. A
 * Secret that is absent from the input, or whose pair Node's TLS stack
 * refuses, gives a problem instead, reported at start and on each connection.
 * No session tickets: every connection makes a full handshake, which is what
 * a smoke test of certificates should exercise.
 */
import {constants} from 'node:crypto'
import {createSecureContext, type SecureContext} from 'node:tls'
import type {CertificateBinding} from '../gatewayapi/binding.js'
import {decodeSecretText} from '../gatewayapi/tls-secret.js'

export type ListenerCertificate = {context: SecureContext; problem?: undefined} | {context?: undefined; problem: string}

export class ListenerCertificates {
  private readonly cache = new Map<CertificateBinding, ListenerCertificate>()

  get(certificate: CertificateBinding | undefined): ListenerCertificate {
    if (certificate === undefined) return {problem: 'the listener has no usable certificateRef'}
    let entry = this.cache.get(certificate)
    if (entry === undefined) {
      entry = buildContext(certificate)
      this.cache.set(certificate, entry)
    }
    return entry
  }
}

function buildContext(certificate: CertificateBinding): ListenerCertificate {
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
  try {
    return {context: createSecureContext({cert, key, secureOptions: constants.SSL_OP_NO_TICKET})}
  } catch (error) {
    return {problem: `${name}: ${(error as Error).message}`}
  }
}
