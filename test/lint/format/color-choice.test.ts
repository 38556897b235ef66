import {strict as assert} from 'node:assert'
import {shouldUseColor} from '../../../src/lint/format/color-choice.js'

describe('shouldUseColor', () => {
  const cases: Array<{name: string; env: Record<string, string>; isTTY: boolean; flag?: boolean; expected: boolean}> = [
    {name: 'TTY, nothing set: colour', env: {}, isTTY: true, expected: true},
    {name: 'not a TTY (pipe, file, CI log): no colour', env: {}, isTTY: false, expected: false},
    {name: '--no-color on a TTY', env: {}, isTTY: true, flag: false, expected: false},
    {name: '--color into a pipe', env: {}, isTTY: false, flag: true, expected: true},
    {name: 'NO_COLOR set on a TTY', env: {NO_COLOR: '1'}, isTTY: true, expected: false},
    {name: 'NO_COLOR with any value', env: {NO_COLOR: 'false'}, isTTY: true, expected: false},
    {name: 'NO_COLOR empty is ignored', env: {NO_COLOR: ''}, isTTY: true, expected: true},
    {name: '--color wins over NO_COLOR', env: {NO_COLOR: '1'}, isTTY: false, flag: true, expected: true},
    {name: '--no-color wins over FORCE_COLOR', env: {FORCE_COLOR: '1'}, isTTY: true, flag: false, expected: false},
    {name: 'FORCE_COLOR into a pipe', env: {FORCE_COLOR: '1'}, isTTY: false, expected: true},
    {name: 'FORCE_COLOR=0 on a TTY', env: {FORCE_COLOR: '0'}, isTTY: true, expected: false},
    {name: 'FORCE_COLOR=false on a TTY', env: {FORCE_COLOR: 'false'}, isTTY: true, expected: false},
    {name: 'NO_COLOR wins over FORCE_COLOR', env: {NO_COLOR: '1', FORCE_COLOR: '1'}, isTTY: true, expected: false},
    {name: 'TERM=dumb on a TTY', env: {TERM: 'dumb'}, isTTY: true, expected: false},
    {name: 'TERM=xterm-256color on a TTY', env: {TERM: 'xterm-256color'}, isTTY: true, expected: true},
  ]
  for (const {name, env, isTTY, flag, expected} of cases) {
    it(name, () => {
      assert.equal(shouldUseColor(env, isTTY, flag), expected)
    })
  }
})
