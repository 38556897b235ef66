/**
 * Which local sockets serve opens: one per Gateway listener port, at the
 * local port given by `--port-map` (exact), else `--port-offset`, else the
 * listener port itself (`0` lets the OS choose), on the Gateway's local
 * address (gateway-addresses.ts: each Gateway its own loopback address, so
 * Gateways sharing a port are served at once). A socket belongs to one
 * Gateway: two Gateways given one address with listeners on one port are
 * refused. Pure.
 */
import type {GatewayBinding, ListenerBinding} from '../gatewayapi/binding.js'
import {gatewayListeners, type RoutingTable, type Transport} from '../gatewayapi/decide.js'
import {describeListener} from '../gatewayapi/listeners.js'
import {UserError} from '../errors/user-error.js'
import {assignGatewayAddresses, describeSharedAddress, type AddressOptions, type GatewayAddresses} from './gateway-addresses.js'

export interface PortOptions {
  portOffset?: number
  portMap: ReadonlyMap<number, number>
  gateway?: {namespace: string; name: string}
  /** `--address`; without it each Gateway gets its own loopback address. */
  addresses?: AddressOptions
}

export interface PlannedSocket {
  /** The listener port of the manifests. */
  port: number
  /** The local port to bind (0: any). */
  localPort: number
  /** The local address to bind (the Gateway's, see gateway-addresses.ts). */
  address: string
  gateway: GatewayBinding
  transport: Exclude<Transport, 'udp'>
  /** Listeners on this port that carry traffic. */
  listeners: ListenerBinding[]
}

export interface PortPlan {
  sockets: PlannedSocket[]
  /** Listeners serve does not carry, with why (not accepted, UDP, ...). */
  notServed: Array<{listener: ListenerBinding; why: string}>
  /** Each served Gateway's local addresses and where they come from. */
  addresses: GatewayAddresses[]
  /** spec.addresses entries not bound locally, with why. */
  addressNotes: string[]
}

/** Identifies a planned socket: its local address and listener port. */
export function socketKey(socket: Pick<PlannedSocket, 'address' | 'port'>): string {
  return `${socket.address}|${socket.port}`
}

const TRANSPORT_OF: Record<string, Exclude<Transport, 'udp'> | undefined> = {HTTPS: 'tls', TLS: 'tls', HTTP: 'http', TCP: 'tcp'}

function gatewayName(gateway: GatewayBinding): string {
  return `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}`
}

/** True when the engine serves the listener (SEMANTICS.md §2.8: Accepted, and Programmed or only awaiting Secrets). */
export function isServed(listener: ListenerBinding): boolean {
  return listener.accepted && (listener.programmed || listener.awaitingSecrets)
}

export function planPorts(table: RoutingTable, options: PortOptions): PortPlan {
  const byKey = new Map<string, PlannedSocket>()
  const notServed: PortPlan['notServed'] = []
  const gateways = table.gateways(options.gateway)
  const assignment = assignGatewayAddresses(gateways, table.gateways(), options.addresses ?? {byGateway: new Map()})
  for (const gateway of gateways) {
    const {addresses} = assignment.byGateway.get(gateway)!
    for (const listener of gatewayListeners(gateway)) {
      const {port, protocol} = listener.spec
      const transport = TRANSPORT_OF[protocol]
      if (port === undefined) continue
      if (transport === undefined) {
        notServed.push({listener, why: `protocol ${protocol} is not served by gwctl serve`})
        continue
      }
      if (!gateway.accepted || !isServed(listener)) {
        const bad = listener.conditions.find((condition) => condition.status === (condition.type === 'Conflicted' ? 'True' : 'False'))
        notServed.push({listener, why: gateway.accepted ? `${bad?.type ?? 'not ready'}: ${bad?.message ?? bad?.reason ?? ''}` : `Gateway ${gatewayName(gateway)} is not accepted`})
        continue
      }
      for (const address of addresses) {
        const existing = byKey.get(socketKey({address, port}))
        if (existing !== undefined && existing.gateway !== gateway) {
          throw describeSharedAddress(address, port, assignment.byGateway.get(existing.gateway)!, assignment.byGateway.get(gateway)!)
        }
        if (existing !== undefined && existing.transport !== transport) {
          throw new UserError('usage', `port ${port} of Gateway ${gatewayName(gateway)} has ${describeListener(existing.listeners[0])} and ${describeListener(listener)}: one socket cannot speak both ${existing.transport.toUpperCase()} and ${transport.toUpperCase()}`)
        }
        if (existing === undefined) {
          byKey.set(socketKey({address, port}), {port, localPort: localPortFor(port, options), address, gateway, transport, listeners: [listener]})
        } else {
          existing.listeners.push(listener)
        }
      }
    }
  }
  const sockets = [...byKey.values()].sort((a, b) => a.port - b.port || gatewayName(a.gateway).localeCompare(gatewayName(b.gateway)) || a.address.localeCompare(b.address))
  const locals = new Map<string, number>()
  for (const socket of sockets) {
    const clash = locals.get(`${socket.address}|${socket.localPort}`)
    if (socket.localPort !== 0 && clash !== undefined) throw new UserError('usage', `listener ports ${clash} and ${socket.port} both map to local port ${socket.localPort} on ${socket.address}`)
    locals.set(`${socket.address}|${socket.localPort}`, socket.port)
  }
  const addresses = gateways.map((gateway) => assignment.byGateway.get(gateway)!)
  return {sockets, notServed, addresses, addressNotes: assignment.notes}
}

function localPortFor(port: number, options: PortOptions): number {
  const mapped = options.portMap.get(port)
  if (mapped !== undefined) return mapped
  if (options.portOffset === undefined) return port
  const local = port + options.portOffset
  if (local < 1 || local > 65_535) throw new UserError('usage', `--port-offset ${options.portOffset} puts listener port ${port} at ${local}, outside 1-65535`)
  return local
}

/** One `--port-map LISTENER_PORT=LOCAL_PORT` value. */
export function parsePortMapping(value: string): [number, number] {
  const match = /^(\d{1,5})=(\d{1,5})$/.exec(value.trim())
  const listener = Number(match?.[1])
  const local = Number(match?.[2])
  if (match === null || listener < 1 || listener > 65_535 || local > 65_535) {
    throw new UserError('usage', `--port-map ${JSON.stringify(value)}: expected LISTENER_PORT=LOCAL_PORT, e.g. 443=8443 (0 = any free port)`)
  }
  return [listener, local]
}
