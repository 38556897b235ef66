/**
 * `gwctl serve` holds up against misbehaving peers (issue 11 §1): a backend
 * whose response cannot be relayed (bad reason phrase, status 000, bad
 * header bytes, not HTTP) is a 502 with a log line and the gateway keeps
 * serving; absolute-form request targets are routed by their authority and
 * path, and duplicate or conflicting Host headers are a 400; clients turned
 * away with a TLS alert that never close are closed after a short linger and
 * stop counting against --max-connections; SIGTERM exits by the drain
 * timeout + 1 s even when a passthrough backend never closes; --ready-file
 * is written through an exclusive temporary file and never replaces a
 * symlink, directory, FIFO or device.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {connect, createServer, type AddressInfo, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {buildClientHello} from '../serve/client-hello-bytes.js'
import {countSockets, eventually, killLeftoverServes, RUN, runCurl, startBackend, startServe, type Backend, type ServeProcess} from './serve-harness.js'

const MALFORMED: Record<string, string> = {
  '/bad/reason': 'HTTP/1.1 200 O\x01K\r\ncontent-length: 2\r\n\r\nok',
  '/bad/status': 'HTTP/1.1 000 Zero\r\ncontent-length: 2\r\n\r\nok',
  '/bad/header': 'HTTP/1.1 200 OK\r\nx-bad: a\x01b\r\ncontent-length: 2\r\n\r\nok',
  '/bad/garbage': 'NOT HTTP AT ALL\r\n\r\n',
}

/** A backend that answers each request with the malformed response named by its path. */
function startMalformedBackend(): Server {
  return createServer((socket) => {
    let head = ''
    socket.on('error', () => {})
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      const path = head.split(' ')[1] ?? '/'
      socket.end(Buffer.from(MALFORMED[path] ?? 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n', 'latin1'))
    })
  })
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

/** Send raw bytes, collect the answer until the gateway closes (or `deadlineMs`). */
function exchange(port: number, data: Buffer | string, deadlineMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({port, host: '127.0.0.1'})
    const received: Buffer[] = []
    const timer = setTimeout(() => socket.destroy(), deadlineMs)
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(received).toString('latin1'))
    })
    socket.on('connect', () => socket.write(data))
  })
}

const service = (name: string, port: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec:\n  ports: [{port: ${port}}]\n`
const MANIFESTS = [
  `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: local
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - {name: tls, protocol: TLS, port: 443, hostname: app.example.com, tls: {mode: Passthrough}}
`,
  `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: default}
spec:
  parentRefs: [{name: gw, sectionName: http}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /bad}}]
    backendRefs: [{name: bad, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: web, port: 80}]
`,
  `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: app, namespace: default}
spec:
  parentRefs: [{name: gw, sectionName: tls}]
  hostnames: [app.example.com]
  rules:
  - backendRefs: [{name: pass, port: 443}]
