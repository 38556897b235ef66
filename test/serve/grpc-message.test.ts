/** encodeGrpcMessage: grpc-message is percent-encoded outside printable ASCII, '%' included (gRPC over HTTP/2). */
import {strict as assert} from 'node:assert'
import {encodeGrpcMessage} from '../../src/serve/grpc-message.js'

describe('serve/grpc-message', () => {
  const cases: Array<[string, string]> = [
    ['no GRPCRoute matches: UNIMPLEMENTED', 'no GRPCRoute matches: UNIMPLEMENTED'],
    ['50% done', '50%25 done'],
    ['line\nbreak', 'line%0Abreak'],
    ['café', 'caf%C3%A9'],
  ]
  for (const [message, expected] of cases) {
    it(JSON.stringify(message), () => assert.equal(encodeGrpcMessage(message), expected))
  }
})
