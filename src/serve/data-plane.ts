/**
 * One configuration generation of the gateway, compiled from a Binding: the
 * engine's routing table, the sockets to open, the listener certificates and
 * the backend targets. Every routing answer comes from the engine's decision
 * functions (decide.ts), so serve and resolve never disagree; connection-level
 * answers (port + SNI) are cached here, keyed by their inputs. A reload builds
 * a new DataPlane; connections keep the one they started with.
 */
import type {Binding, ListenerBinding} from '../gatewayapi/binding.js'
import {compileRoutingTable, type Decision, type RoutingTable} from '../gatewayapi/decide.js'
import type {HttpRequest} from '../gatewayapi/http-match.js'
import {ALLOW_INSECURE_FALLBACK} from '../gatewayapi/frontend-validation.js'
import {describeListener, terminatesTls} from '../gatewayapi/listeners.js'
import type {BackendMap} from './backend-map.js'
import {BackendTargets} from './backend-targets.js'
import {unsupportedFilterTypes} from '../gatewayapi/http-filters.js'
import {describeShadow, findListenerShadows} from '../gatewayapi/shadowing.js'
import {ListenerCertificates} from './listener-certificates.js'
import {planPorts, socketKey, type PlannedSocket, type PortOptions, type PortPlan} from './port-plan.js'

/** Bound on cached SNI answers per socket (a client may send any SNI). */
const MAX_CACHED_SNIS = 4096
/** Bound on cached HTTP request answers per socket (any Host and path may come). */
const MAX_CACHED_REQUESTS = 16_384

/** True when no HTTPRoute/GRPCRoute rule on the socket's listeners matches on headers or query parameters. */
function readsOnlyMethodAndPath(socket: PlannedSocket): boolean {
  return socket.listeners.every((listener) => listener.routes.every(({route}) => route.rules.every(({rule}) =>
    rule.matches.every((match) => match.headers.length === 0 && match.queryParams.length === 0)
    && rule.grpcMatches.every((match) => match.headers.length === 0))))
}

export class DataPlane {
  readonly table: RoutingTable
  readonly plan: PortPlan
  readonly certificates = new ListenerCertificates()
  readonly targets: BackendTargets
  /** Warnings found while loading (e.g. --backends entries nothing references), reported with the others. */
  readonly notes: string[] = []
  private readonly byKey: Map<string, PlannedSocket>
  private readonly tlsDecisions = new Map<PlannedSocket, Map<string, Decision>>()
  private readonly streamDecisions = new Map<PlannedSocket, Decision>()
  private readonly requestDecisions = new Map<PlannedSocket, Map<string, Decision> | undefined>()

  constructor(readonly binding: Binding, backends: BackendMap, ports: PortOptions) {
    this.table = compileRoutingTable(binding)
    this.plan = planPorts(this.table, ports)
    this.targets = new BackendTargets(backends)
    this.byKey = new Map(this.plan.sockets.map((socket) => [socketKey(socket), socket]))
  }

  /** The planned socket for a local address and listener port (`socketKey`), if this generation serves it. */
  socketFor(key: string): PlannedSocket | undefined {
    return this.byKey.get(key)
  }

  /** A TLS connection on the socket's port with this SNI ('' = none). */
  decideTls(socket: PlannedSocket, sni: string): Decision {
    let cache = this.tlsDecisions.get(socket)
    if (cache === undefined) {
      cache = new Map()
      this.tlsDecisions.set(socket, cache)
    }
    let decision = cache.get(sni)
    if (decision === undefined) {
      decision = this.table.decideOnGateway(socket.gateway, {port: socket.port, transport: 'tls', sni})
      if (cache.size >= MAX_CACHED_SNIS) cache.clear()
      cache.set(sni, decision)
    }
    return decision
  }

  /** A plain TCP connection on the socket's port. */
  decideStream(socket: PlannedSocket): Decision {
    let decision = this.streamDecisions.get(socket)
    if (decision === undefined) {
      decision = this.table.decideOnGateway(socket.gateway, {port: socket.port, transport: 'tcp'})
      this.streamDecisions.set(socket, decision)
    }
    return decision
  }

