import {strict as assert} from 'node:assert'
import {measureEditDistance, suggestName} from '../../src/errors/suggest-name.js'

describe('measureEditDistance: insertions, deletions, substitutions and adjacent swaps cost one edit each', () => {
  const cases: Array<[string, string, number]> = [
    ['', '', 0],
    ['lint', 'lint', 0],
    ['lnt', 'lint', 1],
    ['lintt', 'lint', 1],
    ['lomt', 'lint', 2],
    ['dsn', 'dns', 1],
    ['lnit', 'lint', 1],
    ['ab', 'ba', 1],
    ['abc', 'cba', 2],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ]
  for (const [a, b, expected] of cases) {
    it(`${JSON.stringify(a)} → ${JSON.stringify(b)}: ${expected}`, () => {
      assert.equal(measureEditDistance(a, b), expected)
      assert.equal(measureEditDistance(b, a), expected)
    })
  }
})

describe('suggestName: the closest known name, if a likely typo', () => {
  const cases: Array<{typo: string; candidates: string[]; expected: string | undefined}> = [
    {typo: 'dsn', candidates: ['dns', 'ip', 'days'], expected: 'dns'},
    {typo: 'lnt', candidates: ['lint', 'resolve', 'serve'], expected: 'lint'},
    {typo: 'fail-in', candidates: ['fail-on', 'filename', 'output'], expected: 'fail-on'},
    {typo: 'HostName', candidates: ['hostname', 'port'], expected: 'hostname'},
    {typo: 'zzz', candidates: ['hostname', 'port'], expected: undefined},
    {typo: 'x', candidates: [], expected: undefined},
  ]
  for (const {typo, candidates, expected} of cases) {
    it(`${typo} → ${expected ?? 'nothing'}`, () => assert.equal(suggestName(typo, candidates), expected))
  }
})
