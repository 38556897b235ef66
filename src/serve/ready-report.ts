/**
 * What serve prints when its sockets are bound, so people and scripts know
 * where to connect: one text line per bound listener, or one JSON line
 * (`--json`), and the same JSON written to `--ready-file`: atomically (a CI
 * script polling for the file never reads half of it) through a temporary
 * file with an unpredictable name created exclusively (O_EXCL) in the same
 * directory, and only ever replacing a regular file — a directory, a
 * symlink or a device at the path is refused with a one-line error, as is a
 * missing directory.
 */
import {randomBytes} from 'node:crypto'
import {lstat, open, rename, stat, unlink} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {UserError} from '../errors/user-error.js'
import {formatGatewayName, type AddressSource} from './gateway-addresses.js'
import type {BoundListener} from './gateway-server.js'
import type {PortPlan} from './port-plan.js'
import type {StubListing} from './stub-backends/stub-backends.js'

export interface ReadyReport {
  event: 'ready'
  pid: number
  /** Each served Gateway's local addresses and where they come from (--address, spec.addresses, assigned 127.0.0.N). */
  gateways: ReadyGateway[]
  /** With --workers N > 1: the PIDs of the worker processes serving the sockets (`pid` is the primary's). */
  workers?: number[]
  listeners: BoundListener[]
  /** Problems found at start (unmapped backends, certificates, listeners not served). */
  warnings: string[]
  /** With --stub-backends: the built-in echo backends, `{backend, address, protocol}` each. */
  stubs?: StubListing[]
  /** With TLS stubs: the CA file their certificates chain to (for curl --cacert). */
  stubCa?: string
}

export interface ReadyGateway {
  gateway: string
  addresses: string[]
  source: AddressSource
}

/** The Gateways with at least one socket in the plan, with their addresses. */
export function describeGatewayAddresses(plan: PortPlan): ReadyGateway[] {
  const served = new Set(plan.sockets.map((socket) => socket.gateway))
  return plan.addresses.filter((entry) => served.has(entry.gateway))
    .map((entry) => ({gateway: formatGatewayName(entry.gateway), addresses: entry.addresses, source: entry.source}))
}

export function formatReadyLines(listeners: readonly BoundListener[]): string[] {
  return listeners.map((listener) => `ready ${listener.gateway} listener=${listener.listener} ${listener.protocol}${listener.mode === undefined ? '' : `/${listener.mode}`} hostname=${listener.hostname} port=${listener.port} on ${listener.address}`)
}

/** Refuse a --ready-file path that cannot be written safely (before any socket is bound). */
export async function checkReadyFile(file: string): Promise<void> {
  const directory = dirname(resolve(file))
  const parent = await stat(directory).catch((error: NodeJS.ErrnoException) => error)
  if (parent instanceof Error) {
    throw new UserError('usage', `--ready-file ${file}: directory ${directory} ${parent.code === 'ENOENT' || parent.code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${parent.code ?? parent.message})`}`)
  }
  if (!parent.isDirectory()) throw new UserError('usage', `--ready-file ${file}: ${directory} is not a directory`)
  const existing = await lstat(file).catch(() => undefined)
  if (existing !== undefined && !existing.isFile()) {
    throw new UserError('usage', `--ready-file ${file}: ${describeKind(existing)} is there; only a regular file is replaced`, {hint: 'name a new or regular file'})
  }
}

export async function writeReadyFile(file: string, report: ReadyReport): Promise<void> {
  await checkReadyFile(file)
  const temporary = join(dirname(resolve(file)), `.${basename(file)}.${randomBytes(12).toString('hex')}.tmp`)
  const handle = await open(temporary, 'wx', 0o644)
  try {
    try {
      await handle.writeFile(`${JSON.stringify(report)}\n`)
    } finally {
      await handle.close()
    }
    await rename(temporary, file)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  }
}

function describeKind(info: Awaited<ReturnType<typeof lstat>>): string {
  if (info.isSymbolicLink()) return 'a symbolic link'
  if (info.isDirectory()) return 'a directory'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  if (info.isFIFO()) return 'a FIFO'
  if (info.isSocket()) return 'a socket'
  return 'something other than a regular file'
}
