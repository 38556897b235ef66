/**
 * What HTTPRoute/GRPCRoute filters do to a request, as pure functions
 * (HTTPRouteFilter in the HTTPRoute CRD). The decision function plans with
 * them what is forwarded — the path after URLRewrite, the Host, the request
 * and response header operations, the mirrors with their share — for the
 * rule and for each backend with its own filters (`planForward`), and the
 * redirect Location; serve and resolve only read the plan. Filters act in
 * the order written (rule filters, then the chosen backend's), each header
 * modifier as remove, then set, then add, with names case-insensitive and
 * the first of equivalent names counting. Headers are flat
 * `[name, value, name, value, ...]` lists, as Node's rawHeaders, so
 * repeated headers and the client's casing survive. Filter types serve does
 * not carry out are listed by `unsupportedFilterTypes`.
 */
import type {RouteFilter} from '../model/types.js'
import type {BackendBinding} from './binding.js'
import type {HttpRequest} from './http-match.js'

export const SUPPORTED_FILTER_TYPES = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror'])

export interface HeaderValue {
  name: string
  value: string
}

/** HTTPHeaderFilter: set, add, remove (each optional). */
export interface HeaderModifier {
  set?: HeaderValue[]
  add?: HeaderValue[]
  remove?: string[]
}

/** Header operations as one HTTPHeaderFilter; a name appears in at most one list. */
export interface HeaderOperations {
  set: HeaderValue[]
  add: HeaderValue[]
  remove: string[]
}

/** A RequestMirror filter as planned: its backend, the share mirrored, and the request it gets. */
export interface MirrorPlan {
  /** The resolved backendRef of the filter (invalid ones are never mirrored to). */
  backend: BackendBinding
  /** Share of requests mirrored, `numerator/denominator` (percent → n/100; neither → all). */
  numerator: number
  denominator: number
  /** The same share in percent, two decimals. */
  percent: number
  /** The request as the filters written before this one leave it. */
  path: string
  hostname?: string
  requestHeaders: HeaderOperations
}

/** What is forwarded to a backend: the route's filters applied in order. */
export interface ForwardPlan {
  /** Path sent upstream, without the query string (the consumer appends the request's `?…`). */
  path: string
  /** URLRewrite hostname: the Host header sent upstream; undefined keeps the client's. */
  hostname?: string
  requestHeaders: HeaderOperations
  responseHeaders: HeaderOperations
  mirrors: MirrorPlan[]
}

