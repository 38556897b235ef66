/**
 * `gwctl serve` executes the engine's forward plan (issue 11 §2) and agrees
 * with `gwctl resolve`: the backend receives the path, Host and headers
 * resolve shows; response header operations reach the client; a backend's
 * own filters apply only to it (HTTPBackendRef.Filters); RequestMirror
 * copies requests (body included) to the mirror and ignores its answer,
 * percent 0 never (HTTPRequestMirrorFilter); an ExtensionRef gwctl cannot
 * carry out answers 500 (HTTPRouteFilter.Type). Built CLI, real curl,
 * loopback only.
 */
import {strict as assert} from 'node:assert'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runGwctl} from '../support/run-cli.js'
import {FORWARD_MANIFESTS} from './forward-manifests.js'
import {eventually, killLeftoverServes, runCurl, startBackend, startServe, type Backend} from './serve-harness.js'

interface Mirrored {
  method: string
  url: string
  headers: IncomingHttpHeaders
  bodyBytes: number
}

describe('e2e: gwctl serve executes the forward plan resolve shows', function () {
  this.timeout(60_000)
  let dir: string
  const backends: Backend[] = []
  let mirror: Server
  const mirrored: Mirrored[] = []
  let serve: Awaited<ReturnType<typeof startServe>>
  let port: number

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-serve-forward-'))
    writeFileSync(join(dir, 'shop.yaml'), FORWARD_MANIFESTS)
    backends.push(await startBackend('default/app:80'), await startBackend('default/canary:80'))
    // The mirror answers 500: its answer must never reach the client.
    mirror = createServer((req, res) => {
      let bodyBytes = 0
      req.on('data', (chunk: Buffer) => {
        bodyBytes += chunk.length
      })
      req.on('end', () => {
        mirrored.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes})
        res.statusCode = 500
        res.end('mirror answer\n')
      })
    })
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve))
    serve = await startServe([join(dir, 'shop.yaml'), '--port-map', '80=0',
      ...backends.flatMap((backend) => ['--backend', `${backend.key}=127.0.0.1:${backend.port}`]),
      '--backend', `default/shadow:80=127.0.0.1:${(mirror.address() as AddressInfo).port}`])
    port = serve.localPort(80)
  })

  after(async () => {
    if (serve !== undefined) assert.equal((await serve.stop()).exitCode, 0)
    for (const backend of backends) backend.server.close()
    mirror?.close()
    rmSync(dir, {recursive: true})
  })
  after(killLeftoverServes)

  const request = (path: string, extra: string[] = []) => runCurl(`http://shop.example.com:${port}${path}`, ['--resolve', `shop.example.com:${port}:127.0.0.1`, ...extra])
  const received = (body: string) => ({
    backend: /^backend=(.*)$/m.exec(body)?.[1],
    request: /^request=(.*)$/m.exec(body)?.[1],
    headers: JSON.parse(/^headers=(.*)$/m.exec(body)?.[1] ?? '{}') as Record<string, string>,
  })
  const resolved = async (path: string, extra: string[] = []) => {
    const result = await runGwctl(['resolve', dir, '--host', 'shop.example.com', '--path', path, '-o', 'json', ...extra])
    return JSON.parse(result.stdout) as {request: {host: string; path: string; headers: Array<{name: string; value: string}>}; backends: Array<{request?: {host: string; path: string; headers: Array<{name: string; value: string}>}}>}
  }

  it('the backend receives what resolve says is forwarded: rewritten path and Host, headers after set/add/remove; response operations applied', async () => {
    const headers = ['X-Debug: 1', 'X-Trace: client']
    const [result, answer] = await Promise.all([request('/api/items?x=1', headers.flatMap((header) => ['-H', header])), resolved('/api/items?x=1', headers.flatMap((header) => ['--header', header]))])
    assert.equal(result.status, 200, result.stderr)
    const got = received(result.body)
    assert.equal(got.backend, 'default/app:80')
    assert.equal(got.request, `GET ${answer.request.path}`)
    assert.equal(got.headers.host, answer.request.host)
    for (const {name, value} of answer.request.headers) assert.equal(got.headers[name.toLowerCase()], value, `header ${name} as resolve says`)
    assert.equal(got.headers['x-debug'], undefined)
    assert.match(result.headers, /^cache-control: no-store$/im)
    assert.match(result.headers, /^x-served: gw$/im)
  })

  it('a backend\'s own filters: its rewrite and headers, as resolve shows for that backend', async () => {
    const [result, answer] = await Promise.all([request('/canary/x'), resolved('/canary/x')])
    const got = received(result.body)
    const own = answer.backends[0].request!
    assert.deepEqual({backend: got.backend, request: got.request, env: got.headers['x-env'], trace: got.headers['x-trace']},
      {backend: 'default/canary:80', request: `GET ${own.path}`, env: 'canary', trace: 'gw,canary'})
  })

  it('RequestMirror: the mirror gets a copy (body included) as the filters before it leave it; its answer is ignored', async () => {
    const before = mirrored.length
    const result = await request('/api/upload?id=7', ['--data-binary', 'hello mirror', '-H', 'Content-Type: text/plain'])
    assert.equal(result.status, 200, 'the client gets the backend\'s answer, not the mirror\'s 500')
    await eventually(() => mirrored.length > before, 10_000, 'the mirrored request')
    const copy = mirrored.at(-1)!
    assert.deepEqual({method: copy.method, url: copy.url, bodyBytes: copy.bodyBytes, env: copy.headers['x-env'], host: copy.headers.host},
      {method: 'POST', url: '/api/upload?id=7', bodyBytes: 'hello mirror'.length, env: 'prod', host: `shop.example.com:${port}`})
  })

  it('RequestMirror percent 0: never mirrored', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await request('/never/x')).status, 200)
    const before = mirrored.length
    await request('/api/after-never')
    await eventually(() => mirrored.length > before, 10_000, 'the mirrored request after the /never ones')
    assert.deepEqual(mirrored.filter((copy) => copy.url.startsWith('/never')), [])
  })

  it('an ExtensionRef filter gwctl cannot carry out: 500, the backend is not asked', async () => {
    const result = await request('/ext')
    assert.equal(result.status, 500)
    assert.doesNotMatch(result.body, /^backend=/m)
  })
})
