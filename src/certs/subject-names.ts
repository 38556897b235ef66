/**
 * Names that go into a certificate or a Secret: DNS SANs (RFC 1123, with an
 * optional `*.` wildcard as the whole first label), IP SANs, Kubernetes
 * object names, and the file stem NAME that defaults from the first name.
 * Validation errors are user errors naming the flag.
 */
import {isIP} from 'node:net'
import {UserError} from '../errors/user-error.js'

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'
const DNS_NAME = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`)
const DNS_SUBDOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`)
const DNS_LABEL = new RegExp(`^${LABEL}$`)

/** Lower-cased DNS name, trailing dot removed; throws a usage error if it is not a valid (wildcard) name. */
export function normalizeDnsName(value: string): string {
  const name = value.trim().toLowerCase().replace(/\.$/, '')
  if (isIP(name.replace(/^\[(.*)\]$/, '$1'))) throw new UserError('usage', `--dns ${value}: an IP address; use --ip`)
  if (name.length > 253 || !DNS_NAME.test(name)) {
    throw new UserError('usage', `--dns ${value}: not a DNS name (letters, digits and '-' in dot-separated labels, optionally starting with '*.')`)
  }
  return name
}

export function normalizeIpAddress(value: string): string {
  const address = value.trim().replace(/^\[(.*)\]$/, '$1')
  if (!isIP(address)) throw new UserError('usage', `--ip ${value}: not an IPv4 or IPv6 address`)
  return address
}

/** metadata.name of a Secret: an RFC 1123 subdomain of at most 253 characters. */
export function checkSecretName(name: string, flag: string): string {
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw new UserError('usage', `${flag} ${name}: not a valid Secret name (lower-case RFC 1123 subdomain)`)
  }
  return name
}

/** metadata.namespace: an RFC 1123 label of at most 63 characters. */
export function checkNamespace(namespace: string): string {
  if (!DNS_LABEL.test(namespace)) throw new UserError('usage', `--namespace ${namespace}: not a valid namespace (lower-case RFC 1123 label)`)
  return namespace
}

/**
 * The file stem: NAME when given, else the first DNS name (`*.example.com`
 * becomes `wildcard.example.com`), else the first IP address, else the CN.
 */
export function chooseFileStem(name: string | undefined, dnsNames: string[], ipAddresses: string[], commonName: string | undefined): string {
  const stem = name ?? dnsNames[0]?.replace(/^\*\./, 'wildcard.') ?? ipAddresses[0]?.replaceAll(':', '-') ?? commonName
  if (stem === undefined) throw new UserError('usage', 'give NAME, --dns, --ip or --cn: the files are named after it')
  if (stem === '' || stem.startsWith('.') || /[/\\\0]/.test(stem)) {
    throw new UserError('usage', `NAME ${stem}: a file name without directories is expected (use --out-dir for the directory)`)
  }
  return stem
}
