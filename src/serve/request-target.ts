/**
 * The request target and Host of an HTTP/1.1 request as the gateway must
 * read them (RFC 9112 §3.2): an absolute-form target
 * (`GET http://shop.example.com/api`) is routed by its authority and path,
 * and forwarded in origin-form with that authority as Host (§3.2.2); more
 * than one Host header, a Host that conflicts with the target's authority, a
 * malformed Host, or an HTTP/1.1 request without any is a 400.
 * `normalizeRequestTarget` rewrites the request in place (url, headers.host,
 * rawHeaders) so everything after it sees the origin-form request.
 * HTTP/2 (RFC 9113 §8.3.1): `findHttp2Authority` takes the host from
 * `:authority`, or from Host when there is none; a request with neither, with
 * several Host headers, a malformed one, or a Host that names another
 * authority than `:authority` is a 400.
 */
import type {IncomingMessage} from 'node:http'

const ABSOLUTE_FORM = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)$/
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::\d*)?$/
const DEFAULT_PORT: Record<string, string> = {http: '80', https: '443'}

/** Rewrite an absolute-form request to origin-form; the reason for a 400, or undefined when the request may go on. */
export function normalizeRequestTarget(req: IncomingMessage): string | undefined {
  const hosts: string[] = []
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].length === 4 && req.rawHeaders[i].toLowerCase() === 'host') hosts.push(req.rawHeaders[i + 1])
  }
  if (hosts.length > 1) return `${hosts.length} Host headers (${hosts.map((host) => JSON.stringify(host)).join(', ')}); exactly one is allowed`
  const host = hosts[0]
  if (host !== undefined && !HOST.test(host)) return `malformed Host header ${JSON.stringify(host)}`
  const url = req.url ?? '/'
  const absolute = ABSOLUTE_FORM.exec(url)
  if (absolute === null) {
    if (host === undefined && req.httpVersion === '1.1' && url.startsWith('/')) return 'HTTP/1.1 request without a Host header'
    return undefined
  }
  const scheme = absolute[1].toLowerCase()
  const authority = absolute[2]
  if (DEFAULT_PORT[scheme] === undefined) return `request target ${JSON.stringify(url)}: scheme ${scheme} is not http or https`
  if (authority === '' || authority.includes('@') || !HOST.test(authority)) return `request target ${JSON.stringify(url)}: invalid authority`
  if (host !== undefined && !sameAuthority(host, authority, DEFAULT_PORT[scheme])) return `Host header ${JSON.stringify(host)} conflicts with the request target's authority ${JSON.stringify(authority)}`
  const rest = absolute[3]
  req.url = rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest
  req.headers.host = authority
  if (host === undefined) req.rawHeaders.push('Host', authority)
  return undefined
}

function sameAuthority(host: string, authority: string, defaultPort: string): boolean {
  const normalize = (value: string) => {
    const lower = value.toLowerCase()
    return lower.endsWith(`:${defaultPort}`) ? lower.slice(0, -defaultPort.length - 1) : lower.endsWith(':') ? lower.slice(0, -1) : lower
  }
  return normalize(host) === normalize(authority)
}

/** The host an HTTP/2 request is for, or the reason for a 400 (`hosts`: every Host header it carries). */
export function findHttp2Authority(authority: string | undefined, hosts: readonly string[]): {host: string; problem?: undefined} | {host?: undefined; problem: string} {
  if (hosts.length > 1) return {problem: `${hosts.length} Host headers (${hosts.map((host) => JSON.stringify(host)).join(', ')}); at most one is allowed`}
  const host = hosts[0]
  if (host !== undefined && !HOST.test(host)) return {problem: `malformed Host header ${JSON.stringify(host)}`}
  if (authority === undefined || authority === '') {
    if (host === undefined || host === '') return {problem: 'HTTP/2 request without :authority or Host'}
    return {host}
  }
  if (authority.includes('@') || !HOST.test(authority)) return {problem: `malformed :authority ${JSON.stringify(authority)}`}
  if (host !== undefined && host.toLowerCase() !== authority.toLowerCase()) return {problem: `Host header ${JSON.stringify(host)} conflicts with :authority ${JSON.stringify(authority)}`}
  return {host: authority}
}
