/**
 * `gwctl serve` speaks HTTP/2 (issue 11 §3, §4): ALPN h2 and http/1.1 on an
 * HTTPS listener (real `curl --http2`, `openssl s_client -alpn`), h2c with
 * prior knowledge next to HTTP/1.1 on an HTTP listener
 * (`curl --http2-prior-knowledge`), HTTP/2 to a backend whose Service port
 * says `appProtocol: kubernetes.io/h2c` (from HTTP/1.1 and HTTP/2 clients),
 * the same filters and access log as HTTP/1.1, 400 for a Host that
 * conflicts with :authority; GRPCRoute traffic from a gRPC client written
 * here (node:http2, length-prefixed messages) to gRPC echo backends started
 * here: service/method/header matching as `gwctl resolve` answers it,
 * trailers passed through, trailers-only UNIMPLEMENTED (12) for no route and
 * UNAVAILABLE (14) for an unreachable backend. Built CLI, loopback only.
 */
import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {connect, constants, createSecureServer, createServer, type ClientHttp2Session, type Http2Server, type IncomingHttpHeaders, type OutgoingHttpHeaders} from 'node:http2'
import {createServer as createHttpServer, type Server as HttpServer} from 'node:http'
import {createServer as createNetServer, type AddressInfo, type Server as NetServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runGwctl} from '../support/run-cli.js'
import {eventually, killLeftoverServes, runCurl, runSClient, startBackend, startServe, type Backend, type ServeProcess} from './serve-harness.js'

const NS = 'h2'

function buildManifests(secret: {crt: string; key: string}, backendCa: string): string {
  const service = (name: string, port: number, appProtocol?: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${NS}}
spec:
  ports:
  - {name: p, port: ${port}, protocol: TCP${appProtocol === undefined ? '' : `, appProtocol: ${appProtocol}`}}
`
  return [`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: ${NS}}
spec:
  gatewayClassName: gwctl
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.example.com"
    tls:
      mode: Terminate
      certificateRefs: [{name: edge-tls}]
`, `apiVersion: v1
kind: Secret
metadata: {name: edge-tls, namespace: ${NS}}
type: kubernetes.io/tls
data:
  tls.crt: ${Buffer.from(secret.crt).toString('base64')}
  tls.key: ${Buffer.from(secret.key).toString('base64')}
`, `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: ${NS}}
spec:
  parentRefs: [{name: edge}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /h2c}}]
    backendRefs: [{name: h2app, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /bad}}]
    backendRefs: [{name: bad, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /trailers}}]
    backendRefs: [{name: chunky, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /mirrored}}]
    filters:
    - type: RequestMirror
      requestMirror: {backendRef: {name: mirror, port: 80}}
    backendRefs: [{name: web, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}}]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier: {set: [{name: x-gateway, value: gwctl}]}
    - type: ResponseHeaderModifier
      responseHeaderModifier: {add: [{name: x-route, value: shop}]}
    backendRefs: [{name: web, port: 80}]
`, `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: echo, namespace: ${NS}}
spec:
  parentRefs: [{name: edge}]
  hostnames: [grpc.example.com]
  rules:
  - matches: [{method: {service: echo.Echo, method: Say}}]
    backendRefs: [{name: echo, port: 50051}]
  - matches: [{method: {service: echo.Echo}, headers: [{name: x-canary, value: "yes"}]}]
    backendRefs: [{name: echo-canary, port: 50051}]
  - matches: [{method: {service: down.Down}}]
    backendRefs: [{name: down, port: 50051}]
  - matches: [{method: {service: flaky.Echo}}]
    backendRefs: [{name: flaky, port: 50051}]
  - matches: [{method: {service: secure.Echo}}]
    backendRefs: [{name: secure-echo, port: 50051}]
`, `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: secure-echo, namespace: ${NS}}
spec:
  targetRefs: [{group: "", kind: Service, name: secure-echo}]
  validation:
    caCertificateRefs: [{group: "", kind: ConfigMap, name: echo-ca}]
    hostname: echo.internal