`,
  service('api', 8080), service('web', 80), service('bad', 80), service('pass', 443),
].join('---\n')

describe('e2e: gwctl serve hardening against misbehaving clients and backends', function () {
  this.timeout(60_000)
  let dir: string
  let manifests: string
  const backends: Backend[] = []
  const malformed = startMalformedBackend()
  const held: Socket[] = []
  // A passthrough backend that echoes and never closes its side.
  const neverCloses = createServer({allowHalfOpen: true}, (socket) => {
    held.push(socket)
    socket.on('error', () => {})
    socket.on('data', (chunk: Buffer) => socket.write(chunk))
  })
  let backendArgs: string[]
  let serve: ServeProcess
  let httpPort: number

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-hardening-'))
    manifests = join(dir, 'manifests.yaml')
    writeFileSync(manifests, MANIFESTS)
    backends.push(await startBackend('default/api:8080'), await startBackend('default/web:80'))
    backendArgs = [...backends.flatMap((backend) => ['--backend', `${backend.key}=127.0.0.1:${backend.port}`]),
      '--backend', `default/bad:80=127.0.0.1:${await listen(malformed)}`, '--backend', `default/pass:443=127.0.0.1:${await listen(neverCloses)}`]
    serve = await startServe([manifests, '--port-map', '80=0', '--port-map', '443=0', ...backendArgs])
    httpPort = serve.localPort(80)
  })

  after(async () => {
    if (serve !== undefined) {
      const {exitCode, stderr} = await serve.stop()
      assert.equal(exitCode, 0, stderr)
      assert.ok(!serve.lines.some((line) => line.includes('internal-error')), 'the internal-error guard never fired')
    }
    for (const socket of held) socket.destroy()
    for (const backend of backends) backend.server.close()
    malformed.close()
    neverCloses.close()
    rmSync(dir, {recursive: true})
  })
  after(killLeftoverServes)

  const shop = (path: string, extra: string[] = []) => runCurl(`http://shop.example.com:${httpPort}${path}`, ['--resolve', `shop.example.com:${httpPort}:127.0.0.1`, ...extra])

  for (const path of Object.keys(MALFORMED)) {
    it(`a backend response that cannot be relayed (${path}) is a 502 with a log line; the gateway keeps serving`, async () => {
      const answer = await shop(path)
      assert.equal(answer.status, 502, `${answer.stderr}\n${serve.lines.slice(-3).join('\n')}`)
      await serve.waitForLine((line) => line.includes(`path=${path} `) && / status=502 .* backend-(bad-response|error) \(default\/bad:80 at /.test(line))
      const healthy = await shop('/api/after')
      assert.equal(healthy.status, 200)
      assert.match(healthy.body, /^backend=default\/api:8080$/m)
    })
  }

  it('absolute-form targets are routed by their authority and path (curl through the gateway as a proxy)', async () => {
    const proxied = await runCurl('http://shop.example.com/api/echo?x=1', ['--proxy', `http://127.0.0.1:${httpPort}`])
    assert.equal(proxied.status, 200, proxied.stderr)
    assert.match(proxied.body, /^backend=default\/api:8080$/m)
    assert.match(proxied.body, /^request=GET \/api\/echo\?x=1$/m, 'forwarded in origin-form')
    assert.equal((JSON.parse(/^headers=(.*)$/m.exec(proxied.body)![1]) as Record<string, string>).host, 'shop.example.com')
    const withoutHost = await exchange(httpPort, 'GET http://SHOP.example.com:80/api/bare HTTP/1.1\r\nConnection: close\r\n\r\n')
    assert.match(withoutHost, /^HTTP\/1\.1 200 /)
    assert.match(withoutHost, /^backend=default\/api:8080$/m)
    assert.match(withoutHost, /^request=GET \/api\/bare$/m)
  })

  const badRequests: Record<string, string> = {
    'two Host headers': 'GET /api/x HTTP/1.1\r\nHost: shop.example.com\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n',
    'conflicting Host headers': 'GET /api/x HTTP/1.1\r\nHost: shop.example.com\r\nHost: other.example.com\r\nConnection: close\r\n\r\n',
    'a Host conflicting with the absolute-form authority': 'GET http://shop.example.com/api/x HTTP/1.1\r\nHost: other.example.com\r\nConnection: close\r\n\r\n',
    'an HTTP/1.1 request without Host': 'GET /api/x HTTP/1.1\r\nConnection: close\r\n\r\n',
  }
  for (const [what, request] of Object.entries(badRequests)) {
    it(`${what}: 400, never forwarded, logged`, async () => {
      const path = `/api/${what.replaceAll(' ', '-')}`
      const answer = await exchange(httpPort, request.replace('/api/x', path))
      assert.match(answer, /^HTTP\/1\.1 400 /, answer)
      assert.doesNotMatch(answer, /backend=/)
      await serve.waitForLine((line) => line.includes(path) && / status=400 .* bad-request \(.*Host/.test(line))
    })
  }

  it('clients turned away with a TLS alert that never close are closed after a short linger and free their slot', async () => {
    const capped = await startServe([manifests, '--port-map', '80=0', '--port-map', '443=0', '--max-connections', '2', '--drain-timeout', '1s', ...backendArgs])
    const opened: Socket[] = []
    try {
      const tlsPort = capped.localPort(443)
      const baseline = countSockets(capped.process.pid!)
      // One unknown SNI (unrecognized_name), one malformed ClientHello (decode_error); neither client ever closes.
      const alerts = await Promise.all([buildClientHello({sni: 'unknown.example.org'}), Buffer.from('\x16\x03\x01\x00\x05hello', 'latin1')].map((bytes) => new Promise<Buffer>((resolve) => {
        const socket = connect({port: tlsPort, host: '127.0.0.1', allowHalfOpen: true})
        opened.push(socket)
        socket.on('error', () => {})
        socket.once('data', resolve)
        socket.on('connect', () => socket.write(bytes))
      })))
      assert.deepEqual(alerts.map((alert) => [alert[0], alert[6]]), [[21, 112], [21, 50]], 'unrecognized_name and decode_error alerts')
      await capped.waitForLine((line) => line.includes(' no-listener '))
      await eventually(() => countSockets(capped.process.pid!) <= baseline, 15_000, 'the gateway to close both refused connections')
      let answer = ''
      const deadline = Date.now() + 15_000
      while (answer === '' && Date.now() < deadline) answer = await exchange(tlsPort, buildClientHello({sni: 'app.example.com'}), 1000)
      assert.notEqual(answer, '', 'a real client is served once the refused ones are gone')
    } finally {
      for (const socket of opened) socket.destroy()
      const stopped = await capped.stop()
      assert.equal(stopped.exitCode, 0, `${stopped.stderr}\n${capped.lines.join('\n')}`)
    }
  })

  it('SIGTERM exits by the drain timeout + 1 s even when a passthrough backend never closes', async () => {
    const draining = await startServe([manifests, '--port-map', '80=0', '--port-map', '443=0', '--drain-timeout', '1s', ...backendArgs])
    const client = connect({port: draining.localPort(443), host: '127.0.0.1', allowHalfOpen: true})
    try {
      client.on('error', () => {})
      const echoed = new Promise((resolve) => client.once('data', resolve))
      client.write(buildClientHello({sni: 'app.example.com'}))
      await echoed
      // The client half-closes; the backend keeps its side open forever.
      client.end()
      // Signalled directly: execa's kill() would follow up with SIGKILL after 5 s.
      process.kill(draining.process.pid!, 'SIGTERM')
      const exited = await Promise.race([draining.process, new Promise<undefined>((resolve) => setTimeout(resolve, 20_000, undefined))])
      assert.ok(exited !== undefined, `still running 20 s after SIGTERM with --drain-timeout 1s:\n${draining.lines.join('\n')}`)
      assert.equal(exited.exitCode, 0)
      assert.match(String(exited.stdout), /0 connections finished, 1 closed at the drain timeout/)
    } finally {
      client.destroy()
      if (draining.process.exitCode === null) draining.process.kill('SIGKILL')
    }
  })
})

