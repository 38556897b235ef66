import assert from 'node:assert/strict'
import {Errors} from '@oclif/core'
import {argvRequestsJson, describeError, flattenParseMessage} from '../../src/cli/gwctl-command.js'
import {UserError} from '../../src/errors/user-error.js'

describe('cli/gwctl-command', () => {
  const argvs: Array<[string[], boolean]> = [
    [['--dns', 'a', '-o', 'json'], true],
    [['-ojson'], true],
    [['--output=json'], true],
    [['-o=json'], true],
    [['--output', 'yaml'], false],
    [['--', '-o', 'json'], false],
    [['json'], false],
    [['--json'], true],
  ]
  for (const [argv, expected] of argvs) it(`argv ${argv.join(' ')} → ${expected}`, () => assert.equal(argvRequestsJson(argv), expected))

  it('flattens oclif parse messages to one plain line', () => {
    const message = 'The following errors occurred:\n  \u001B[2m--days cannot also be provided\n  All of the following must be provided\u001B[22m\nSee more help with --help'
    assert.equal(flattenParseMessage(message), '--days cannot also be provided; All of the following must be provided')
  })

  it('describes user, parse and internal errors', () => {
    assert.deepEqual(describeError(new UserError('input', 'no such file', {file: 'ca.crt'})), {code: 'input', message: 'no such file', file: 'ca.crt'})
    assert.deepEqual(describeError(new Errors.CLIError('Nonexistent flag: --x\nSee more help with --help')), {code: 'usage', message: 'Nonexistent flag: --x', hint: 'see --help'})
    assert.deepEqual(describeError(new TypeError('boom')), {code: 'internal', message: 'boom'})
  })
})
