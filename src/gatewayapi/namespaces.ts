/**
 * Namespaces and label selectors (SEMANTICS.md §2.7). Namespace labels come
 * from the Namespace objects in the input; Kubernetes stamps every namespace
 * with `kubernetes.io/metadata.name=<name>`, so that label is synthesised for
 * every namespace, declared or only implied by other objects. Other labels of
 * an undeclared namespace are unknown, which `isDeclared` lets messages say.
 */
import type {LabelSelector, NamespacesFrom, Snapshot} from '../model/types.js'

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name'

export class NamespaceCatalog {
  private readonly labels = new Map<string, Record<string, string>>()

  constructor(snapshot: Snapshot) {
    for (const namespace of snapshot.namespaces) {
      this.labels.set(namespace.meta.name, {...namespace.meta.labels, [NAMESPACE_NAME_LABEL]: namespace.meta.name})
    }
  }

  isDeclared(name: string): boolean {
    return this.labels.has(name)
  }

  labelsOf(name: string): Record<string, string> {
    return this.labels.get(name) ?? {[NAMESPACE_NAME_LABEL]: name}
  }
}

/** Kubernetes label-selector semantics: matchLabels and matchExpressions ANDed; `{}` matches all. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) return false
  }
  for (const expression of selector.matchExpressions) {
    const present = Object.hasOwn(labels, expression.key)
    const value = labels[expression.key]
    switch (expression.operator) {
      case 'In': {
        if (!present || !expression.values.includes(value)) return false
        break
      }
      case 'NotIn': {
        if (present && expression.values.includes(value)) return false
        break
      }
      case 'Exists': {
        if (!present) return false
        break
      }
      case 'DoesNotExist': {
        if (present) return false
        break
      }
      default: {
        // An unknown operator is rejected by the API server; it selects nothing.
        return false
      }
    }
  }
  return true
}

export interface NamespaceDecision {
  allowed: boolean
  /** Why not, in words; empty when allowed. */
  why: string
}

/**
 * AllowedRoutes.namespaces / AllowedListeners.namespaces: may an object in
 * `candidate` attach to something owned by namespace `owner`?
 */
export function namespaceAllowed(
  rule: {from: NamespacesFrom; selector?: LabelSelector},
  owner: string,
  candidate: string,
  catalog: NamespaceCatalog,
): NamespaceDecision {
  switch (rule.from) {
    case 'All': {
      return {allowed: true, why: ''}
    }
    case 'Same': {
      return candidate === owner
        ? {allowed: true, why: ''}
        : {allowed: false, why: `only namespace '${owner}' is allowed (from: Same), not '${candidate}'`}
    }
    case 'Selector': {
      if (rule.selector === undefined) return {allowed: false, why: 'from: Selector has no selector, so no namespace is allowed'}
      if (selectorMatches(rule.selector, catalog.labelsOf(candidate))) return {allowed: true, why: ''}
      const assumption = catalog.isDeclared(candidate)
        ? ''
        : ` (namespace '${candidate}' is not in the input, so only its ${NAMESPACE_NAME_LABEL} label is known)`
      return {allowed: false, why: `namespace '${candidate}' does not match the selector${assumption}`}
    }
    case 'None': {
      return {allowed: false, why: 'no namespace is allowed (from: None)'}
    }
    default: {
      return {allowed: false, why: `unknown value from: ${rule.from}`}
    }
  }
}
