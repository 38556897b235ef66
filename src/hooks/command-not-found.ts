/**
 * oclif `command_not_found` hook (package.json `oclif.hooks`; oclif imports
 * it only when no command matches): one line on stderr, or `{"error": ...}`
 * on stdout when JSON output was asked for, as every command's errors, then
 * exit status 2. The text comes from src/cli/unknown-command.ts.
 */
import type {Hook} from '@oclif/core/hooks'
import {argvRequestsJson, describeError, formatErrorLine, USAGE_EXIT_CODE} from '../cli/gwctl-command.js'
import {explainUnknownCommand} from '../cli/unknown-command.js'

const hook: Hook<'command_not_found'> = async function ({argv, config, id}) {
  const error = explainUnknownCommand(id, {commandIds: config.commandIDs, topics: config.topics.map((topic) => topic.name)}, config.bin)
  const described = describeError(error)
  if (argvRequestsJson(argv ?? [])) process.stdout.write(`${JSON.stringify({error: described})}\n`)
  else process.stderr.write(`${config.bin}: ${formatErrorLine(described)}\n`)
  process.exitCode = USAGE_EXIT_CODE
}

export default hook
