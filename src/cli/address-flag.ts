/**
 * The one parser of serve's `--address` (repeatable): `ADDRESS` binds every
 * Gateway not named otherwise there (given at most once), and
 * `NAMESPACE/NAME=ADDRESS` (or `NAME=ADDRESS` in --namespace) binds that
 * Gateway there. Without the flag each Gateway gets its own loopback address
 * (src/serve/gateway-addresses.ts).
 */
import {isIP} from 'node:net'
import {UserError} from '../errors/user-error.js'
import type {AddressOptions} from '../serve/gateway-addresses.js'
import {parseGatewayFlag} from './gateway-flag.js'

const HOSTNAME = /^[a-zA-Z0-9](?:[-a-zA-Z0-9.]*[a-zA-Z0-9])?$/

export function parseAddressFlags(values: readonly string[], namespace: string): AddressOptions {
  let all: string | undefined
  const byGateway = new Map<string, string>()
  for (const value of values) {
    const equals = value.indexOf('=')
    const address = checkAddress(value, equals === -1 ? value : value.slice(equals + 1))
    if (equals === -1) {
      if (all !== undefined) throw new UserError('usage', `--address ${all} and --address ${value}: only one address can apply to every Gateway`, {hint: 'name the Gateway: --address NAMESPACE/NAME=ADDRESS'})
      all = address
      continue
    }
    let gateway
    try {
      gateway = parseGatewayFlag(value.slice(0, equals), namespace)
    } catch {
      throw new UserError('usage', `--address ${JSON.stringify(value)}: expected ADDRESS or NAMESPACE/NAME=ADDRESS`, {hint: 'e.g. --address default/internal=127.0.0.5'})
    }
    const name = `${gateway.namespace}/${gateway.name}`
    const earlier = byGateway.get(name)
    if (earlier !== undefined && earlier !== address) throw new UserError('usage', `--address gives Gateway ${name} two addresses, ${earlier} and ${address}`)
    byGateway.set(name, address)
  }
  return {all, byGateway}
}

function checkAddress(value: string, address: string): string {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  if (isIP(bare) === 0 && !HOSTNAME.test(bare)) {
    throw new UserError('usage', `--address ${JSON.stringify(value)}: ${JSON.stringify(address)} is not an IP address or host name`, {hint: 'e.g. --address 127.0.0.1, --address ::1, or --address default/gw=127.0.0.2'})
  }
  return bare
}
