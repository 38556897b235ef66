/**
 * How the key of a YAML map entry reads as a JSON property name, shared by
 * the conversion to plain values and by `locate`, so that a path into the
 * plain object always finds the key it came from. `<<` (a merge key, as
 * kubectl's YAML 1.1 parser and yaml's `merge` option read it) is told apart.
 */
import {isAlias, isScalar, type Document} from 'yaml'

export const MERGE_KEY = Symbol('<<')

/** The property name of a scalar key; undefined for a collection used as a key. */
export function readScalarKey(key: unknown, doc?: Document): string | typeof MERGE_KEY | undefined {
  const node = isAlias(key) && doc ? key.resolve(doc) : key
  if (!isScalar(node)) return undefined
  return formatScalarKey(node.value)
}

export function formatScalarKey(value: unknown): string | typeof MERGE_KEY {
  if (typeof value === 'symbol') return MERGE_KEY
  if (value === null || value === undefined) return ''
  return String(value)
}

/** Sets an own enumerable property, `__proto__` included, as JSON.parse does. */
export function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true})
  else target[key] = value
}
