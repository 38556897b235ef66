/**
 * Bytes read from a file or stdin to text: UTF-8 only (with or without a
 * byte order mark, which is dropped). NUL bytes, invalid UTF-8 and UTF-16 or
 * UTF-32 byte order marks make the input binary: an `input-binary` finding
 * at the first offending byte, and no text.
 */
import type {Finding} from '../findings/finding.js'
import {createInputFinding} from './input-rules.js'
import {createLineIndex} from './line-index.js'

export type DecodedText = {text: string; finding?: undefined} | {text?: undefined; finding: Finding}

const UTF8_BOM = '\uFEFF'

export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  const wideEncoding = detectWideEncoding(bytes)
  if (wideEncoding) {
    return {finding: createInputFinding('input-binary',
      `file is ${wideEncoding} encoded; save it as UTF-8`, file, {line: 1, column: 1})}
  }
  const nul = bytes.indexOf(0)
  let text: string | undefined
  try {
    text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(bytes)
  } catch {
    const invalid = findInvalidUtf8(bytes)
    if (nul === -1 || invalid < nul) return {finding: findingAt(bytes, invalid, file, 'file is not valid UTF-8 text')}
  }
  if (nul !== -1 || text === undefined) return {finding: findingAt(bytes, nul, file, 'file contains NUL bytes: not a text file')}
  return {text: text.startsWith(UTF8_BOM) ? text.slice(1) : text}
}

function detectWideEncoding(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = bytes
  if (b0 === 0xFF && b1 === 0xFE && b2 === 0 && b3 === 0) return 'UTF-32'
  if (b0 === 0 && b1 === 0 && b2 === 0xFE && b3 === 0xFF) return 'UTF-32'
  if ((b0 === 0xFF && b1 === 0xFE) || (b0 === 0xFE && b1 === 0xFF)) return 'UTF-16'
  return undefined
}

/** The finding at byte `offset`, with line and column counted in the text before it. */
function findingAt(bytes: Uint8Array, offset: number, file: string, message: string): Finding {
  const before = new TextDecoder('utf-8', {ignoreBOM: false}).decode(bytes.subarray(0, offset))
  const position = createLineIndex(before)(before.length)
  return createInputFinding('input-binary', `${message} (byte ${offset + 1})`, file, position)
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function findInvalidUtf8(bytes: Uint8Array): number {
  let index = 0
  while (index < bytes.length) {
    const length = readUtf8Sequence(bytes, index)
    if (length === 0) return index
    index += length
  }
  return bytes.length
}

/** Length of the valid UTF-8 sequence at `index`, 0 when there is none. */
function readUtf8Sequence(bytes: Uint8Array, index: number): number {
  const first = bytes[index]
  if (first < 0x80) return 1
  let length: number
  let min: number
  if (first >= 0xC2 && first <= 0xDF) [length, min] = [2, 0x80]
  else if (first >= 0xE0 && first <= 0xEF) [length, min] = [3, 0x800]
  else if (first >= 0xF0 && first <= 0xF4) [length, min] = [4, 0x10000]
  else return 0
  let codePoint = first & (0xFF >> (length + 1))
  for (let next = 1; next < length; next++) {
    const byte = bytes[index + next]
    if (byte === undefined || (byte & 0xC0) !== 0x80) return 0
    codePoint = (codePoint << 6) | (byte & 0x3F)
  }
  if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) return 0
  return length
}
