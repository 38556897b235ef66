/**
 * The TLS server side of Terminate listeners: a SecureContext per Secret the
 * engine chose (Decision.certificate) and client-certificate validation
 * (Decision.clientValidation: its CA bundle is the context's trust store),
 * built once per configuration. A Secret that is absent from the input, or
 * whose pair Node's TLS stack refuses, gives a problem instead, reported at
 * start and on each connection.
 * TLS session resumption as gateways offer it: session tickets (TLS 1.2
 * tickets, TLS 1.3 PSK tickets) encrypted with one random key set per
 * configuration generation, so keys rotate on every reload (as nginx's, made
 * at each configuration load): a ticket issued under the old certificates or
 * client-certificate settings cannot skip the checks of the new ones. Each
 * context has a session ID context naming its certificate and client
 * validation (CA bundle and mode), and OpenSSL resumes a session only in a
 * context with the same one: a session resumed under another SNI is accepted
 * only where the same certificate and validation apply (the connection is
 * routed by its new SNI, read from its ClientHello), and a session made
 * without a client certificate never resumes on a listener that requires
 * one. `sessionTickets: false` issues none: every handshake is full.
 */
import {constants, createHash, randomBytes} from 'node:crypto'
import {createSecureContext, type SecureContext} from 'node:tls'
import type {CertificateBinding, ClientValidationBinding} from '../gatewayapi/binding.js'
import {decodeSecretText} from '../gatewayapi/tls-secret.js'

export type ListenerCertificate = {context: SecureContext; problem?: undefined} | {context?: undefined; problem: string}

export interface ListenerCertificateOptions {
  /** Issue session tickets (default true). */
  sessionTickets?: boolean
}

/** Bytes of a ticket key set: name, HMAC secret and AES key (Node's ticketKeys). */
const TICKET_KEYS_BYTES = 48

export class ListenerCertificates {
  private readonly cache = new Map<CertificateBinding, Map<ClientValidationBinding | undefined, ListenerCertificate>>()
  private readonly ticketKeys: Buffer | undefined

  constructor(options: ListenerCertificateOptions = {}) {
    this.ticketKeys = options.sessionTickets === false ? undefined : randomBytes(TICKET_KEYS_BYTES)
  }

  get(certificate: CertificateBinding | undefined, validation?: ClientValidationBinding): ListenerCertificate {
    if (certificate === undefined) return {problem: 'the listener has no usable certificateRef'}
    let byValidation = this.cache.get(certificate)
    if (byValidation === undefined) {
      byValidation = new Map()
      this.cache.set(certificate, byValidation)
    }
    let entry = byValidation.get(validation)
    if (entry === undefined) {
      entry = buildContext(certificate, validation, this.ticketKeys)
      byValidation.set(validation, entry)
    }
    return entry
  }
}

function buildContext(certificate: CertificateBinding, validation: ClientValidationBinding | undefined, ticketKeys: Buffer | undefined): ListenerCertificate {
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
    const sessionIdContext = createHash('sha256').update(JSON.stringify([cert, validation?.mode ?? null, validation?.caCertificates ?? null])).digest('hex').slice(0, 32)
    return {context: ticketKeys === undefined
      ? createSecureContext({cert, key, ca: validation?.caCertificates, sessionIdContext, secureOptions: constants.SSL_OP_NO_TICKET})
      : createSecureContext({cert, key, ca: validation?.caCertificates, sessionIdContext, ticketKeys})}
  } catch (error) {
    return {problem: `${validation === undefined ? name : `${name} with the client CA of ${validation.source}`}: ${(error as Error).message}`}
  }
}
