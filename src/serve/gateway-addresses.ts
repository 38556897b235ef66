/**
 * Which local address each Gateway's sockets bind to, so that Gateways whose
 * listeners share a port are served side by side, each on its own loopback
 * address. For each Gateway, first match wins:
 *   1. `--address NAMESPACE/NAME=ADDRESS` naming it;
 *   2. a bare `--address ADDRESS` (every Gateway not named: they share it,
 *      which works only while no two of them have a listener on one port);
 *   3. its `spec.addresses` entries of type IPAddress that are loopback
 *      addresses (127.0.0.0/8, ::1): it is bound on each of them;
 *   4. otherwise 127.0.0.N, N = 1, 2, ... handed out in namespace/name order,
 *      skipping every address taken by steps 1-3 (so a lone Gateway keeps
 *      127.0.0.1, and the answer is stable from one run to the next).
 * IPv6 has a single loopback address (::1/128), so it cannot give Gateways
 * sharing a port addresses of their own; 127.0.0.0/8 is a whole /8 on Linux.
 * Pure.
 */
import {isIP} from 'node:net'
import type {GatewayBinding} from '../gatewayapi/binding.js'
import {UserError} from '../errors/user-error.js'
import {suggestName} from '../errors/suggest-name.js'

export interface AddressOptions {
  /** A bare `--address ADDRESS`: every Gateway not named in `byGateway`. */
  all?: string
  /** `--address NAMESPACE/NAME=ADDRESS`, keyed by `namespace/name`. */
  byGateway: ReadonlyMap<string, string>
}

export type AddressSource = '--address' | 'spec.addresses' | 'assigned'

export interface GatewayAddresses {
  gateway: GatewayBinding
  /** Where its sockets bind (several when spec.addresses lists several loopback addresses). */
  addresses: string[]
  source: AddressSource
}

export interface AddressAssignment {
  byGateway: Map<GatewayBinding, GatewayAddresses>
  /** spec.addresses entries that could not be used locally, with what was used instead. */
  notes: string[]
}

export function formatGatewayName(gateway: GatewayBinding): string {
  return `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}`
}

/** True for 127.0.0.0/8 and ::1 (in any IPv6 spelling, IPv4-mapped included). */
export function isLoopbackAddress(address: string): boolean {
  const version = isIP(address)
  if (version === 4) return address.split('.')[0] === '127'
  if (version !== 6) return false
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped !== null) return isLoopbackAddress(mapped[1])
  return expandIpv6(address) === '0000:0000:0000:0000:0000:0000:0000:0001'
}

function expandIpv6(address: string): string {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined]
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = tail === undefined ? [] : Array.from({length: 8 - left.length - right.length}, () => '0')
  return [...left, ...zeros, ...right].map((group) => group.padStart(4, '0').toLowerCase()).join(':')
}

/**
 * Assign addresses to `served` (the Gateways serve considers, already
 * narrowed by --gateway); `all` are every Gateway of the input, against
 * which `--address NAMESPACE/NAME=` is checked for typos.
 */
export function assignGatewayAddresses(served: readonly GatewayBinding[], all: readonly GatewayBinding[], options: AddressOptions): AddressAssignment {
  const known = new Set(all.map(formatGatewayName))
  for (const name of options.byGateway.keys()) {
    if (known.has(name)) continue
    const suggestion = suggestName(name, known)
    throw new UserError('usage', `--address ${name}=${options.byGateway.get(name)}: no Gateway ${name} in the input${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
      {hint: known.size === 0 ? undefined : `Gateways: ${[...known].sort().join(', ')}`})
  }
  const ordered = [...served].sort((a, b) => formatGatewayName(a).localeCompare(formatGatewayName(b)))
  const byGateway = new Map<GatewayBinding, GatewayAddresses>()
  const notes: string[] = []
  const taken = new Set<string>()
  const pending: GatewayBinding[] = []
  for (const gateway of ordered) {
    const name = formatGatewayName(gateway)
    const flagged = options.byGateway.get(name) ?? options.all
    if (flagged !== undefined) {
      byGateway.set(gateway, {gateway, addresses: [flagged], source: '--address'})
      taken.add(flagged)
      continue
    }
    const specified = gateway.gateway.addresses.filter((entry) => entry.type === '' || entry.type === 'IPAddress')
    const loopback = [...new Set(specified.map((entry) => entry.value ?? '').filter(isLoopbackAddress))]
    const unusable = gateway.gateway.addresses.filter((entry) => !loopback.includes(entry.value ?? ''))
    if (loopback.length > 0) {
      byGateway.set(gateway, {gateway, addresses: loopback, source: 'spec.addresses'})
      for (const address of loopback) taken.add(address)
    } else {
      pending.push(gateway)
    }
    if (unusable.length > 0) {
      const listed = unusable.map((entry) => `${entry.value ?? '(no value)'}${entry.type === '' || entry.type === 'IPAddress' ? '' : ` (${entry.type})`}`).join(', ')
      notes.push(`Gateway ${name}: spec.addresses ${listed} ${unusable.length === 1 ? 'is not a loopback IP address' : 'are not loopback IP addresses'}, so gwctl serve does not bind ${unusable.length === 1 ? 'it' : 'them'}`
        + (loopback.length > 0 ? '' : ' (it gets a 127.0.0.N address of its own)'))
    }
  }
  let next = 1
  for (const gateway of pending) {
    let address: string
    do {
      if (next > 0x00ff_fffe) throw new UserError('usage', 'more Gateways than addresses in 127.0.0.0/8')
      address = formatIpv4(0x7f00_0000 + next++)
    } while (taken.has(address))
    taken.add(address)
    byGateway.set(gateway, {gateway, addresses: [address], source: 'assigned'})
  }
  return {byGateway, notes}
}

function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.')
}

/**
 * The error for two Gateways given one address (only `--address` or
 * `spec.addresses` can do that) while both have a listener on `port`.
 */
export function describeSharedAddress(address: string, port: number, one: GatewayAddresses, other: GatewayAddresses): UserError {
  const [first, second] = [one, other].sort((a, b) => formatGatewayName(a.gateway).localeCompare(formatGatewayName(b.gateway)))
  const names = `${formatGatewayName(first.gateway)} and ${formatGatewayName(second.gateway)}`
  const because = first.source === '--address' && second.source === '--address' ? `--address puts both on ${address}` : `both are bound on ${address} (${first.source === second.source ? first.source : `${first.source}, ${second.source}`})`
  const ipv6 = isIP(address) === 6 && isLoopbackAddress(address)
    ? '; ::1 is the only IPv6 loopback address, so over IPv6 Gateways sharing a port cannot each have their own'
    : ''
  return new UserError('usage', `Gateways ${names} both have listeners on port ${port} and ${because}: one socket cannot serve two Gateways${ipv6}`, {
    hint: 'drop --address so that each Gateway gets its own 127.0.0.N, give each its own with --address NAMESPACE/NAME=ADDRESS, or serve one with --gateway',
  })
}
