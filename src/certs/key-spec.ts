/**
 * Key types gwctl generates and signs with, mapped to WebCrypto: ECDSA P-256
 * (default) / P-384 with SHA-256 / SHA-384, RSA 2048/3072/4096 with
 * RSASSA-PKCS1-v1_5 SHA-256, and Ed25519 (Node 20's WebCrypto supports it,
 * and @peculiar/x509 maps it to OID 1.3.101.112). Also imports an existing
 * Node KeyObject (an issuer key read from disk) into WebCrypto for signing.
 */
import type {KeyObject} from 'node:crypto'
import {UserError} from '../errors/user-error.js'

export type KeyType = 'ecdsa' | 'rsa' | 'ed25519'
export type EcCurve = 'P-256' | 'P-384'
export type RsaBits = 2048 | 3072 | 4096

export const KEY_TYPES: readonly KeyType[] = ['ecdsa', 'rsa', 'ed25519']
export const EC_CURVES: readonly EcCurve[] = ['P-256', 'P-384']
export const RSA_BITS: readonly RsaBits[] = [2048, 3072, 4096]

export interface KeySpec {
  type: KeyType
  /** ecdsa only; default P-256. */
  curve?: EcCurve
  /** rsa only; default 2048. */
  rsaBits?: RsaBits
}

const RSA_ALGORITHM = {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'}
const EC_HASH: Record<string, string> = {'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512'}
const NODE_CURVES: Record<string, string> = {prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521'}

export async function generateKeyPair(spec: KeySpec): Promise<CryptoKeyPair> {
  const usages: KeyUsage[] = ['sign', 'verify']
  if (spec.type === 'rsa') {
    const params = {...RSA_ALGORITHM, modulusLength: spec.rsaBits ?? 2048, publicExponent: new Uint8Array([1, 0, 1])}
    return crypto.subtle.generateKey(params, true, usages)
  }
  if (spec.type === 'ecdsa') return crypto.subtle.generateKey({name: 'ECDSA', namedCurve: spec.curve ?? 'P-256'}, true, usages)
  return crypto.subtle.generateKey({name: 'Ed25519'}, true, usages) as Promise<CryptoKeyPair>
}

/** Parameters for signing with `key`: the hash follows the curve for ECDSA. */
export function toSigningAlgorithm(key: CryptoKey): Algorithm | EcdsaParams {
  const algorithm = key.algorithm as EcKeyAlgorithm
  if (algorithm.name === 'ECDSA') return {name: 'ECDSA', hash: EC_HASH[algorithm.namedCurve] ?? 'SHA-256'}
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return RSA_ALGORITHM
  return {name: algorithm.name}
}

/** A private key read with node:crypto, as a WebCrypto signing key. */
export async function importSigningKey(key: KeyObject, file: string): Promise<CryptoKey> {
  const der = key.export({type: 'pkcs8', format: 'der'})
  const type = key.asymmetricKeyType
  let algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm
  if (type === 'rsa') algorithm = RSA_ALGORITHM
  else if (type === 'ec') {
    const curve = NODE_CURVES[key.asymmetricKeyDetails?.namedCurve ?? '']
    if (curve === undefined) throw new UserError('input', `unsupported EC curve ${key.asymmetricKeyDetails?.namedCurve}`, {file})
    algorithm = {name: 'ECDSA', namedCurve: curve}
  } else if (type === 'ed25519') algorithm = {name: 'Ed25519'}
  else throw new UserError('input', `unsupported issuer key type ${type} (use ECDSA, RSA or Ed25519)`, {file})
  return crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign'])
}
