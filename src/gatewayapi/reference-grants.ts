/**
 * ReferenceGrant decisions (SEMANTICS.md §6). Grants are indexed up front by
 * the namespace they live in (the referent's namespace) and, within it, by
 * each `from` entry, so a lookup reads only the grants naming the referrer;
 * a reference is permitted when some `from` entry matches the referrer
 * (group, kind, namespace) and some `to` entry matches the referent (group,
 * kind, and name when given). Same-namespace references never need a grant. The index
 * remembers which grants permitted something, for the "grant matches nothing"
 * lint.
 */
import type {ReferenceGrant} from '../model/types.js'

export interface Referrer {
  group: string
  kind: string
  namespace: string
}

export interface Referent {
  group: string
  kind: string
  namespace: string
  name: string
}

function referrerKey(namespace: string, from: Referrer): string {
  return `${namespace}\u0000${from.group}\u0000${from.kind}\u0000${from.namespace}`
}

export class ReferenceGrantIndex {
  private readonly byNamespace = new Map<string, ReferenceGrant[]>()
  /** Grants by their namespace and one of their `from` entries, in input order. */
  private readonly byReferrer = new Map<string, ReferenceGrant[]>()
  private readonly used = new Set<ReferenceGrant>()

  constructor(readonly grants: readonly ReferenceGrant[]) {
    for (const grant of grants) {
      const list = this.byNamespace.get(grant.meta.namespace)
      if (list === undefined) this.byNamespace.set(grant.meta.namespace, [grant])
      else list.push(grant)
      for (const entry of grant.from) {
        const key = referrerKey(grant.meta.namespace, entry)
        const named = this.byReferrer.get(key)
        if (named === undefined) this.byReferrer.set(key, [grant])
        else if (named.at(-1) !== grant) named.push(grant)
      }
    }
  }

  /** Is the reference permitted? Records the granting grant as used. */
  permits(from: Referrer, to: Referent): boolean {
    if (from.namespace === to.namespace) return true
    const grant = this.findGrant(from, to)
    if (grant === undefined) return false
    this.used.add(grant)
    return true
  }

  /** The grant that permits the reference, if any (no bookkeeping). */
  findGrant(from: Referrer, to: Referent): ReferenceGrant | undefined {
    for (const grant of this.byReferrer.get(referrerKey(to.namespace, from)) ?? []) {
      const fromMatches = grant.from.some((entry) => entry.group === from.group && entry.kind === from.kind && entry.namespace === from.namespace)
      if (!fromMatches) continue
      const toMatches = grant.to.some((entry) => entry.group === to.group && entry.kind === to.kind && (entry.name === undefined || entry.name === to.name))
      if (toMatches) return grant
    }
    return undefined
  }

  /**
   * Why a cross-namespace reference is not permitted, in words a user can act
   * on: which namespace the grant must live in, and what near misses exist.
   */
  explainDenial(from: Referrer, to: Referent): string {
    const need = `a ReferenceGrant in namespace '${to.namespace}' from ${describeGroupKind(from.group, from.kind)} in '${from.namespace}' to ${describeGroupKind(to.group, to.kind)} '${to.name}'`
    const misplaced = (this.byNamespace.get(from.namespace) ?? []).filter((grant) =>
      grant.to.some((entry) => entry.group === to.group && entry.kind === to.kind && (entry.name === undefined || entry.name === to.name)))
    if (misplaced.length > 0) {
      return `${need} is required; ReferenceGrant '${from.namespace}/${misplaced[0].meta.name}' is in the referrer's namespace, and a grant can only allow references to its own namespace`
    }
    const nearby = this.byNamespace.get(to.namespace) ?? []
    if (nearby.length > 0) {
      return `${need} is required; no ReferenceGrant in '${to.namespace}' (${nearby.map((grant) => grant.meta.name).join(', ')}) matches both the referrer and the referent`
    }
    return `${need} is required`
  }

  /** Grants that permitted no reference so far. */
  unusedGrants(): ReferenceGrant[] {
    return this.grants.filter((grant) => !this.used.has(grant))
  }
}

export function describeGroupKind(group: string, kind: string): string {
  return group === '' ? kind : `${kind}.${group}`
}
