/**
 * End-to-end checks of issue 10 §4 and §9 with the built CLI (npm run build
 * first): the catastrophic RegularExpression of the issue answers at once in
 * resolve and in serve (other connections keep being served), and a
 * TLSRoute canary that never gets a connection is marked in resolve --table
 * and named by serve at start.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runGwctl} from '../support/run-cli.js'
import {killLeftoverServes, ROOT, runCurl, startBackend, startServe, type Backend} from './serve-harness.js'

const REGEX_ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: example
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches: [{path: {type: RegularExpression, value: '/api/(\\w+/?)+'}}]
    backendRefs: [{name: api, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /health}}]
    backendRefs: [{name: api, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: default}
spec: {ports: [{port: 80}]}
`

const CANARY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: example
  listeners: [{name: tls, port: 443, protocol: TLS, hostname: app.example.com, tls: {mode: Passthrough}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: main, namespace: default, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  parentRefs: [{name: gw}]
  hostnames: [app.example.com]
  rules: [{backendRefs: [{name: app, port: 443}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: canary, namespace: default, creationTimestamp: "2025-01-01T00:00:00Z"}
spec:
  parentRefs: [{name: gw}]
  hostnames: [app.example.com]
  rules: [{backendRefs: [{name: app, port: 443, weight: 90}, {name: app-next, port: 443, weight: 10}]}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: default}
spec: {ports: [{port: 443}]}
---
apiVersion: v1
kind: Service
metadata: {name: app-next, namespace: default}
spec: {ports: [{port: 443}]}
`

describe('e2e: RE2 regular expressions and shadowed routes', function () {
  this.timeout(60_000)
  after(killLeftoverServes)
  const started: Backend[] = []
  after(() => {
    for (const backend of started) backend.server.close()
  })

  it('resolve --path with the catastrophic pattern answers 404 for 28 and 10,000 characters, and routes a matching path', async () => {
    for (const path of [`/api/${'a'.repeat(22)}!`, `/api/${'a'.repeat(10_000)}!`]) {
      const result = await runGwctl(['resolve', '--host', 'a.io', '--port', '80', '--path', path, '-o', 'json', '-'], {cwd: ROOT, input: REGEX_ROUTE})
      assert.equal(result.exitCode, 1, result.stderr)
      assert.equal((JSON.parse(result.stdout) as {status?: number}).status, 404)
    }
    const ok = await runGwctl(['resolve', '--host', 'a.io', '--port', '80', '--path', '/api/v1/orders/', '-o', 'json', '-'], {cwd: ROOT, input: REGEX_ROUTE})
    assert.equal(ok.exitCode, 0, ok.stderr)
  })

  it('serve answers the catastrophic request with 404 and keeps serving others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-regex-'))
    try {
      writeFileSync(join(dir, 'route.yaml'), REGEX_ROUTE)
      const backend = await startBackend('default/api:80')
      started.push(backend)
      const serve = await startServe([dir, '--port-map', '80=0', '--backend', `default/api:80=127.0.0.1:${backend.port}`])
      const base = `http://127.0.0.1:${serve.localPort(80)}`
      const [slow, health] = await Promise.all([runCurl(`${base}/api/${'a'.repeat(27)}!`), runCurl(`${base}/health`)])
      assert.equal(slow.status, 404, slow.stderr)
      assert.equal(health.status, 200, health.stderr)
      assert.equal((await runCurl(`${base}/api/${'a'.repeat(10_000)}!`)).status, 404)
      assert.equal((await runCurl(`${base}/api/v1/orders`)).status, 200)
      await serve.stop()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('resolve --table marks the canary TLSRoute that never gets a connection, in text and json', async () => {
    const json = await runGwctl(['resolve', '--table', '-o', 'json', '-'], {cwd: ROOT, input: CANARY})
    assert.equal(json.exitCode, 0, json.stderr)
    const rows = JSON.parse(json.stdout) as Array<{route?: {name: string}; shadowedBy?: {route?: {name: string}; why: string}}>
    assert.deepEqual(rows.map((row) => [row.route?.name, row.shadowedBy?.route?.name]), [['main', undefined], ['canary', 'main']])
    const text = await runGwctl(['resolve', '--table', '-'], {cwd: ROOT, input: CANARY})
    assert.match(text.stdout, /TLSRoute default\/canary \(shadowed\)/)
    assert.match(text.stdout, /shadowed: TLSRoute default\/canary .* never receives traffic: TLSRoute default\/main also claims app\.example\.com/)
  })

  it('serve names the shadowed canary at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-canary-'))
    try {
      writeFileSync(join(dir, 'canary.yaml'), CANARY)
      const serve = await startServe([dir, '--port-map', '443=0', '--backend', 'default/app:443=127.0.0.1:1', '--backend', 'default/app-next:443=127.0.0.1:1'])
      assert.ok(serve.warnings.some((line) => /TLSRoute default\/canary never receives traffic .*TLSRoute default\/main also claims/.test(line)), serve.warnings.join('\n'))
      await serve.stop()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
