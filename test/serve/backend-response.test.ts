import assert from 'node:assert/strict'
import {findBadResponse} from '../../src/serve/backend-response.js'

describe('serve/backend-response', () => {
  const cases: Array<[string, number | undefined, string | undefined, string[], RegExp | undefined]> = [
    ['a plain 200', 200, 'OK', ['Content-Length', '2'], undefined],
    ['obs-text and tabs in the reason phrase', 404, 'Nicht\tgef\xfcnden', [], undefined],
    ['an empty reason phrase', 204, '', [], undefined],
    ['status 000', 0, 'Zero', [], /invalid status code 0/],
    ['status 600', 600, 'Weird', [], /invalid status code 600/],
    ['no status', undefined, undefined, [], /invalid status code null/],
    ['a control byte in the reason phrase', 200, 'O\x01K', [], /invalid reason phrase "O\\u0001K"/],
    ['a header name that is not a token', 200, 'OK', ['Bad Name', 'x'], /invalid header "Bad Name"/],
    ['a control byte in a header value', 200, 'OK', ['X-Bad', 'a\x01b'], /invalid header "X-Bad"/],
  ]
  for (const [what, status, reason, headers, problem] of cases) {
    it(`${problem === undefined ? 'relays' : 'refuses'} ${what}`, () => {
      const found = findBadResponse(status, reason, headers)
      if (problem === undefined) assert.equal(found, undefined)
      else assert.match(found ?? '', problem)
    })
  }
})