`, `apiVersion: v1
kind: ConfigMap
metadata: {name: echo-ca, namespace: ${NS}}
data:
  ca.crt: ${JSON.stringify(backendCa)}
`, service('web', 80), service('mirror', 80), service('secure-echo', 50051), service('bad', 80), service('chunky', 80), service('flaky', 50051), service('h2app', 8080, 'kubernetes.io/h2c'), service('echo', 50051), service('echo-canary', 50051), service('down', 50051)].join('---\n')
}

interface H2Backend {
  key: string
  port: number
  server: Http2Server
}

/** An h2c backend that answers `backend=KEY`, `protocol=HTTP/2` and the request it got. */
async function startH2cBackend(key: string): Promise<H2Backend> {
  const server = createServer()
  server.on('stream', (stream, headers) => {
    const received: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(headers)) received[name] = value
    stream.resume()
    stream.on('end', () => {
      stream.respond({':status': 200, 'x-backend': key, 'content-type': 'text/plain'})
      stream.end(`backend=${key}\nprotocol=HTTP/2\nrequest=${String(headers[':method'])} ${String(headers[':path'])}\nheaders=${JSON.stringify(received)}\n`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {key, port: (server.address() as AddressInfo).port, server}
}

/** A gRPC echo backend (h2c, or h2 over TLS with `tls`): replies with the request's message, initial metadata x-backend, trailers grpc-status 0 and x-echo-trailer. */
async function startGrpcEcho(key: string, tls?: {cert: string; key: string}): Promise<H2Backend> {
  const server: Http2Server = tls === undefined ? createServer() : createSecureServer({...tls, ALPNProtocols: ['h2']})
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => {
      if (!String(headers['content-type']).startsWith('application/grpc') || headers.te !== 'trailers') {
        stream.respond({':status': 415}, {endStream: true})
        return
      }
      stream.respond({':status': 200, 'content-type': 'application/grpc+proto', 'x-backend': key}, {waitForTrailers: true})
      stream.once('wantTrailers', () => stream.sendTrailers({'grpc-status': '0', 'x-echo-trailer': `${key} ${String(headers[':path'])}`}))
      stream.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {key, port: (server.address() as AddressInfo).port, server}
}

/** A gRPC backend that resets every stream (RST_STREAM INTERNAL_ERROR) before answering. */
async function startResettingBackend(key: string): Promise<H2Backend> {
  const server = createServer()
  server.on('stream', (stream) => {
    stream.on('error', () => {})
    stream.close(constants.NGHTTP2_INTERNAL_ERROR)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {key, port: (server.address() as AddressInfo).port, server}
}

/** An HTTP/1.1 backend whose status line cannot be relayed (status 000). */
async function startBadStatusBackend(): Promise<NetServer> {
  const server = createNetServer((socket) => {
    socket.once('data', () => socket.end('HTTP/1.1 000 OK\r\ncontent-length: 2\r\n\r\nok'))
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

/** An HTTP/1.1 backend answering `part one, part two`: chunked with trailer x-checksum, or with a Content-Length when the query says `length`. */
async function startChunkedBackend(): Promise<HttpServer> {
  const server = createHttpServer((req, res) => {
    req.resume()
    if (req.url?.includes('length') === true) {
      res.setHeader('content-length', Buffer.byteLength('part one, part two'))
      res.end('part one, part two')
      return
    }
    res.setHeader('trailer', 'x-checksum')
    res.write('part one, ')
    res.addTrailers({'x-checksum': 'abc123'})
    res.end('part two')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

/** A port nothing listens on (bound by the OS, then released). */
async function findClosedPort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function frameMessage(message: Buffer): Buffer {
  const frame = Buffer.alloc(5 + message.length)
  frame.writeUInt32BE(message.length, 1)
  message.copy(frame, 5)
  return frame
}

interface GrpcResult {
  headers: IncomingHttpHeaders
  /** The response HEADERS frame ended the stream: a trailers-only response. */
  trailersOnly: boolean
  trailers: IncomingHttpHeaders
  messages: Buffer[]
  grpcStatus: number | undefined
}

/** One unary gRPC call: a length-prefixed request message, every response message, grpc-status from trailers (or trailers-only headers). */
function callGrpc(session: ClientHttp2Session, path: string, message: Buffer, metadata: OutgoingHttpHeaders = {}): Promise<GrpcResult> {
  return new Promise((resolve, reject) => {
    const stream = session.request({':method': 'POST', ':path': path, ':authority': 'grpc.example.com', 'content-type': 'application/grpc', te: 'trailers', ...metadata})
    let headers: IncomingHttpHeaders = {}
    let trailers: IncomingHttpHeaders = {}
    let trailersOnly = false
    const chunks: Buffer[] = []
    stream.on('response', (received, flags) => {
      headers = received
      trailersOnly = (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0
    })
    stream.on('trailers', (received) => {
      trailers = received
    })
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('error', reject)
    stream.on('close', () => {
      const body = Buffer.concat(chunks)
      const messages: Buffer[] = []
      for (let at = 0; at + 5 <= body.length;) {
        const length = body.readUInt32BE(at + 1)
        messages.push(body.subarray(at + 5, at + 5 + length))
        at += 5 + length
      }
      const status = trailersOnly ? headers['grpc-status'] : trailers['grpc-status']
      resolve({headers, trailersOnly, trailers, messages, grpcStatus: status === undefined ? undefined : Number(status)})
    })
    stream.end(frameMessage(message))
  })
}

describe('e2e: gwctl serve speaks HTTP/2 and gRPC', function () {
  this.timeout(90_000)
  let dir: string
  let caFile: string
  let serve: ServeProcess
  let web: Backend
  let mirror: HttpServer
  let bad: NetServer
  let chunky: HttpServer
  const mirrored: Array<{url: string; host: string; bodyBytes: number}> = []
  const h2Backends: H2Backend[] = []
  let httpPort: number
  let httpsPort: number

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-serve-http2-'))
    const keyFile = join(dir, 'edge.key')
    caFile = join(dir, 'edge.crt')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=shop.example.com',
      '-addext', 'subjectAltName=DNS:shop.example.com,DNS:grpc.example.com', '-keyout', keyFile, '-out', caFile], {stdio: 'ignore'})
    const echoKeyFile = join(dir, 'echo.key')
    const echoCrtFile = join(dir, 'echo.crt')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=echo.internal',
      '-addext', 'subjectAltName=DNS:echo.internal', '-keyout', echoKeyFile, '-out', echoCrtFile], {stdio: 'ignore'})
    const echoTls = {cert: readFileSync(echoCrtFile, 'utf8'), key: readFileSync(echoKeyFile, 'utf8')}
    writeFileSync(join(dir, 'edge.yaml'), buildManifests({crt: readFileSync(caFile, 'utf8'), key: readFileSync(keyFile, 'utf8')}, echoTls.cert))
    mirror = createHttpServer((req, res) => {
      let bodyBytes = 0
      req.on('data', (chunk: Buffer) => {
        bodyBytes += chunk.length
      })
      req.on('end', () => {
        mirrored.push({url: req.url ?? '', host: req.headers.host ?? '', bodyBytes})
        res.statusCode = 500
        res.end()
      })
    })
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve))
    web = await startBackend(`${NS}/web:80`)
    const h2app = await startH2cBackend(`${NS}/h2app:8080`)
    const echo = await startGrpcEcho(`${NS}/echo:50051`)
    const canary = await startGrpcEcho(`${NS}/echo-canary:50051`)
    const secureEcho = await startGrpcEcho(`${NS}/secure-echo:50051`, echoTls)
    h2Backends.push(h2app, echo, canary, secureEcho, await startResettingBackend(`${NS}/flaky:50051`))
    bad = await startBadStatusBackend()
    chunky = await startChunkedBackend()
    serve = await startServe([join(dir, 'edge.yaml'), '--port-map', '80=0', '--port-map', '443=0',
      '--backend', `${web.key}=127.0.0.1:${web.port}`,
      ...h2Backends.flatMap((backend) => ['--backend', `${backend.key}=127.0.0.1:${backend.port}`]),
      '--backend', `${NS}/down:50051=127.0.0.1:${await findClosedPort()}`,
      '--backend', `${NS}/mirror:80=127.0.0.1:${(mirror.address() as AddressInfo).port}`,
      '--backend', `${NS}/bad:80=127.0.0.1:${(bad.address() as AddressInfo).port}`,
      '--backend', `${NS}/chunky:80=127.0.0.1:${(chunky.address() as AddressInfo).port}`])
    httpPort = serve.localPort(80)
    httpsPort = serve.localPort(443)
  })

  after(async () => {
    if (serve !== undefined) {
      const stopped = await serve.stop()
      assert.equal(stopped.exitCode, 0, stopped.stderr)
    }
    web?.server.close()
    mirror?.close()
    bad?.close()
    chunky?.close()
    for (const backend of h2Backends) backend.server.close()
    rmSync(dir, {recursive: true, force: true})
  })
  after(killLeftoverServes)

  const https = (path: string, extra: string[] = []) => runCurl(`https://shop.example.com:${httpsPort}${path}`,
    ['--resolve', `shop.example.com:${httpsPort}:127.0.0.1`, '--cacert', caFile, '-w', '\nversion=%{http_version}\n', ...extra])
  const http = (path: string, extra: string[] = []) => runCurl(`http://shop.example.com:${httpPort}${path}`,
    ['--resolve', `shop.example.com:${httpPort}:127.0.0.1`, '-w', '\nversion=%{http_version}\n', ...extra])
  const versionOf = (body: string) => /^version=(.*)$/m.exec(body)?.[1]

  it('curl --http2 over TLS negotiates h2 and is routed and filtered as HTTP/1.1 is', async () => {
    const result = await https('/cart?id=1', ['--http2'])
    assert.equal(result.exitCode, 0, result.stderr)
    assert.equal(versionOf(result.body), '2')
    assert.equal(result.status, 200)
    assert.match(result.body, /^backend=h2\/web:80$/m)
    assert.match(result.body, /^request=GET \/cart\?id=1$/m)
    assert.match(result.body, /"x-gateway":"gwctl"/)
    assert.match(result.body, /"host":"shop.example.com:\d+"/)
    assert.match(result.body, /"x-forwarded-proto":"https"/)
    assert.match(result.headers, /^x-route: shop$/m)
    const http1 = await https('/cart', ['--http1.1'])
    assert.equal(versionOf(http1.body), '1.1')
    assert.match(http1.body, /^backend=h2\/web:80$/m)
  })

  it('openssl s_client -alpn shows the negotiated protocol: h2 when offered, http/1.1 otherwise', async () => {
    const h2 = await runSClient(httpsPort, 'shop.example.com', '', ['-alpn', 'h2,http/1.1'])
    assert.match(h2.output, /ALPN protocol: h2\b/)
    const http1 = await runSClient(httpsPort, 'shop.example.com', '', ['-alpn', 'http/1.1'])
    assert.match(http1.output, /ALPN protocol: http\/1\.1/)
  })

  it('curl --http2-prior-knowledge on the HTTP listener gets h2c; HTTP/1.1 still works on the same port', async () => {
    const h2c = await http('/things', ['--http2-prior-knowledge'])
    assert.equal(h2c.exitCode, 0, h2c.stderr)
    assert.equal(versionOf(h2c.body), '2')
    assert.match(h2c.body, /^backend=h2\/web:80$/m)
    assert.match(h2c.body, /"x-forwarded-proto":"http"/)
    const http1 = await http('/things', ['--http1.1', '--data-binary', 'abc'])
    assert.equal(versionOf(http1.body), '1.1')
    assert.match(http1.body, /^request=POST \/things$/m)
    assert.match(http1.body, /^body-bytes=3$/m)
    // HTTP/1.1 Upgrade: h2c (RFC 7540 §3.2, removed by RFC 9113) is not taken up: answered over HTTP/1.1, never passed to the backend.
    const upgrade = await http('/things', ['--http2'])
    assert.equal(versionOf(upgrade.body), '1.1')
    assert.match(upgrade.body, /^backend=h2\/web:80$/m)
    assert.doesNotMatch(upgrade.body, /"upgrade"|"http2-settings"/)
    const upload = await http('/upload', ['--http2-prior-knowledge', '--data-binary', 'x'.repeat(100_000)])
    assert.match(upload.body, /^body-bytes=100000$/m)
  })

  it('a backend with appProtocol kubernetes.io/h2c is spoken to over HTTP/2, from HTTP/2 and HTTP/1.1 clients', async () => {
    for (const extra of [['--http2'], ['--http1.1']]) {
      const result = await https('/h2c/ping?x=1', extra)
      assert.equal(result.status, 200, `${extra[0]}: ${result.body}${result.stderr}`)
      assert.match(result.body, /^backend=h2\/h2app:8080$/m)
      assert.match(result.body, /^protocol=HTTP\/2$/m)
      assert.match(result.body, /^request=GET \/h2c\/ping\?x=1$/m)
      assert.match(result.body, /":authority":"shop.example.com:\d+"/)
    }
  })

  it('an HTTP/2 request is mirrored (body included) as an HTTP/1.1 one is; the mirror\'s answer is ignored', async () => {
    const result = await http('/mirrored/a?b=1', ['--http2-prior-knowledge', '--data-binary', 'y'.repeat(5000)])
    assert.equal(result.status, 200)
    assert.match(result.body, /^backend=h2\/web:80$/m)
    await eventually(() => mirrored.some((entry) => entry.url === '/mirrored/a?b=1'), 10_000, 'the mirrored request')
    const copy = mirrored.find((entry) => entry.url === '/mirrored/a?b=1')!
    assert.equal(copy.bodyBytes, 5000)
    assert.match(copy.host, /^shop\.example\.com:\d+$/)
  })

  it('a GRPCRoute backend governed by a BackendTLSPolicy is spoken to over h2 with TLS, verified against the policy\'s CA and hostname', async () => {
    const session = connect(`http://127.0.0.1:${httpPort}`)
    try {
      const result = await callGrpc(session, '/secure.Echo/Say', Buffer.from('over tls'))
      assert.equal(result.grpcStatus, 0)
      assert.equal(result.headers['x-backend'], `${NS}/secure-echo:50051`)
      assert.deepEqual(result.messages.map(String), ['over tls'])
    } finally {
      session.close()
    }
  })

  it('a backend answer that cannot be relayed is a 502 to an HTTP/2 client; a backend that resets a gRPC call is UNAVAILABLE (14)', async () => {
    const result = await https('/bad', ['--http2'])
    assert.equal(versionOf(result.body), '2')
    assert.equal(result.status, 502)
    assert.match(result.body, /invalid status code/)
    const session = connect(`http://127.0.0.1:${httpPort}`)
    try {
      const reset = await callGrpc(session, '/flaky.Echo/Say', Buffer.from('x'))
      assert.equal(reset.trailersOnly, true)
      assert.equal(reset.grpcStatus, 14)
    } finally {
      session.close()
    }
  })

  it('trailers of a chunked HTTP/1.1 answer reach an HTTP/2 client; an answer with a Content-Length ends with its body, no trailers', async () => {
    const session = connect(`http://127.0.0.1:${httpPort}`)
    try {
      const get = (path: string) => new Promise<{status: number; body: string; trailers: IncomingHttpHeaders}>((resolve, reject) => {
        const stream = session.request({':path': path, ':authority': 'shop.example.com', te: 'trailers'}, {endStream: true})
        const answer = {status: 0, body: '', trailers: {} as IncomingHttpHeaders}
        stream.on('response', (headers) => {
          answer.status = Number(headers[':status'])
        })
        stream.on('trailers', (trailers) => {
          answer.trailers = trailers
        })
        stream.setEncoding('utf8')
        stream.on('data', (chunk: string) => {
          answer.body += chunk
        })
        stream.on('end', () => resolve(answer))
        stream.on('error', reject)
      })
      const chunked = await get('/trailers')
      assert.equal(chunked.status, 200)
      assert.equal(chunked.body, 'part one, part two')
      assert.equal(chunked.trailers['x-checksum'], 'abc123')
      const sized = await get('/trailers?length=1')
      assert.equal(sized.status, 200)
      assert.equal(sized.body, 'part one, part two')
      assert.deepEqual(Object.keys(sized.trailers), [])
    } finally {
      session.close()
    }
  })

  it('a Host that conflicts with :authority is a 400; the same one, or none, is routed', async () => {
    const session = connect(`http://127.0.0.1:${httpPort}`)
    try {
      const status = (headers: OutgoingHttpHeaders) => new Promise<number>((resolve, reject) => {
        const stream = session.request({':path': '/', ...headers}, {endStream: true})
        stream.on('response', (received) => resolve(Number(received[':status'])))
        stream.on('error', reject)
        stream.resume()
      })
      assert.equal(await status({':authority': 'shop.example.com', host: 'evil.example.com'}), 400)
      assert.equal(await status({':authority': 'shop.example.com', host: 'shop.example.com'}), 200)
      assert.equal(await status({':authority': 'shop.example.com'}), 200)
    } finally {
      session.close()
    }
  })

  it('gRPC unary calls over h2c and over TLS: message echoed, metadata and trailers passed through, routed by service, method and header', async () => {
    const plain = connect(`http://127.0.0.1:${httpPort}`)
    const tls = connect(`https://127.0.0.1:${httpsPort}`, {ca: readFileSync(caFile), servername: 'grpc.example.com'})
    try {
      for (const session of [plain, tls]) {
        const say = await callGrpc(session, '/echo.Echo/Say', Buffer.from('hello'))
        assert.equal(say.grpcStatus, 0)
        assert.equal(say.trailersOnly, false)
        assert.equal(say.headers['x-backend'], `${NS}/echo:50051`)
        assert.deepEqual(say.messages.map(String), ['hello'])
        assert.equal(say.trailers['x-echo-trailer'], `${NS}/echo:50051 /echo.Echo/Say`)
        const canary = await callGrpc(session, '/echo.Echo/Shout', Buffer.from('HI'), {'x-canary': 'yes'})
        assert.equal(canary.headers['x-backend'], `${NS}/echo-canary:50051`)
        assert.deepEqual(canary.messages.map(String), ['HI'])
      }
      const log = await serve.waitForLine((line) => line.includes(' protocol=h2c ') && line.includes('path=/echo.Echo/Say'))
      assert.match(log, / route="GRPCRoute h2\/echo" backend=h2\/echo:50051 .* ok$/)
    } finally {
      plain.close()
      tls.close()
    }
  })

  it('no GRPCRoute match is a trailers-only UNIMPLEMENTED (12); an unreachable backend a trailers-only UNAVAILABLE (14)', async () => {
    const session = connect(`http://127.0.0.1:${httpPort}`)
    try {
      const missing = await callGrpc(session, '/echo.Echo/Shout', Buffer.from('x'))
      assert.equal(missing.trailersOnly, true)
      assert.equal(missing.headers[':status'], 200)
      assert.equal(missing.grpcStatus, 12)
      assert.match(String(missing.headers['grpc-message']), /UNIMPLEMENTED/)
      const down = await callGrpc(session, '/down.Down/Ping', Buffer.from('x'))
      assert.equal(down.trailersOnly, true)
      assert.equal(down.grpcStatus, 14)
      assert.deepEqual(down.messages, [])
      // Over HTTP/1.1 (gRPC-Web clients) the same answers come in the response headers.
      for (const [path, status] of [['/echo.Echo/Shout', '12'], ['/down.Down/Ping', '14']]) {
        const http1 = await runCurl(`http://grpc.example.com:${httpPort}${path}`, ['--resolve', `grpc.example.com:${httpPort}:127.0.0.1`, '--http1.1',
          '-H', 'content-type: application/grpc', '--data-binary', 'x'])
        assert.equal(http1.status, 200, path)
        assert.match(http1.headers, new RegExp(`^grpc-status: ${status}\\r?$`, 'm'), path)
      }
    } finally {
      session.close()
    }
  })

  it('every gRPC request is routed as gwctl resolve answers it', async () => {
    const cases: Array<{path: string; metadata?: Record<string, string>}> = [
      {path: '/echo.Echo/Say'},
      {path: '/echo.Echo/Say', metadata: {'x-canary': 'yes'}},
      {path: '/echo.Echo/Other', metadata: {'x-canary': 'yes'}},
      {path: '/echo.Echo/Other', metadata: {'x-canary': 'no'}},
      {path: '/echo.Echo/Other'},
      {path: '/other.Service/Say'},
      {path: '/down.Down/Anything'},
    ]
    const session = connect(`http://127.0.0.1:${httpPort}`)
    try {
      for (const {path, metadata = {}} of cases) {
        const served = await callGrpc(session, path, Buffer.from('m'), metadata)
        const resolved = await runGwctl(['resolve', join(dir, 'edge.yaml'), '--host', 'grpc.example.com', '--port', '80', '--path', path, '--method', 'POST',
          '--header', 'content-type:application/grpc', ...Object.entries(metadata).flatMap(([name, value]) => ['--header', `${name}:${value}`]), '-o', 'json'])
        const answer = JSON.parse(resolved.stdout) as {matched: boolean; grpcStatus?: number; backends: Array<{namespace: string; name: string; port: number; httpVersion?: string}>}
        const what = `${path} ${JSON.stringify(metadata)}`
        if (answer.grpcStatus !== undefined) {
          assert.equal(served.grpcStatus, answer.grpcStatus, what)
          continue
        }
        assert.equal(answer.matched, true, what)
        const backend = answer.backends[0]
        assert.equal(backend.httpVersion, 'HTTP/2', `${what}: resolve says the GRPCRoute backend is spoken to over HTTP/2`)
        const key = `${backend.namespace}/${backend.name}:${backend.port}`
        if (key === `${NS}/down:50051`) assert.equal(served.grpcStatus, 14, what)
        else assert.equal(served.headers['x-backend'], key, what)
      }
    } finally {
      session.close()
    }
  })

  it('SIGTERM: an idle HTTP/2 client is told GOAWAY and the gateway exits 0 without waiting for the drain timeout', async () => {
    const session = connect(`http://127.0.0.1:${httpPort}`)
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()))
    session.on('error', () => {})
    const say = await callGrpc(session, '/echo.Echo/Say', Buffer.from('before stop'))
    assert.equal(say.grpcStatus, 0)
    const stopped = await serve.stop()
    serve = undefined as unknown as ServeProcess
    assert.equal(stopped.exitCode, 0, stopped.stderr)
    await goaway
    assert.match(stopped.stdout, /\[stopped\] [1-9]\d* connections finished, 0 closed at the drain timeout/)
    session.destroy()
  })
})

