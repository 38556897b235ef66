/**
 * HTTPRoute and GRPCRoute request matching and precedence (SEMANTICS.md
 * §8.1–8.3). A rule matches when any of its matches does; a match ANDs its
 * predicates. Precedence between all (route, rule, match) candidates of a
 * listener, for the hostname a candidate matched with: non-wildcard hostname
 * length, hostname length, Exact path, then RegularExpression (longer
 * pattern first; the spec leaves regex placement to implementations — gwctl
 * follows Envoy Gateway), then PathPrefix (longer first), method, number of
 * header matches, number of query matches, oldest route, namespace/name,
 * rule order, match order.
 */
import type {GRPCRouteMatch, HTTPRouteMatch, StringMatch} from '../model/types.js'
import {hostnameLength, preciseHostnameLength} from './hostname.js'
import {regexMatchesWhole} from './regex-match.js'

export interface HttpRequest {
  method: string
  /** Path without the query string. */
  path: string
  /** Query parameters in request order (first value of a repeated name wins). */
  query: Array<[string, string]>
  /** Header names lower-cased; repeated headers keep every value. */
  headers: Array<[string, string]>
}

/** Split `/p/a/t/h?x=1&y` into path and query pairs (percent-decoding the query). */
export function parseRequestTarget(target: string): {path: string; query: Array<[string, string]>} {
  const question = target.indexOf('?')
  const path = question === -1 ? target : target.slice(0, question)
  const query: Array<[string, string]> = []
  if (question !== -1) {
    for (const pair of target.slice(question + 1).split('&')) {
      if (pair === '') continue
      const equals = pair.indexOf('=')
      const name = equals === -1 ? pair : pair.slice(0, equals)
      const value = equals === -1 ? '' : pair.slice(equals + 1)
      query.push([safeDecode(name), safeDecode(value)])
    }
  }
  return {path: path === '' ? '/' : path, query}
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return text
  }
}

/** HTTPPathMatch: Exact, PathPrefix (element-wise on '/'), RegularExpression (RE2, whole path). */
export function pathMatches(match: HTTPRouteMatch['path'], path: string): boolean {
  switch (match.type) {
    case 'Exact': {
      return path === match.value
    }
    case 'PathPrefix': {
      const prefix = match.value.endsWith('/') ? match.value.slice(0, -1) : match.value
      return prefix === '' || path === prefix || path.startsWith(`${prefix}/`)
    }
    case 'RegularExpression': {
      return regexMatchesWhole(match.value, path)
    }
    default: {
      return false
    }
  }
}

function valueMatches(match: StringMatch, value: string): boolean {
  return match.type === 'RegularExpression' ? regexMatchesWhole(match.value, value) : match.value === value
}

/** Header matches: names case-insensitive, the first entry of a repeated name counts; repeated request headers are joined with ','. */
function headersMatch(matches: readonly StringMatch[], headers: HttpRequest['headers']): boolean {
  const seen = new Set<string>()
  for (const match of matches) {
    const name = match.name.toLowerCase()
    if (seen.has(name)) continue
    seen.add(name)
    const values = headers.filter(([header]) => header === name).map(([, value]) => value)
    if (values.length === 0 || !valueMatches(match, values.join(','))) return false
  }
  return true
}

/** Query matches: names exact; the first value of a repeated request parameter is used. */
function queryMatches(matches: readonly StringMatch[], query: HttpRequest['query']): boolean {
  const seen = new Set<string>()
  for (const match of matches) {
    if (seen.has(match.name)) continue
    seen.add(match.name)
    const entry = query.find(([name]) => name === match.name)
    if (entry === undefined || !valueMatches(match, entry[1])) return false
  }
  return true
}

export function httpMatchMatches(match: HTTPRouteMatch, request: HttpRequest): boolean {
  return pathMatches(match.path, request.path)
    && (match.method === undefined || match.method === request.method)
    && headersMatch(match.headers, request.headers)
    && queryMatches(match.queryParams, request.query)
}

/** GRPCRoute match: the request path is `/<service>/<method>`. A rule without matches matches every request. */
export function grpcMatchMatches(match: GRPCRouteMatch, request: HttpRequest): boolean {
  if (match.method !== undefined) {
    const [, service = '', method = ''] = request.path.split('/')
    const {type} = match.method
    if (match.method.service !== undefined && !(type === 'RegularExpression' ? regexMatchesWhole(match.method.service, service) : match.method.service === service)) return false
    if (match.method.method !== undefined && !(type === 'RegularExpression' ? regexMatchesWhole(match.method.method, method) : match.method.method === method)) return false
  }
  return headersMatch(match.headers, request.headers)
}

/** The hostname part of both keys: the intersected hostname, then the route's original entry (§1.4). */
function hostnameKey(hostname: string, original: string): number[] {
  return [preciseHostnameLength(hostname), hostnameLength(hostname), preciseHostnameLength(original), hostnameLength(original)]
}

/**
 * Sort key of one HTTPRoute candidate for a given matched (intersected)
 * hostname and the route hostname it came from: compare element by element,
 * larger first. Age and name ties are settled by the caller.
 */
export function httpPrecedenceKey(hostname: string, original: string, match: HTTPRouteMatch): number[] {
  const {type, value} = match.path
  const trimmed = value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value
  return [
    ...hostnameKey(hostname, original),
    type === 'Exact' ? 3 : type === 'RegularExpression' ? 2 : 1,
    type === 'PathPrefix' ? trimmed.length : value.length,
    type === 'PathPrefix' ? value.length : 0,
    match.method === undefined ? 0 : 1,
    new Set(match.headers.map((header) => header.name.toLowerCase())).size,
    new Set(match.queryParams.map((param) => param.name)).size,
  ]
}

/** GRPCRoute precedence (§8.3): hostname lengths, service length, method length, header count. */
export function grpcPrecedenceKey(hostname: string, original: string, match: GRPCRouteMatch | undefined): number[] {
  return [
    ...hostnameKey(hostname, original),
    match?.method?.service?.length ?? 0,
    match?.method?.method?.length ?? 0,
    new Set((match?.headers ?? []).map((header) => header.name.toLowerCase())).size,
  ]
}

/** Compare two keys: negative when `a` ranks first (larger values win). */
export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (b[i] ?? 0) - (a[i] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}
