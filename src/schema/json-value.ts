/**
 * Plain JSON values as the loader produces them: the plain-object test,
 * JSON type names for messages, and copying (own `__proto__` keys are kept
 * as data, as JSON.parse keeps them).
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** `null`, `array`, `integer`, `number`, `string`, `boolean` or `object`. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/** Sets an own enumerable property, `__proto__` included. */
export function setOwnProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true})
  else target[key] = value
}

export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson)
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) setOwnProperty(out, key, cloneJson(value[key]))
    return out
  }
  return value
}
