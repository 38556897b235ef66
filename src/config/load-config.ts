/**
 * Which `.gwctl.yaml` a command uses, read and validated: `--no-config`
 * none; `--config FILE` that file (it must exist); else the first
 * `.gwctl.yaml` in the working directory or its parents, stopping at the
 * filesystem root and at a directory that holds `.git` (a repository's root
 * is searched, nothing above it). An unreadable or invalid file is a
 * UserError (exit 2) naming it.
 */
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {UserError} from '../errors/user-error.js'
import {formatDisplayPath} from '../manifests/display-path.js'
import {CONFIG_FILE_NAME, type GwctlConfig} from './gwctl-config.js'
import {validateConfig} from './validate-config.js'

export interface ConfigChoice {
  /** `--config FILE`. */
  file?: string
  /** `--no-config`. */
  disabled?: boolean
  /** Where the search starts and relative names are taken from (process.cwd() when absent). */
  cwd?: string
}

export async function loadConfig(choice: ConfigChoice): Promise<GwctlConfig | undefined> {
  if (choice.disabled) return undefined
  const cwd = choice.cwd ?? process.cwd()
  const file = choice.file === undefined ? await findConfigFile(cwd) : path.resolve(cwd, choice.file)
  if (file === undefined) return undefined
  const display = formatDisplayPath(file, cwd)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? (error as Error).message
    throw new UserError('usage', `cannot read the config file: ${why}`, {file: display, hint: choice.file === undefined ? 'use --no-config to run without it' : undefined})
  }
  return validateConfig(text, {file: display, directory: path.dirname(file)})
}

/** The nearest `.gwctl.yaml` from `start` upwards, within the repository `start` is in. */
export async function findConfigFile(start: string): Promise<string | undefined> {
  for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, CONFIG_FILE_NAME)
    if (await isFile(candidate)) return candidate
    if (await exists(path.join(directory, '.git'))) return undefined
    if (path.dirname(directory) === directory) return undefined
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}
