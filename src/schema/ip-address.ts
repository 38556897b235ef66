/**
 * IP address parsing with the two Go behaviours the API server uses:
 * - strict (`net/netip.ParseAddr`): the Kubernetes CEL `isIP()` library;
 *   IPv4 fields without leading zeros, zones parsed (then refused by isIP),
 *   IPv4-mapped IPv6 refused by isIP;
 * - sloppy (`netutils.ParseIPSloppy`, Go's pre-1.17 `net.ParseIP`): the
 *   OpenAPI `ipv4`/`ipv6` string formats; leading zeros allowed, no zones.
 */

interface ParsedIp {
  /** 16 bytes; IPv4 addresses are stored IPv4-mapped. */
  bytes: number[]
  version: 4 | 6
  zone: string
}

function parseIpv4Fields(text: string, sloppy: boolean): number[] | undefined {
  const fields = text.split('.')
  if (fields.length !== 4) return undefined
  const out: number[] = []
  for (const field of fields) {
    if (!/^[0-9]+$/.test(field)) return undefined
    if (!sloppy && (field.length > 3 || (field.length > 1 && field[0] === '0'))) return undefined
    const value = Number.parseInt(field, 10)
    if (value > 255) return undefined
    out.push(value)
  }
  return out
}

function parseIpv6Bytes(text: string, sloppy: boolean): number[] | undefined {
  const bytes: number[] = []
  let ellipsis = -1
  let rest = text
  if (rest.startsWith('::')) {
    ellipsis = 0
    rest = rest.slice(2)
    if (rest === '') return new Array(16).fill(0)
  }
  while (bytes.length < 16) {
    const match = /^[0-9a-fA-F]+/.exec(rest)
    if (!match) return undefined
    const digits = match[0]
    if (rest[digits.length] === '.') {
      if (ellipsis < 0 && bytes.length !== 12) return undefined
      if (bytes.length > 12) return undefined
      const v4 = parseIpv4Fields(rest, sloppy)
      if (!v4) return undefined
      bytes.push(...v4)
      rest = ''
      break
    }
    if ((!sloppy && digits.length > 4) || Number.parseInt(digits, 16) > 0xffff) return undefined
    const value = Number.parseInt(digits, 16)
    bytes.push(value >> 8, value & 0xff)
    rest = rest.slice(digits.length)
    if (rest === '') break
    if (rest[0] !== ':' || rest.length === 1) return undefined
    rest = rest.slice(1)
    if (rest[0] === ':') {
      if (ellipsis >= 0) return undefined
      ellipsis = bytes.length
      rest = rest.slice(1)
      if (rest === '') break
    }
  }
  if (rest !== '') return undefined
  if (bytes.length < 16) {
    if (ellipsis < 0) return undefined
    const zeros = new Array(16 - bytes.length).fill(0)
    bytes.splice(ellipsis, 0, ...zeros)
  } else if (ellipsis >= 0) {
    return undefined
  }
  return bytes
}

function parseIp(text: string, sloppy: boolean): ParsedIp | undefined {
  if (text.includes(':')) {
    let address = text
    let zone = ''
    const percent = text.indexOf('%')
    if (percent >= 0) {
      if (sloppy) return undefined
      zone = text.slice(percent + 1)
      if (zone === '') return undefined
      address = text.slice(0, percent)
    }
    const bytes = parseIpv6Bytes(address, sloppy)
    return bytes ? {bytes, version: 6, zone} : undefined
  }
  const v4 = parseIpv4Fields(text, sloppy)
  return v4 ? {bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4], version: 4, zone: ''} : undefined
}

function isIpv4Mapped(ip: ParsedIp): boolean {
  return ip.version === 6 && ip.bytes.slice(0, 10).every((b) => b === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff
}

/** Kubernetes CEL `isIP(string)`: a valid IPv4 or IPv6 address, no zone, not IPv4-mapped IPv6. */
export function isIpAddress(text: string): boolean {
  const ip = parseIp(text, false)
  return ip !== undefined && ip.zone === '' && !isIpv4Mapped(ip)
}

/** OpenAPI `format: ipv4` as the API server checks it: parses as an IP and contains a dot. */
export function isIpv4Format(text: string): boolean {
  return text.includes('.') && parseIp(text, true) !== undefined
}

/** OpenAPI `format: ipv6` as the API server checks it: parses as an IP and contains a colon. */
export function isIpv6Format(text: string): boolean {
  return text.includes(':') && parseIp(text, true) !== undefined
}
