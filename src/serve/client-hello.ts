/**
 * ClientHello parser: bytes a client sent first → its SNI and ALPN offers.
 * Pure (no sockets, no clock). The handshake message may be split across
 * several TLS records, and the records across any number of reads: call it
 * again with more bytes while it answers `incomplete`. It never throws; a
 * stream that is not TLS, a malformed message, a hello larger than the limit
 * and an SNI that is not a DNS name are typed errors.
 *
 * Wire format: RFC 8446 §5.1 (records), §4.1.2 (ClientHello); RFC 6066 §3
 * (server_name); RFC 7301 §3.1 (ALPN).
 */

export interface ClientHello {
  /** server_name host_name, lower-cased; '' when the client sent none. */
  sni: string
  /** ALPN protocols offered, in client order; empty when none. */
  alpn: string[]
  /** legacy_version of the record layer of the first record (e.g. 0x0301). */
  recordVersion: number
}

export type ClientHelloErrorCode = 'not-tls' | 'malformed' | 'too-large' | 'invalid-sni'

export type ClientHelloParse =
  | {status: 'complete'; hello: ClientHello}
  | {status: 'incomplete'}
  | {status: 'error'; code: ClientHelloErrorCode; message: string}

const RECORD_HEADER = 5
const CONTENT_HANDSHAKE = 22
const HANDSHAKE_CLIENT_HELLO = 1
const EXTENSION_SERVER_NAME = 0
const EXTENSION_ALPN = 16
/** A DNS name as SNI carries it: LDH labels (underscore tolerated), dots between them. */
const SNI_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/

function fail(code: ClientHelloErrorCode, message: string): ClientHelloParse {
  return {status: 'error', code, message}
}

/**
 * Parse the ClientHello at the start of `bytes` (everything the client has
 * sent so far). `maxBytes` bounds the record bytes it will wait for.
 */
export function parseClientHello(bytes: Uint8Array, maxBytes: number): ClientHelloParse {
  if (bytes.length === 0) return {status: 'incomplete'}
  if (bytes[0] !== CONTENT_HANDSHAKE) return fail('not-tls', `first byte 0x${bytes[0].toString(16).padStart(2, '0')} is not a TLS handshake record`)
  if (bytes.length >= 2 && bytes[1] !== 3) return fail('not-tls', `record version major ${bytes[1]} is not 3`)
  // Gather the handshake fragments of consecutive records until the message is whole.
  const fragments: Uint8Array[] = []
  let gathered = 0
  let offset = 0
  let messageLength = -1
  while (messageLength === -1 || gathered < messageLength) {
    if (bytes.length < offset + RECORD_HEADER) return offset + RECORD_HEADER > maxBytes ? tooLarge(maxBytes) : {status: 'incomplete'}
    if (bytes[offset] !== CONTENT_HANDSHAKE) return fail('malformed', `record at byte ${offset} has content type ${bytes[offset]} before the ClientHello ended`)
    if (bytes[offset + 1] !== 3) return fail('malformed', `record at byte ${offset} has version major ${bytes[offset + 1]}`)
    const length = (bytes[offset + 3] << 8) | bytes[offset + 4]
    if (length === 0) return fail('malformed', `empty handshake record at byte ${offset}`)
    if (offset + RECORD_HEADER + length > maxBytes) return tooLarge(maxBytes)
    if (bytes.length < offset + RECORD_HEADER + length) return {status: 'incomplete'}
    const fragment = bytes.subarray(offset + RECORD_HEADER, offset + RECORD_HEADER + length)
    fragments.push(fragment)
    gathered += fragment.length
    offset += RECORD_HEADER + length
    if (messageLength === -1 && gathered >= 4) {
      const head = concat(fragments, 4)
      if (head[0] !== HANDSHAKE_CLIENT_HELLO) return fail('malformed', `first handshake message has type ${head[0]}, not ClientHello (1)`)
      messageLength = 4 + ((head[1] << 16) | (head[2] << 8) | head[3])
      if (messageLength > maxBytes) return tooLarge(maxBytes)
    }
  }
  const message = concat(fragments, messageLength)
  return readClientHelloBody(message.subarray(4), (bytes[1] << 8) | bytes[2])
}

