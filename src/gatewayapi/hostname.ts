/**
 * Hostnames: the only place that matches, intersects or ranks them
 * (SEMANTICS.md §1). Gateway API hostnames are lower-case RFC 1123 names,
 * optionally prefixed by one wildcard label `*.`; an absent hostname is the
 * pseudo-value `*`, which matches everything and is least specific.
 *
 * Two wildcard rules live here and must not be confused:
 * - routing (listener, route and Host/SNI matching): `*.example.com` stands
 *   for ONE OR MORE labels (§1.2);
 * - certificates (RFC 6125 §6.4.3): a `*.example.com` SAN covers exactly one
 *   label (`certificateNameCovers`).
 */

/** The pseudo-hostname of a listener or route without hostname. */
export const ANY_HOSTNAME = '*'

export function isWildcardHostname(hostname: string): boolean {
  return hostname.startsWith('*.')
}

/**
 * Normalise a request's SNI or Host header for matching: lower-case, without
 * `:port` (HTTPRouteSpec.Hostnames: "port is ignored") and without a
 * trailing root dot. IPv6 literals in brackets keep their brackets.
 */
export function normalizeRequestHost(host: string): string {
  let value = host.trim().toLowerCase()
  if (value.startsWith('[')) {
    const end = value.indexOf(']')
    return end === -1 ? value : value.slice(0, end + 1)
  }
  const colon = value.lastIndexOf(':')
  if (colon !== -1 && value.indexOf(':') === colon) value = value.slice(0, colon)
  if (value.endsWith('.') && value.length > 1) value = value.slice(0, -1)
  return value
}

/** True when the suffix `*.S` covers the precise name: name ends with `.S` (≥ 1 extra label). */
function wildcardCovers(wildcard: string, name: string): boolean {
  const suffix = wildcard.slice(1)
  return name.length > suffix.length && name.endsWith(suffix)
}

/**
 * Does `pattern` (a listener or route hostname, undefined or `*` for none)
 * match the precise request host? Listener.Hostname / HTTPRouteSpec.Hostnames:
 * exact match, or wildcard suffix match on one or more whole labels.
 */
export function hostnameMatches(pattern: string | undefined, host: string): boolean {
  if (pattern === undefined || pattern === ANY_HOSTNAME) return true
  if (isWildcardHostname(pattern)) return !isWildcardHostname(host) && wildcardCovers(pattern, host)
  return pattern === host
}

/**
 * Intersection of a listener hostname and one route hostname (SEMANTICS.md
 * §1.3); `undefined` stands for no hostname. Returns the intersected
 * hostname (`*` when both are absent), or null when they do not intersect.
 */
export function intersectHostnames(listener: string | undefined, route: string | undefined): string | null {
  const l = listener ?? ANY_HOSTNAME
  const r = route ?? ANY_HOSTNAME
  if (l === ANY_HOSTNAME) return r
  if (r === ANY_HOSTNAME) return l
  const lWild = isWildcardHostname(l)
  const rWild = isWildcardHostname(r)
  if (!lWild && !rWild) return l === r ? l : null
  if (lWild && !rWild) return wildcardCovers(l, r) ? r : null
  if (!lWild && rWild) return wildcardCovers(r, l) ? l : null
  const a = l.slice(2)
  const b = r.slice(2)
  if (a === b || a.endsWith(`.${b}`)) return l
  if (b.endsWith(`.${a}`)) return r
  return null
}

/**
 * The hostnames a route serves through a listener (the "intersected
 * hostnames"): each route hostname intersected with the listener's, the
 * non-intersecting ones dropped, duplicates removed. A route without
 * hostnames inherits the listener's hostname (or `*`).
 */
export function intersectRouteHostnames(listener: string | undefined, routeHostnames: readonly string[]): string[] {
  if (routeHostnames.length === 0) return [listener ?? ANY_HOSTNAME]
  const out: string[] = []
  for (const hostname of routeHostnames) {
    const intersected = intersectHostnames(listener, hostname)
    if (intersected !== null && !out.includes(intersected)) out.push(intersected)
  }
  return out
}

/**
 * The route's own hostname an intersected hostname came from (the most
 * specific one, when several intersect to it); `*` for a route without
 * hostnames. SEMANTICS.md §1.4: precedence uses the intersected hostname,
 * then breaks ties on this original entry, more specific first.
 */
export function originalRouteHostname(listener: string | undefined, routeHostnames: readonly string[], intersected: string): string {
  const sources = routeHostnames.filter((hostname) => intersectHostnames(listener, hostname) === intersected)
  if (sources.length === 0) return ANY_HOSTNAME
  return [...sources].sort(compareHostnameSpecificity)[0]
}

/**
 * Does `outer` match every host that `inner` matches? (`*` or undefined
 * covers everything; a wildcard covers the names and wildcards below it.)
 */
export function hostnameCovers(outer: string | undefined, inner: string | undefined): boolean {
  if (outer === undefined || outer === ANY_HOSTNAME || outer === inner) return true
  if (inner === undefined || inner === ANY_HOSTNAME || !isWildcardHostname(outer)) return false
  return wildcardCovers(outer, inner)
}

/** Do two hostname patterns share at least one concrete name? */
export function hostnamesOverlap(a: string | undefined, b: string | undefined): boolean {
  return intersectHostnames(a, b) !== null
}

/**
 * Specificity order (SEMANTICS.md §1.4): precise beats wildcard; among
 * wildcards, more labels after `*` win; `*` (no hostname) is last. Negative
 * when `a` is more specific than `b`, 0 when equally specific.
 */
export function compareHostnameSpecificity(a: string | undefined, b: string | undefined): number {
  return specificityRank(b) - specificityRank(a)
}

function specificityRank(hostname: string | undefined): number {
  if (hostname === undefined || hostname === ANY_HOSTNAME) return 0
  const labels = hostname.split('.').length
  // Precise names rank above every wildcard, whatever their label count.
  return isWildcardHostname(hostname) ? labels : 1000 + labels
}

/**
 * Characters of the hostname that are not wildcard (HTTPRoute precedence,
 * rule 1: "largest number of characters in a matching non-wildcard
 * hostname"): the whole name for a precise hostname, 0 for a wildcard.
 */
export function preciseHostnameLength(hostname: string | undefined): number {
  if (hostname === undefined || hostname === ANY_HOSTNAME || isWildcardHostname(hostname)) return 0
  return hostname.length
}

/** Characters of a hostname, wildcard included (HTTPRoute precedence, rule 2); 0 for none. */
export function hostnameLength(hostname: string | undefined): number {
  if (hostname === undefined || hostname === ANY_HOSTNAME) return 0
  return hostname.length
}

/**
 * RFC 6125 §6.4.3 / RFC 2818: does a certificate name (DNS SAN) cover the
 * hostname? A SAN wildcard `*.example.com` covers exactly one label
 * (`a.example.com`, not `a.b.example.com` nor `example.com`). A wildcard
 * hostname is covered only by a SAN with the same wildcard (any name it
 * matches must be covered, and a deeper one never is by a single-label SAN).
 */
export function certificateNameCovers(san: string, hostname: string): boolean {
  const name = san.toLowerCase().replace(/\.$/, '')
  const host = hostname.toLowerCase().replace(/\.$/, '')
  if (isWildcardHostname(host)) return name === host
  if (!isWildcardHostname(name)) return name === host
  const suffix = name.slice(1)
  if (!host.endsWith(suffix)) return false
  const label = host.slice(0, host.length - suffix.length)
  return label.length > 0 && !label.includes('.')
}

