/**
 * The tie-breaker every Gateway API conflict rule ends with (Listener
 * AllowedRoutes, HTTPRouteRule.Matches, TLSRoute/TCPRoute "oldest wins",
 * BackendTLSPolicy conflicts, ListenerSet order): the oldest
 * `creationTimestamp` first, then `{namespace}/{name}` alphabetically. An
 * object without a timestamp sorts after those with one (offline, it is
 * assumed to be created now).
 */
import type {ObjectMeta} from '../model/types.js'
import {compareHostnameSpecificity} from './hostname.js'

function timestampOf(meta: ObjectMeta): number {
  if (meta.creationTimestamp === undefined) return Number.POSITIVE_INFINITY
  const time = Date.parse(meta.creationTimestamp)
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time
}

/** Negative when `a` takes precedence over `b`. */
export function compareByAge(a: ObjectMeta, b: ObjectMeta): number {
  const ta = timestampOf(a)
  const tb = timestampOf(b)
  if (ta !== tb) return ta < tb ? -1 : 1
  const na = `${a.namespace}/${a.name}`
  const nb = `${b.namespace}/${b.name}`
  return na < nb ? -1 : na > nb ? 1 : 0
}

/** Why `winner` beats `loser`, in words. */
export function explainAgeOrder(winner: ObjectMeta, loser: ObjectMeta): string {
  const tw = timestampOf(winner)
  const tl = timestampOf(loser)
  if (tw !== tl) {
    return loser.creationTimestamp === undefined
      ? `${winner.namespace}/${winner.name} has a creationTimestamp and ${loser.namespace}/${loser.name} has none (treated as newest)`
      : `${winner.namespace}/${winner.name} is older (creationTimestamp ${winner.creationTimestamp} < ${loser.creationTimestamp})`
  }
  return `same creationTimestamp, and ${winner.namespace}/${winner.name} sorts before ${loser.namespace}/${loser.name}`
}

/** A route's claim on a hostname of a listener: the intersected hostname and the route hostname it came from. */
export interface HostnameClaim {
  hostname: string
  original: string
  meta: ObjectMeta
}

/**
 * Which of two routes claiming a connection on one listener wins (TLSRoute,
 * SEMANTICS.md §7 and §1.4): the more specific intersected hostname, then
 * the more specific original route hostname, then the oldest, then
 * namespace/name. Negative when `a` wins.
 */
export function compareHostnameClaims(a: HostnameClaim, b: HostnameClaim): number {
  return compareHostnameSpecificity(a.hostname, b.hostname) || compareHostnameSpecificity(a.original, b.original) || compareByAge(a.meta, b.meta)
}

/** Why claim `winner` beats `loser`, in words. */
export function explainHostnameClaims(winner: HostnameClaim, loser: HostnameClaim): string {
  if (compareHostnameSpecificity(winner.hostname, loser.hostname) !== 0) return `hostname ${loser.hostname} is less specific than ${winner.hostname}`
  if (compareHostnameSpecificity(winner.original, loser.original) !== 0) {
    return `same hostname ${loser.hostname}, but its route hostname ${loser.original} is less specific than ${winner.original}`
  }
  return `same hostname ${loser.hostname}; ${explainAgeOrder(winner.meta, loser.meta)}`
}
