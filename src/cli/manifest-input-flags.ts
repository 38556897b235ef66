/**
 * The flags every command that reads manifests shares about its input:
 * `--exclude GLOB` (repeatable) and `--stdin-filename NAME`, and their check
 * against the paths given: a stdin name without `-` among the inputs is a
 * usage error, since it would name nothing.
 */
import * as Flags from '@oclif/core/flags'
import {UserError} from '../errors/user-error.js'
import {splitFilenameFlag} from '../manifests/filename-flag.js'

export const EXCLUDE_FLAG_DESCRIPTION = 'skip files and directories matching this glob, relative to the current directory; a pattern without / matches a name at any depth (repeatable)'

export const manifestInputFlags = {
  exclude: Flags.string({description: EXCLUDE_FLAG_DESCRIPTION, multiple: true, helpValue: 'GLOB'}),
  'stdin-filename': Flags.string({description: 'the file name that findings give stdin (-), e.g. the path the piped manifests come from', helpValue: 'NAME'}),
}

export interface ManifestInputOptions {
  exclude?: string[]
  stdinFilename?: string
}

/** The loader options of `--exclude` and `--stdin-filename`, checked against the positional paths and `-f` values. */
export function readManifestInputFlags(
  paths: readonly string[], filenames: readonly string[] | undefined, flags: {exclude?: string[]; 'stdin-filename'?: string},
): ManifestInputOptions {
  const stdinFilename = flags['stdin-filename']
  if (stdinFilename !== undefined) {
    if (stdinFilename.trim() === '') throw new UserError('usage', '--stdin-filename must not be empty')
    const inputs = [...paths, ...(filenames ?? []).flatMap((value) => splitFilenameFlag(value))]
    if (!inputs.includes('-')) throw new UserError('usage', '--stdin-filename names stdin, but no input is - (stdin)', {hint: 'add - to the paths, or -f -'})
  }
  return {exclude: flags.exclude, stdinFilename}
}
