/**
 * Structural-schema defaulting, as the API server applies it when it
 * decodes a custom resource (before validation): where an object is present,
 * each absent property with a `default` gets it, and so does a property
 * that is null but not nullable; defaults are themselves defaulted (nested
 * defaults apply), and items and map values are defaulted by their schema.
 * Values of the wrong type and unknown fields are left as they are (the
 * validating walk reports and prunes them). Returns a copy; the input is not
 * modified. No CEL, no reporting: the one implementation of CRD defaults,
 * used by the validating walk (structural-walk.ts) and, without validation,
 * by the model (default-object.ts).
 */
import {cloneJson, isPlainObject, setOwnProperty} from './json-value.js'
import type {SchemaNode} from './schema-node.js'

export function applyDefaults(value: unknown, node: SchemaNode): unknown {
  if (Array.isArray(value)) {
    const items = node.items
    return items === undefined || (node.type !== undefined && node.type !== 'array') ? cloneJson(value) : value.map((item) => applyDefaults(item, items))
  }
  if (!isPlainObject(value) || (node.type !== undefined && node.type !== 'object')) return cloneJson(value)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const sub = node.properties?.get(key) ?? node.additionalProperties
    let child = value[key]
    if (sub !== undefined && child === null && !sub.nullable && sub.hasDefault) child = cloneJson(sub.default)
    setOwnProperty(out, key, sub === undefined ? cloneJson(child) : applyDefaults(child, sub))
  }
  for (const [key, sub] of node.properties ?? []) {
    if (sub.hasDefault && !Object.hasOwn(value, key)) setOwnProperty(out, key, applyDefaults(cloneJson(sub.default), sub))
  }
  return out
}
