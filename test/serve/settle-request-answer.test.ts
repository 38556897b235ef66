/**
 * What the gateway does with a decided HTTP request, the one table HTTP/1.1,
 * HTTP/2 and upgrades share: the engine's redirect, gRPC status and HTTP
 * status first; then the backend picked by weight is forwarded to, or its
 * share is answered by the gateway (unmapped 503 / gRPC 14, invalid: the
 * engine's failure for that share). Upgrades (`grpc: false`) never answer
 * in gRPC.
 */
import assert from 'node:assert/strict'
import type {Decision, DecidedBackend} from '../../src/gatewayapi/decide.js'
import {BackendTargets} from '../../src/serve/backend-targets.js'
import {settleRequestAnswer, type RequestAnswer} from '../../src/serve/settle-request-answer.js'

function backend(name: string, options: Partial<DecidedBackend> = {}): DecidedBackend {
  return {binding: {} as DecidedBackend['binding'], kind: 'Service', namespace: 'web', name, port: 80, weight: 1, percent: 50, valid: true, ...options}
}

function decision(kind: 'HTTPRoute' | 'GRPCRoute', options: Partial<Decision>): Decision {
  return {matched: true, port: 443, transport: 'tls', reason: 'matched', backends: [], route: {route: {kind}} as Decision['route'], ...options} as Decision
}

const targets = new BackendTargets(new Map([['web/a:80', {host: '127.0.0.1', port: 8001}], ['web/b:80', {host: '127.0.0.1', port: 8002}]]))
const summary = (answer: RequestAnswer) => answer.kind === 'forward' ? `forward ${answer.target.key}` : answer.kind === 'redirect' ? `redirect ${answer.statusCode} ${answer.location}`
  : answer.kind === 'grpc' ? `grpc ${answer.code} ${answer.outcome} ${answer.backend ?? '-'}` : `status ${answer.status} ${answer.outcome} ${answer.backend ?? '-'}`

describe('serve/settle-request-answer', () => {
  const cases: Array<{name: string; decision: Decision; random?: number; grpc?: boolean; expected: string}> = [
    {name: 'a redirect keeps the query', decision: decision('HTTPRoute', {redirect: {statusCode: 301, location: 'https://shop.example.com/'}} as Partial<Decision>), expected: 'redirect 301 https://shop.example.com/?q=1'},
    {name: 'no GRPCRoute: the engine\'s gRPC 12', decision: decision('GRPCRoute', {matched: false, grpcStatus: 12}), expected: 'grpc 12 no-route -'},
    {name: 'an upgrade never answers in gRPC: the HTTP answer instead', decision: decision('GRPCRoute', {matched: false, grpcStatus: 12}), grpc: false, expected: 'status 500 no-route -'},
    {name: 'the engine\'s 404', decision: decision('HTTPRoute', {matched: false, httpStatus: 404}), expected: 'status 404 no-route -'},
    {name: 'weights: the first share', decision: decision('HTTPRoute', {backends: [backend('a'), backend('b')]}), random: 0.1, expected: 'forward web/a:80'},
    {name: 'weights: the second share', decision: decision('HTTPRoute', {backends: [backend('a'), backend('b')]}), random: 0.9, expected: 'forward web/b:80'},
    {name: 'an unmapped backend: 503', decision: decision('HTTPRoute', {backends: [backend('c')]}), expected: 'status 503 unmapped-backend web/c:80'},
    {name: 'an unmapped GRPCRoute backend: gRPC 14', decision: decision('GRPCRoute', {backends: [backend('c')]}), expected: 'grpc 14 unmapped-backend web/c:80'},
    {name: 'an invalid backend: the engine\'s failure for its share', decision: decision('HTTPRoute', {backends: [backend('a', {valid: false, why: 'no Service', failure: {status: 500}})]}), expected: 'status 500 invalid-backend web/a:80'},
    {name: 'no backend at all (every weight 0): 500', decision: decision('HTTPRoute', {backends: []}), expected: 'status 500 no-backend -'},
  ]
  for (const {name, decision: decided, random, grpc, expected} of cases) {
    it(name, () => {
      assert.equal(summary(settleRequestAnswer(decided, targets, {random: random ?? 0, search: '?q=1', grpc: grpc ?? true})), expected)
    })
  }
})
