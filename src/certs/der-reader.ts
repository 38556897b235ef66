/**
 * A minimal DER reader: just enough ASN.1 walking to pull the fields Node's
 * synchronous `crypto.X509Certificate` does not expose (signature algorithm,
 * subjectAltName entries, key identifiers). Throws `DerError` on malformed
 * input; callers turn that into a finding or a user error.
 */

export class DerError extends Error {}

export interface DerNode {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  tag: number
  /** Offset of the first content octet in `bytes`. */
  start: number
  /** Offset just after the last content octet. */
  end: number
  bytes: Uint8Array
}

/** Read the TLV starting at `offset`; only single-octet tags and definite lengths (DER). */
export function readDerNode(bytes: Uint8Array, offset = 0): DerNode {
  if (offset + 2 > bytes.length) throw new DerError('truncated DER header')
  const tag = bytes[offset]
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-octet DER tags are not supported')
  let length = bytes[offset + 1]
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4) throw new DerError('indefinite or oversized DER length')
    if (start + count > bytes.length) throw new DerError('truncated DER length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]
    start += count
  }
  const end = start + length
  if (end > bytes.length) throw new DerError('DER content runs past the end of its container')
  return {tag, start, end, bytes}
}

/** The children of a constructed node, in order. */
export function readDerChildren(node: DerNode): DerNode[] {
  const children: DerNode[] = []
  let offset = node.start
  while (offset < node.end) {
    const child = readDerNode(node.bytes, offset)
    if (child.end > node.end) throw new DerError('DER child runs past its parent')
    children.push(child)
    offset = child.end
  }
  return children
}

export function readDerContent(node: DerNode): Uint8Array {
  return node.bytes.subarray(node.start, node.end)
}

/** Dotted text of an OBJECT IDENTIFIER node. */
export function readDerOid(node: DerNode): string {
  if (node.tag !== 0x06) throw new DerError('expected an OBJECT IDENTIFIER')
  const content = readDerContent(node)
  if (content.length === 0) throw new DerError('empty OBJECT IDENTIFIER')
  const arcs: number[] = []
  let value = 0
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f)
    if (!(byte & 0x80)) {
      arcs.push(value)
      value = 0
    }
  }
  const first = arcs.shift() ?? 0
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
  return [...head, ...arcs].join('.')
}
