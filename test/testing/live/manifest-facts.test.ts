import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {findTestGateway, formatGateway, inferProtocol, readManifestFacts, type ManifestFacts} from '../../../src/testing/live/manifest-facts.js'
import type {TestRequest} from '../../../src/testing/routing-test.js'

const MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  gatewayClassName: any
  listeners:
  - {name: https, protocol: HTTPS, port: 443, tls: {mode: Terminate, certificateRefs: [{name: web-tls}]}}
  - {name: http, protocol: HTTP, port: 80}
  - {name: grpc, protocol: HTTP, port: 9090}
  - {name: tls, protocol: TLS, port: 8443, tls: {mode: Passthrough}}
  - {name: tcp, protocol: TCP, port: 6379}
  - {name: udp, protocol: UDP, port: 53}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: internal, namespace: web}
spec:
  gatewayClassName: any
  listeners:
  - {name: http, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: echo, namespace: web}
spec:
  parentRefs: [{name: edge, sectionName: grpc}]
  rules: [{backendRefs: [{name: echo, port: 50051}]}]
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: web}
spec: {ports: [{port: 50051}]}
`

describe('testing/live/manifest-facts', () => {
  let dir: string
  let facts: ManifestFacts
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-facts-'))
    writeFileSync(join(dir, 'gateway.yaml'), MANIFESTS)
    facts = await readManifestFacts([dir])
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  const protocols: Array<{request: TestRequest; protocol: string; why: string}> = [
    {request: {port: 443, sni: 'a.example.com'}, protocol: 'https', why: 'an HTTPS listener'},
    {request: {port: 8443, sni: 'a.example.com'}, protocol: 'tls', why: 'a TLS listener'},
    {request: {port: 6379}, protocol: 'tcp', why: 'a TCP listener'},
    {request: {port: 53}, protocol: 'udp', why: 'a UDP listener'},
    {request: {port: 9090}, protocol: 'grpc', why: 'an HTTP listener whose every route is a GRPCRoute'},
    {request: {port: 443, protocol: 'grpc'}, protocol: 'grpc', why: 'the test says so'},
    {request: {port: 8443, sni: 'a.example.com', path: '/'}, protocol: 'https', why: 'HTTP parts on a TLS listener: HTTPS inside the passthrough stream'},
    {request: {port: 6379, host: 'a.example.com'}, protocol: 'http', why: 'HTTP parts on a TCP listener: HTTP inside the stream'},
  ]
  for (const {request, protocol, why} of protocols) {
    it(`port ${request.port}${request.protocol ? ` (${request.protocol})` : ''} → ${protocol}: ${why}`, () => {
      const gateway = findTestGateway(facts, request)
      assert.notEqual(typeof gateway, 'string', String(gateway))
      assert.equal(inferProtocol(facts, gateway as Exclude<typeof gateway, string>, request), protocol)
    })
  }

  const gateways: Array<{request: TestRequest; answer: string}> = [
    {request: {port: 443}, answer: 'web/edge'},
    {request: {port: 80, gateway: {namespace: 'web', name: 'internal'}}, answer: 'web/internal'},
    {request: {port: 80}, answer: 'port 80 is a listener port of Gateways web/edge, web/internal: the test must name its gateway'},
    {request: {port: 8080}, answer: 'no Gateway has a listener on port 8080'},
    {request: {port: 443, gateway: {namespace: 'web', name: 'internal'}}, answer: 'Gateway web/internal has no listener on port 443'},
    {request: {port: 443, gateway: {namespace: 'web', name: 'nope'}}, answer: 'Gateway web/nope is not in the manifests'},
  ]
  for (const {request, answer} of gateways) {
    it(`the gateway of ${JSON.stringify(request)}: ${answer}`, () => {
      const gateway = findTestGateway(facts, request)
      assert.equal(typeof gateway === 'string' ? gateway : formatGateway(gateway), answer)
    })
  }
})
