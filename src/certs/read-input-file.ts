/**
 * Read an input file for the certs commands, turning IO failures into one
 * user error that names the file (missing, a directory, permission denied,
 * too large). `-` reads standard input.
 */
import {readFile, stat} from 'node:fs/promises'
import {UserError} from '../errors/user-error.js'

const MAX_BYTES = 16 * 1024 * 1024

export async function readInputFile(path: string): Promise<Buffer> {
  if (path === '-') return readStdin()
  try {
    const info = await stat(path)
    if (info.isDirectory()) throw new UserError('input', 'is a directory, expected a file', {file: path})
    if (info.size > MAX_BYTES) throw new UserError('input', `is larger than ${MAX_BYTES / 1024 / 1024} MiB`, {file: path})
    return await readFile(path)
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

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length
    if (size > MAX_BYTES) throw new UserError('input', `is larger than ${MAX_BYTES / 1024 / 1024} MiB`, {file: '<stdin>'})
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
