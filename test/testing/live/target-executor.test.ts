/**
 * e2e: createTargetExecutor against a separately started built `gwctl
 * serve` standing in for a real gateway (loopback, OS-chosen ports), and
 * against local HTTP/2 and UDP servers for the h2, gRPC and datagram probes:
 * what traffic shows is observed (SNI, alert, certificate and its Secret,
 * status, redirect, headers, a backend that names itself under the
 * configured header), listener and route are not checkable, and the
 * --target/--target-map flags are checked against the manifests' Gateways.
 * Build first (`npm run build`).
 */
import assert from 'node:assert/strict'
import {createSocket} from 'node:dgram'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createSecureServer, createServer as createH2cServer, type Http2SecureServer} from 'node:http2'
import {createServer, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createTargetExecutor} from '../../../src/testing/live/target-executor.js'
import {UserError} from '../../../src/errors/user-error.js'
import {killLeftoverServes, startServe, type ServeProcess} from '../../e2e/serve-harness.js'
import {startPlainBackend, type ContractBackend} from './contract-backends.js'
import {routingTest, SCENARIOS} from './routing-tests.js'

describe('e2e: target executor', function () {
  this.timeout(120_000)
  after(killLeftoverServes)

  describe('against a separately started gwctl serve (https-termination)', () => {
    let serve: ServeProcess
    let backends: ContractBackend[]
    let target: string
    before(async () => {
      backends = [await startPlainBackend('https-termination/shop-api:8080'), await startPlainBackend('https-termination/storefront:80')]
      serve = await startServe([join(SCENARIOS, 'https-termination'), ...backends.flatMap((backend) => ['--backend', backend.flag]), '--port-map', '443=0'])
      target = `127.0.0.1:${serve.localPort(443)}`
    })
    after(async () => {
      await serve?.stop()
      for (const backend of backends ?? []) await backend.close()
    })

    it('observes certificate, status, headers and the echoed backend; listener and route are not checkable', async () => {
      const executor = await createTargetExecutor({paths: [join(SCENARIOS, 'https-termination')], targets: [target]})
      const observation = await executor.execute(routingTest('shop', {sni: 'shop.example.com', port: 443, path: '/api/x'},
        {backend: 'https-termination/shop-api:8080', listener: 'https', route: 'HTTPRoute https-termination/shop', certificate: {covers: true}}))
      assert.equal(observation.status, 200)
      assert.equal(observation.backend, 'https-termination/shop-api:8080')
      assert.equal(observation.certificate?.secret, 'https-termination/shop-example-com-tls')
      assert.equal(observation.certificate?.covers, true)
      assert.equal(observation.listener, undefined)
      assert.equal(observation.route, undefined)
      assert.deepEqual(Object.keys(observation.notCheckable ?? {}).sort(), ['listener', 'route'])
      assert.match(observation.notCheckable!.listener, /real gateway does not say/)
    })

    it('a backend that does not name itself under the configured header is not checkable', async () => {
      const executor = await createTargetExecutor({paths: [join(SCENARIOS, 'https-termination')], targetMap: [`https-termination/shop=${target}`], backendHeader: 'X-Served-By'})
      const observation = await executor.execute(routingTest('shop', {sni: 'shop.example.com', port: 443}, {backend: 'https-termination/storefront:80'}))
      assert.equal(observation.status, 200)
      assert.equal(observation.backend, undefined)
      assert.match(observation.notCheckable?.backend ?? '', /no x-served-by header/)
    })

    it('reports the unrecognized_name alert and the 404 of a misdirected Host', async () => {
      const executor = await createTargetExecutor({paths: [join(SCENARIOS, 'https-termination')], targetMap: [`https-termination/shop:443=${target}`]})
      assert.equal((await executor.execute(routingTest('unknown', {sni: 'nope.example.com', port: 443}))).refused, 'unrecognized_name')
      const misdirected = await executor.execute(routingTest('admin', {sni: 'shop.example.com', host: 'admin.example.com', port: 443}, {status: 404}))
      assert.equal(misdirected.status, 404)
      assert.equal(misdirected.refused, undefined)
    })
  })

  describe('against a separately started gwctl serve (http-to-https-redirect)', () => {
    it('observes the redirect Location on the plain HTTP port', async () => {
      const dir = join(SCENARIOS, 'http-to-https-redirect')
      const serve = await startServe([dir, '--port-map', '80=0', '--port-map', '443=0'])
      try {
        const executor = await createTargetExecutor({paths: [dir], targetMap: [`${serve.listeners[0].gateway}:80=127.0.0.1:${serve.localPort(80)}`, `${serve.listeners[0].gateway}:443=127.0.0.1:${serve.localPort(443)}`]})
        const observation = await executor.execute(routingTest('redirect', {port: 80, host: 'www.example.com', path: '/cart'}, {redirect: 'x'}))
        assert.equal(observation.status, 301, observation.trace.join('\n'))
        assert.equal(observation.redirect, 'https://www.example.com/cart')
      } finally {
        await serve.stop()
      }
    })
  })

  describe('HTTP/2, gRPC and UDP probes against local servers', () => {
    let dir: string
    let h2: Http2SecureServer
    let h2Port: number
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gwctl-target-'))
      const scenario = join(SCENARIOS, 'https-termination')
      writeFileSync(join(dir, 'gateway.yaml'), readFileSync(join(scenario, 'secret.yaml'), 'utf8') + '\n---\n' + GATEWAYS)
      writeFileSync(join(dir, 'ca.crt'), readFileSync(join(scenario, 'ca.crt')))
      const secret = readFileSync(join(scenario, 'secret.yaml'), 'utf8')
      const pem = (key: string) => Buffer.from(new RegExp(`${key}: (\\S+)`).exec(secret)![1], 'base64')
      h2 = createSecureServer({cert: pem('tls.crt'), key: pem('tls.key'), allowHTTP1: true}, (request, response) => {
        if (request.headers['content-type'] === 'application/grpc') {
          const chunks: Buffer[] = []
          request.on('data', (chunk: Buffer) => chunks.push(chunk))
          request.on('end', () => {
            response.addTrailers({'grpc-status': request.url === '/missing.Service/Call' ? '12' : '0'})
            response.writeHead(200, {'content-type': 'application/grpc', 'x-gwctl-backend': 'https-termination/grpc:50051'})
            response.end(Buffer.concat(chunks))
          })
          return
        }
        response.writeHead(200, {'x-gwctl-backend': 'https-termination/shop-api:8080', 'x-protocol': request.httpVersion})
        response.end('ok')
      })
      await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve))
      h2Port = (h2.address() as AddressInfo).port
    })
    after(async () => {
      await new Promise((resolve) => h2?.close(resolve))
      rmSync(dir, {recursive: true, force: true})
    })

    it('speaks HTTP/2 when the server picks ALPN h2', async () => {
      const executor = await createTargetExecutor({paths: [dir], targetMap: [`https-termination/shop=127.0.0.1:${h2Port}`]})
      const observation = await executor.execute(routingTest('h2', {sni: 'shop.example.com', port: 443, path: '/'}))
      assert.equal(observation.status, 200)
      assert.equal(observation.headers?.['x-protocol'], '2.0')
      assert.equal(observation.backend, 'https-termination/shop-api:8080')
      assert.ok(observation.trace.some((line) => line.includes('ALPN offered h2,http/1.1 → h2')), observation.trace.join('\n'))
    })

    it('makes a unary gRPC call and reads grpc-status from the trailers', async () => {
      const executor = await createTargetExecutor({paths: [dir], targetMap: [`https-termination/shop=127.0.0.1:${h2Port}`]})
      const ok = await executor.execute(routingTest('grpc', {sni: 'shop.example.com', port: 443, protocol: 'grpc', path: '/echo.Echo/Say'}))
      assert.equal(ok.grpcStatus, 0, ok.trace.join('\n'))
      assert.equal(ok.backend, 'https-termination/grpc:50051')
      const missing = await executor.execute(routingTest('grpc missing', {sni: 'shop.example.com', port: 443, protocol: 'grpc', path: '/missing.Service/Call'}))
      assert.equal(missing.grpcStatus, 12)
    })

    it('makes a gRPC call over h2c (prior knowledge) on a plaintext HTTP listener whose routes are GRPCRoutes', async () => {
      const h2c = createH2cServer()
      h2c.on('stream', (stream, headers) => {
        stream.respond({':status': 200, 'content-type': 'application/grpc', 'x-gwctl-backend': 'https-termination/echo:50051'}, {waitForTrailers: true})
        stream.on('wantTrailers', () => stream.sendTrailers({'grpc-status': headers[':path'] === '/echo.Echo/Say' ? '0' : '12'}))
        stream.on('data', () => {})
        stream.on('end', () => stream.end(Buffer.alloc(5)))
      })
      await new Promise<void>((resolve) => h2c.listen(0, '127.0.0.1', resolve))
      try {
        const executor = await createTargetExecutor({paths: [dir], targetMap: [`https-termination/shop=127.0.0.1:${h2Port}`, `https-termination/grpc=127.0.0.1:${(h2c.address() as AddressInfo).port}`]})
        const observation = await executor.execute(routingTest('h2c', {port: 9090, path: '/echo.Echo/Say'}))
        assert.equal(observation.grpcStatus, 0, observation.trace.join('\n'))
        assert.equal(observation.backend, 'https-termination/echo:50051')
        assert.ok(observation.trace.includes('gRPC h2c POST /echo.Echo/Say :authority 127.0.0.1'), observation.trace.join('\n'))
      } finally {
        await new Promise((resolve) => h2c.close(resolve))
      }
    })

    it('sends a datagram and reads the stub banner of the answer', async () => {
      const udp = createSocket('udp4')
      udp.on('message', (message, peer) => udp.send(Buffer.concat([Buffer.from('gwctl-stub-backend https-termination/dns:53\n'), message]), peer.port, peer.address))
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve))
      try {
        const executor = await createTargetExecutor({paths: [dir], targetMap: [`https-termination/dns=127.0.0.1:${udp.address().port}`, `https-termination/shop=127.0.0.1:${h2Port}`]})
        const observation = await executor.execute(routingTest('udp', {port: 53}, {backend: 'https-termination/dns:53'}))
        assert.equal(observation.backend, 'https-termination/dns:53', observation.trace.join('\n'))
      } finally {
        udp.close()
      }
    })
  })

  describe('a stream backend that stays silent', () => {
    it('ends the probe without an identity: the backend is not checkable, nothing failed', async () => {
      const silent = createServer((socket) => socket.on('error', () => {}))
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      const dir = mkdtempSync(join(tmpdir(), 'gwctl-target-'))
      writeFileSync(join(dir, 'gateway.yaml'), `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: data, namespace: db}
spec:
  gatewayClassName: any
  listeners:
  - {name: postgres, protocol: TCP, port: 5432}
`)
      try {
        const executor = await createTargetExecutor({paths: [dir], targets: [`127.0.0.1:${(silent.address() as AddressInfo).port}`], timeoutMs: 1000})
        const observation = await executor.execute(routingTest('silent', {port: 5432}, {backend: 'db/postgres:5432'}))
        assert.equal(observation.refused, undefined)
        assert.equal(observation.backend, undefined)
        assert.match(observation.notCheckable?.backend ?? '', /sent nothing back to the probe line within 500 ms/)
      } finally {
        silent.close()
        rmSync(dir, {recursive: true, force: true})
      }
    })
  })

  describe('--target and --target-map against the manifests', () => {
    const paths = [join(SCENARIOS, 'https-termination')]
    const cases: Array<{name: string; targets?: string[]; targetMap?: string[]; error: RegExp}> = [
      {name: 'an unknown Gateway', targetMap: ['web/nope=127.0.0.1'], error: /--target-map web\/nope: no such Gateway in the manifests \(they hold https-termination\/shop\)/},
      {name: 'a port the Gateway does not listen on', targetMap: ['https-termination/shop:8443=127.0.0.1:1'], error: /has no listener on port 8443/},
      {name: 'more targets than Gateways', targets: ['127.0.0.1', '127.0.0.2'], error: /2 --target values for 1 Gateways/},
      {name: 'a malformed address', targets: ['127.0.0.1:99999'], error: /expected HOST or HOST:PORT/},
    ]
    for (const {name, targets, targetMap, error} of cases) {
      it(`refuses ${name}`, async () => {
        await assert.rejects(createTargetExecutor({paths, targets, targetMap}), (thrown: unknown) => thrown instanceof UserError && error.test(thrown.message))
      })
    }

    it('a test for a Gateway no flag names is not checkable', async () => {
      const executor = await createTargetExecutor({paths})
      const observation = await executor.execute(routingTest('unmapped', {sni: 'shop.example.com', port: 443}, {status: 200}))
      assert.deepEqual(observation.notCheckable, {status: 'no --target or --target-map names Gateway https-termination/shop'})
    })
  })
})

const GATEWAYS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shop, namespace: https-termination}
spec:
  gatewayClassName: any
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    hostname: shop.example.com
    tls:
      mode: Terminate
      certificateRefs: [{name: shop-example-com-tls}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: dns, namespace: https-termination}
spec:
  gatewayClassName: any
  listeners:
  - name: dns
    protocol: UDP
    port: 53
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: grpc, namespace: https-termination}
spec:
  gatewayClassName: any
  listeners:
  - {name: grpc, protocol: HTTP, port: 9090}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: echo, namespace: https-termination}
spec:
  parentRefs: [{name: grpc}]
  rules: [{backendRefs: [{name: echo, port: 50051}]}]
`
