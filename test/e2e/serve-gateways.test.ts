/**
 * e2e: `gwctl serve` runs every Gateway at once, each on its own loopback
 * address (issue 11 §8). Two scenarios whose Gateways both listen on 443 —
 * https-termination (HTTPS, terminated) and passthrough (TLS, passthrough) —
 * are served by one process on one local port, at 127.0.0.1 and 127.0.0.2,
 * and real curl and openssl reach each Gateway at its own address; the ready
 * report and lines say where; flags that map nothing are refused.
 */
import {strict as assert} from 'node:assert'
import {createServer, type AddressInfo} from 'node:net'
import {join} from 'node:path'
import {execa} from 'execa'
import {analyzeManifests} from '../../src/pipeline/analyze.js'
import {runGwctl, type RunResult} from '../support/run-cli.js'
import {certificateFingerprint, killLeftoverServes, ROOT, RUN, runCurl, startBackend, startServe, type Backend, type ServeProcess} from './serve-harness.js'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'

const TERMINATION = join(ROOT, 'fixtures/scenarios/https-termination')
const PASSTHROUGH = join(ROOT, 'fixtures/scenarios/passthrough')

/** A local port free on both 127.0.0.1 and 127.0.0.2, chosen by the OS. */
async function findSharedFreePort(): Promise<number> {
  for (;;) {
    const first = createServer()
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve))
    const port = (first.address() as AddressInfo).port
    const second = createServer()
    const free = await new Promise<boolean>((resolve) => {
      second.once('error', () => resolve(false))
      second.listen(port, '127.0.0.2', () => resolve(true))
    })
    await Promise.all([first, ...(free ? [second] : [])].map((server) => new Promise((resolve) => server.close(resolve))))
    if (free) return port
  }
}

function assertOneLineUsageError(result: RunResult, pattern: RegExp): void {
  assert.equal(result.exitCode, 2, `exit 2 (stderr: ${result.stderr})`)
  assert.equal(result.stdout, '', 'nothing on stdout')
  assert.match(result.stderr, /^gwctl: [^\n]+$/, 'one line on stderr')
  assert.match(result.stderr, pattern)
}

/** openssl s_client to HOST:PORT with the SNI, sending nothing. */
async function presentCertificate(host: string, port: number, sni: string) {
  const result = await execa('openssl', ['s_client', '-connect', `${host}:${port}`, '-servername', sni], {input: '', reject: false, timeout: 10_000})
  const output = `${String(result.stdout)}\n${String(result.stderr)}`
  return {output, certificate: /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(output)?.[0]}
}

