/**
 * Where a real gateway is reached, from `--target HOST[:PORT]` and
 * `--target-map NS/GATEWAY[:LISTENER_PORT]=HOST[:PORT]`. A HOST alone is
 * the gateway's address with every listener on its own port (a load
 * balancer); HOST:PORT reaches one listener port (a port-forward), so it is
 * refused for a Gateway with several listener ports unless the mapping names
 * the listener port. `--target-map` wins (port-specific entries over
 * gateway-wide ones); a single `--target` serves every Gateway it does not
 * map; several `--target` values are paired with the Gateways in the
 * manifests' order and must be as many. Pure.
 */
import {UserError} from '../../errors/user-error.js'
import type {GatewayRef} from './manifest-facts.js'

export interface TargetAddress {
  host: string
  /** Undefined: the listener port itself. */
  port?: number
}

export interface TargetMapping {
  gateway: GatewayRef
  listenerPort?: number
  address: TargetAddress
}

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*))(?::(\d{1,5}))?$/

function parsePort(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined
  const port = Number(text)
  return port >= 1 && port <= 65_535 ? port : null
}

/** `HOST`, `HOST:PORT`, `[IPv6]:PORT` or a bare IPv6 address. */
export function parseTargetAddress(value: string, flag = '--target'): TargetAddress {
  const text = value.trim()
  const bareIpv6 = text.split(':').length > 2 && !text.startsWith('[')
  const match = bareIpv6 ? [text, text, undefined, undefined] : HOST_PORT.exec(text)
  const port = parsePort(match?.[3])
  if (match === null || port === null || (match[1] ?? match[2] ?? '') === '') {
    throw new UserError('usage', `${flag} ${JSON.stringify(value)}: expected HOST or HOST:PORT, e.g. 203.0.113.7, gateway.example.com:443 or [2001:db8::7]:8443`)
  }
  return {host: match[1] ?? match[2]!, ...(port === undefined ? {} : {port})}
}

const MAPPING_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?::(\d{1,5}))?$/

/** One `--target-map NS/GATEWAY[:LISTENER_PORT]=HOST[:PORT]` value. */
export function parseTargetMapping(value: string): TargetMapping {
  const equals = value.indexOf('=')
  const key = equals === -1 ? null : MAPPING_KEY.exec(value.slice(0, equals).trim())
  const listenerPort = parsePort(key?.[5])
  if (key === null || listenerPort === null) {
    throw new UserError('usage', `--target-map ${JSON.stringify(value)}: expected NAMESPACE/GATEWAY=HOST[:PORT] or NAMESPACE/GATEWAY:LISTENER_PORT=HOST[:PORT]`, {hint: 'e.g. infra/public=203.0.113.7 or infra/public:443=127.0.0.1:8443'})
  }
  return {gateway: {namespace: key[1], name: key[3]}, ...(listenerPort === undefined ? {} : {listenerPort}), address: parseTargetAddress(value.slice(equals + 1), '--target-map')}
}

export interface GatewayPorts {
  gateway: GatewayRef
  ports: number[]
}

export type TargetResolver = (gateway: GatewayRef, listenerPort: number) => {host: string; port: number} | {notServed: string}

/** Check the flags against the manifests' Gateways (in input order) and answer where each listener port is reached. */
export function assignTargets(gateways: readonly GatewayPorts[], targets: readonly string[], targetMap: readonly string[]): TargetResolver {
  const name = (ref: GatewayRef) => `${ref.namespace}/${ref.name}`
  const mappings = targetMap.map(parseTargetMapping)
  for (const mapping of mappings) {
    const known = gateways.find((entry) => name(entry.gateway) === name(mapping.gateway))
    if (known === undefined) {
      throw new UserError('usage', `--target-map ${name(mapping.gateway)}: no such Gateway in the manifests (they hold ${gateways.map((entry) => name(entry.gateway)).join(', ') || 'none'})`)
    }
    if (mapping.listenerPort !== undefined && !known.ports.includes(mapping.listenerPort)) {
      throw new UserError('usage', `--target-map ${name(mapping.gateway)}:${mapping.listenerPort}: the Gateway has no listener on port ${mapping.listenerPort} (its ports: ${known.ports.join(', ')})`)
    }
  }
  const addresses = targets.map((target) => parseTargetAddress(target))
  const unmapped = gateways.filter((entry) => !mappings.some((mapping) => name(mapping.gateway) === name(entry.gateway) && mapping.listenerPort === undefined))
  const byGateway = new Map<string, TargetAddress>()
  if (addresses.length === 1) {
    for (const entry of unmapped) byGateway.set(name(entry.gateway), addresses[0])
  } else if (addresses.length > 1) {
    if (addresses.length !== gateways.length) {
      throw new UserError('usage', `${addresses.length} --target values for ${gateways.length} Gateways (${gateways.map((entry) => name(entry.gateway)).join(', ')}): give one --target per Gateway in that order, or name them with --target-map NS/GATEWAY=ADDRESS`)
    }
    gateways.forEach((entry, index) => byGateway.set(name(entry.gateway), addresses[index]))
  }
  for (const mapping of mappings) if (mapping.listenerPort === undefined) byGateway.set(name(mapping.gateway), mapping.address)
  for (const entry of gateways) {
    const address = byGateway.get(name(entry.gateway))
    const portSpecific = mappings.filter((mapping) => name(mapping.gateway) === name(entry.gateway) && mapping.listenerPort !== undefined).map((mapping) => mapping.listenerPort)
    const uncovered = entry.ports.filter((port) => !portSpecific.includes(port))
    if (address?.port !== undefined && uncovered.length > 1) {
      throw new UserError('usage', `target ${address.host}:${address.port} for Gateway ${name(entry.gateway)} is one port, but the Gateway listens on ports ${uncovered.join(', ')}`, {hint: `give the host alone (each listener on its own port), or one --target-map ${name(entry.gateway)}:LISTENER_PORT=HOST:PORT per port`})
    }
  }
  return (gateway, listenerPort) => {
    const specific = mappings.find((mapping) => name(mapping.gateway) === name(gateway) && mapping.listenerPort === listenerPort)
    const address = specific?.address ?? byGateway.get(name(gateway))
    if (address === undefined) return {notServed: `no --target or --target-map names Gateway ${name(gateway)}`}
    return {host: address.host, port: address.port ?? listenerPort}
  }
}
