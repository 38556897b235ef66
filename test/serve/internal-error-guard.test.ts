import assert from 'node:assert/strict'
import {AccessLog} from '../../src/serve/access-log.js'
import {InternalErrorGuard} from '../../src/serve/internal-error-guard.js'

describe('serve/internal-error-guard', () => {
  const setUp = () => {
    const written: string[] = []
    const log = new AccessLog({write: (text: string) => written.push(text)}, 'text')
    return {written, log, guard: new InternalErrorGuard(log, false)}
  }

  it('an exception in a connection handler is logged on one line and closes only that connection', () => {
    const {written, log, guard} = setUp()
    let closed = 0
    const result = guard.run('request', () => closed++, () => {
      throw Object.assign(new TypeError('bad\nthing'), {code: 'ERR_X'})
    })
    log.flush()
    assert.equal(result, undefined)
    assert.equal(closed, 1)
    assert.equal(guard.count, 1)
    assert.equal(written.join('').split('\n').length, 2, 'one line')
    assert.match(written[0], /^\[internal-error\] request: TypeError ERR_X: bad\\nthing \(at .+\); that connection closed, still serving\n$/)
  })

  it('returns what the handler returns, and counts nothing, when nothing is thrown', () => {
    const {guard} = setUp()
    assert.equal(guard.run('accept', () => assert.fail('not closed'), () => 42), 42)
    assert.equal(guard.count, 0)
  })

  it('an error with no known connection (process-level), or a non-Error, is logged; a failing close is survived', () => {
    const {written, log, guard} = setUp()
    guard.report('a string', 'unhandled rejection')
    guard.report(new Error('x'), 'accept', () => {
      throw new Error('already gone')
    })
    log.flush()
    assert.equal(guard.count, 2)
    assert.match(written[0], /^\[internal-error\] unhandled rejection: a string; no connection known, still serving\n\[internal-error\] accept: Error: x/)
  })
})
