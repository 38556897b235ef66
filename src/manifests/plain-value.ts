/**
 * Converts a composed YAML node into the plain JSON value later stages see,
 * within the limits of limits.ts: nesting depth, and the number of nodes
 * aliases may expand to. Duplicate keys keep the last value (as JSON.parse);
 * `<<` merge keys add the entries of the maps they name without overriding
 * the map's own keys. Breaking a limit throws an InputLimitError that names
 * the node at fault; nothing else is thrown.
 */
import {isAlias, isMap, isScalar, isSeq, type Node} from 'yaml'
import {formatCount, MAX_ALIAS_NODES, MAX_NESTING_DEPTH} from './limits.js'
import {formatScalarKey, MERGE_KEY, setProperty} from './map-keys.js'
import {clipText} from './quote-text.js'

export type LimitRuleId = 'input-too-deep' | 'input-alias-limit' | 'input-yaml-syntax'

export class InputLimitError extends Error {
  constructor(readonly ruleId: LimitRuleId, message: string, readonly node: Node) {
    super(message)
  }
}

interface Conversion {
  /** Anchors seen so far in document order; `open` while their node is being converted. */
  anchors: Map<string, {node: Node; open: boolean}>
  /** Nesting of alias expansions under way (anchors inside them are not re-registered). */
  aliasLevel: number
  /** The outermost alias being expanded, reported when the budget runs out. */
  aliasRoot?: Node
  aliasNodes: number
}

export function convertToPlainValue(root: Node | null | undefined): unknown {
  return convertNode(root, 0, {anchors: new Map(), aliasLevel: 0, aliasNodes: 0})
}

function convertNode(node: unknown, depth: number, state: Conversion): unknown {
  if (node === null || node === undefined) return null
  if (state.aliasLevel > 0 && ++state.aliasNodes > MAX_ALIAS_NODES) {
    throw new InputLimitError('input-alias-limit',
      `aliases expand to more than ${formatCount(MAX_ALIAS_NODES)} nodes in this document (an alias bomb?)`,
      state.aliasRoot ?? (node as Node))
  }
  if (isAlias(node)) return expandAlias(node, depth, state)
  const anchor = state.aliasLevel === 0 && (isScalar(node) || isMap(node) || isSeq(node)) ? node.anchor : undefined
  const entry = anchor ? {node: node as Node, open: true} : undefined
  if (anchor && entry) state.anchors.set(anchor, entry)
  const value = convertContent(node, depth, state)
  if (entry) entry.open = false
  return value
}

function convertContent(node: unknown, depth: number, state: Conversion): unknown {
  if (isScalar(node)) return typeof node.value === 'symbol' ? '<<' : node.value
  if (isMap(node)) {
    checkDepth(node, depth)
    return convertMap(node.items, depth + 1, state)
  }
  if (isSeq(node)) {
    checkDepth(node, depth)
    return node.items.map(item => convertNode(item, depth + 1, state))
  }
  return null
}

function checkDepth(node: Node, depth: number): void {
  if (depth >= MAX_NESTING_DEPTH) {
    throw new InputLimitError('input-too-deep', `maps and sequences nest deeper than ${MAX_NESTING_DEPTH} levels`, node)
  }
}

function expandAlias(alias: Node & {source: string}, depth: number, state: Conversion): unknown {
  const anchor = state.anchors.get(alias.source)
  const name = clipText(alias.source, 80)
  if (!anchor) throw new InputLimitError('input-yaml-syntax', `alias *${name} has no anchor &${name} before it`, alias)
  if (anchor.open) throw new InputLimitError('input-yaml-syntax', `alias *${name} refers to a collection that contains it`, alias)
  if (state.aliasLevel === 0) state.aliasRoot = alias
  state.aliasLevel++
  const value = convertNode(anchor.node, depth, state)
  state.aliasLevel--
  return value
}

interface MapItem {
  key: unknown
  value: unknown
}

function convertMap(items: readonly MapItem[], depth: number, state: Conversion): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  let mergeSources: Array<{node: Node; value: unknown}> | undefined
  for (const item of items) {
    const key = readKey(item.key, depth, state)
    if (key === MERGE_KEY) (mergeSources ??= []).push({node: item.value as Node, value: convertNode(item.value, depth, state)})
    else setProperty(result, key, convertNode(item.value, depth, state))
  }
  if (mergeSources) applyMerges(result, mergeSources)
  return result
}

function readKey(key: unknown, depth: number, state: Conversion): string | typeof MERGE_KEY {
  if (isScalar(key)) {
    convertNode(key, depth, state)
    return formatScalarKey(key.value)
  }
  const value = convertNode(key, depth, state)
  return typeof value === 'string' ? value : JSON.stringify(value) ?? ''
}

/** YAML merge: own keys win; among the merged maps, the first that has a key wins. */
function applyMerges(target: Record<string, unknown>, sources: Array<{node: Node; value: unknown}>): void {
  const own = new Set(Object.keys(target))
  for (const {node, value} of sources) {
    const maps = Array.isArray(value) ? value : [value]
    for (const map of maps) {
      if (!isPlainObject(map)) throw new InputLimitError('input-yaml-syntax', 'a << merge key needs a map or a list of maps', node)
      for (const [key, mapValue] of Object.entries(map)) {
        if (own.has(key)) continue
        own.add(key)
        setProperty(target, key, mapValue)
      }
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
