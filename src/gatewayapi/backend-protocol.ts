/**
 * Which HTTP version the gateway speaks to an HTTPRoute/GRPCRoute backend:
 * HTTP/2 for every GRPCRoute backend (gRPC needs it) and for a Service port
 * whose `appProtocol` is `kubernetes.io/h2c` (Gateway API "Backend Protocol
 * Selection", GEP-1911); HTTP/1.1 otherwise. Over TLS (a BackendTLSPolicy
 * applies) HTTP/2 is negotiated with ALPN `h2`, in plaintext it is h2c with
 * prior knowledge. Mirrors of a route use the same rule for their backend.
 */
import type {BackendBinding} from './binding.js'

export type BackendHttpVersion = 'HTTP/1.1' | 'HTTP/2'

/** The appProtocol value that asks for HTTP/2 over cleartext (and HTTP/2 over TLS with a BackendTLSPolicy). */
export const H2C_APP_PROTOCOL = 'kubernetes.io/h2c'

export function decideBackendHttpVersion(routeKind: string, backend: BackendBinding): BackendHttpVersion {
  if (routeKind === 'GRPCRoute') return 'HTTP/2'
  return backend.servicePort?.appProtocol === H2C_APP_PROTOCOL ? 'HTTP/2' : 'HTTP/1.1'
}
