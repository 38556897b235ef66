/**
 * Write a set of output files all-or-nothing with respect to overwriting:
 * every target is checked before any is written, and without `force` an
 * existing target stops the whole set. Each file is written to a temporary
 * file in the same directory with its final mode (0600 for anything holding
 * a private key), then linked into place (no-clobber, atomic) or, with
 * `force`, renamed over the old file (atomic replace).
 */
import {randomBytes} from 'node:crypto'
import {access, link, mkdir, open, rename, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {UserError} from '../errors/user-error.js'

export interface OutputFile {
  path: string
  content: string
  /** 0o600 for keys and Secrets, 0o644 otherwise. */
  mode: number
}

export const PRIVATE_MODE = 0o600
export const PUBLIC_MODE = 0o644

export async function findExistingPaths(paths: readonly string[]): Promise<string[]> {
  const existing: string[] = []
  for (const path of paths) {
    try {
      await access(path)
      existing.push(path)
    } catch {
      // absent: nothing to report
    }
  }
  return existing
}

export async function assertWritable(paths: readonly string[], force: boolean): Promise<void> {
  if (force) return
  const existing = await findExistingPaths(paths)
  if (existing.length > 0) {
    throw new UserError('exists', `refusing to overwrite ${existing.join(', ')}`, {hint: 'use --force to replace them'})
  }
}

export async function writeFilesAtomically(files: readonly OutputFile[], force: boolean): Promise<void> {
  await assertWritable(files.map((file) => file.path), force)
  const staged: Array<{file: OutputFile; temporary: string}> = []
  try {
    for (const file of files) staged.push(await stageFile(file))
    for (const {file, temporary} of staged) await placeFile(temporary, file.path, force)
  } finally {
    await Promise.all(staged.map(({temporary}) => unlink(temporary).catch(() => undefined)))
  }
}

async function stageFile(file: OutputFile): Promise<{file: OutputFile; temporary: string}> {
  const directory = dirname(file.path)
  const temporary = join(directory, `.${basename(file.path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await mkdir(directory, {recursive: true})
    const handle = await open(temporary, 'wx', file.mode)
    try {
      await handle.chmod(file.mode)
      await handle.writeFile(file.content)
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    const failure = error as NodeJS.ErrnoException
    const reason = failure.code === 'EACCES' || failure.code === 'EPERM' ? 'permission denied' : failure.code === 'ENOTDIR' ? 'not a directory' : failure.message
    throw new UserError('input', `cannot write into this directory: ${reason}`, {file: directory})
  }
  return {file, temporary}
}

async function placeFile(temporary: string, target: string, force: boolean): Promise<void> {
  if (force) {
    await rename(temporary, target).catch((error: NodeJS.ErrnoException) => {
      throw new UserError('input', `cannot replace it: ${error.code === 'EISDIR' ? 'it is a directory' : error.message}`, {file: target})
    })
    return
  }
  try {
    await link(temporary, target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw new UserError('exists', 'appeared while writing; refusing to overwrite it', {file: target, hint: 'use --force to replace it'})
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error
    await assertWritable([target], false)
    await rename(temporary, target)
  }
}