describe('e2e: gwctl serve --ready-file is written safely', function () {
  this.timeout(60_000)
  let dir: string
  let manifests: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-ready-'))
    manifests = join(dir, 'manifests.yaml')
    writeFileSync(manifests, MANIFESTS)
  })
  after(() => rmSync(dir, {recursive: true}))
  after(killLeftoverServes)

  const serveWith = (readyFile: string) => execa('node', [RUN, 'serve', manifests, '--port-map', '80=0', '--port-map', '443=0', '--ready-file', readyFile], {reject: false, timeout: 30_000})

  it('written atomically next to the target with an unpredictable temporary name, nothing left behind', async () => {
    const out = mkdtempSync(join(dir, 'out-'))
    const serve = await startServe([manifests, '--port-map', '80=0', '--port-map', '443=0', '--ready-file', join(out, 'ready.json')])
    try {
      assert.deepEqual(JSON.parse(readFileSync(join(out, 'ready.json'), 'utf8')).listeners.map((listener: {port: number}) => listener.port), [80, 443])
      assert.deepEqual(readdirSync(out), ['ready.json'])
    } finally {
      assert.equal((await serve.stop()).exitCode, 0)
    }
  })

  const refusals: Array<[string, () => string, RegExp]> = [
    ['a symbolic link (its target is left alone)', () => {
      writeFileSync(join(dir, 'precious.txt'), 'keep me\n')
      symlinkSync(join(dir, 'precious.txt'), join(dir, 'link.json'))
      return join(dir, 'link.json')
    }, /link\.json: a symbolic link is there; only a regular file is replaced/],
    ['a directory', () => {
      mkdirSync(join(dir, 'a-directory'))
      return join(dir, 'a-directory')
    }, /a-directory: a directory is there/],
    // A FIFO stands for devices too: a test must never risk replacing a real /dev node.
    ['a FIFO', () => {
      execFileSync('mkfifo', [join(dir, 'fifo')])
      return join(dir, 'fifo')
    }, /fifo: a FIFO is there/],
    ['a missing directory', () => join(dir, 'missing', 'ready.json'), /missing\/ready\.json: directory .*missing does not exist/],
  ]
  for (const [what, prepare, message] of refusals) {
    it(`refuses ${what} with one line and exit 2`, async () => {
      const result = await serveWith(prepare())
      assert.equal(result.exitCode, 2, String(result.stderr))
      assert.match(String(result.stderr), message)
      assert.equal(String(result.stderr).trim().split('\n').length, 1)
    })
  }

  it('left the symbolic link and its target untouched', () => {
    assert.equal(readFileSync(join(dir, 'precious.txt'), 'utf8'), 'keep me\n')
    assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink())
  })
})

