/**
 * What to tell a user who typed a command gwctl does not have, as one
 * UserError (usage, exit 2): the closest command (did you mean), a pointer
 * to kubernetes-sigs/gwctl for the commands of that other program of the
 * same name (`get`, `describe`, `analyze`, `apply`, `delete`), or how to
 * lint a path given without a command. Pure: the caller passes the
 * command ids and topics it knows.
 */
import {UserError} from '../errors/user-error.js'
import {suggestName} from '../errors/suggest-name.js'

/** Commands of kubernetes-sigs/gwctl, the Gateway API project's own `gwctl`, which talks to a cluster. */
export const OTHER_GWCTL_COMMANDS: Readonly<Record<string, string>> = {
  get: 'to list what a set of manifests binds, offline: gwctl resolve --table PATH',
  describe: 'to see where a connection goes, offline: gwctl resolve --sni HOST PATH',
  analyze: 'to check manifests offline: gwctl lint PATH',
  apply: 'to check manifests before applying them: gwctl lint PATH',
  delete: '',
}

export interface KnownCommands {
  /** Command ids, words separated by `:` as oclif stores them (`certs:create`). */
  commandIds: readonly string[]
  /** Topic names, `:`-separated (`certs`). */
  topics: readonly string[]
}

/**
 * The error for `gwctl ID...`, where oclif found no command `id` (`:`-separated
 * words, which may run on into the arguments: `lnt:fixtures`).
 */
export function explainUnknownCommand(id: string, known: KnownCommands, bin = 'gwctl'): UserError {
  if (id.startsWith('-')) {
    return new UserError('usage', `'${id}' before a command: flags go after the command name`, {hint: `${bin} COMMAND ${id}; see ${bin} help`})
  }
  const words = id.split(':')
  const topics = new Set(known.topics)
  let depth = 0
  while (depth < words.length - 1 && topics.has(words.slice(0, depth + 1).join(':'))) depth++
  const typed = words.slice(0, depth + 1).join(' ')
  if (depth === 0 && Object.hasOwn(OTHER_GWCTL_COMMANDS, typed)) {
    const next = OTHER_GWCTL_COMMANDS[typed]
    return new UserError('usage', `unknown command '${typed}': this gwctl is the offline Gateway API TLS toolkit (lint, resolve, certs, serve); kubernetes-sigs/gwctl, which talks to a cluster, is a different program`, {hint: next === '' ? `see ${bin} help` : next})
  }
  const candidates = [...known.commandIds, ...known.topics].map((name) => name.split(':').join(' '))
  const suggestion = suggestName(typed, candidates)
  if (suggestion !== undefined) return new UserError('usage', `unknown command '${typed}'`, {hint: `did you mean '${suggestion}'? see ${bin} help`})
  if (depth === 0 && /[/.]/.test(typed)) return new UserError('usage', `unknown command '${typed}'`, {hint: `to check manifests: ${bin} lint ${typed}`})
  return new UserError('usage', `unknown command '${typed}'`, {hint: `see ${bin} help`})
}
