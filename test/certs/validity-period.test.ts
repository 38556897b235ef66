import assert from 'node:assert/strict'
import {parseTime, resolveValidityPeriod} from '../../src/certs/validity-period.js'
import {UserError} from '../../src/errors/user-error.js'

describe('certs/validity-period', () => {
  const now = new Date('2026-03-01T12:00:00Z')
  const times: Array<[string, string]> = [
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T10:20:30Z', '2026-01-31T10:20:30.000Z'],
    ['2026-01-31T10:20', '2026-01-31T10:20:00.000Z'],
    ['2026-01-31T10:20:30+02:00', '2026-01-31T08:20:30.000Z'],
    ['-2d', '2026-02-27T12:00:00.000Z'],
    ['+12h', '2026-03-02T00:00:00.000Z'],
    ['30m', '2026-03-01T12:30:00.000Z'],
  ]
  for (const [text, iso] of times) it(`parses ${text}`, () => assert.equal(parseTime(text, now, 'not-after').toISOString(), iso))

  for (const bad of ['tomorrow', '2026-13-45', '5w', '']) {
    it(`rejects ${JSON.stringify(bad)} naming the flag`, () => assert.throws(() => parseTime(bad, now, 'not-before'), (error: UserError) => error.kind === 'usage' && error.message.startsWith('--not-before')))
  }

  const periods: Array<{name: string; input: {days?: number; notBefore?: string; notAfter?: string}; expected: [string, string] | RegExp; warning?: RegExp}> = [
    {name: 'default days, backdated one minute', input: {}, expected: ['2026-03-01T11:59:00.000Z', '2027-03-01T12:00:00.000Z']},
    {name: '--days 7', input: {days: 7}, expected: ['2026-03-01T11:59:00.000Z', '2026-03-08T12:00:00.000Z']},
    {name: 'explicit period', input: {notBefore: '2026-01-01', notAfter: '2026-06-01'}, expected: ['2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z']},
    {name: 'already expired: allowed, with a warning', input: {notBefore: '-30d', notAfter: '-1d'}, expected: ['2026-01-30T12:00:00.000Z', '2026-02-28T12:00:00.000Z'], warning: /already expired/},
    {name: 'not yet valid: allowed, with a warning', input: {notBefore: '+1d', notAfter: '+2d'}, expected: ['2026-03-02T12:00:00.000Z', '2026-03-03T12:00:00.000Z'], warning: /not valid yet/},
    {name: 'end before start', input: {notBefore: '+2d', notAfter: '+1d'}, expected: /is not after/},
    {name: 'only one bound', input: {notAfter: '+1d'}, expected: /go together/},
    {name: 'days and bounds', input: {days: 3, notBefore: '-1d', notAfter: '+1d'}, expected: /cannot be combined/},
    {name: 'zero days', input: {days: 0}, expected: /at least 1/},
    {name: '--days 2933000 ends after 9999: refused before anything is made', input: {days: 2_933_000}, expected: /: --days 2933000: the certificate would end at year 10056; X\.509 validity times run from 1950-01-01T00:00:00Z to 9999-12-31T23:59:59Z$/},
    {name: 'an end in year 10000', input: {notBefore: '2026-01-01', notAfter: '+3000000d'}, expected: /: --not-after \+3000000d: the certificate would end at year 10239;/},
    {name: 'an offset beyond any calendar', input: {notBefore: '2026-01-01', notAfter: '+999999999999d'}, expected: /: --not-after \+999999999999d: the certificate would end at a time beyond any calendar;/},
    {name: 'a start before 1950', input: {notBefore: '1949-12-31', notAfter: '2026-01-01'}, expected: /: --not-before 1949-12-31: the certificate would start at 1949-12-31T00:00:00\.000Z, before 1950;/},
    {name: 'the last second X.509 can hold is fine', input: {notBefore: '2026-01-01', notAfter: '9999-12-31T23:59:59Z'}, expected: ['2026-01-01T00:00:00.000Z', '9999-12-31T23:59:59.000Z']},
  ]
  for (const period of periods) {
    it(period.name, () => {
      if (period.expected instanceof RegExp) {
        assert.throws(() => resolveValidityPeriod(period.input, now, 365), period.expected)
        return
      }
      const result = resolveValidityPeriod(period.input, now, 365)
      assert.deepEqual([result.notBefore.toISOString(), result.notAfter.toISOString()], period.expected)
      if (period.warning === undefined) assert.equal(result.warning, undefined)
      else assert.match(result.warning ?? '', period.warning)
    })
  }
})
