/**
 * Did-you-mean for flags: the hint of oclif's "Nonexistent flag" error,
 * `--fail-in` → `did you mean --fail-on?`, from the command's own flags
 * (suggestName, as every did-you-mean of gwctl). Other errors get none.
 */
import {suggestName} from '../errors/suggest-name.js'

/** The hint for an unknown-flag parse error (`flags` holds what the user typed), or undefined. */
export function suggestFlagHint(error: unknown, flags: Readonly<Record<string, {char?: string; hidden?: boolean}>>): string | undefined {
  const typed = (error as {flags?: unknown}).flags
  if (!Array.isArray(typed)) return undefined
  const names = Object.entries(flags).filter(([, flag]) => !flag.hidden).map(([name]) => name)
  const suggestions = typed.flatMap((token: unknown) => {
    const match = typeof token === 'string' ? /^--(?:no-)?([^=]+)/.exec(token) : null
    const suggestion = match === null ? undefined : suggestName(match[1], names)
    return suggestion === undefined ? [] : [`--${suggestion}`]
  })
  return suggestions.length === 0 ? undefined : `did you mean ${suggestions.join(', ')}? see --help`
}
