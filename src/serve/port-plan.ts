/**
 * Which local sockets serve opens: one per Gateway listener port, at the
 * local port given by `--port-map` (exact), else `--port-offset`, else the
 * listener port itself (`0` lets the OS choose). UDP listeners get datagram
 * sockets of their own (`datagramSockets`): a TCP and a UDP listener may
 * share a port number, as for DNS. A socket belongs to one
 * Gateway: listeners of several Gateways on the same port cannot share it,
 * so serve refuses to start and asks for `--gateway`. Pure.
 */
import type {GatewayBinding, ListenerBinding} from '../gatewayapi/binding.js'
import {gatewayListeners, type RoutingTable, type Transport} from '../gatewayapi/decide.js'
import {describeListener} from '../gatewayapi/listeners.js'
import {UserError} from '../errors/user-error.js'

export interface PortOptions {
  portOffset?: number
  portMap: ReadonlyMap<number, number>
  gateway?: {namespace: string; name: string}
}

export interface PlannedSocket {
  /** The listener port of the manifests. */
  port: number
  /** The local port to bind (0: any). */
  localPort: number
  gateway: GatewayBinding
  transport: Transport
  /** Listeners on this port that carry traffic. */
  listeners: ListenerBinding[]
}

export interface PortPlan {
  /** Stream sockets (TLS, HTTP, TCP). */
  sockets: PlannedSocket[]
  /** Datagram sockets (UDP listeners). */
  datagramSockets: PlannedSocket[]
  /** Listeners serve does not carry, with why (not accepted, unsupported protocol, ...). */
  notServed: Array<{listener: ListenerBinding; why: string}>
}

const TRANSPORT_OF: Record<string, Transport | undefined> = {HTTPS: 'tls', TLS: 'tls', HTTP: 'http', TCP: 'tcp', UDP: 'udp'}

function gatewayName(gateway: GatewayBinding): string {
  return `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}`
}

/** True when the engine serves the listener (SEMANTICS.md §2.8: Accepted, and Programmed or only awaiting Secrets). */
export function isServed(listener: ListenerBinding): boolean {
  return listener.accepted && (listener.programmed || listener.awaitingSecrets)
}

export function planPorts(table: RoutingTable, options: PortOptions): PortPlan {
  const byPort = new Map<number, PlannedSocket>()
  const datagramsByPort = new Map<number, PlannedSocket>()
  const notServed: PortPlan['notServed'] = []
  for (const gateway of table.gateways(options.gateway)) {
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
      const planned = transport === 'udp' ? datagramsByPort : byPort
      const existing = planned.get(port)
      if (existing !== undefined && existing.gateway !== gateway) {
        throw new UserError('usage', `port ${port} has listeners of Gateways ${gatewayName(existing.gateway)} and ${gatewayName(gateway)}: one local socket cannot serve both`, {hint: 'pass --gateway NAMESPACE/NAME, one gwctl serve per Gateway'})
      }
      if (existing !== undefined && existing.transport !== transport) {
        throw new UserError('usage', `port ${port} of Gateway ${gatewayName(gateway)} has ${describeListener(existing.listeners[0])} and ${describeListener(listener)}: one socket cannot speak both ${existing.transport.toUpperCase()} and ${transport.toUpperCase()}`)
      }
      if (existing === undefined) {
        planned.set(port, {port, localPort: localPortFor(port, options), gateway, transport, listeners: [listener]})
      } else {
        existing.listeners.push(listener)
      }
    }
  }
  const sockets = [...byPort.values()].sort((a, b) => a.port - b.port)
  const datagramSockets = [...datagramsByPort.values()].sort((a, b) => a.port - b.port)
  refuseLocalPortClashes(sockets, '')
  refuseLocalPortClashes(datagramSockets, 'UDP ')
  return {sockets, datagramSockets, notServed}
}

function refuseLocalPortClashes(sockets: readonly PlannedSocket[], kind: string): void {
  const locals = new Map<number, number>()
  for (const socket of sockets) {
    const clash = locals.get(socket.localPort)
    if (socket.localPort !== 0 && clash !== undefined) throw new UserError('usage', `${kind}listener ports ${clash} and ${socket.port} both map to local port ${socket.localPort}`)
    locals.set(socket.localPort, socket.port)
  }
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
