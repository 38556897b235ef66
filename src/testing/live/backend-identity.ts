/**
 * Which backend answered, as the backend itself says: the stub backends of
 * `gwctl serve --stub-backends` (and real backends set up to echo their
 * identity) name themselves in an HTTP response header or gRPC initial
 * metadata (`x-gwctl-backend: NS/NAME:PORT` by default, any header name a
 * test run configures), and on TCP, TLS and UDP in a first line
 * `gwctl-stub-backend NS/NAME:PORT`. Pure.
 */

export const DEFAULT_BACKEND_HEADER = 'x-gwctl-backend'

const BANNER = /^gwctl-stub-backend (\S+)\r?\n/

/** The identity in the first line of a stream or datagram answer, if it is a stub banner. */
export function readBackendBanner(bytes: Buffer): string | undefined {
  return BANNER.exec(bytes.subarray(0, 512).toString('latin1'))?.[1]
}

/** True once `bytes` hold a complete first line (or enough bytes that no banner can follow). */
export function hasFirstLine(bytes: Buffer): boolean {
  return bytes.includes(0x0a) || bytes.length >= 512
}

/** The identity in a response header (first value; names compare case-insensitively). */
export function readBackendHeader(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined || first.trim() === '' ? undefined : first.trim()
}
