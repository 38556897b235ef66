/**
 * Private keys in PEM: PKCS#8 (`PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) and
 * PKCS#1 (`RSA PRIVATE KEY`), parsed synchronously with Node's crypto.
 * Encrypted keys are recognised and refused (Kubernetes TLS Secrets and TLS
 * servers need them in the clear). Also: does a key match a certificate?
 */
import {createPrivateKey, createPublicKey, type KeyObject} from 'node:crypto'
import type {PemBlock} from './pem.js'

export class PrivateKeyError extends Error {}

const KEY_TYPES: Record<string, 'pkcs8' | 'sec1' | 'pkcs1'> = {
  'PRIVATE KEY': 'pkcs8',
  'EC PRIVATE KEY': 'sec1',
  'RSA PRIVATE KEY': 'pkcs1',
}

export function isPrivateKeyLabel(label: string): boolean {
  return label in KEY_TYPES || label === 'ENCRYPTED PRIVATE KEY'
}

/** The key of one PEM block; throws `PrivateKeyError` naming what is wrong. */
export function readPrivateKey(block: PemBlock): KeyObject {
  if (block.label === 'ENCRYPTED PRIVATE KEY') throw new PrivateKeyError('the private key is encrypted; an unencrypted key is needed')
  const type = KEY_TYPES[block.label]
  if (type === undefined) throw new PrivateKeyError(`PEM block ${block.label} is not a private key`)
  try {
    return createPrivateKey({key: block.der, format: 'der', type})
  } catch (error) {
    throw new PrivateKeyError(`the ${block.label} block does not hold a valid key (${(error as Error).message})`)
  }
}

/** SubjectPublicKeyInfo DER of a public or private key. */
export function exportSpki(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key
  return publicKey.export({type: 'spki', format: 'der'})
}

/** True when the private key is the counterpart of the public key. */
export function keyMatchesPublicKey(privateKey: KeyObject, publicKey: KeyObject): boolean {
  return exportSpki(privateKey).equals(exportSpki(publicKey))
}
