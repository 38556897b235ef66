/**
 * Write a set of output files all or nothing: every target is checked
 * before any is written (without `force` an existing target, a dangling
 * symbolic link included, stops the whole set; with `force` a directory in
 * the way does), each file is staged in a temporary file in its directory
 * with its final mode (0600 for anything holding a private key), and only
 * then are they put in place: linked (no-clobber, atomic) or, with `force`,
 * renamed over the old file (atomic replace) after keeping a link to it. If
 * placing any file fails, the ones already placed are taken back (new files
 * removed, replaced files restored), so a failure leaves the directory as
 * it was.
 */
import {randomBytes} from 'node:crypto'
import {link, lstat, mkdir, open, rename, stat, unlink} from 'node:fs/promises'
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

interface Placed {
  target: string
  /** A link to the file it replaced, to restore on failure. */
  backup?: string
}

/** The paths that exist as anything, a symbolic link to nowhere included. */
export async function findExistingPaths(paths: readonly string[]): Promise<string[]> {
  const existing: string[] = []
  for (const path of paths) {
    if ((await describeExisting(path)) !== undefined) existing.push(path)
  }
  return existing
}

export async function assertWritable(paths: readonly string[], force: boolean): Promise<void> {
  const found = await Promise.all(paths.map(async (path) => ({path, kind: await describeExisting(path)})))
  if (force) {
    const directory = found.find(({kind}) => kind === 'directory')
    if (directory !== undefined) throw new UserError('input', 'cannot replace it: it is a directory', {file: directory.path})
    return
  }
  const existing = found.filter(({kind}) => kind !== undefined)
  if (existing.length > 0) {
    const named = existing.map(({path, kind}) => (kind === 'dangling link' ? `${path} (a symbolic link to a missing file)` : path))
    throw new UserError('exists', `refusing to overwrite ${named.join(', ')}`, {hint: 'use --force to replace them'})
  }
}

export async function writeFilesAtomically(files: readonly OutputFile[], force: boolean): Promise<void> {
  await assertWritable(files.map((file) => file.path), force)
  const staged: Array<{file: OutputFile; temporary: string}> = []
  const placed: Placed[] = []
  try {
    for (const file of files) staged.push(await stageFile(file))
    for (const {file, temporary} of staged) placed.push(await placeFile(temporary, file.path, force))
  } catch (error) {
    await takeBack(placed)
    throw error
  } finally {
    await Promise.all(staged.map(({temporary}) => unlink(temporary).catch(() => undefined)))
  }
  await Promise.all(placed.map(({backup}) => (backup === undefined ? undefined : unlink(backup).catch(() => undefined))))
}

async function describeExisting(path: string): Promise<'file' | 'directory' | 'dangling link' | undefined> {
  try {
    const info = await lstat(path)
    if (info.isDirectory()) return 'directory'
    if (info.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined)
      if (target === undefined) return 'dangling link'
      return target.isDirectory() ? 'directory' : 'file'
    }
    return 'file'
  } catch {
    return undefined
  }
}

async function stageFile(file: OutputFile): Promise<{file: OutputFile; temporary: string}> {
  const directory = dirname(file.path)
  const temporary = temporaryName(file.path, 'tmp')
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

async function placeFile(temporary: string, target: string, force: boolean): Promise<Placed> {
  if (force) {
    const backup = await keepOld(target)
    await rename(temporary, target).catch(async (error: NodeJS.ErrnoException) => {
      if (backup !== undefined) await rename(backup, target).catch(() => undefined)
      throw new UserError('input', `cannot replace it: ${error.code === 'EISDIR' ? 'it is a directory' : error.message}`, {file: target})
    })
    return {target, ...(backup === undefined ? {} : {backup})}
  }
  try {
    await link(temporary, target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw new UserError('exists', 'appeared while writing; refusing to overwrite it', {file: target, hint: 'use --force to replace it'})
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw new UserError('input', `cannot write it: ${(error as Error).message}`, {file: target})
    await assertWritable([target], false)
    await rename(temporary, target)
  }
  return {target}
}

/**
 * Keep the file about to be replaced under a temporary name: a hard link
 * (the target stays in place until the atomic rename), or, where the file
 * system has no hard links, the file itself moved aside. Undefined when
 * there is nothing to replace.
 */
async function keepOld(target: string): Promise<string | undefined> {
  if ((await describeExisting(target)) === undefined) return undefined
  const backup = temporaryName(target, 'old')
  try {
    await link(target, backup)
  } catch {
    await rename(target, backup).catch((error: NodeJS.ErrnoException) => {
      throw new UserError('input', `cannot replace it: ${error.message}`, {file: target})
    })
  }
  return backup
}

async function takeBack(placed: readonly Placed[]): Promise<void> {
  for (const {target, backup} of [...placed].reverse()) {
    if (backup === undefined) await unlink(target).catch(() => undefined)
    else await rename(backup, target).catch(() => undefined)
  }
}

function temporaryName(path: string, purpose: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.${purpose}`)
}
