import assert from 'node:assert/strict'
import {parse} from 'yaml'
import {bind} from '../../src/gatewayapi/bind.js'
import {buildSnapshot} from '../../src/model/build-snapshot.js'
import {DataPlane} from '../../src/serve/data-plane.js'

function dataPlaneOf(rules: string): DataPlane {
  const yaml = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: any
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
${rules}
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: default}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: default}
spec: {ports: [{port: 80}]}
`
  const objects = yaml.split(/^---$/m).map((text) => parse(text) as Record<string, unknown>)
  return new DataPlane(bind(buildSnapshot(objects.map((object) => ({object, namespace: 'default'})))), new Map(), {portMap: new Map()})
}

const request = (path: string, headers: Array<[string, string]> = []) => ({method: 'GET', path, query: [], headers})

describe('serve/data-plane: request decisions', () => {
  it('are cached by path when no rule reads headers or query parameters', () => {
    const plane = dataPlaneOf(`  - matches: [{path: {type: PathPrefix, value: /a}}]
    backendRefs: [{name: a, port: 80}]
  - backendRefs: [{name: b, port: 80}]`)
    const socket = plane.socketFor('127.0.0.1|80')!
    const first = plane.decideRequest(socket, undefined, 'x.example.com', request('/a/1'))
    assert.equal(plane.decideRequest(socket, undefined, 'x.example.com', request('/a/1')), first, 'the same answer object: cached')
    assert.equal(plane.decideRequest(socket, undefined, 'x.example.com', request('/b')).backends[0].name, 'b')
    assert.equal(first.backends[0].name, 'a')
  })

  it('are not cached when a rule matches on a header, so the header still decides', () => {
    const plane = dataPlaneOf(`  - matches: [{path: {type: PathPrefix, value: /}, headers: [{name: x-canary, value: "yes"}]}]
    backendRefs: [{name: a, port: 80}]
  - backendRefs: [{name: b, port: 80}]`)
    const socket = plane.socketFor('127.0.0.1|80')!
    assert.equal(plane.decideRequest(socket, undefined, 'x.example.com', request('/')).backends[0].name, 'b')
    assert.equal(plane.decideRequest(socket, undefined, 'x.example.com', request('/', [['x-canary', 'yes']])).backends[0].name, 'a')
    assert.notEqual(plane.decideRequest(socket, undefined, 'x.example.com', request('/')), plane.decideRequest(socket, undefined, 'x.example.com', request('/')))
  })

  it('reports unmapped backends before any traffic', () => {
    const plane = dataPlaneOf(`  - backendRefs: [{name: a, port: 80}]`)
    assert.deepEqual(plane.describeProblems(), ['HTTPRoute default/app: backend default/a:80 has no local address (--backend default/a:80=HOST:PORT): its connections are refused'])
  })

  it('reports a RequestMirror whose backend has no local address (serve mirrors requests, so the filter itself is carried out)', () => {
    const plane = dataPlaneOf(`  - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: b, port: 80}}}]
    backendRefs: [{name: a, port: 80}]`)
    assert.deepEqual(plane.describeProblems(), [
      'HTTPRoute default/app: backend default/a:80 has no local address (--backend default/a:80=HOST:PORT): its connections are refused',
      'HTTPRoute default/app rule 0: RequestMirror backend default/b:80 has no local address (--backend default/b:80=HOST:PORT): requests are not mirrored to it',
    ])
  })
})
