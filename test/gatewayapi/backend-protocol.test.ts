/**
 * decideBackendHttpVersion: HTTP/2 for GRPCRoute backends and for Service
 * ports with appProtocol kubernetes.io/h2c (GEP-1911), HTTP/1.1 otherwise;
 * the decision carries it for each backend of an HTTPRoute/GRPCRoute.
 */
import {strict as assert} from 'node:assert'
import {decideBackendHttpVersion} from '../../src/gatewayapi/backend-protocol.js'
import {bindDocuments, compileDocuments, gateway, route} from './decide-support.js'

const service = (name: string, appProtocol?: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec: {ports: [{port: 8080${appProtocol === undefined ? '' : `, appProtocol: ${appProtocol}`}}]}`

describe('gatewayapi/backend-protocol: the HTTP version spoken to a backend', () => {
  const documents = [
    gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
    service('plain'), service('h2c', 'kubernetes.io/h2c'), service('ws', 'kubernetes.io/ws'), service('grpc'),
    route('HTTPRoute', 'web', {rules: '[{backendRefs: [{name: plain, port: 8080}, {name: h2c, port: 8080}, {name: ws, port: 8080}]}]'}),
    route('GRPCRoute', 'rpc', {hostnames: ['rpc.example.com'], rules: '[{backendRefs: [{name: grpc, port: 8080}]}]'}),
  ]
  const binding = bindDocuments(documents)
  const [plain, h2c, ws] = binding.routes.find((entry) => entry.route.kind === 'HTTPRoute')!.rules[0].backends
  const [grpc] = binding.routes.find((entry) => entry.route.kind === 'GRPCRoute')!.rules[0].backends
  const cases: Array<[string, string, typeof plain, string]> = [
    ['HTTPRoute, no appProtocol', 'HTTPRoute', plain, 'HTTP/1.1'],
    ['HTTPRoute, appProtocol kubernetes.io/h2c', 'HTTPRoute', h2c, 'HTTP/2'],
    ['HTTPRoute, appProtocol kubernetes.io/ws', 'HTTPRoute', ws, 'HTTP/1.1'],
    ['GRPCRoute, no appProtocol', 'GRPCRoute', grpc, 'HTTP/2'],
    ['a RequestMirror of a GRPCRoute to a plain port', 'GRPCRoute', plain, 'HTTP/2'],
  ]
  for (const [what, kind, backend, expected] of cases) {
    it(what, () => assert.equal(decideBackendHttpVersion(kind, backend), expected))
  }

  it('the decision carries each backend\'s version', () => {
    const table = compileDocuments(documents)
    const web = table.decide({port: 80, transport: 'http', host: 'shop.example.com', request: {method: 'GET', path: '/', query: [], headers: []}})[0]
    assert.deepEqual(web.backends.map((backend) => [backend.name, backend.httpVersion]), [['plain', 'HTTP/1.1'], ['h2c', 'HTTP/2'], ['ws', 'HTTP/1.1']])
    const rpc = table.decide({port: 80, transport: 'http', host: 'rpc.example.com', request: {method: 'POST', path: '/a.B/C', query: [], headers: [['content-type', 'application/grpc']]}})[0]
    assert.deepEqual(rpc.backends.map((backend) => [backend.name, backend.httpVersion]), [['grpc', 'HTTP/2']])
  })
})
