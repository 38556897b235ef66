/**
 * JSON values as the API server hands them to CEL rules: object fields under
 * their escaped names (`namespace` → `__namespace__`, `a-b` → `a__dash__b`),
 * integers as CEL int (BigInt), maps keyed by their raw keys, fields outside
 * the schema left out. The structural walk builds typed values with these
 * helpers; `toCelUntyped` converts values below x-kubernetes-preserve-unknown-fields.
 */
import {celList, celMap, type CelInput} from '@bufbuild/cel'

const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
])
const ESCAPABLE = /^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/
const EXPAND = /__|[-./]/g
const EXPANSIONS: Record<string, string> = {'__': '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__'}

/** Escaped names remembered (schema property names, a few hundred); the memo starts afresh beyond this. */
const MAX_MEMO_ENTRIES = 4096
const escapedNames = new Map<string, string | undefined>()

/** The CEL name of an object property, or undefined when CEL cannot address it. */
export function escapeCelFieldName(name: string): string | undefined {
  if (escapedNames.has(name)) return escapedNames.get(name)
  if (escapedNames.size >= MAX_MEMO_ENTRIES) escapedNames.clear()
  const escaped = RESERVED.has(name) ? `__${name}__` : ESCAPABLE.test(name) ? name.replace(EXPAND, (s) => EXPANSIONS[s]) : undefined
  escapedNames.set(name, escaped)
  return escaped
}

/** A JSON number as CEL sees it: int when integral, double otherwise. */
export function toCelNumber(value: number): CelInput {
  return Number.isInteger(value) ? BigInt(value) : value
}

/** Converts a JSON value that has no schema below it (preserve-unknown-fields). */
export function toCelUntyped(value: unknown): CelInput {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return toCelNumber(value)
  if (Array.isArray(value)) return celList(value.map((v) => toCelUntyped(v)))
  const entries = new Map<string, CelInput>()
  for (const key of Object.keys(value as Record<string, unknown>)) entries.set(key, toCelUntyped((value as Record<string, unknown>)[key]))
  return celMap(entries)
}
