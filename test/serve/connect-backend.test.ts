/**
 * How a failed backend connection is classified, and the HTTP status each
 * class answers: a reset that arrives before the connect completes is a
 * reset (logged `backend-reset`, as one after it is), not a generic error.
 */
import assert from 'node:assert/strict'
import {classifyConnectError, STATUS_FOR_CONNECT_FAILURE, type ConnectFailure} from '../../src/serve/connect-backend.js'

function errorWith(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), {code})
}

describe('serve/connect-backend: connect failures', () => {
  const cases: Array<[code: string, failure: ConnectFailure, status: number]> = [
    ['ECONNREFUSED', 'refused', 503],
    ['ECONNRESET', 'reset', 502],
    ['ETIMEDOUT', 'timeout', 504],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', 502],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', 502],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls', 502],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', 502],
    ['EHOSTUNREACH', 'error', 502],
  ]
  for (const [code, failure, status] of cases) {
    it(`${code}: ${failure}, HTTP ${status}`, () => {
      assert.equal(classifyConnectError(errorWith(code)), failure)
      assert.equal(STATUS_FOR_CONNECT_FAILURE[failure], status)
    })
  }
})
