/**
 * Turn a backend the engine decided on into somewhere to connect: the local
 * address from the backend map, plus TLS settings when a BackendTLSPolicy
 * governs it (re-encryption: the policy's CA bundle, or the system roots for
 * wellKnownCACertificates: System; SNI = policy hostname; identity =
 * hostname, or subjectAltNames when set). Invalid backends — a policy that
 * cannot be honoured among them — and backends without a local address are
 * refusals with a reason: nothing governed by a policy is sent in plaintext.
 */
import {checkServerIdentity, type ConnectionOptions, type PeerCertificate} from 'node:tls'
import type {BackendTLSPolicyBinding} from '../gatewayapi/binding.js'
import type {DecidedBackend} from '../gatewayapi/decide.js'
import {formatBackendKey, type BackendAddress, type BackendMap} from './backend-map.js'

export interface BackendTarget {
  key: string
  address: BackendAddress
  /** Set when the backend is re-encrypted (BackendTLSPolicy). */
  tls?: ConnectionOptions
  /** Stable name of the TLS settings, for connection pools. */
  tlsKey?: string
}

export type BackendChoice =
  | {target: BackendTarget; refusal?: undefined}
  | {target?: undefined; refusal: 'invalid-backend' | 'unmapped-backend'; key: string; reason: string}

export class BackendTargets {
  private readonly tlsOptions = new Map<BackendTLSPolicyBinding, ConnectionOptions>()

  constructor(private readonly map: BackendMap) {}

  choose(backend: DecidedBackend): BackendChoice {
    const key = formatBackendKey(backend.namespace, backend.name, backend.port)
    if (!backend.valid) return {refusal: 'invalid-backend', key, reason: `backendRef ${key} is invalid: ${backend.why ?? 'unresolved'}`}
    const address = this.map.get(key)
    if (address === undefined) return {refusal: 'unmapped-backend', key, reason: `backend ${key} has no local address (--backend ${key}=HOST:PORT)`}
    const policy = backend.binding.tlsPolicy
    if (policy === undefined) return {target: {key, address}}
    if (policy.failure !== undefined) {
      const {meta} = policy.policy
      return {refusal: 'invalid-backend', key, reason: `BackendTLSPolicy ${meta.namespace}/${meta.name} cannot be honoured: ${policy.failure}`}
    }
    return {target: {key, address, tls: this.optionsFor(policy), tlsKey: `${policy.policy.meta.namespace}/${policy.policy.meta.name}`}}
  }

  private optionsFor(policy: BackendTLSPolicyBinding): ConnectionOptions {
    let options = this.tlsOptions.get(policy)
    if (options === undefined) {
      options = buildTlsOptions(policy)
      this.tlsOptions.set(policy, options)
    }
    return options
  }
}

/** BackendTLSPolicyValidation as client TLS options. */
export function buildTlsOptions(policy: BackendTLSPolicyBinding): ConnectionOptions {
  const {hostname, subjectAltNames} = policy.policy
  const ca = policy.caCertificates.length > 0 ? policy.caCertificates : undefined
  return {
    ca,
    servername: hostname,
    rejectUnauthorized: true,
    checkServerIdentity: subjectAltNames.length === 0
      ? (_host: string, cert: PeerCertificate) => checkServerIdentity(hostname, cert)
      : (_host: string, cert: PeerCertificate) => checkSubjectAltNames(subjectAltNames, cert),
  }
}

function checkSubjectAltNames(names: BackendTLSPolicyBinding['policy']['subjectAltNames'], cert: PeerCertificate): Error | undefined {
  const sans = (cert.subjectaltname ?? '').split(', ')
  for (const name of names) {
    if (name.type === 'Hostname' && name.hostname !== undefined && checkServerIdentity(name.hostname, cert) === undefined) return undefined
    if (name.type === 'URI' && name.uri !== undefined && sans.includes(`URI:${name.uri}`)) return undefined
  }
  return new Error(`backend certificate matches none of the policy's subjectAltNames (${names.map((name) => name.hostname ?? name.uri).join(', ')})`)
}
