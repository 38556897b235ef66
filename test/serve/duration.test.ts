import assert from 'node:assert/strict'
import {parseDuration} from '../../src/serve/duration.js'

describe('serve/duration', () => {
  const table: Array<[string, number | RegExp]> = [
    ['250ms', 250], ['10s', 10_000], ['2m', 120_000], ['1h', 3_600_000], ['1500', 1500], ['0', 0], ['0.5s', 500],
    ['10 s', /is not a duration/], ['-1s', /is not a duration/], ['soon', /is not a duration/],
  ]
  for (const [text, expected] of table) {
    it(text, () => {
      if (expected instanceof RegExp) assert.throws(() => parseDuration(text, 'idle-timeout'), expected)
      else assert.equal(parseDuration(text, 'idle-timeout'), expected)
    })
  }
})