describe('e2e: gwctl serve closes idle HTTP/2 connections', function () {
  this.timeout(60_000)
  let dir: string
  let serve: ServeProcess | undefined
  let web: Backend

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-serve-http2-idle-'))
    writeFileSync(join(dir, 'web.yaml'), `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: ${NS}}
spec:
  gatewayClassName: gwctl
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: ${NS}}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${NS}}
spec: {ports: [{port: 80}]}
`)
    web = await startBackend(`${NS}/web:80`)
    serve = await startServe([join(dir, 'web.yaml'), '--port-map', '80=0', '--idle-timeout', '1s', '--backend', `${web.key}=127.0.0.1:${web.port}`])
  })

  after(async () => {
    if (serve !== undefined) assert.equal((await serve.stop()).exitCode, 0)
    web?.server.close()
    rmSync(dir, {recursive: true, force: true})
  })
  after(killLeftoverServes)

  it('a client that opens a stream and then sends nothing is told GOAWAY and closed after the idle timeout', async () => {
    const session = connect(`http://127.0.0.1:${serve!.localPort(80)}`)
    session.on('error', () => {})
    const stream = session.request({':method': 'POST', ':path': '/', ':authority': 'shop.example.com'})
    stream.on('error', () => {})
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()))
    await new Promise<void>((resolve) => session.once('close', () => resolve()))
    await goaway
    assert.equal(stream.destroyed, true)
  })
})
