/**
 * Base class of every gwctl command: input parsing and error handling per
 * the CLI contract. Parsing never reads stdin on its own (oclif would take
 * piped stdin as the first positional argument when none is given): stdin is
 * read only by the command, when asked with `-`. A repeatable flag takes
 * exactly one value per occurrence, so `--gateway-class a DIR` leaves DIR a
 * positional path. A user error (bad flag, unreadable or unusable input, refusing to
 * overwrite) prints one line `gwctl: FILE: what is wrong (hint)` on stderr,
 * or `{"error": {...}}` on stdout when JSON output was asked for, and exits 2
 * without a stack trace. Anything else is a bug: one line naming it as an
 * internal error, exit 2; the stack only with GWCTL_DEBUG=1.
 */
import {Command} from '@oclif/core/command'
import * as Errors from '@oclif/core/errors'
import type {ArgInput, FlagInput, Input, ParserOutput} from '@oclif/core/interfaces'
import {UserError} from '../errors/user-error.js'
import {suggestFlagHint} from './suggest-flag.js'

export const USAGE_EXIT_CODE = 2

/** What oclif parses flags and arguments into. */
type ParsedValues = {[name: string]: any}

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

  protected override async parse<F extends ParsedValues, B extends ParsedValues, A extends ParsedValues>(
    options?: Input<F, B, A>, argv?: string[],
  ): Promise<ParserOutput<F, B, A>> {
    return super.parse(restrictInputParsing(options ?? (this.ctor as unknown as Input<F, B, A>)), argv)
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

/**
 * The parser input of a command with every positional argument closed to
 * stdin and every repeatable flag taking one value per occurrence (oclif's
 * default lets `--flag a b c` take every following word as a value).
 */
export function restrictInputParsing<T extends {args?: ArgInput; flags?: FlagInput; baseFlags?: FlagInput}>(options: T): T {
  const restrictFlags = (flags: FlagInput | undefined): FlagInput | undefined => flags && Object.fromEntries(Object.entries(flags)
    .map(([name, flag]) => [name, flag.type === 'option' && flag.multiple ? {...flag, multipleNonGreedy: true} : flag]))
  return {
    ...options,
    args: options.args && Object.fromEntries(Object.entries(options.args).map(([name, arg]) => [name, {...arg, ignoreStdin: true}])),
    flags: restrictFlags(options.flags),
    baseFlags: restrictFlags(options.baseFlags),
  }
}

export function describeError(error: Error, flags: Parameters<typeof suggestFlagHint>[1] = {}): ErrorJson {
  if (error instanceof UserError) {
    return {code: error.kind, message: error.message, ...(error.file === undefined ? {} : {file: error.file}), ...(error.hint === undefined ? {} : {hint: error.hint})}
  }
  if (isCliError(error)) return {code: 'usage', message: flattenParseMessage(error.message), hint: suggestFlagHint(error, flags) ?? 'see --help'}
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

/**
 * An oclif CLIError (bad flag, argument or option), also when it comes from
 * another copy of @oclif/core than the bundled one: a plugin's command (such
 * as `autocomplete`) throws with the plugin's own copy, so instanceof alone
 * would take it for an internal error.
 */
function isCliError(error: Error): boolean {
  if (error instanceof Errors.CLIError) return true
  const oclif = (error as {oclif?: unknown}).oclif
  return typeof oclif === 'object' && oclif !== null && typeof (oclif as {exit?: unknown}).exit === 'number'
}
