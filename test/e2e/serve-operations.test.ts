/**
 * `gwctl serve` beyond the fixture smoke checks: the weighted canary's
 * distribution, a cross-namespace backend without its ReferenceGrant, HTTP
 * filters (header modifiers, URL rewrite, redirect), X-Forwarded-* and body
 * streaming, BackendTLSPolicy re-encryption (verified CA and hostname),
 * --watch reload keeping the last good configuration, and start-up errors.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer as createHttpsServer} from 'node:https'
import {connect, createServer as createNetServer, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {analyzeManifests} from '../../src/pipeline/analyze.js'
import {buildClientHello} from '../serve/client-hello-bytes.js'
import {eventually, killLeftoverServes, ROOT, RUN, runCurl, runSClient, startBackend, startServe, type Backend} from './serve-harness.js'

const SCENARIOS = join(ROOT, 'fixtures/scenarios')

async function backendArgs(dir: string, tls: boolean, started: Backend[]): Promise<string[]> {
  const {binding} = await analyzeManifests([dir])
  const args: string[] = []
  for (const route of binding.routes) {
    for (const rule of route.rules) {
      for (const backend of rule.backends) {
        const key = `${backend.ref.namespace}/${backend.ref.name}:${backend.ref.port}`
        if (started.some((entry) => entry.key === key)) continue
        const server = await startBackend(key, tls ? join(dir, 'backend-tls') : undefined)
        started.push(server)
        args.push('--backend', `${key}=127.0.0.1:${server.port}`)
      }
    }
  }
  return args
}

describe('e2e: gwctl serve operations', function () {
  this.timeout(60_000)
  after(killLeftoverServes)
  const started: Backend[] = []
  after(() => {
    for (const backend of started) backend.server.close()
  })

  it('weighted canary: 90/10 by connection, within tolerance over 400 curl connections', async () => {
    const dir = join(SCENARIOS, 'weighted-canary')
    const serve = await startServe([dir, '--port-map', '443=0', ...await backendArgs(dir, true, started)])
    try {
      const port = serve.localPort(443)
      const urls = Array.from({length: 400}, () => `url = "https://api.example.com:${port}/"`).join('\n')
      const result = await execa('curl', ['-sk', '--resolve', `api.example.com:${port}:127.0.0.1`, '-H', 'Connection: close', '--no-sessionid', '--config', '-'], {input: urls})
      const counts = new Map<string, number>()
      for (const match of String(result.stdout).matchAll(/^backend=(.+)$/gm)) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1)
      const total = [...counts.values()].reduce((sum, count) => sum + count, 0)
      assert.equal(total, 400)
      const canary = [...counts].find(([key]) => key.includes('/api-canary:'))?.[1] ?? 0
      // 10 % of 400 = 40, standard deviation 6: accept 4 deviations either way.
      assert.ok(canary >= 16 && canary <= 64, `canary took ${canary} of 400`)
    } finally {
      assert.equal((await serve.stop()).exitCode, 0)
    }
  })

  it('passthrough carries a 16 MiB download byte for byte (pooled reads), with half-close', async () => {
    const dir = join(SCENARIOS, 'passthrough')
    const body = randomBytes(16 * 1024 * 1024)
    const tlsDir = join(dir, 'backend-tls')
    const origin = createHttpsServer({cert: readFileSync(join(tlsDir, 'app.example.com.crt')), key: readFileSync(join(tlsDir, 'app.example.com.key'))}, (_req, res) => {
      res.setHeader('connection', 'close')
      res.end(body)
    })
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
    const {binding} = await analyzeManifests([dir])
    const ref = binding.routes[0].rules[0].backends[0].ref
    const serve = await startServe([dir, '--port-map', '443=0', '--backend', `${ref.namespace}/${ref.name}:${ref.port}=127.0.0.1:${(origin.address() as AddressInfo).port}`])
    try {
      const port = serve.localPort(443)
      const downloads = await Promise.all([1, 2, 3].map(() => execa('curl', ['-sSk', '--resolve', `app.example.com:${port}:127.0.0.1`, `https://app.example.com:${port}/`], {encoding: 'buffer', reject: false})))
      for (const download of downloads) {
        assert.equal(download.exitCode, 0, String(download.stderr))
        assert.equal((download.stdout as Uint8Array).length, body.length, 'every byte arrived')
        assert.equal(createHash('sha256').update(download.stdout as Uint8Array).digest('hex'), createHash('sha256').update(body).digest('hex'))
      }
    } finally {
      assert.equal((await serve.stop()).exitCode, 0)
      origin.close()
    }
  })

  it('cross-namespace backend without its ReferenceGrant: refused with a log line (the scenario test serves it with the grant)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-no-grant-'))
    try {
      cpSync(join(SCENARIOS, 'cross-namespace'), dir, {recursive: true})
      const payments = readFileSync(join(dir, 'payments.yaml'), 'utf8')
      writeFileSync(join(dir, 'payments.yaml'), payments.split(/^---$/m).filter((doc) => !/kind: ReferenceGrant/.test(doc)).join('---'))
      const serve = await startServe([dir, '--port-map', '443=0', '--port-map', '8443=0', ...await backendArgs(join(SCENARIOS, 'cross-namespace'), true, started)])
      assert.ok(serve.warnings.some((warning) => /pay-api:8443 is invalid/.test(warning)), serve.warnings.join('\n'))
      const port = serve.localPort(8443)
      const refused = await runCurl(`https://pay.example.com:${port}/`, ['-k', '--resolve', `pay.example.com:${port}:127.0.0.1`])
      assert.notEqual(refused.exitCode, 0)
      await serve.waitForLine((line) => line.includes('"outcome":"invalid-backend"') || line.includes(' invalid-backend'))
      assert.equal((await serve.stop()).exitCode, 0)
    } finally {
      rmSync(dir, {recursive: true})
    }
  })

  it('SIGTERM: stops accepting, lets an open connection finish, then exits 0 without waiting for the drain timeout', async () => {
    const dir = join(SCENARIOS, 'passthrough')
    const echo = createNetServer((socket) => socket.on('data', (chunk) => socket.write(chunk)))
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
    const {binding} = await analyzeManifests([dir])
    const ref = binding.routes[0].rules[0].backends[0].ref
    const serve = await startServe([dir, '--port-map', '443=0', '--drain-timeout', '20s',
      '--backend', `${ref.namespace}/${ref.name}:${ref.port}=127.0.0.1:${(echo.address() as AddressInfo).port}`])
    try {
      const port = serve.localPort(443)
      const client = connect({port, host: '127.0.0.1'})
      const received: Buffer[] = []
      client.on('data', (chunk: Buffer) => received.push(chunk))
      const hello = buildClientHello({sni: 'app.example.com'})
      client.write(hello)
      await eventually(() => Buffer.concat(received).length >= hello.length, 5000, 'the ClientHello echoed back')
      serve.process.kill('SIGTERM')
      await serve.waitForLine((line) => line.includes('draining 1 open ones'))
      const refused = await new Promise<string>((resolve) => connect({port, host: '127.0.0.1'}).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? '')).on('connect', () => resolve('connected')))
      assert.equal(refused, 'ECONNREFUSED', 'no new connections while draining')
      client.write('still here')
      await eventually(() => Buffer.concat(received).toString('latin1').endsWith('still here'), 5000, 'the open connection still carried')
      client.end()
      const result = await serve.process
      assert.equal(result.exitCode, 0)
      assert.match(String(result.stdout), /1 connections finished, 0 closed at the drain timeout/, 'exited when the connection finished, not at the drain timeout')
    } finally {
      echo.close()
    }
  })

  it('reports bad input with one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-broken-'))
    try {
      writeFileSync(join(dir, 'gateway.yaml'), 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw\nspec: {}\n')
      const broken = await execa('node', [RUN, 'serve', dir, '--port-map', '443=0'], {reject: false})
      assert.equal(broken.exitCode, 2)
      assert.match(String(broken.stderr), /^gwctl: .*gateway\.yaml:\d+:\d+: .+$/)
      assert.equal(String(broken.stderr).trim().split('\n').length, 1)
      const badFlag = await execa('node', [RUN, 'serve', join(SCENARIOS, 'passthrough'), '--backend', 'nonsense'], {reject: false})
      assert.deepEqual([badFlag.exitCode, String(badFlag.stderr).trim().split('\n').length], [2, 1])
      assert.match(String(badFlag.stderr), /--backend "nonsense": expected NAMESPACE\/NAME:PORT=HOST:PORT/)
    } finally {
      rmSync(dir, {recursive: true})
    }
  })

  it('--watch: a broken change is reported and the last good configuration keeps serving; a good one is applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-watch-'))
    try {
      cpSync(join(SCENARIOS, 'passthrough'), dir, {recursive: true})
      const readyFile = join(dir, 'ready.json')
      const serve = await startServe([join(dir, 'gateway.yaml'), join(dir, 'tlsroute.yaml'), join(dir, 'app.yaml'), '--port-map', '443=0', '--watch', '--log-format', 'json', '--ready-file', readyFile,
        ...await backendArgs(join(SCENARIOS, 'passthrough'), true, started)])
      assert.equal(JSON.parse(readFileSync(readyFile, 'utf8')).listeners[0].port, 443)
      const port = serve.localPort(443)
      const fetch = (sni: string) => runCurl(`https://${sni}:${port}/`, ['-k', '--resolve', `${sni}:${port}:127.0.0.1`])
      assert.equal((await fetch('app.example.com')).status, 200)

      const route = readFileSync(join(dir, 'tlsroute.yaml'), 'utf8')
      writeFileSync(join(dir, 'tlsroute.yaml'), `${route}\n  - this: is: not yaml\n`)
      const rejected = await serve.waitForLine((line) => line.includes('"event":"reload-rejected"'))
      assert.match(rejected, /tlsroute\.yaml:\d+/)
      assert.equal((await fetch('app.example.com')).status, 200, 'the last good configuration still serves')

      writeFileSync(join(dir, 'tlsroute.yaml'), route.replace('- app.example.com', '- app.example.com\n  - www.example.com'))
      await serve.waitForLine((line) => line.includes('"event":"reload"'))
      const answer = await fetch('www.example.com')
      assert.equal(answer.status, 200, answer.stderr)
      assert.equal((await serve.stop()).exitCode, 0)
    } finally {
      rmSync(dir, {recursive: true})
    }
  })
})

describe('e2e: gwctl serve HTTP filters and BackendTLSPolicy re-encryption', function () {
  this.timeout(60_000)
  let dir: string
  const backends: Backend[] = []
  let serve: Awaited<ReturnType<typeof startServe>>
  let port: number

  const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'})
  const issue = (name: string, dns: string) => {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${dns}`, '-keyout', `${name}.key`, '-out', `${name}.csr`)
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${dns}\n`)
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`)
  }
  const b64 = (file: string) => readFileSync(join(dir, file)).toString('base64')
  const indent = (text: string) => text.trim().split('\n').map((line) => `    ${line}`).join('\n')

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-filters-'))
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=gwctl test CA', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.crt')
    issue('gateway', 'app.example.com')
    issue('backend', 'backend.internal')
    const tlsDir = join(dir, 'backend-tls')
    cpSync(join(dir, 'backend.crt'), join(tlsDir, 'backend.internal.crt'))
    cpSync(join(dir, 'backend.key'), join(tlsDir, 'backend.internal.key'))
    const plain = await startBackend('default/plain:80')
    const secure = await startBackend('default/secure:443', tlsDir)
    const wrongName = await startBackend('default/wrong-name:443', tlsDir)
    backends.push(plain, secure, wrongName)
    const service = (name: string, portNumber: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec:\n  ports: [{port: ${portNumber}}]\n`
    const policy = (name: string, hostname: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: ${name}, namespace: default}\nspec:\n  targetRefs: [{group: "", kind: Service, name: ${name}}]\n  validation:\n    caCertificateRefs: [{group: "", kind: ConfigMap, name: backend-ca}]\n    hostname: ${hostname}\n`
    writeFileSync(join(dir, 'manifests.yaml'), [
      `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: default}\nspec:\n  gatewayClassName: local\n  listeners:\n  - name: https\n    protocol: HTTPS\n    port: 443\n    hostname: app.example.com\n    tls:\n      certificateRefs: [{name: app-tls}]\n`,
      `apiVersion: v1\nkind: Secret\nmetadata: {name: app-tls, namespace: default}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64('gateway.crt')}\n  tls.key: ${b64('gateway.key')}\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: backend-ca, namespace: default}\ndata:\n  ca.crt: |\n${indent(readFileSync(join(dir, 'ca.crt'), 'utf8'))}\n`,
      service('plain', 80), service('secure', 443), service('wrong-name', 443), policy('secure', 'backend.internal'), policy('wrong-name', 'other.internal'),
      `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /headers}}]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: X-Env, value: test}]
        add: [{name: X-Added, value: a}]
        remove: [X-Drop]
    - type: ResponseHeaderModifier
      responseHeaderModifier:
        add: [{name: X-Resp, value: r}]
    backendRefs: [{name: plain, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters:
    - type: URLRewrite
      urlRewrite:
        hostname: rewritten.example.com
        path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}
    backendRefs: [{name: plain, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /moved}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {hostname: www.example.com, statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /landing}}
  - matches: [{path: {type: PathPrefix, value: /secure}}]
    backendRefs: [{name: secure, port: 443}]
  - matches: [{path: {type: PathPrefix, value: /wrong-name}}]
    backendRefs: [{name: wrong-name, port: 443}]
`,
    ].join('---\n'))
    serve = await startServe([join(dir, 'manifests.yaml'), '--port-map', '443=0',
      ...backends.map((backend) => ['--backend', `${backend.key}=127.0.0.1:${backend.port}`]).flat()])
    port = serve.localPort(443)
  })

  after(async () => {
    if (serve !== undefined) assert.equal((await serve.stop()).exitCode, 0)
    for (const backend of backends) backend.server.close()
    rmSync(dir, {recursive: true})
  })
  after(killLeftoverServes)

  const request = (path: string, extra: string[] = []) => runCurl(`https://app.example.com:${port}${path}`, ['--cacert', join(dir, 'ca.crt'), '--resolve', `app.example.com:${port}:127.0.0.1`, ...extra])
  const receivedHeaders = (body: string) => JSON.parse(/^headers=(.*)$/m.exec(body)![1]) as Record<string, string>

  it('request and response header modifiers, X-Forwarded-*', async () => {
    const result = await request('/headers?x=1', ['-H', 'X-Drop: gone', '-H', 'X-Added: first', '-H', 'X-Env: prod'])
    assert.equal(result.status, 200, result.stderr)
    const headers = receivedHeaders(result.body)
    assert.deepEqual({env: headers['x-env'], added: headers['x-added'], drop: headers['x-drop']}, {env: 'test', added: 'first,a', drop: undefined})
    assert.deepEqual({proto: headers['x-forwarded-proto'], for: headers['x-forwarded-for'], host: headers['x-forwarded-host'], port: headers['x-forwarded-port']},
      {proto: 'https', for: '127.0.0.1', host: `app.example.com:${port}`, port: '443'})
    assert.match(result.body, /^request=GET \/headers\?x=1$/m)
    assert.match(result.headers, /^x-resp: r$/im)
  })

  it('streams a 4 MiB request body to the backend', async () => {
    const bodyFile = join(dir, 'body.bin')
    writeFileSync(bodyFile, Buffer.alloc(4 * 1024 * 1024, 7))
    const result = await request('/headers', ['--data-binary', `@${bodyFile}`, '-H', 'Content-Type: application/octet-stream'])
    assert.match(result.body, /^request=POST \/headers$/m)
    assert.match(result.body, /^body-bytes=4194304$/m)
  })

  it('URL rewrite of the prefix and the Host', async () => {
    const result = await request('/old/page?q=2')
    assert.match(result.body, /^request=GET \/new\/page\?q=2$/m)
    assert.equal(receivedHeaders(result.body).host, 'rewritten.example.com')
  })

  it('redirect answered by the gateway', async () => {
    const result = await request('/moved/x')
    assert.equal(result.status, 301)
    assert.match(result.headers, /^location: https:\/\/www\.example\.com\/landing$/im)
  })

  it('BackendTLSPolicy: re-encrypts to the backend, verified against the policy CA and hostname', async () => {
    const result = await request('/secure/ping')
    assert.equal(result.status, 200, result.body)
    assert.match(result.body, /^backend=default\/secure:443$/m)
  })

  it('BackendTLSPolicy whose hostname the backend certificate does not cover: 502, never plaintext', async () => {
    const result = await request('/wrong-name')
    assert.equal(result.status, 502)
    await serve.waitForLine((line) => / backend-tls /.test(line) || line.includes('backend-tls'))
  })

  it('the gateway presents the listener certificate', async () => {
    const answer = await runSClient(port, 'app.example.com', '', ['-CAfile', join(dir, 'ca.crt'), '-verify_return_error'])
    assert.match(answer.output, /Verify return code: 0 \(ok\)/)
  })
})