function tooLarge(maxBytes: number): ClientHelloParse {
  return fail('too-large', `ClientHello exceeds the ${maxBytes}-byte limit`)
}

function concat(fragments: readonly Uint8Array[], length: number): Uint8Array {
  if (fragments[0].length >= length) return fragments[0].subarray(0, length)
  const out = new Uint8Array(length)
  let at = 0
  for (const fragment of fragments) {
    const take = Math.min(fragment.length, length - at)
    out.set(fragment.subarray(0, take), at)
    at += take
    if (at === length) break
  }
  return out
}

/** A bounds-checked reader over one byte range; `undefined` means "ran past the end". */
class ByteReader {
  constructor(private readonly bytes: Uint8Array, private offset = 0, private readonly end = bytes.length) {}

  get remaining(): number {
    return this.end - this.offset
  }

  readUint(size: 1 | 2 | 3): number | undefined {
    if (this.remaining < size) return undefined
    let value = 0
    for (let i = 0; i < size; i++) value = (value << 8) | this.bytes[this.offset + i]
    this.offset += size
    return value
  }

  /** A sub-reader over the next `length` bytes (a length-prefixed vector). */
  readVector(lengthSize: 1 | 2): ByteReader | undefined {
    const length = this.readUint(lengthSize)
    if (length === undefined || this.remaining < length) return undefined
    const vector = new ByteReader(this.bytes, this.offset, this.offset + length)
    this.offset += length
    return vector
  }

  skip(length: number): boolean {
    if (this.remaining < length) return false
    this.offset += length
    return true
  }

  readBytes(length: number): Uint8Array | undefined {
    if (this.remaining < length) return undefined
    const out = this.bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return out
  }
}

function readClientHelloBody(body: Uint8Array, recordVersion: number): ClientHelloParse {
  const reader = new ByteReader(body)
  // legacy_version, random, legacy_session_id, cipher_suites, legacy_compression_methods
  if (!reader.skip(2 + 32) || reader.readVector(1) === undefined || reader.readVector(2) === undefined || reader.readVector(1) === undefined) {
    return fail('malformed', 'ClientHello ends before its extensions')
  }
  const hello: ClientHello = {sni: '', alpn: [], recordVersion}
  if (reader.remaining === 0) return {status: 'complete', hello}
  const extensions = reader.readVector(2)
  if (extensions === undefined) return fail('malformed', 'extensions length runs past the ClientHello')
  while (extensions.remaining > 0) {
    const type = extensions.readUint(2)
    const data = extensions.readVector(2)
    if (type === undefined || data === undefined) return fail('malformed', 'an extension runs past the ClientHello')
    if (type === EXTENSION_SERVER_NAME) {
      const sni = readServerName(data)
      if (typeof sni !== 'string') return sni
      hello.sni = sni
    } else if (type === EXTENSION_ALPN) {
      const alpn = readAlpn(data)
      if (alpn === undefined) return fail('malformed', 'malformed ALPN extension')
      hello.alpn = alpn
    }
  }
  return {status: 'complete', hello}
}

/** RFC 6066 §3: ServerNameList; the first host_name entry counts. */
function readServerName(data: ByteReader): string | ClientHelloParse {
  const list = data.readVector(2)
  if (list === undefined) return fail('malformed', 'malformed server_name extension')
  while (list.remaining > 0) {
    const nameType = list.readUint(1)
    const name = list.readVector(2)
    if (nameType === undefined || name === undefined) return fail('malformed', 'malformed server_name entry')
    if (nameType !== 0) continue
    const text = decodeLatin1(name.readBytes(name.remaining)!)
    const lower = text.toLowerCase().replace(/\.$/, '')
    if (!SNI_NAME.test(lower)) return fail('invalid-sni', `SNI ${JSON.stringify(text)} is not a DNS name`)
    return lower
  }
  return ''
}

/** RFC 7301 §3.1: ProtocolNameList of non-empty opaque names. */
function readAlpn(data: ByteReader): string[] | undefined {
  const list = data.readVector(2)
  if (list === undefined) return undefined
  const protocols: string[] = []
  while (list.remaining > 0) {
    const name = list.readVector(1)
    if (name === undefined || name.remaining === 0) return undefined
    protocols.push(decodeLatin1(name.readBytes(name.remaining)!))
  }
  return protocols
}

function decodeLatin1(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return text
}
