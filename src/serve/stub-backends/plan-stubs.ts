/**
 * Which built-in echo backends `gwctl serve --stub-backends` starts: one per
 * Service port that a route attached to a listener references and that no
 * `--backend`/`--backends` entry maps, of the kind the routes need —
 * TLSRoute on a Passthrough listener → `tls` (the stub terminates TLS with
 * a certificate for the route hostnames, as `certs create --for --backends`
 * issues it); HTTPRoute (and RequestMirror targets) / GRPCRoute → `http`,
 * `grpc`, or `h2c` when the Service port's appProtocol is
 * kubernetes.io/h2c; TCPRoute and TLSRoute on a Terminate listener → `tcp`;
 * UDPRoute → `udp` (with a TCP kind as well: a datagram socket on the same
 * port). Invalid backendRefs get no stub (the engine fails their share), nor
 * do backends a BackendTLSPolicy re-encrypts to (the gateway would verify the
 * stub against the policy's CA, which gwctl does not hold). Pure.
 */
import type {BackendBinding, Binding, ListenerBinding} from '../../gatewayapi/binding.js'
import {listPassthroughBackendNeeds, type CertificateNeed} from '../../gatewayapi/certificate-needs.js'
import {gatewayListeners} from '../../gatewayapi/decide.js'
import {formatBackendKey} from '../backend-map.js'

export type StubProtocol = 'http' | 'h2c' | 'grpc' | 'tls' | 'tcp' | 'udp'

export const H2C_APP_PROTOCOL = 'kubernetes.io/h2c'

export interface PlannedStub {
  /** NS/NAME:PORT */
  key: string
  /** The stream kind the routes need, or `udp` for a datagram-only stub. */
  protocol: StubProtocol
  /** True when a UDPRoute references it as well (a datagram socket beside a stream one). */
  datagrams: boolean
  /** `tls` only: the certificate the backend would present (Secret `<service>-tls`, route hostnames). */
  certificate?: CertificateNeed
}

export interface StubPlan {
  stubs: PlannedStub[]
  /** Backends that get no stub, and why. */
  skipped: Array<{key: string; why: string}>
}

interface Uses {
  tls: boolean
  http: boolean
  grpc: boolean
  h2c: boolean
  tcp: boolean
  udp: boolean
  certificate?: CertificateNeed
}

/** Plan the stubs of a binding; `isMapped(key)` tells the backends --backend/--backends already map. */
export function planStubBackends(binding: Binding, isMapped: (key: string) => boolean): StubPlan {
  const uses = new Map<string, Uses>()
  const skipped = new Map<string, string>()
  const use = (backend: BackendBinding, kind: keyof Omit<Uses, 'certificate'>): Uses | undefined => {
    if (!backend.valid || backend.service === undefined) return undefined
    const key = formatBackendKey(backend.ref.namespace, backend.ref.name, backend.ref.port)
    if (isMapped(key)) return undefined
    const policy = backend.tlsPolicy?.policy.meta
    if (policy !== undefined) {
      skipped.set(key, `BackendTLSPolicy ${policy.namespace}/${policy.name} re-encrypts to it and a stub's certificate would not chain to the policy's CA; map it with --backend`)
      return undefined
    }
    let entry = uses.get(key)
    if (entry === undefined) {
      entry = {tls: false, http: false, grpc: false, h2c: false, tcp: false, udp: false}
      uses.set(key, entry)
    }
    entry[kind] = true
    if (backend.servicePort?.appProtocol === H2C_APP_PROTOCOL && (kind === 'http' || kind === 'grpc')) entry.h2c = true
    return entry
  }
  for (const gateway of binding.gateways) {
    for (const listener of gatewayListeners(gateway)) collectListenerUses(listener, use)
  }
  const stubs: PlannedStub[] = []
  for (const [key, entry] of uses) {
    if (skipped.has(key)) continue
    stubs.push({key, protocol: chooseProtocol(entry), datagrams: entry.udp, certificate: entry.tls ? entry.certificate : undefined})
  }
  stubs.sort((a, b) => a.key.localeCompare(b.key))
  return {stubs, skipped: [...skipped].map(([key, why]) => ({key, why})).sort((a, b) => a.key.localeCompare(b.key))}
}

function collectListenerUses(listener: ListenerBinding, use: (backend: BackendBinding, kind: keyof Omit<Uses, 'certificate'>) => Uses | undefined): void {
  const certificateNeeds = listPassthroughBackendNeeds(listener)
  for (const attached of listener.routes) {
    const {kind} = attached.route.route
    for (const rule of attached.route.rules) {
      for (const backend of rule.backends) {
        if (kind === 'TLSRoute' && listener.mode === 'Passthrough') {
          const entry = use(backend, 'tls')
          if (entry !== undefined && backend.service !== undefined) entry.certificate = mergeNeed(entry.certificate, certificateNeeds, backend.service.meta)
        } else if (kind === 'HTTPRoute') {
          use(backend, 'http')
        } else if (kind === 'GRPCRoute') {
          use(backend, 'grpc')
        } else if (kind === 'UDPRoute') {
          use(backend, 'udp')
        } else {
          use(backend, 'tcp')
        }
      }
      if (kind !== 'HTTPRoute') continue
      for (const mirror of rule.filterBackends.filter((candidate) => candidate.ref.path.includes('requestMirror'))) use(mirror, 'http')
    }
  }
}

/** The Service's certificate need, hostnames united over every Passthrough route that reaches it. */
function mergeNeed(known: CertificateNeed | undefined, needs: readonly CertificateNeed[], service: {namespace: string; name: string}): CertificateNeed | undefined {
  let merged = known
  for (const need of needs) {
    if (need.namespace !== service.namespace || need.secretName !== `${service.name}-tls`) continue
    merged = merged === undefined
      ? {...need, hostnames: [...need.hostnames]}
      : {...merged, hostnames: [...new Set([...merged.hostnames, ...need.hostnames])], reason: merged.reason.split('; ').includes(need.reason) ? merged.reason : `${merged.reason}; ${need.reason}`}
  }
  return merged
}

function chooseProtocol(entry: Uses): StubProtocol {
  if (entry.tls) return 'tls'
  if (entry.http || entry.grpc) return entry.h2c ? 'h2c' : entry.http ? 'http' : 'grpc'
  if (entry.tcp) return 'tcp'
  return 'udp'
}
