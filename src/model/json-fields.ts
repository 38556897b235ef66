/**
 * Typed reads from untyped JSON. The manifests reaching the model may break
 * the schema in any way (the schema stage reports it); these readers return
 * undefined or an empty value instead of throwing, so the engine never
 * throws on a bad manifest.
 */

export type JsonObject = Record<string, unknown>

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export function asInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}

/** A map of string values; entries with other values are dropped. */
export function asStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const object = asObject(value)
  if (object === undefined) return out
  for (const [key, entry] of Object.entries(object)) {
    if (typeof entry === 'string') out[key] = entry
  }
  return out
}

export function asStringList(value: unknown): string[] {
  return asArray(value).filter((entry): entry is string => typeof entry === 'string')
}

/** Read a nested field: `field(obj, 'spec', 'tls', 'mode')`. */
export function field(value: unknown, ...path: string[]): unknown {
  let current: unknown = value
  for (const key of path) {
    const object = asObject(current)
    if (object === undefined) return undefined
    current = object[key]
  }
  return current
}