  /**
   * One HTTP request: over TLS (`sni` set) on an HTTPS listener, or
   * plaintext. Cached by (SNI, Host, gRPC or not, method, path) when no
   * route on the socket's listeners matches on headers or query parameters,
   * since then nothing else of the request can change the engine's answer.
   */
  decideRequest(socket: PlannedSocket, sni: string | undefined, host: string, request: HttpRequest): Decision {
    let cache = this.requestDecisions.get(socket)
    if (cache === undefined && !this.requestDecisions.has(socket)) {
      cache = readsOnlyMethodAndPath(socket) ? new Map() : undefined
      this.requestDecisions.set(socket, cache)
    }
    const grpc = request.headers.some(([name, value]) => name === 'content-type' && value.startsWith('application/grpc'))
    const key = cache === undefined ? '' : `${sni ?? ''}\0${host}\0${grpc ? 'g' : ''}\0${request.method}\0${request.path}`
    let decision = cache?.get(key)
    if (decision === undefined) {
      decision = sni === undefined
        ? this.table.decideOnGateway(socket.gateway, {port: socket.port, transport: 'http', host, request})
        : this.table.decideOnGateway(socket.gateway, {port: socket.port, transport: 'tls', sni, host, request})
      if (cache !== undefined) {
        if (cache.size >= MAX_CACHED_REQUESTS) cache.clear()
        cache.set(key, decision)
      }
    }
    return decision
  }

  /** What the user should know before sending traffic: listeners not served, certificates, backends. */
  describeProblems(): string[] {
    const lines: string[] = []
    for (const {listener, why} of this.plan.notServed) lines.push(`${listenerName(listener)} is not served: ${why}`)
    lines.push(...this.plan.addressNotes, ...this.notes)
    const seen = new Set<string>()
    for (const socket of this.plan.sockets) {
      for (const listener of socket.listeners) {
        if (terminatesTls(listener)) {
          for (const certificate of listener.certificates) {
            const {problem} = this.certificates.get(certificate, listener.clientValidation)
            if (problem !== undefined) lines.push(`${listenerName(listener)}: ${problem}`)
          }
          if (listener.clientValidation?.mode === ALLOW_INSECURE_FALLBACK) {
            lines.push(`${listenerName(listener)} accepts clients without a valid certificate (${listener.clientValidation.source}: AllowInsecureFallback); the access log's clientCert field says what each presented`)
          }
        }
        for (const shadow of findListenerShadows(listener)) {
          const {meta} = listener.gateway.gateway
          const line = `Gateway ${meta.namespace}/${meta.name}: ${describeShadow(shadow)}`
          if (!seen.has(line)) lines.push(line)
          seen.add(line)
        }
        for (const attached of listener.routes) {
          const route = attached.route
          const routeName = `${route.route.kind} ${route.route.meta.namespace}/${route.route.meta.name}`
          for (const rule of route.rules) {
            for (const type of unsupportedFilterTypes([...rule.rule.filters, ...rule.rule.backendFilters.flat()])) {
              const line = `${routeName} rule ${rule.rule.index}: filter ${type} is not carried out by gwctl serve`
              if (!seen.has(line)) lines.push(line)
              seen.add(line)
            }
            for (const backend of rule.backends) {
              const choice = this.targets.choose({binding: backend, kind: backend.ref.kind, namespace: backend.ref.namespace, name: backend.ref.name,
                port: backend.ref.port, weight: backend.ref.weight, percent: 0, valid: backend.valid, why: backend.message})
              if (choice.refusal === undefined || seen.has(choice.reason)) continue
              seen.add(choice.reason)
              lines.push(`${routeName}: ${choice.reason}: ${choice.refusal === 'unmapped-backend' ? 'its connections are refused' : 'its share of traffic fails'}`)
            }
            for (const backend of rule.filterBackends.filter((candidate) => candidate.ref.path.includes('requestMirror'))) {
              const choice = this.targets.choose({binding: backend, kind: backend.ref.kind, namespace: backend.ref.namespace, name: backend.ref.name,
                port: backend.ref.port, weight: 1, percent: 0, valid: backend.valid, why: backend.message})
              if (choice.refusal === undefined) continue
              const line = `${routeName} rule ${rule.rule.index}: RequestMirror ${choice.reason}: requests are not mirrored to it`
              if (seen.has(line)) continue
              seen.add(line)
              lines.push(line)
            }
          }
        }
      }
    }
    return lines
  }
}

export function listenerName(listener: ListenerBinding): string {
  const {meta} = listener.gateway.gateway
  return `${meta.namespace}/${meta.name} ${describeListener(listener)}`
}

/** `namespace/gateway/listener`, the access log's listener field. */
export function listenerLogName(listener: ListenerBinding | undefined): string | undefined {
  if (listener === undefined) return undefined
  const {meta} = listener.gateway.gateway
  return `${meta.namespace}/${meta.name}/${listener.spec.name}`
}

const decisionNames = new WeakMap<Decision, {listener?: string; route?: string}>()

/** The access log's listener and route fields of a decision, computed once per decision. */
export function describeDecision(decision: Decision): {listener?: string; route?: string} {
  let names = decisionNames.get(decision)
  if (names === undefined) {
    const route = decision.route?.route
    names = {listener: listenerLogName(decision.listener), route: route === undefined ? undefined : `${route.kind} ${route.meta.namespace}/${route.meta.name}`}
    decisionNames.set(decision, names)
  }
  return names
}
