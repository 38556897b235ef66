/**
 * The one parser of `--gateway` (resolve, serve): `NAMESPACE/NAME`, or
 * `NAME` in the namespace of `--namespace`. Both parts must be names a
 * Gateway can have (namespace: an RFC 1123 label; name: an RFC 1123
 * subdomain), so a typo is a usage error rather than "no such Gateway".
 */
import {UserError} from '../errors/user-error.js'

export interface GatewayRef {
  namespace: string
  name: string
}

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/

export function parseGatewayFlag(value: string, namespace: string): GatewayRef {
  const parts = value.split('/')
  const [ns, name] = parts.length === 1 ? [namespace, parts[0]] : parts
  const fail = (what: string): never => {
    throw new UserError('usage', `--gateway '${value}'${what}`, {hint: 'use NAMESPACE/NAME, or NAME with --namespace'})
  }
  if (parts.length > 2) fail(' has more than one /')
  if (ns === '') fail(': the namespace before / is empty')
  if (name === '') fail(': the name is empty')
  if (!DNS_LABEL.test(ns) || ns.length > 63) fail(`: '${ns}' is not a namespace name (lowercase letters, digits and -)`)
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253) fail(`: '${name}' is not a Gateway name (lowercase letters, digits, - and .)`)
  return {namespace: ns, name}
}
