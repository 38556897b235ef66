/**
 * The one way gwctl reads a value of a Secret: `stringData` (plain text,
 * which the API server merges over `data`) wins, else `data` decoded as
 * strict base64 (src/certs/pem.ts). Lint's checks, `certs inspect` and
 * resolve's certificate summary all read through here, so they cannot
 * disagree about what a Secret holds.
 */
import {decodeStrictBase64} from './pem.js'

/** A Secret as written (data base64, stringData plain) or as the model holds it (data only). */
export interface SecretContent {
  type?: string
  data?: Record<string, unknown>
  stringData?: Record<string, unknown>
}

export interface SecretValue {
  /** Identity for caches: where the value came from plus its raw text. */
  source: string
  /** The text, or undefined when `data` held invalid base64 or a non-string. */
  text?: string
  /** Why there is no text. */
  fault?: string
}

/** The value under `key`, or undefined when the Secret has none. */
export function readSecretValue(secret: SecretContent, key: string): SecretValue | undefined {
  const plain = secret.stringData?.[key]
  if (plain !== undefined && plain !== null) {
    return typeof plain === 'string' ? {source: `s:${plain}`, text: plain} : {source: 's?', fault: `stringData.${key} is not a string`}
  }
  const encoded = secret.data?.[key]
  if (encoded === undefined || encoded === null) return undefined
  if (typeof encoded !== 'string') return {source: 'd?', fault: `data.${key} is not a string`}
  const bytes = decodeStrictBase64(encoded)
  if (bytes === undefined) return {source: `d:${encoded}`, fault: `${key} is not valid base64`}
  return {source: `d:${encoded}`, text: bytes.toString('utf8')}
}
