import assert from 'node:assert/strict'
import {suggestFlagHint} from '../../src/cli/suggest-flag.js'

describe('cli/suggest-flag', () => {
  const flags = {'fail-on': {}, output: {char: 'o'}, 'verify-with': {}, 'expiry-warning': {}, now: {hidden: true}, color: {}}
  const unknown = (...typed: string[]) => Object.assign(new Error(`Nonexistent flag: ${typed.join(', ')}`), {flags: typed})
  const table: Array<[string[], string | undefined]> = [
    [['--fail-in'], 'did you mean --fail-on? see --help'],
    [['--fail-in=error'], 'did you mean --fail-on? see --help'],
    [['--ouput'], 'did you mean --output? see --help'],
    [['--Output'], 'did you mean --output? see --help'],
    [['--verify-wth', '--expiry-warnin'], 'did you mean --verify-with, --expiry-warning? see --help'],
    [['--no-colr'], 'did you mean --color? see --help'],
    [['--nw'], undefined],
    [['--frobnicate'], undefined],
    [['-x'], undefined],
  ]
  for (const [typed, expected] of table) it(`${typed.join(' ')} → ${expected}`, () => assert.equal(suggestFlagHint(unknown(...typed), flags), expected))

  it('no hint for other errors', () => assert.equal(suggestFlagHint(new Error('Expected --output=xml to be one of: text, json'), flags), undefined))
})
