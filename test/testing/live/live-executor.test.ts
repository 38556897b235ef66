/**
 * e2e: startLiveExecutor runs routing tests as traffic through the built
 * `gwctl serve` (a child process, OS-chosen ports) of fixture scenarios,
 * with backends that answer per the stub contract mapped by --backend:
 * terminated HTTPS (certificate judged and named, status, backend by
 * header, listener and route from serve's access log), refusals by alert,
 * a 404 the gateway answers itself, passthrough and TLS-terminated TCP by
 * the backend's banner, and a weighted canary sampled within a tolerance.
 * Build first (`npm run build`).
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startLiveExecutor, type RunningExecutor} from '../../../src/testing/live/live-executor.js'
import {startBackend, type Backend} from '../../e2e/serve-harness.js'
import {startPlainBackend, startTlsBackend, type ContractBackend} from './contract-backends.js'
import {routingTest, SCENARIOS} from './routing-tests.js'

function backendPem(scenario: string, name: string) {
  return {cert: readFileSync(join(SCENARIOS, scenario, 'backend-tls', `${name}.crt`)), key: readFileSync(join(SCENARIOS, scenario, 'backend-tls', `${name}.key`))}
}

describe('e2e: live executor through gwctl serve', function () {
  this.timeout(120_000)

  describe('https-termination', () => {
    let executor: RunningExecutor
    let backends: ContractBackend[]
    before(async () => {
      backends = [await startPlainBackend('https-termination/shop-api:8080'), await startPlainBackend('https-termination/storefront:80')]
      executor = await startLiveExecutor({paths: [join(SCENARIOS, 'https-termination')], backendFlags: backends.map((backend) => backend.flag)})
    })
    after(async () => {
      await executor?.close()
      for (const backend of backends ?? []) await backend.close()
    })

    it('observes the certificate, the status, the backend by its echo, and listener and route from serve', async () => {
      const observation = await executor.execute(routingTest('shop api', {sni: 'shop.example.com', port: 443, path: '/api/orders'}, {backend: 'x', listener: 'x', route: 'x'}))
      assert.equal(observation.status, 200)
      assert.equal(observation.backend, 'https-termination/shop-api:8080')
      assert.equal(observation.listener, 'https')
      assert.equal(observation.route, 'HTTPRoute https-termination/shop')
      assert.deepEqual(observation.certificate, {covers: true, secret: 'https-termination/shop-example-com-tls', notAfter: '2125-01-01T00:00:00.000Z',
        subject: 'O=gwctl fixtures, CN=shop.example.com', dnsNames: ['shop.example.com']})
      assert.equal(observation.headers?.['x-gwctl-backend'], 'https-termination/shop-api:8080')
      assert.equal(observation.notCheckable, undefined)
      assert.ok(observation.trace.some((line) => line.includes('verifies against') && line.includes('ca.crt')), observation.trace.join('\n'))
      assert.ok(observation.trace.includes('backend received GET /api/orders Host shop.example.com over http/1.1'), observation.trace.join('\n'))
    })

    it('routes by path: / goes to the storefront', async () => {
      const observation = await executor.execute(routingTest('storefront', {sni: 'shop.example.com', port: 443, path: '/apiary'}))
      assert.equal(observation.backend, 'https-termination/storefront:80')
    })

    it('sends the test\'s method, path, headers and Host', async () => {
      const observation = await executor.execute(routingTest('post', {sni: 'shop.example.com', port: 443, method: 'POST', path: '/api/orders?id=7', headers: {'X-Request-Id': 'abc'}}))
      assert.equal(observation.backend, 'https-termination/shop-api:8080')
      assert.ok(observation.trace.includes('backend received POST /api/orders?id=7 Host shop.example.com over http/1.1'), observation.trace.join('\n'))
    })

    it('reports the alert of an unknown SNI and of no SNI', async () => {
      for (const sni of ['nope.example.com', '']) {
        const observation = await executor.execute(routingTest('refused', {sni, port: 443}, {refused: 'unrecognized_name'}))
        assert.equal(observation.refused, 'unrecognized_name', observation.trace.join('\n'))
        assert.equal(observation.status, undefined)
      }
    })

    it('a 404 the gateway answers itself has no backend, and that is observed rather than not checkable', async () => {
      const observation = await executor.execute(routingTest('misdirected', {sni: 'shop.example.com', host: 'admin.example.com', port: 443}, {status: 404, backend: 'x'}))
      assert.equal(observation.status, 404)
      assert.equal(observation.backend, undefined)
      assert.equal(observation.notCheckable, undefined)
      assert.equal(observation.listener, 'https')
    })

    it('refuses a test for a port no Gateway listens on, naming the test file', async () => {
      await assert.rejects(executor.execute(routingTest('bad port', {sni: 'shop.example.com', port: 8443})), /live\.gwctl-test\.yaml:1:1|no Gateway has a listener on port 8443/)
    })
  })

  it('refuses manifests from stdin, which serve cannot read', async () => {
    await assert.rejects(startLiveExecutor({paths: ['-']}), /cannot read them from stdin/)
  })

  describe('passthrough and TLS-terminated TCP', () => {
    let executors: RunningExecutor[] = []
    let backends: ContractBackend[] = []
    after(async () => {
      for (const executor of executors) await executor.close()
      for (const backend of backends) await backend.close()
    })

    it('passthrough: the backend presents its own certificate and names itself after the handshake', async () => {
      const app = await startTlsBackend('passthrough/app:443', backendPem('passthrough', 'app.example.com'))
      backends.push(app)
      const executor = await startLiveExecutor({paths: [join(SCENARIOS, 'passthrough')], backendFlags: [app.flag]})
      executors.push(executor)
      const observation = await executor.execute(routingTest('app', {sni: 'app.example.com', port: 443}, {backend: 'x', listener: 'x', route: 'x'}))
      assert.equal(observation.backend, 'passthrough/app:443', observation.trace.join('\n'))
      assert.equal(observation.listener, 'tls')
      assert.equal(observation.route, 'TLSRoute passthrough/app')
      assert.equal(observation.certificate?.covers, true)
      assert.deepEqual(observation.certificate?.dnsNames, ['app.example.com'])
      const none = await executor.execute(routingTest('no sni', {sni: '', port: 443}))
      assert.equal(none.refused, 'unrecognized_name')
    })

    it('TLS Terminate + TCPRoute and plain TCP: the stream backend banner', async () => {
      const redis = await startPlainBackend('tls-terminate-tcproute-data/redis:6379')
      backends.push(redis)
      const executor = await startLiveExecutor({paths: [join(SCENARIOS, 'tls-terminate-tcproute')], backendFlags: [redis.flag]})
      executors.push(executor)
      const tls = await executor.execute(routingTest('redis tls', {sni: 'cache.example.com', port: 6380}))
      assert.equal(tls.backend, 'tls-terminate-tcproute-data/redis:6379')
      assert.equal(tls.certificate?.secret, 'tls-terminate-tcproute-data/cache-example-com-tls')
      assert.equal(tls.listener, 'redis-tls')
      const plain = await executor.execute(routingTest('redis', {port: 6379}))
      assert.equal(plain.backend, 'tls-terminate-tcproute-data/redis:6379')
      assert.equal(plain.certificate, undefined)
      assert.equal(plain.route, 'TCPRoute tls-terminate-tcproute-data/redis')
    })
  })

  describe('real backends that do not name themselves (--backend)', () => {
    let executor: RunningExecutor
    let backends: Backend[]
    before(async () => {
      const tlsDir = join(SCENARIOS, 'weighted-canary', 'backend-tls')
      backends = [await startBackend('weighted-canary/api-stable:8443', tlsDir), await startBackend('weighted-canary/api-canary:8443', tlsDir)]
      executor = await startLiveExecutor({paths: [join(SCENARIOS, 'weighted-canary')], backendFlags: backends.map((backend) => `${backend.key}=127.0.0.1:${backend.port}`)})
    })
    after(async () => {
      await executor?.close()
      for (const backend of backends ?? []) backend.server.close()
    })

    it('takes the backend from serve\'s access log, for one connection and for a weighted sample', async () => {
      const expected = {'weighted-canary/api-stable:8443': 90, 'weighted-canary/api-canary:8443': 10}
      const observation = await executor.execute(routingTest('canary', {sni: 'api.example.com', port: 443}, {backends: expected}))
      assert.ok(observation.trace.some((line) => /^backend weighted-canary\/api-(stable|canary):8443: from the gateway's access log/.test(line)), observation.trace.join('\n'))
      assert.deepEqual(observation.backends, expected, observation.trace.join('\n'))
      assert.equal(observation.notCheckable, undefined)
    })
  })

  describe('Gateways sharing a port, and a listener serve does not carry', () => {
    let dir: string
    let executor: RunningExecutor
    let backends: ContractBackend[]
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gwctl-live-'))
      writeFileSync(join(dir, 'gateways.yaml'), SHARED_PORT)
      backends = [await startPlainBackend('web/public:80'), await startPlainBackend('web/private:80')]
      executor = await startLiveExecutor({paths: [dir], backendFlags: backends.map((backend) => backend.flag)})
    })
    after(async () => {
      await executor?.close()
      for (const backend of backends ?? []) await backend.close()
      rmSync(dir, {recursive: true, force: true})
    })

    it('runs one serve per Gateway, so each test reaches the Gateway it names', async () => {
      assert.equal(executor.describe().length, 2, executor.describe().join('\n'))
      const edge = await executor.execute(routingTest('edge', {gateway: {namespace: 'web', name: 'edge'}, port: 80, host: 'www.example.com'}))
      assert.equal(edge.backend, 'web/public:80', edge.trace.join('\n'))
      const internal = await executor.execute(routingTest('internal', {gateway: {namespace: 'web', name: 'internal'}, port: 80, host: 'www.example.com'}))
      assert.equal(internal.backend, 'web/private:80', internal.trace.join('\n'))
      assert.equal(internal.route, 'HTTPRoute web/private')
    })

    it('a listener port serve does not bind, its listeners not programmed, refuses the connection, with serve\'s reason', async () => {
      const observation = await executor.execute(routingTest('legacy', {gateway: {namespace: 'web', name: 'edge'}, port: 8080, host: 'legacy.example.com'}, {status: 200}))
      assert.equal(observation.refused, 'closed', observation.trace.join('\n'))
      assert.equal(observation.notCheckable, undefined)
      assert.ok(observation.trace.some((line) => /^not served: gwctl serve does not serve port 8080 of Gateway web\/edge: listener legacy(-tcp)?: Conflicted.*; a client's connection is refused$/.test(line)), observation.trace.join('\n'))
    })
  })

  describe('weighted-canary', () => {
    let executor: RunningExecutor
    let backends: ContractBackend[]
    before(async () => {
      const pem = backendPem('weighted-canary', 'api.example.com')
      backends = [await startTlsBackend('weighted-canary/api-stable:8443', pem), await startTlsBackend('weighted-canary/api-canary:8443', pem)]
      executor = await startLiveExecutor({paths: [join(SCENARIOS, 'weighted-canary')], backendFlags: backends.map((backend) => backend.flag)})
    })
    after(async () => {
      await executor?.close()
      for (const backend of backends ?? []) await backend.close()
    })

    it('samples enough connections for the tolerance, states it, and confirms 90/10', async () => {
      const expected = {'weighted-canary/api-stable:8443': 90, 'weighted-canary/api-canary:8443': 10}
      const observation = await executor.execute(routingTest('canary', {sni: 'api.example.com', port: 443}, {backends: expected}))
      assert.deepEqual(observation.backends, expected, observation.trace.join('\n'))
      assert.ok(observation.trace.includes('weighted expectation: 239 connections, enough to check each share within ± 5 percentage points at 99% confidence'), observation.trace.join('\n'))
    })

    it('a wrong split is reported with the measured shares', async () => {
      const observation = await executor.execute(routingTest('wrong split', {sni: 'api.example.com', port: 443}, {backends: {'weighted-canary/api-stable:8443': 50, 'weighted-canary/api-canary:8443': 50}}))
      assert.notDeepEqual(observation.backends, {'weighted-canary/api-stable:8443': 50, 'weighted-canary/api-canary:8443': 50})
      assert.ok(observation.backends!['weighted-canary/api-stable:8443'] > 75, JSON.stringify(observation.backends))
      assert.ok(observation.trace.some((line) => line.includes('OUT OF TOLERANCE')), observation.trace.join('\n'))
    })
  })
})

const SHARED_PORT = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  gatewayClassName: any
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - {name: legacy, protocol: HTTP, port: 8080, hostname: legacy.example.com}
  - {name: legacy-tcp, protocol: TCP, port: 8080}
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
kind: HTTPRoute
metadata: {name: public, namespace: web}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{name: public, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: private, namespace: web}
spec:
  parentRefs: [{name: internal}]
  rules: [{backendRefs: [{name: private, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: public, namespace: web}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: private, namespace: web}
spec: {ports: [{port: 80}]}
`
