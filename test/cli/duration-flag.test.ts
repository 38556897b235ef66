import assert from 'node:assert/strict'
import {parseDurationFlag} from '../../src/cli/duration-flag.js'
import {UserError} from '../../src/errors/user-error.js'

describe('cli/duration-flag', () => {
  const S = 1000
  const H = 3_600_000
  const D = 86_400_000
  const valid: Array<[string, number]> = [
    ['500ms', 500], ['90s', 90 * S], ['15m', 15 * 60 * S], ['12h', 12 * H], ['720h', 30 * D], ['30d', 30 * D], ['2w', 14 * D],
    ['1.5h', 1.5 * H], ['.5s', 500], ['1h30m', 90 * 60 * S], ['2d12h', 2.5 * D], ['1m30s', 90 * S], [' 10s ', 10 * S],
    ['0', 0], ['0.0', 0], ['0s', 0],
  ]
  for (const [text, expected] of valid) it(`${JSON.stringify(text)} → ${expected} ms`, () => assert.equal(parseDurationFlag(text, 'f', 'd'), expected))

  it('a bare number is refused with the flag, the value and the usual unit as a hint', () => {
    const failure = (text: string, unit: 'd' | 's') => {
      try {
        parseDurationFlag(text, 'expiry-warning', unit)
      } catch (error) {
        return error as UserError
      }
      assert.fail(`${text} was accepted`)
    }
    const days = failure('30', 'd')
    assert.ok(days instanceof UserError)
    assert.deepEqual([days.kind, days.message, days.hint], ['usage', "--expiry-warning '30' has no unit", 'use 30d; units: ms, s, m, h, d, w'])
    assert.equal(failure('1500', 's').hint, 'use 1500s; units: ms, s, m, h, d, w')
    assert.equal(failure('2.5', 'd').message, "--expiry-warning '2.5' has no unit")
  })

  const invalid: Array<[string, RegExp]> = [
    ['', /needs a duration/], ['soon', /is not a duration/], ['-1s', /is not a duration/], ['10 s', /is not a duration/],
    ['1y', /is not a duration/], ['30days', /is not a duration/], ['1h30', /is not a duration/], ['h', /is not a duration/], ['1e3s', /is not a duration/],
  ]
  for (const [text, pattern] of invalid) it(`${JSON.stringify(text)} is refused`, () => assert.throws(() => parseDurationFlag(text, 'idle-timeout', 's'), pattern))
})
