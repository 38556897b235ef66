import assert from 'node:assert/strict'
import {readManifestInputFlags} from '../../src/cli/manifest-input-flags.js'
import {UserError} from '../../src/errors/user-error.js'

describe('cli/manifest-input-flags: readManifestInputFlags', () => {
  const ACCEPTED: Array<[what: string, paths: string[], filenames: string[] | undefined, stdinFilename: string | undefined]> = [
    ['no stdin name', ['dir'], undefined, undefined],
    ['- as a path', ['dir', '-'], undefined, 'gw.yaml'],
    ['-f -', [], ['-'], 'gw.yaml'],
    ['- in a comma-separated -f value', [], ['a.yaml,-'], 'gw.yaml'],
  ]
  for (const [what, paths, filenames, stdinFilename] of ACCEPTED) {
    it(`accepts ${what}`, () => {
      assert.deepEqual(readManifestInputFlags(paths, filenames, {'stdin-filename': stdinFilename, exclude: ['charts']}), {exclude: ['charts'], stdinFilename})
    })
  }

  const REFUSED: Array<[what: string, paths: string[], filenames: string[] | undefined, stdinFilename: string, message: RegExp]> = [
    ['a stdin name without -', ['dir'], ['a.yaml'], 'gw.yaml', /^--stdin-filename names stdin, but no input is - \(stdin\)$/],
    ['a stdin name with no input at all', [], undefined, 'gw.yaml', /no input is -/],
    ['an empty stdin name', ['-'], undefined, ' ', /^--stdin-filename must not be empty$/],
  ]
  for (const [what, paths, filenames, stdinFilename, message] of REFUSED) {
    it(`refuses ${what}`, () => {
      assert.throws(() => readManifestInputFlags(paths, filenames, {'stdin-filename': stdinFilename}),
        (error: unknown) => error instanceof UserError && error.kind === 'usage' && message.test(error.message))
    })
  }
})
