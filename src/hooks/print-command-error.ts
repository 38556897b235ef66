/**
 * oclif `finally` hook (package.json `oclif.hooks`): an error that escaped
 * a command without gwctl's own handling (a plugin's command such as
 * `autocomplete`, or a failure before a command ran) is printed as gwctl's
 * commands print theirs (src/cli/gwctl-command.ts): one line on stderr, or
 * `{"error": ...}` on stdout with JSON output; oclif is told not to print it
 * again, and the exit status is 2. It runs after every command, so it
 * imports nothing until there is such an error.
 */
import type {Hook} from '@oclif/core/hooks'

interface OclifError extends Error {
  code?: string
  oclif?: {exit?: number}
  skipOclifErrorHandling?: boolean
}

const hook: Hook<'finally'> = async function ({argv, Command, error}) {
  const escaped = error as OclifError | undefined
  if (escaped === undefined || escaped.code === 'EEXIT' || escaped.skipOclifErrorHandling === true || escaped.message === 'SIGINT') return
  const {argvRequestsJson, describeError, formatErrorLine, USAGE_EXIT_CODE} = await import('../cli/gwctl-command.js')
  const described = describeError(escaped, Command?.flags ?? {})
  if (argvRequestsJson(argv)) process.stdout.write(`${JSON.stringify({error: described})}\n`)
  else process.stderr.write(`gwctl: ${described.code === 'internal' ? 'internal error (please report it): ' : ''}${formatErrorLine(described)}\n`)
  if (described.code === 'internal' && process.env.GWCTL_DEBUG === '1') process.stderr.write(`${escaped.stack ?? ''}\n`)
  escaped.skipOclifErrorHandling = true
  escaped.oclif = {...escaped.oclif, exit: USAGE_EXIT_CODE}
}

export default hook