describe('e2e: gwctl serve --watch survives directory replacement and half-written files', function () {
  this.timeout(60_000)
  const EXTRA_LISTENER = '  - {name: extra, protocol: HTTP, port: 80, hostname: extra.example.com}\n'
  const withExtra = MANIFESTS.replace('  - {name: tls, protocol: TLS, port: 443, hostname: app.example.com, tls: {mode: Passthrough}}\n', (tls) => `${tls}${EXTRA_LISTENER}`)
  let root: string
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'gwctl-watch-'))
  })
  after(() => rmSync(root, {recursive: true}))
  after(killLeftoverServes)

  /** The listener names of the `reload` events logged so far. */
  const reloads = (serve: ServeProcess) => serve.lines.filter((line) => line.startsWith('{"event":"reload"'))
    .map((line) => (JSON.parse(line) as {listeners: Array<{listener: string}>}).listeners.map((listener) => listener.listener).join(','))
  const waitForReload = async (serve: ServeProcess, count: number) => {
    await eventually(() => reloads(serve).length >= count, 20_000, `reload #${count}; log:\n${serve.lines.join('\n')}`)
    return reloads(serve)[count - 1]
  }

  it('keeps watching a directory that is deleted and copied anew (rm -rf dir && cp -r new dir)', async () => {
    const inputs = join(root, 'inputs')
    const next = join(root, 'next')
    mkdirSync(inputs)
    mkdirSync(next)
    writeFileSync(join(inputs, 'manifests.yaml'), MANIFESTS)
    writeFileSync(join(next, 'manifests.yaml'), withExtra)
    // The file is watched through its directory, which is replaced.
    const serve = await startServe([join(inputs, 'manifests.yaml'), '--port-map', '80=0', '--port-map', '443=0', '--watch', '--log-format', 'json'])
    try {
      await execa('sh', ['-c', 'rm -rf "$0" && cp -r "$1" "$0"', inputs, next])
      assert.equal(await waitForReload(serve, 1), 'http,extra,tls')
      // The replaced directory is still watched.
      writeFileSync(join(inputs, 'manifests.yaml'), MANIFESTS)
      assert.equal(await waitForReload(serve, 2), 'http,tls')
    } finally {
      assert.equal((await serve.stop()).exitCode, 0)
    }
  })

  it('applies a file only once it has been stable for the settle time: a half-written file drops no listener', async () => {
    const inputs = join(root, 'half')
    mkdirSync(inputs)
    const file = join(inputs, 'manifests.yaml')
    writeFileSync(file, MANIFESTS)
    const serve = await startServe([file, '--port-map', '80=0', '--port-map', '443=0', '--watch', '--log-format', 'json'])
    try {
      // The first half of the new file (it parses: the Gateway without the new listener, and no routes), the rest a moment later.
      writeFileSync(file, withExtra.slice(0, withExtra.indexOf(EXTRA_LISTENER)))
      await new Promise((resolve) => setTimeout(resolve, 300))
      writeFileSync(file, withExtra)
      assert.equal(await waitForReload(serve, 1), 'http,extra,tls', `the first configuration applied is the whole file:\n${serve.lines.join('\n')}`)
    } finally {
      assert.equal((await serve.stop()).exitCode, 0)
    }
  })
})
