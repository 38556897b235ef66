/**
 * A `--backend` or `--port-map` entry that maps nothing is a typo until
 * proven otherwise, and silently serving without it sends traffic nowhere:
 * a `--backend NS/NAME:PORT=...` must name a Service port some route of the
 * input references (backendRefs and filter backends such as RequestMirror),
 * and a `--port-map LISTENER_PORT=...` a port some Gateway listener of the
 * input uses. Anything else is a usage error with the closest name
 * (suggestName). Entries of a `--backends` file only get a warning: one
 * file may serve several manifest sets. Pure.
 */
import type {Binding} from '../gatewayapi/binding.js'
import {gatewayListeners} from '../gatewayapi/decide.js'
import {UserError} from '../errors/user-error.js'
import {suggestName} from '../errors/suggest-name.js'
import {formatBackendKey, parseBackendFlag} from './backend-map.js'

const LISTED = 8

/** Every `NS/NAME:PORT` Service port referenced by a route of the input. */
export function listReferencedServicePorts(binding: Binding): Set<string> {
  const keys = new Set<string>()
  for (const route of binding.routes) {
    for (const rule of route.rules) {
      for (const backend of [...rule.backends, ...rule.filterBackends]) {
        if (backend.ref.port !== undefined) keys.add(formatBackendKey(backend.ref.namespace, backend.ref.name, backend.ref.port))
      }
    }
  }
  return keys
}

export function checkBackendFlags(binding: Binding, flags: readonly string[]): void {
  const known = listReferencedServicePorts(binding)
  for (const flag of flags) {
    const [key] = parseBackendFlag(flag)
    if (known.has(key)) continue
    const suggestion = suggestName(key, known) ?? suggestOtherNamespace(key, known)
    throw new UserError('usage', `--backend ${flag}: no route references Service port ${key}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
      {hint: known.size === 0 ? 'no route of the input references a Service port' : `referenced: ${listSome([...known].sort())}`})
  }
}

/** Warnings for `--backends` file entries no route references, with the closest referenced one. */
export function describeUnusedBackendEntries(binding: Binding, file: string, keys: Iterable<string>): string[] {
  const known = listReferencedServicePorts(binding)
  return [...keys].filter((key) => !known.has(key)).map((key) => {
    const suggestion = suggestName(key, known) ?? suggestOtherNamespace(key, known)
    return `--backends ${file}: no route references Service port ${key}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`
  })
}

export function checkPortMap(binding: Binding, portMap: ReadonlyMap<number, number>): void {
  const ports = new Set<number>()
  for (const gateway of binding.gateways) {
    for (const listener of gatewayListeners(gateway)) if (listener.spec.port !== undefined) ports.add(listener.spec.port)
  }
  for (const [port, local] of portMap) {
    if (ports.has(port)) continue
    const names = [...ports].sort((a, b) => a - b).map(String)
    const suggestion = suggestName(String(port), names)
    throw new UserError('usage', `--port-map ${port}=${local}: no listener has port ${port}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
      {hint: names.length === 0 ? 'no Gateway of the input has a listener' : `listener ports: ${listSome(names)}`})
  }
}

/** `default/app:443` when only `shop/app:443` is referenced: the namespace was left out or mistaken. */
function suggestOtherNamespace(key: string, known: ReadonlySet<string>): string | undefined {
  const nameAndPort = key.slice(key.indexOf('/'))
  return [...known].sort().find((candidate) => candidate.endsWith(nameAndPort))
}

function listSome(names: readonly string[]): string {
  return names.length <= LISTED ? names.join(', ') : `${names.slice(0, LISTED).join(', ')} and ${names.length - LISTED} more`
}
