/**
 * Base class of every gwctl command: error handling per the CLI contract.
 * A user error (bad flag, unreadable or unusable input, refusing to
 * overwrite) prints one line `gwctl: FILE: what is wrong (hint)` on stderr,
 * or `{"error": {...}}` on stdout when JSON output was asked for, and exits 2
 * without a stack trace. Anything else is a bug: one line naming it as an
 * internal error, exit 2; the stack only with GWCTL_DEBUG=1.
 */
import {Command} from '@oclif/core/command'
import * as Errors from '@oclif/core/errors'
import {UserError} from '../errors/user-error.js'
import {suggestFlagHint} from './suggest-flag.js'

export const USAGE_EXIT_CODE = 2

export interface ErrorJson {
  code: 'usage' | 'input' | 'exists' | 'internal'
  message: string
  file?: string
  hint?: string
}

export abstract class GwctlCommand extends Command {
  /** True when errors must be printed as JSON; decided from the raw argv, since parsing may have failed. */
  protected wantsJsonErrors(): boolean {
    return this.jsonEnabled() || argvRequestsJson(this.argv)
  }

  override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error
    const described = describeError(error, this.ctor.flags)
    if (this.wantsJsonErrors()) process.stdout.write(`${JSON.stringify({error: described})}\n`)
    else process.stderr.write(`gwctl: ${described.code === 'internal' ? 'internal error (please report it): ' : ''}${formatErrorLine(described)}\n`)
    if (described.code === 'internal' && process.env.GWCTL_DEBUG === '1') process.stderr.write(`${error.stack ?? ''}\n`)
    return this.exit(USAGE_EXIT_CODE)
  }
}

export function describeError(error: Error, flags: Parameters<typeof suggestFlagHint>[1] = {}): ErrorJson {
  if (error instanceof UserError) {
    return {code: error.kind, message: error.message, ...(error.file === undefined ? {} : {file: error.file}), ...(error.hint === undefined ? {} : {hint: error.hint})}
  }
  if (error instanceof Errors.CLIError) return {code: 'usage', message: flattenParseMessage(error.message), hint: suggestFlagHint(error, flags) ?? 'see --help'}
  return {code: 'internal', message: error.message}
}

/** oclif's multi-line, possibly coloured parse messages as one plain line. */
export function flattenParseMessage(message: string): string {
  const lines = message
    .replace(/\u001B\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^See more help with --help$/.test(line) && !/^The following errors? occurred:$/.test(line))
  return lines.join('; ')
}

export function formatErrorLine(error: ErrorJson): string {
  const text = error.file === undefined ? error.message : `${error.file}: ${error.message}`
  return error.hint === undefined ? text : `${text} (${error.hint})`
}

/** Does a raw argv ask for `-o json` / `--output json` / `--json` (before any `--`)? */
export function argvRequestsJson(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (token === '--') return false
    if (token === '--json') return true
    if ((token === '-o' || token === '--output') && argv[i + 1] === 'json') return true
    if (token === '-ojson' || token === '-o=json' || token === '--output=json') return true
  }
  return false
}
