/**
 * What HTTPRoute filters do to a request, as pure functions (HTTPRouteFilter
 * in the HTTPRoute CRD): the decision function computes redirects with them
 * (so resolve and serve answer the same Location), and serve applies the
 * others to the requests it proxies. RequestHeaderModifier and
 * ResponseHeaderModifier (set, add, remove; names case-insensitive),
 * RequestRedirect (scheme, hostname, port, path, statusCode) and URLRewrite
 * (hostname, path). Headers are flat `[name, value, name, value, ...]`
 * lists, as Node's rawHeaders, so repeated headers and the client's casing
 * survive. Filter types serve does not carry out are listed by
 * `unsupportedFilterTypes`.
 */
import type {RouteFilter} from '../model/types.js'

export const SUPPORTED_FILTER_TYPES = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'])

interface HeaderModifier {
  set?: Array<{name: string; value: string}>
  add?: Array<{name: string; value: string}>
  remove?: string[]
}

interface PathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch' | string
  replaceFullPath?: string
  replacePrefixMatch?: string
}

export interface RedirectSpec {
  scheme?: string
  hostname?: string
  path?: PathModifier
  port?: number
  statusCode?: number
}

export interface RewriteSpec {
  hostname?: string
  path?: PathModifier
}

function block<T>(filter: RouteFilter, key: string): T | undefined {
  const value = filter.spec[key]
  return typeof value === 'object' && value !== null ? value as T : undefined
}

/** Filter types of the rule (and its backend) that serve ignores. */
export function unsupportedFilterTypes(filters: readonly RouteFilter[]): string[] {
  return [...new Set(filters.map((filter) => filter.type).filter((type) => !SUPPORTED_FILTER_TYPES.has(type)))]
}

/** Apply one header modifier (remove, then set, then add, as Envoy Gateway orders them). */
export function modifyHeaders(headers: readonly string[], modifier: HeaderModifier): string[] {
  const removed = new Set([...(modifier.remove ?? []), ...(modifier.set ?? []).map((entry) => entry.name)].map((name) => name.toLowerCase()))
  const out: string[] = []
  for (let i = 0; i < headers.length; i += 2) {
    if (!removed.has(headers[i].toLowerCase())) out.push(headers[i], headers[i + 1])
  }
  for (const {name, value} of modifier.set ?? []) out.push(name, value)
  for (const {name, value} of modifier.add ?? []) {
    const lower = name.toLowerCase()
    const index = out.findIndex((header, at) => at % 2 === 0 && header.toLowerCase() === lower)
    if (index === -1) out.push(name, value)
    else out[index + 1] = `${out[index + 1]},${value}`
  }
  return out
}

/** Apply every filter of `type` (Request/ResponseHeaderModifier) in order. */
export function applyHeaderFilters(headers: readonly string[], filters: readonly RouteFilter[], type: 'RequestHeaderModifier' | 'ResponseHeaderModifier'): string[] {
  const key = type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier'
  let out = headers as string[]
  for (const filter of filters) {
    if (filter.type !== type) continue
    const modifier = block<HeaderModifier>(filter, key)
    if (modifier !== undefined) out = modifyHeaders(out, modifier)
  }
  return out
}

/**
 * HTTPPathModifier ReplacePrefixMatch: the matched prefix (compared
 * element-wise, trailing `/` ignored) is replaced, `/foo` + `/xyz` turns
 * `/foo/bar` into `/xyz/bar`, and `/` as replacement drops the prefix.
 */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const trimmedPrefix = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix
  const rest = path.slice(trimmedPrefix.length)
  const trimmedReplacement = replacement.endsWith('/') ? replacement.slice(0, -1) : replacement
  const joined = trimmedReplacement + rest
  return joined === '' ? '/' : joined
}

/** The new path of an HTTPPathModifier; `matchedPrefix` is the PathPrefix value of the winning match (undefined otherwise). */
export function modifyPath(path: string, modifier: PathModifier | undefined, matchedPrefix: string | undefined): string {
  if (modifier === undefined) return path
  if (modifier.type === 'ReplaceFullPath' && modifier.replaceFullPath !== undefined) return modifier.replaceFullPath
  if (modifier.type === 'ReplacePrefixMatch' && modifier.replacePrefixMatch !== undefined && matchedPrefix !== undefined) {
    return replacePrefix(path, matchedPrefix, modifier.replacePrefixMatch)
  }
  return path
}

export function findRedirect(filters: readonly RouteFilter[]): RedirectSpec | undefined {
  const filter = filters.find((entry) => entry.type === 'RequestRedirect')
  return filter === undefined ? undefined : block<RedirectSpec>(filter, 'requestRedirect') ?? {}
}

export function findRewrite(filters: readonly RouteFilter[]): RewriteSpec | undefined {
  const filter = filters.find((entry) => entry.type === 'URLRewrite')
  return filter === undefined ? undefined : block<RewriteSpec>(filter, 'urlRewrite') ?? {}
}

const WELL_KNOWN_PORTS: Record<string, number> = {http: 80, https: 443}

export interface RedirectRequest {
  scheme: 'http' | 'https'
  /** Host without port. */
  host: string
  /** The Gateway listener port the request reached (not the local port). */
  listenerPort: number
  path: string
  /** `?…` or ''. */
  search: string
}

/**
 * HTTPRequestRedirectFilter: the Location header. Port: the filter's, else
 * the scheme's well-known port when the filter sets a scheme, else the
 * listener port; a port well-known for the scheme is left out.
 */
export function buildRedirectLocation(redirect: RedirectSpec, request: RedirectRequest, matchedPrefix: string | undefined): string {
  const scheme = redirect.scheme ?? request.scheme
  const host = redirect.hostname ?? request.host
  const port = redirect.port ?? (redirect.scheme === undefined ? request.listenerPort : WELL_KNOWN_PORTS[scheme])
  const authority = port === undefined || port === WELL_KNOWN_PORTS[scheme] ? host : `${host}:${port}`
  return `${scheme}://${authority}${modifyPath(request.path, redirect.path, matchedPrefix)}${request.search}`
}
