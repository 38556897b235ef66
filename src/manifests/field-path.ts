/**
 * Field paths: a path is a list of keys and indexes into a JSON value,
 * e.g. ['spec', 'listeners', 0, 'hostname']. `formatFieldPath` renders it the
 * way kubectl and the API server do: `spec.listeners[0].hostname`.
 */

export type FieldPath = ReadonlyArray<string | number>

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/

export function formatFieldPath(path: FieldPath): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (SIMPLE_KEY.test(part)) out += out === '' ? part : `.${part}`
    else out += `[${JSON.stringify(part)}]`
  }
  return out
}
