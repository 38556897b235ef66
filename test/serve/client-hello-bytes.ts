/**
 * Test helpers for ClientHello bytes: the captured fixtures, re-splitting a
 * hello into several TLS records, and a synthetic hello with any SNI.
 */
import {readFileSync} from 'node:fs'

export function readFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures-bytes/${name}`, import.meta.url))
}

/** The same handshake message carried in records of at most `size` fragment bytes. */
export function splitIntoRecords(hello: Buffer, size: number): Buffer {
  const version = hello.subarray(1, 3)
  const message = hello.subarray(5, 5 + hello.readUInt16BE(3))
  const records: Buffer[] = []
  for (let at = 0; at < message.length; at += size) {
    const fragment = message.subarray(at, at + size)
    const header = Buffer.alloc(5)
    header[0] = 22
    version.copy(header, 1)
    header.writeUInt16BE(fragment.length, 3)
    records.push(header, fragment)
  }
  return Buffer.concat(records)
}

function vector(lengthSize: 1 | 2 | 3, body: Buffer): Buffer {
  const head = Buffer.alloc(lengthSize)
  head.writeUIntBE(body.length, 0, lengthSize)
  return Buffer.concat([head, body])
}

function extension(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(2)
  head.writeUInt16BE(type)
  return Buffer.concat([head, vector(2, data)])
}

/** A minimal TLS 1.2-style ClientHello with the given raw SNI bytes, ALPN and padding extension. */
export function buildClientHello(options: {sni?: Buffer | string; alpn?: string[]; padding?: number} = {}): Buffer {
  const extensions: Buffer[] = []
  if (options.sni !== undefined) {
    const name = typeof options.sni === 'string' ? Buffer.from(options.sni, 'latin1') : options.sni
    extensions.push(extension(0, vector(2, Buffer.concat([Buffer.of(0), vector(2, name)]))))
  }
  if (options.alpn !== undefined) {
    extensions.push(extension(16, vector(2, Buffer.concat(options.alpn.map((protocol) => vector(1, Buffer.from(protocol)))))))
  }
  if (options.padding !== undefined) extensions.push(extension(21, Buffer.alloc(options.padding)))
  const body = Buffer.concat([
    Buffer.of(3, 3), Buffer.alloc(32, 7), vector(1, Buffer.alloc(0)), vector(2, Buffer.of(0x13, 0x01)), vector(1, Buffer.of(0)),
    vector(2, Buffer.concat(extensions)),
  ])
  const message = Buffer.concat([Buffer.of(1), vector(3, body)])
  const records: Buffer[] = []
  for (let at = 0; at < message.length; at += 16_384) {
    const fragment = message.subarray(at, at + 16_384)
    records.push(Buffer.of(22, 3, 1), vector(2, fragment))
  }
  return Buffer.concat(records)
}
