import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {pathToFileURL} from 'node:url'
import {Errors} from '@oclif/core'
import type {ArgInput, FlagInput} from '@oclif/core/interfaces'
import {argvRequestsJson, describeError, flattenParseMessage, restrictInputParsing} from '../../src/cli/gwctl-command.js'
import {REPO_ROOT} from '../support/fixture-expectations.js'
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

describe('cli/gwctl-command: restrictInputParsing, over every command', () => {
  const commands = join(REPO_ROOT, 'src', 'commands')
  const listFiles = (dir: string): string[] => readdirSync(dir, {withFileTypes: true})
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))

  for (const file of listFiles(commands)) {
    const id = relative(commands, file).replace(/\.ts$/, '').split(sep).join(' ')
    it(`${id}: no argument reads stdin on its own, every repeatable flag takes one value per occurrence`, async () => {
      const command = (await import(pathToFileURL(file).href)).default as {args?: ArgInput; flags?: FlagInput; baseFlags?: FlagInput}
      const restricted = restrictInputParsing(command)
      for (const [name, arg] of Object.entries(restricted.args ?? {})) assert.equal(arg.ignoreStdin, true, `argument ${name}`)
      for (const [name, flag] of Object.entries({...restricted.baseFlags, ...restricted.flags})) {
        if (flag.type === 'option' && flag.multiple) assert.equal(flag.multipleNonGreedy, true, `--${name}`)
      }
      assert.deepEqual(Object.keys(restricted.flags ?? {}), Object.keys(command.flags ?? {}), 'the same flags')
    })
  }

  it('leaves the command class itself untouched', () => {
    const args = {path: {name: 'path'}} as unknown as ArgInput
    const flags = {tag: {type: 'option', multiple: true}} as unknown as FlagInput
    restrictInputParsing({args, flags})
    assert.equal((args.path as {ignoreStdin?: boolean}).ignoreStdin, undefined)
    assert.equal((flags.tag as {multipleNonGreedy?: boolean}).multipleNonGreedy, undefined)
  })
})
