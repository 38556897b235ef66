/**
 * Is a Secret usable as a listener certificate? (ListenerConditionResolvedRefs,
 * reason InvalidCertificateRef: "malformed"). The engine's own check is
 * structural and pure: `tls.crt` and `tls.key` present, valid base64, PEM
 * blocks whose DER is a well-formed ASN.1 SEQUENCE, at least one CERTIFICATE
 * and one private key. Deeper checks (key matches the certificate, expiry,
 * SANs) live in src/certs and may be injected through the engine options.
 * The check is a pure function of the two data values, so its result is
 * memoised by content: many Secrets holding one wildcard certificate, or
 * one Secret used by many listeners, are decoded once.
 */
import {decodeStrictBase64, PemError, splitPemBlocks, type PemBlock} from '../certs/pem.js'
import type {Secret} from '../model/types.js'

export type SecretShape =
  | {usable: true; certificatePem: string; keyPem: string}
  | {usable: false; message: string}

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'])

/** Decode base64 data of a Secret into text; undefined when it is not base64. */
export function decodeSecretText(value: string): string | undefined {
  return decodeStrictBase64(value)?.toString('utf8')
}

/** True when `der` is exactly one DER SEQUENCE (tag 0x30) with a consistent definite length. */
export function isWellFormedDerSequence(der: Uint8Array): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false
  let length = der[1]
  let offset = 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4 || der.length < 2 + count) return false
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + der[2 + i]
    offset = 2 + count
  }
  return offset + length === der.length
}

/** PEM blocks of a text whose DER is well formed, or an error message naming the bad block. */
function readPemBlocks(text: string): PemBlock[] | string {
  let blocks: PemBlock[]
  try {
    blocks = splitPemBlocks(text)
  } catch (error) {
    if (error instanceof PemError) return error.message
    throw error
  }
  const bad = blocks.find((block) => !isWellFormedDerSequence(block.der))
  return bad === undefined ? blocks : `PEM block ${bad.label} does not hold well-formed DER`
}

/** Distinct (tls.crt, tls.key) contents remembered; the memo starts afresh beyond this. */
const MAX_MEMO_ENTRIES = 512
const shapeMemo = new Map<string, Map<string, SecretShape>>()
let memoEntries = 0

/** Structural check of a kubernetes.io/tls Secret's `tls.crt` and `tls.key` (results are shared: do not mutate). */
export function inspectSecretShape(secret: Secret): SecretShape {
  const crt = secret.data['tls.crt']
  const key = secret.data['tls.key']
  if (crt === undefined || key === undefined) return inspectDataValues(crt, key)
  let byKey = shapeMemo.get(crt)
  const known = byKey?.get(key)
  if (known !== undefined) return known
  if (memoEntries >= MAX_MEMO_ENTRIES) {
    shapeMemo.clear()
    memoEntries = 0
    byKey = undefined
  }
  const shape = inspectDataValues(crt, key)
  if (byKey === undefined) shapeMemo.set(crt, new Map([[key, shape]]))
  else byKey.set(key, shape)
  memoEntries++
  return shape
}

function inspectDataValues(crt: string | undefined, key: string | undefined): SecretShape {
  if (crt === undefined || key === undefined) {
    const missing = [crt === undefined ? 'tls.crt' : '', key === undefined ? 'tls.key' : ''].filter(Boolean)
    return {usable: false, message: `has no ${missing.join(' or ')}`}
  }
  const certificatePem = decodeSecretText(crt)
  if (certificatePem === undefined) return {usable: false, message: 'tls.crt is not valid base64'}
  const keyPem = decodeSecretText(key)
  if (keyPem === undefined) return {usable: false, message: 'tls.key is not valid base64'}
  const certificates = readPemBlocks(certificatePem)
  if (typeof certificates === 'string') return {usable: false, message: `tls.crt: ${certificates}`}
  if (!certificates.some((block) => block.label === 'CERTIFICATE')) return {usable: false, message: 'tls.crt holds no PEM CERTIFICATE'}
  if (certificates.some((block) => block.label !== 'CERTIFICATE')) {
    return {usable: false, message: `tls.crt holds a ${certificates.find((block) => block.label !== 'CERTIFICATE')?.label} block`}
  }
  const keys = readPemBlocks(keyPem)
  if (typeof keys === 'string') return {usable: false, message: `tls.key: ${keys}`}
  const privateKeys = keys.filter((block) => KEY_LABELS.has(block.label))
  if (privateKeys.length !== 1) return {usable: false, message: privateKeys.length === 0 ? 'tls.key holds no PEM private key' : 'tls.key holds more than one private key'}
  return {usable: true, certificatePem, keyPem}
}
