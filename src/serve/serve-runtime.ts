/**
 * What a connection handler needs from the running gateway: the current
 * configuration generation, the log, the connection tracker, the limits, and
 * the HTTP/1.1 and HTTP/2 proxies that terminated connections are handed to, and the guard
 * that turns an escaped exception into one closed connection.
 */
import type {AccessLog} from './access-log.js'
import type {ConnectionTracker} from './connection-tracker.js'
import type {DataPlane} from './data-plane.js'
import type {Http2Proxy} from './http2-proxy.js'
import type {HttpProxy} from './http-proxy.js'
import type {InternalErrorGuard} from './internal-error-guard.js'

export interface ServeLimits {
  clientHelloTimeoutMs: number
  connectTimeoutMs: number
  idleTimeoutMs: number
  maxClientHelloBytes: number
}

export interface ServeRuntime {
  readonly dataPlane: DataPlane
  readonly log: AccessLog
  readonly tracker: ConnectionTracker
  readonly limits: ServeLimits
  readonly http: HttpProxy
  readonly http2: Http2Proxy
  readonly guard: InternalErrorGuard
}
