/**
 * `gwctl diff --map-namespace OLD=NEW`: compare two copies of a
 * configuration that differ in namespace (a staging and a production
 * overlay, a kustomize namespace or namePrefix). On the old side, a
 * namespace OLD, or OLD-SUFFIX, is read as NEW (NEW-SUFFIX), and so is the
 * name of a cluster-scoped object (GatewayClass, Namespace) written the same
 * way. The longest matching OLD wins. Pure.
 */
import {UserError} from '../errors/user-error.js'

export interface NamespaceRename {
  from: string
  to: string
}

/** `OLD=NEW` as a rename; both sides must be DNS labels. */
export function parseNamespaceRename(value: string): NamespaceRename {
  const [from, to, ...rest] = value.split('=')
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
  if (rest.length > 0 || from === undefined || to === undefined || !label.test(from.trim()) || !label.test(to.trim())) {
    throw new UserError('usage', `--map-namespace '${value}' must be OLD=NEW, two namespace names`, {hint: 'e.g. --map-namespace shop-staging=shop-prod'})
  }
  return {from: from.trim(), to: to.trim()}
}

/** The name (namespace or cluster-scoped object name) as the new side would write it. */
export function createRenamer(renames: readonly NamespaceRename[]): (name: string) => string {
  if (renames.length === 0) return (name) => name
  const ordered = [...renames].sort((a, b) => b.from.length - a.from.length)
  return (name) => {
    for (const {from, to} of ordered) {
      if (name === from) return to
      if (name.startsWith(`${from}-`)) return to + name.slice(from.length)
    }
    return name
  }
}
