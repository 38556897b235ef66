/**
 * Serve's side of HTTPRequestMirrorFilter: a copy of a proxied request —
 * its method, the path and headers the engine planned for the mirror, the
 * body as it streams in — goes to the mirror's backend. The mirror's
 * response is read and dropped (the spec ignores it), and its failures are
 * logged as `mirror` events without touching the client's exchange. The
 * copy never holds the client back: a mirror more than MAX_QUEUED_BYTES
 * behind, or silent for the idle timeout, is abandoned.
 */
import type {ClientRequest} from 'node:http'
import type {MirrorPlan} from '../gatewayapi/http-filters.js'
import type {AccessLog} from './access-log.js'
import type {BackendTarget, BackendTargets} from './backend-targets.js'

const MAX_QUEUED_BYTES = 1024 * 1024

/** What is mirrored: an HTTP/1.1 IncomingMessage, or the request side of an HTTP/2 stream. */
export interface MirroredRequest {
  method?: string
  /** The whole body was received. */
  readonly complete: boolean
  on(event: 'data', listener: (chunk: Buffer) => void): unknown
  once(event: 'end' | 'close', listener: () => void): unknown
}

export interface MirrorContext {
  targets: BackendTargets
  log: AccessLog
  /** The request's `?…` (or ''), appended to the planned path. */
  search: string
  /** Whether the request has a body (Content-Length or Transfer-Encoding). */
  hasBody: boolean
  idleTimeoutMs: number
  /** The headers sent for a plan (the proxy's forwarding headers with the plan's operations). */
  headers(plan: MirrorPlan): string[]
  send(target: BackendTarget, headers: string[], path: string): ClientRequest
}

/** Start mirroring `req` to one selected mirror. */
export function mirrorRequest(req: MirroredRequest, mirror: MirrorPlan, context: MirrorContext): void {
  const {backend} = mirror
  const choice = context.targets.choose({binding: backend, kind: backend.ref.kind, namespace: backend.ref.namespace, name: backend.ref.name,
    port: backend.ref.port, weight: 1, percent: mirror.percent, valid: backend.valid, why: backend.message})
  if (choice.refusal !== undefined) {
    context.log.event('mirror', `${req.method ?? 'GET'} ${mirror.path}${context.search} not mirrored: ${choice.reason}`)
    return
  }
  const {target} = choice
  const copy = context.send(target, context.headers(mirror), `${mirror.path}${context.search}`)
  let abandoned = false
  const abandon = (why: string) => {
    if (abandoned) return
    abandoned = true
    copy.destroy()
    context.log.event('mirror', `${req.method ?? 'GET'} ${mirror.path}${context.search} to ${target.key}: ${why}`)
  }
  copy.on('error', (error) => abandon(error.message))
  copy.on('response', (response) => {
    response.resume()
    response.on('error', () => copy.destroy())
  })
  if (context.idleTimeoutMs > 0) copy.setTimeout(context.idleTimeoutMs, () => abandon(`no answer for ${context.idleTimeoutMs} ms`))
  if (!context.hasBody) {
    copy.end()
    return
  }
  req.on('data', (chunk: Buffer) => {
    if (abandoned) return
    if (copy.writableLength > MAX_QUEUED_BYTES) abandon(`more than ${MAX_QUEUED_BYTES} bytes behind the client`)
    else copy.write(chunk)
  })
  req.once('end', () => {
    if (!abandoned) copy.end()
  })
  req.once('close', () => {
    if (!req.complete) abandon('the client closed before the request body ended')
  })
}
