/**
 * The tie-breaker every Gateway API conflict rule ends with (Listener
 * AllowedRoutes, HTTPRouteRule.Matches, TLSRoute/TCPRoute "oldest wins",
 * BackendTLSPolicy conflicts, ListenerSet order): the oldest
 * `creationTimestamp` first, then `{namespace}/{name}` alphabetically. An
 * object without a timestamp sorts after those with one (offline, it is
 * assumed to be created now).
 */
import type {ObjectMeta} from '../model/types.js'

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
