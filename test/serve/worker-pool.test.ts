import assert from 'node:assert/strict'
import {UserError} from '../../src/errors/user-error.js'
import {parseWorkersFlag} from '../../src/serve/worker-pool.js'

describe('serve/worker-pool parseWorkersFlag', () => {
  const cases: Array<{value: string; cores: number; expected: number | RegExp; why: string}> = [
    {value: '1', cores: 8, expected: 1, why: 'the default: one process'},
    {value: '2', cores: 8, expected: 2, why: 'a whole number'},
    {value: ' 4 ', cores: 2, expected: 4, why: 'more workers than cores is allowed'},
    {value: 'auto', cores: 6, expected: 6, why: 'auto: one per core'},
    {value: 'auto', cores: 1, expected: 1, why: 'auto on one core'},
    {value: '256', cores: 2, expected: 256, why: 'the upper bound'},
    {value: '0', cores: 2, expected: /--workers "0": expected a whole number from 1 to 256, or auto \(2 here\)/, why: 'zero workers serve nothing'},
    {value: 'x', cores: 2, expected: /--workers "x"/, why: 'not a number'},
    {value: '-1', cores: 2, expected: /--workers "-1"/, why: 'negative'},
    {value: '1.5', cores: 2, expected: /--workers "1.5"/, why: 'fractional'},
    {value: '257', cores: 2, expected: /--workers "257"/, why: 'beyond the bound'},
    {value: '', cores: 2, expected: /--workers ""/, why: 'empty'},
  ]
  for (const {value, cores, expected, why} of cases) {
    it(`${JSON.stringify(value)} on ${cores} cores: ${why}`, () => {
      if (typeof expected === 'number') {
        assert.equal(parseWorkersFlag(value, cores), expected)
      } else {
        assert.throws(() => parseWorkersFlag(value, cores), (error: unknown) => error instanceof UserError && error.kind === 'usage' && expected.test(error.message))
      }
    })
  }
})
