/**
 * Where each Service port of the manifests lives on this machine: the
 * `--backend NS/NAME:PORT=HOST:PORT` flags and the `--backends FILE` YAML
 * map (`ns/name:port: host:port`), flags winning over the file. The key
 * names a backendRef after the engine resolved it (namespace defaulted).
 */
import {isMap, isScalar, parseDocument} from 'yaml'
import {UserError} from '../errors/user-error.js'

export interface BackendAddress {
  host: string
  port: number
}

export type BackendMap = ReadonlyMap<string, BackendAddress>

export function formatBackendKey(namespace: string, name: string, port: number | undefined): string {
  return `${namespace}/${name}:${port ?? '?'}`
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?):(\d{1,5})$/

function parseKey(text: string): string | undefined {
  const match = KEY.exec(text.trim())
  return match === null || Number(match[5]) > 65_535 ? undefined : `${match[1]}/${match[3]}:${Number(match[5])}`
}

/** `HOST:PORT`, `[v6]:PORT` or a bare port (host 127.0.0.1). */
export function parseHostPort(text: string): BackendAddress | undefined {
  const value = text.trim()
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(value) ?? /^()()(\d{1,5})$/.exec(value)
  if (match === null) return undefined
  const port = Number(match[3])
  if (port < 1 || port > 65_535) return undefined
  return {host: match[1] || match[2] || '127.0.0.1', port}
}

/** One `--backend NS/NAME:PORT=HOST:PORT` value. */
export function parseBackendFlag(value: string): [string, BackendAddress] {
  const equals = value.indexOf('=')
  const key = equals === -1 ? undefined : parseKey(value.slice(0, equals))
  const address = equals === -1 ? undefined : parseHostPort(value.slice(equals + 1))
  if (key === undefined || address === undefined) {
    throw new UserError('usage', `--backend ${JSON.stringify(value)}: expected NAMESPACE/NAME:PORT=HOST:PORT`, {hint: 'e.g. default/app:443=127.0.0.1:9443'})
  }
  return [key, address]
}

/** The `--backends` file: a YAML map of `ns/name:port: host:port`. */
export function parseBackendsFile(text: string, file: string): Map<string, BackendAddress> {
  const doc = parseDocument(text, {prettyErrors: false})
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : text.slice(0, offset).split('\n').length)
  if (doc.errors.length > 0) {
    const [error] = doc.errors
    throw new UserError('input', `${file}:${lineOf(error.pos[0])}: ${error.message.split('\n')[0]}`)
  }
  const map = new Map<string, BackendAddress>()
  if (doc.contents === null) return map
  if (!isMap(doc.contents)) throw new UserError('input', `${file}:${lineOf(doc.contents.range?.[0])}: expected a map of NAMESPACE/NAME:PORT: HOST:PORT`)
  for (const pair of doc.contents.items) {
    const keyNode = pair.key
    const valueNode = pair.value
    const line = lineOf(isScalar(keyNode) ? keyNode.range?.[0] : undefined)
    const key = isScalar(keyNode) ? parseKey(String(keyNode.value)) : undefined
    if (key === undefined) throw new UserError('input', `${file}:${line}: key ${JSON.stringify(isScalar(keyNode) ? String(keyNode.value) : keyNode)} is not NAMESPACE/NAME:PORT`)
    const address = isScalar(valueNode) ? parseHostPort(String(valueNode.value)) : undefined
    if (address === undefined) throw new UserError('input', `${file}:${line}: value of ${key} is not HOST:PORT`)
    map.set(key, address)
  }
  return map
}
