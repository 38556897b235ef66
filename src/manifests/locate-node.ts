/**
 * Finds the YAML node at a field path by walking the composed document on
 * demand (no per-node index is built): map keys are matched as the plain
 * object reads them (last duplicate wins, own keys before `<<` merges),
 * sequence items by index, and aliases are followed to their anchor. When
 * the path leaves the document, the walk stops at the nearest existing
 * ancestor.
 */
import {isAlias, isMap, isPair, isSeq, type Document, type Node, type Pair} from 'yaml'
import type {FieldPath} from './field-path.js'
import {MERGE_KEY, readScalarKey} from './map-keys.js'

export interface NodeAtPath {
  /** The value node reached (the deepest existing one when `complete` is false). */
  value: Node | null
  /** The key node of the map entry holding `value`, if it is held by a map. */
  key: Node | null
  /** True when every part of the path was found. */
  complete: boolean
}

/** Bounds the chains of `<<` merges followed while looking for a key. */
const MAX_MERGE_HOPS = 16

export function findNodeAtPath(root: Node, path: FieldPath, doc: Document): NodeAtPath {
  let value: Node | null = root
  let key: Node | null = null
  for (let index = 0; index < path.length; index++) {
    const part = path[index]
    const container = resolveAlias(value, doc)
    let next: {value: Node | null; key: Node | null} | undefined
    if (isMap(container)) {
      const pair = findPair(container.items as Pair[], String(part), doc, 0)
      if (pair) next = {value: asNode(pair.value), key: asNode(pair.key)}
    } else if (isSeq(container) && typeof part === 'number' && Number.isInteger(part) && part >= 0 && part < container.items.length) {
      next = {value: asNode(container.items[part]), key: null}
    }
    if (!next) return {value: value ?? key, key, complete: false}
    value = next.value
    key = next.key
    if (value === null && index < path.length - 1) return {value: key, key, complete: false}
  }
  return {value, key, complete: true}
}

/** The pair a plain object's key came from: the last own entry, else the first merged one. */
function findPair(items: readonly Pair[], name: string, doc: Document, hops: number): Pair | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    if (readScalarKey(items[index].key, doc) === name) return items[index]
  }
  if (hops >= MAX_MERGE_HOPS) return undefined
  for (const item of items) {
    if (readScalarKey(item.key, doc) !== MERGE_KEY) continue
    const source = resolveAlias(asNode(item.value), doc)
    const maps = isSeq(source) ? source.items.map(entry => resolveAlias(asNode(entry), doc)) : [source]
    for (const map of maps) {
      const pair = isMap(map) ? findPair(map.items as Pair[], name, doc, hops + 1) : undefined
      if (pair) return pair
    }
  }
  return undefined
}

function resolveAlias(node: Node | null, doc: Document): Node | null {
  let current = node
  for (let hops = 0; isAlias(current) && hops < MAX_MERGE_HOPS; hops++) current = asNode(current.resolve(doc))
  return current
}

function asNode(value: unknown): Node | null {
  return typeof value === 'object' && value !== null && !isPair(value) ? value as Node : null
}

/**
 * The first map key that starts at or after `offset`, with its path (used to
 * name the field of a duplicate key, which yaml reports at the whitespace
 * before the key). Walks the tree without recursion; aliases are not followed.
 */
export function findKeyAfter(root: Node, offset: number): {path: FieldPath; offset: number} | undefined {
  let found: {path: FieldPath; offset: number} | undefined
  const pending: Array<{node: unknown; path: Array<string | number>}> = [{node: root, path: []}]
  while (pending.length > 0) {
    const {node, path} = pending.pop()!
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) {
        const name = readScalarKey(pair.key)
        if (typeof name !== 'string') continue
        const start = asNode(pair.key)?.range?.[0]
        if (start !== undefined && start >= offset && (found === undefined || start < found.offset)) found = {path: [...path, name], offset: start}
        pending.push({node: pair.value, path: [...path, name]})
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => pending.push({node: item, path: [...path, index]}))
    }
  }
  return found
}
