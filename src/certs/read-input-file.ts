/**
 * Read an input file for the certs commands, turning IO failures into one
 * user error that names the file (missing, a directory, permission denied,
 * too large). `-` reads standard input. Files, stdin, FIFOs and devices
 * alike are read up to the same size limit, never further (/dev/zero ends
 * in an error, not in exhausted memory).
 */
import {stat} from 'node:fs/promises'
import {UserError} from '../errors/user-error.js'
import {readFileBounded, readStreamBounded} from '../manifests/read-input.js'

const MAX_BYTES = 16 * 1024 * 1024

export async function readInputFile(path: string): Promise<Buffer> {
  if (path === '-') return (await readStreamBounded(process.stdin, MAX_BYTES)) ?? refuseTooLarge('<stdin>')
  try {
    const info = await stat(path)
    if (info.isDirectory()) throw new UserError('input', 'is a directory, expected a file', {file: path})
    return (await readFileBounded(path, MAX_BYTES)) ?? refuseTooLarge(path)
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError('input', describeIoError(error as NodeJS.ErrnoException), {file: path})
  }
}

function describeIoError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'no such file'
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'permission denied'
  return error.message
}

function refuseTooLarge(file: string): never {
  throw new UserError('input', `is larger than ${MAX_BYTES / 1024 / 1024} MiB`, {file})
}
