import assert from 'node:assert/strict'
import {parse} from 'yaml'
import {bind} from '../../src/gatewayapi/bind.js'
import {compileRoutingTable} from '../../src/gatewayapi/decide.js'
import {buildSnapshot} from '../../src/model/build-snapshot.js'

const MANIFESTS = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: any
  listeners:
  - {name: http, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /a}
    - path: {type: PathPrefix, value: /a/b}
    - path: {type: Exact, value: /x}
    backendRefs: [{name: app, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: default}
spec:
  ports: [{port: 80}]
`

describe('gatewayapi/decide: the winning match of the rule', () => {
  const objects = MANIFESTS.split(/^---$/m).map((text) => parse(text) as Record<string, unknown>)
  const table = compileRoutingTable(bind(buildSnapshot(objects.map((object) => ({object, namespace: 'default'})))))
  const cases = [
    {path: '/a', matchIndex: 0, why: 'only the shorter prefix matches'},
    {path: '/a/b/c', matchIndex: 1, why: 'the longer prefix outranks the first match of the rule'},
    {path: '/x', matchIndex: 2, why: 'Exact outranks PathPrefix'},
    {path: '/nothing', matchIndex: undefined, why: 'no match: 404, no match index'},
  ]
  for (const {path, matchIndex, why} of cases) {
    it(`${path}: ${why}`, () => {
      const [decision] = table.decide({port: 80, transport: 'http', host: 'app.example.com', request: {method: 'GET', path, query: [], headers: []}})
      assert.equal(decision.matchIndex, matchIndex)
    })
  }
})