/** One filter in application order, with the backend of a RequestMirror. */
export interface FilterStep {
  filter: RouteFilter
  mirrorBackend?: BackendBinding
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

/** Entries whose name (case-insensitive) was not seen before in the list: the first equivalent name counts (HTTPHeader.Name). */
function firstOfEachName(entries: readonly HeaderValue[] | undefined): HeaderValue[] {
  const seen = new Set<string>()
  return (entries ?? []).filter(({name}) => {
    const lower = name.toLowerCase()
    if (seen.has(lower)) return false
    seen.add(lower)
    return true
  })
}

/** Apply one header modifier (remove, then set, then add, as Envoy Gateway orders them). */
export function modifyHeaders(headers: readonly string[], given: HeaderModifier): string[] {
  const modifier = {remove: given.remove, set: firstOfEachName(given.set), add: firstOfEachName(given.add)}
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

export const NO_HEADER_OPERATIONS: HeaderOperations = {set: [], add: [], remove: []}

/** Apply header operations (a composed HTTPHeaderFilter) to a flat header list. */
export function applyHeaderOperations(headers: readonly string[], operations: HeaderOperations): string[] {
  if (operations.set.length === 0 && operations.add.length === 0 && operations.remove.length === 0) return [...headers]
  return modifyHeaders(headers, operations)
}

/**
 * The operations of `before` followed by `modifier`, as one: applying the
 * result equals applying both in turn (a removed header set again is set;
 * an added value after a set or an add is appended to it, comma-joined as
 * HTTPHeaderFilter.Add does).
 */
export function composeHeaderOperations(before: HeaderOperations, modifier: HeaderModifier): HeaderOperations {
  const state = new Map<string, {kind: 'set' | 'add' | 'remove'; name: string; value: string}>()
  for (const name of before.remove) state.set(name.toLowerCase(), {kind: 'remove', name, value: ''})
  for (const {name, value} of before.set) state.set(name.toLowerCase(), {kind: 'set', name, value})
  for (const {name, value} of before.add) state.set(name.toLowerCase(), {kind: 'add', name, value})
  for (const name of modifier.remove ?? []) state.set(name.toLowerCase(), {kind: 'remove', name, value: ''})
  for (const {name, value} of firstOfEachName(modifier.set)) state.set(name.toLowerCase(), {kind: 'set', name, value})
  for (const {name, value} of firstOfEachName(modifier.add)) {
    const lower = name.toLowerCase()
    const prior = state.get(lower)
    if (prior === undefined) state.set(lower, {kind: 'add', name, value})
    else if (prior.kind === 'remove') state.set(lower, {kind: 'set', name, value})
    else state.set(lower, {...prior, value: `${prior.value},${value}`})
  }
  const entries = [...state.values()]
  return {
    set: entries.filter((entry) => entry.kind === 'set').map(({name, value}) => ({name, value})),
    add: entries.filter((entry) => entry.kind === 'add').map(({name, value}) => ({name, value})),
    remove: entries.filter((entry) => entry.kind === 'remove').map(({name}) => name),
  }
}

function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}

/** HTTPRequestMirrorFilter share: percent as n/100, fraction as written (denominator 100 by default), neither → every request. */
function mirrorShare(spec: Record<string, unknown>): {numerator: number; denominator: number} {
  const percent = asCount(spec.percent)
  if (percent !== undefined) return {numerator: Math.min(Math.max(percent, 0), 100), denominator: 100}
  const fraction = typeof spec.fraction === 'object' && spec.fraction !== null ? spec.fraction as Record<string, unknown> : undefined
  if (fraction === undefined) return {numerator: 1, denominator: 1}
  const denominator = Math.max(asCount(fraction.denominator) ?? 100, 1)
  return {numerator: Math.min(Math.max(asCount(fraction.numerator) ?? 0, 0), denominator), denominator}
}

/**
 * The request forwarded after `steps` (rule filters, then the backend's),
 * in the order written. `path` is the request path and `matchedPrefix` the
 * PathPrefix value of the winning match (ReplacePrefixMatch replaces it);
 * a later URLRewrite (the backend's) replaces the hostname or path an
 * earlier one set, each computed from the request as received. A mirror
 * gets the request as the filters before it leave it.
 */
export function planForward(steps: readonly FilterStep[], path: string, matchedPrefix: string | undefined): ForwardPlan {
  const plan: ForwardPlan = {path, requestHeaders: NO_HEADER_OPERATIONS, responseHeaders: NO_HEADER_OPERATIONS, mirrors: []}
  for (const {filter, mirrorBackend} of steps) {
    switch (filter.type) {
      case 'RequestHeaderModifier':
      case 'ResponseHeaderModifier': {
        const request = filter.type === 'RequestHeaderModifier'
        const modifier = block<HeaderModifier>(filter, request ? 'requestHeaderModifier' : 'responseHeaderModifier')
        if (modifier === undefined) break
        if (request) plan.requestHeaders = composeHeaderOperations(plan.requestHeaders, modifier)
        else plan.responseHeaders = composeHeaderOperations(plan.responseHeaders, modifier)
        break
      }
      case 'URLRewrite': {
        const rewrite = block<RewriteSpec>(filter, 'urlRewrite')
        if (rewrite?.path !== undefined) plan.path = modifyPath(path, rewrite.path, matchedPrefix)
        if (rewrite?.hostname !== undefined) plan.hostname = rewrite.hostname
        break
      }
      case 'RequestMirror': {
        if (mirrorBackend === undefined) break
        const {numerator, denominator} = mirrorShare(block<Record<string, unknown>>(filter, 'requestMirror') ?? {})
        plan.mirrors.push({backend: mirrorBackend, numerator, denominator, percent: Math.round((numerator / denominator) * 10_000) / 100,
          path: plan.path, ...(plan.hostname === undefined ? {} : {hostname: plan.hostname}), requestHeaders: plan.requestHeaders})
        break
      }
      default:
    }
  }
  return plan
}

/**
 * The mirrors one request is copied to: each valid mirror independently
 * with its share, `random()` in [0, 1) drawn once per mirror (injected, so
 * the engine stays pure and tests decide).
 */
export function selectMirrors(mirrors: readonly MirrorPlan[], random: () => number): MirrorPlan[] {
  return mirrors.filter((mirror) => mirror.backend.valid && random() * mirror.denominator < mirror.numerator)
}

/**
 * The request headers sent upstream: the plan's header operations applied,
 * then the URLRewrite hostname as the Host header (replacing the first
 * one, or added when there is none).
 */
export function rewriteRequestHeaders(headers: readonly string[], plan: Pick<ForwardPlan, 'requestHeaders' | 'hostname'>): string[] {
  const modified = applyHeaderOperations(headers, plan.requestHeaders)
  if (plan.hostname === undefined) return modified
  const index = modified.findIndex((header, at) => at % 2 === 0 && header.toLowerCase() === 'host')
  if (index === -1) modified.push('Host', plan.hostname)
  else modified[index + 1] = plan.hostname
  return modified
}

/** A request as forwarded: Host apart from the other headers, the path with the request's query string. */
export interface ForwardedRequest {
  method: string
  host?: string
  path: string
  headers: HeaderValue[]
}

/** What a backend (or mirror) receives for `request` under `plan` (`search` is the request's `?…` or ''), before serve's X-Forwarded-* headers. */
export function forwardRequest(plan: Pick<ForwardPlan, 'path' | 'requestHeaders' | 'hostname'>, request: HttpRequest, search: string): ForwardedRequest {
  const headers = rewriteRequestHeaders(request.headers.flat(), plan)
  let host: string | undefined
  const others: HeaderValue[] = []
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i].toLowerCase() === 'host' && host === undefined) host = headers[i + 1]
    else others.push({name: headers[i], value: headers[i + 1]})
  }
  return {method: request.method, ...(host === undefined ? {} : {host}), path: `${plan.path}${search}`, headers: others}
}

/**
 * HTTPPathModifier ReplacePrefixMatch: the matched prefix (compared
 * element-wise, trailing `/` ignored) is replaced, `/foo` + `/xyz` turns
 * `/foo/bar` into `/xyz/bar`, and `/` as replacement drops the prefix
 * (the table of HTTPPathModifier.ReplacePrefixMatch).
 */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const trimmedPrefix = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix
  const trimmedReplacement = replacement.endsWith('/') ? replacement.slice(0, -1) : replacement
  // The prefix `/` matches the root itself: `/` becomes the replacement, not the replacement plus `/`.
  if (trimmedPrefix === '' && path === '/') return trimmedReplacement === '' ? '/' : trimmedReplacement
  const rest = path.slice(trimmedPrefix.length)
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