describe('e2e: gwctl serve, every Gateway on its own loopback address (issue 11 §8)', function () {
  this.timeout(120_000)
  const backends: Backend[] = []
  let backendArgs: string[] = []
  let serve: ServeProcess
  let port: number

  before(async () => {
    const {binding} = await analyzeManifests([TERMINATION, PASSTHROUGH])
    for (const route of binding.routes) {
      const tls = route.route.kind === 'TLSRoute' ? join(PASSTHROUGH, 'backend-tls') : undefined
      for (const backend of route.rules.flatMap((rule) => rule.backends)) {
        const key = `${backend.ref.namespace}/${backend.ref.name}:${backend.ref.port}`
        if (backends.some((entry) => entry.key === key)) continue
        const started = await startBackend(key, tls)
        backends.push(started)
        backendArgs.push('--backend', `${key}=127.0.0.1:${started.port}`)
      }
    }
    port = await findSharedFreePort()
    serve = await startServe([TERMINATION, PASSTHROUGH, '--port-map', `443=${port}`, ...backendArgs])
  })

  after(async () => {
    const stopped = await serve?.stop()
    for (const backend of backends) backend.server.close()
    killLeftoverServes()
    assert.equal(stopped?.exitCode, 0, `serve exit code; stderr: ${stopped?.stderr}`)
  })

  it('the ready report gives each Gateway its own 127.0.0.N, in namespace/name order, on the one local port', () => {
    const ready = JSON.parse(serve.lines.find((line) => line.startsWith('{"event":"ready"'))!) as {gateways: unknown[]; listeners: Array<{gateway: string; address: string}>}
    assert.deepEqual(ready.gateways, [
      {gateway: 'https-termination/shop', addresses: ['127.0.0.1'], source: 'assigned'},
      {gateway: 'passthrough/tls-passthrough', addresses: ['127.0.0.2'], source: 'assigned'},
    ])
    assert.deepEqual(ready.listeners.map((listener) => `${listener.gateway} ${listener.address}`),
      [`https-termination/shop 127.0.0.1:${port}`, `passthrough/tls-passthrough 127.0.0.2:${port}`])
  })

  it('curl reaches the terminating Gateway at 127.0.0.1: the gateway\'s certificate, the HTTPRoute\'s backend', async () => {
    const result = await runCurl(`https://shop.example.com:${port}/api/cart`, ['--cacert', join(TERMINATION, 'ca.crt'), '--resolve', `shop.example.com:${port}:127.0.0.1`])
    assert.equal(result.status, 200, result.stderr)
    assert.match(result.body, /^backend=https-termination\/shop-api:8080$/m)
  })

  it('curl reaches the passthrough Gateway at 127.0.0.2: the backend\'s own certificate', async () => {
    const result = await runCurl(`https://app.example.com:${port}/`, ['--cacert', join(PASSTHROUGH, 'ca.crt'), '--resolve', `app.example.com:${port}:127.0.0.2`])
    assert.equal(result.status, 200, result.stderr)
    assert.match(result.body, /^backend=passthrough\/app:443$/m)
    const presented = await presentCertificate('127.0.0.2', port, 'app.example.com')
    assert.ok(presented.certificate !== undefined, presented.output)
    assert.equal(certificateFingerprint(presented.certificate), certificateFingerprint(readFileSync(join(PASSTHROUGH, 'backend-tls/app.example.com.crt'), 'utf8')))
  })

  it('each address answers only for its own Gateway', async () => {
    const wrong = await presentCertificate('127.0.0.1', port, 'app.example.com')
    assert.equal(wrong.certificate, undefined, 'the terminating Gateway has no listener for app.example.com')
    assert.match(wrong.output, /unrecognized name/i)
    const other = await presentCertificate('127.0.0.2', port, 'shop.example.com')
    assert.equal(other.certificate, undefined, 'the passthrough Gateway has no listener for shop.example.com')
  })

  it('text ready lines name each listener\'s address; --address NS/NAME=ADDRESS places one Gateway and the other skips it', async () => {
    const child = execa('node', [RUN, 'serve', TERMINATION, PASSTHROUGH, '--port-map', '443=0', '--address', 'passthrough/tls-passthrough=127.0.0.1', ...backendArgs],
      {reject: false, stdin: 'ignore', env: {GWCTL_SERVE_FATAL_INTERNAL_ERRORS: '1'}})
    let stdout = ''
    const ready = new Promise<string[]>((resolve) => child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const lines = stdout.split('\n').filter((line) => line.startsWith('ready '))
      if (lines.length === 2) resolve(lines)
    }))
    const lines = await Promise.race([ready, child.then((result) => {
      throw new Error(`serve exited ${result.exitCode}: ${result.stderr}`)
    })])
    child.kill('SIGTERM')
    assert.equal((await child).exitCode, 0)
    assert.match(lines[0], /^ready https-termination\/shop listener=https HTTPS\/Terminate hostname=shop\.example\.com port=443 on 127\.0\.0\.2:\d+$/)
    assert.match(lines[1], /^ready passthrough\/tls-passthrough listener=\S+ TLS\/Passthrough hostname=\S+ port=443 on 127\.0\.0\.1:\d+$/)
  })

  it('a Gateway\'s loopback spec.addresses are where it is served; the others are a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-addresses-'))
    try {
      const gateway = readFileSync(join(PASSTHROUGH, 'gateway.yaml'), 'utf8').replace('  gatewayClassName: passthrough-nginx\n', '  gatewayClassName: passthrough-nginx\n  addresses:\n  - value: 10.0.0.5\n  - type: IPAddress\n    value: 127.0.0.9\n')
      assert.match(gateway, /value: 127\.0\.0\.9/)
      writeFileSync(join(dir, 'gateway.yaml'), gateway)
      for (const file of ['namespace.yaml', 'tlsroute.yaml', 'app.yaml']) writeFileSync(join(dir, file), readFileSync(join(PASSTHROUGH, file)))
      const app = backends.find((backend) => backend.key === 'passthrough/app:443')!
      const served = await startServe([dir, '--port-map', '443=0', '--backend', `passthrough/app:443=127.0.0.1:${app.port}`])
      try {
        assert.deepEqual(served.listeners.map((listener) => listener.address.replace(/:\d+$/, '')), ['127.0.0.9'])
        assert.ok(served.warnings.includes('Gateway passthrough/tls-passthrough: spec.addresses 10.0.0.5 is not a loopback IP address, so gwctl serve does not bind it'), served.warnings.join('\n'))
        const local = served.localPort(443)
        const result = await runCurl(`https://app.example.com:${local}/`, ['--cacert', join(PASSTHROUGH, 'ca.crt'), '--resolve', `app.example.com:${local}:127.0.0.9`])
        assert.equal(result.status, 200, result.stderr)
      } finally {
        assert.equal((await served.stop()).exitCode, 0)
      }
    } finally {
      rmSync(dir, {recursive: true})
    }
  })

  describe('refused with one line and exit 2', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['a --backend no route references, with the closest one', ['--port-map', '443=0', '--backend', 'passthrough/ap:443=127.0.0.1:9'],
        /^gwctl: --backend passthrough\/ap:443=127\.0\.0\.1:9: no route references Service port passthrough\/ap:443; did you mean passthrough\/app:443\?/],
      ['a --port-map no listener has, with the closest port', ['--port-map', '444=0'], /^gwctl: --port-map 444=0: no listener has port 444; did you mean 443\?/],
      ['a bare --address both Gateways would share on port 443', ['--port-map', '443=0', '--address', '127.0.0.1'],
        /^gwctl: Gateways https-termination\/shop and passthrough\/tls-passthrough both have listeners on port 443 and --address puts both on 127\.0\.0\.1: one socket cannot serve two Gateways/],
      ['--address ::1 for both: IPv6 has one loopback address', ['--port-map', '443=0', '--address', '::1'], /::1 is the only IPv6 loopback address/],
      ['--address for a Gateway not in the input', ['--port-map', '443=0', '--address', 'https-termination/shp=127.0.0.5'], /no Gateway https-termination\/shp in the input; did you mean https-termination\/shop\?/],
    ]
    for (const [name, args, pattern] of cases) {
      it(name, async () => assertOneLineUsageError(await runGwctl(['serve', TERMINATION, PASSTHROUGH, ...args]), pattern))
    }
  })
})
