import assert from 'node:assert/strict'
import {checkStringFormat} from '../../src/schema/string-formats.js'

const CASES: Array<[string, string, boolean | undefined]> = [
  ['date-time', '2026-01-31T10:20:30Z', true],
  ['date-time', '2026-01-31T10:20:30.123456789+02:00', true],
  ['date-time', '2026-01-31T10:20:30+0200', true],
  ['date-time', '2026-01-31T10:20:30', true],
  ['date-time', '2026-01-31T10:20Z', true],
  ['date-time', '2026-01-31T10:20', true],
  ['date-time', '2026-01-31 10:20:30', true],
  ['date-time', '', true],
  ['date-time', '2024-02-29T00:00:00Z', true],
  ['date-time', '2023-02-29T00:00:00Z', false],
  ['date-time', '2026-13-01T00:00:00Z', false],
  ['date-time', '2026-01-31T24:00:00Z', false],
  ['date-time', '2026-01-31T10:20+02:00', false],
  ['date-time', '2026-01-31', false],
  ['date-time', '2026-01-31t10:20:30z', false],
  ['date-time', 'yesterday', false],
  ['ipv4', '10.0.0.1', true],
  ['ipv4', '::1', false],
  ['ipv6', '::1', true],
  ['ipv6', '10.0.0.1', false],
  ['int32', 'not checked on strings either', undefined],
  ['hostname-ish', 'anything', undefined],
]

describe('schema/string-formats', () => {
  for (const [format, value, expected] of CASES) {
    it(`${format} ${JSON.stringify(value)}`, () => assert.equal(checkStringFormat(format, value), expected))
  }
})
