/**
 * PEM text (RFC 7468): split a text into labelled DER blocks, and encode DER
 * as PEM with 64-character lines. Tolerates CRLF, text around blocks and
 * RFC 1421 headers; a block whose body is not base64 is an error naming it.
 */

export interface PemBlock {
  label: string
  der: Buffer
}

export class PemError extends Error {}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

export function splitPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = []
  for (const [, begin, rawBody, end] of text.matchAll(PEM_BLOCK)) {
    if (begin !== end) throw new PemError(`PEM block BEGIN ${begin} ends with END ${end}`)
    const body = rawBody.includes(':') ? rawBody.slice(rawBody.search(/\r?\n\r?\n/) + 1) : rawBody
    const compact = body.replace(/\s+/g, '')
    if (!BASE64.test(compact) || compact.length % 4 !== 0) throw new PemError(`PEM block ${begin} is not valid base64`)
    blocks.push({label: begin, der: Buffer.from(compact, 'base64')})
  }
  return blocks
}

export function encodePem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64')
  const lines = base64.match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

/**
 * Strict standard base64 as Kubernetes stores Secret `data` (whitespace is
 * not allowed by the API server, but line-wrapped values are tolerated here);
 * undefined when the value is not base64.
 */
export function decodeStrictBase64(value: string): Buffer | undefined {
  const compact = value.replace(/\s+/g, '')
  if (!BASE64.test(compact) || compact.length % 4 !== 0) return undefined
  return Buffer.from(compact, 'base64')
}
