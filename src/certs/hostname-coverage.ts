/**
 * Do a certificate's subjectAltNames cover the hostnames a listener serves?
 * DNS names use the certificate rule of src/gatewayapi/hostname.ts
 * (`certificateNameCovers`, RFC 6125 §6.4.3 / RFC 2818 §3.1): a
 * `*.example.com` SAN covers exactly one label (`a.example.com`), never
 * `a.b.example.com` nor `example.com`; a wildcard *hostname* `*.example.com`
 * is covered only by the SAN `*.example.com` itself (no SAN can cover the
 * deeper names it routes; lint's `wildcard-depth` reports those, and RFC 6125
 * has no broader wildcard). The CN is ignored, as current clients do. IP
 * hostnames compare with iPAddress SANs. The pseudo-hostname `*` (listener
 * without hostname) asks for nothing.
 */
import {isIP} from 'node:net'
import {certificateNameCovers} from '../gatewayapi/hostname.js'
import type {SubjectAltNames} from './certificate-fields.js'

/** The hostnames (in input order, without duplicates) that no SAN covers. */
export function findUncoveredHostnames(names: SubjectAltNames | null, hostnames: readonly string[]): string[] {
  const dns = names?.dns ?? []
  const ips = new Set((names?.ip ?? []).map(normalizeIp))
  const uncovered: string[] = []
  for (const hostname of hostnames) {
    if (hostname === '' || hostname === '*' || uncovered.includes(hostname)) continue
    const bare = hostname.replace(/^\[(.*)\]$/, '$1')
    const covered = isIP(bare) ? ips.has(normalizeIp(bare)) : dns.some((san) => certificateNameCovers(san, hostname))
    if (!covered) uncovered.push(hostname)
  }
  return uncovered
}

/** Canonical text of an IP address, so `::1` and `0:0:0:0:0:0:0:1` compare equal. */
export function normalizeIp(address: string): string {
  const version = isIP(address)
  if (version === 4) return address
  if (version !== 6) return address.toLowerCase()
  const bytes = parseIpv6(address)
  return bytes === undefined ? address.toLowerCase() : formatIpAddress(bytes)
}

function parseIpv6(address: string): Uint8Array | undefined {
  let text = address.toLowerCase()
  const v4 = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/)
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number)
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length
  const groups = [...headGroups, ...Array(zeros).fill('0'), ...tailGroups]
  if (groups.length !== 8) return undefined
  const bytes = new Uint8Array(16)
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16)
    bytes[i * 2] = value >> 8
    bytes[i * 2 + 1] = value & 0xff
  })
  return bytes
}

/** Text form of a 4- or 16-octet address; IPv6 with the longest zero run compressed (RFC 5952). */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.')
  if (bytes.length !== 16) return `invalid(${Buffer.from(bytes).toString('hex')})`
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(bytes[i] * 256 + bytes[i + 1])
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; i++) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i]
    i = j
  }
  const hex = groups.map((group) => group.toString(16))
  if (bestStart === -1) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}
