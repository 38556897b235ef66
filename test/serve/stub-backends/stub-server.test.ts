/**
 * The stub backends speak every protocol of the stub contract, checked with
 * real clients on loopback: HTTP/1.1 (node:http and curl), HEAD, h2c prior
 * knowledge (node:http2 and curl --http2-prior-knowledge), gRPC over h2c
 * (request message echoed, x-gwctl-backend metadata, grpc-status 0
 * trailer), TLS with ALPN h2 and http/1.1 (curl --http2 / --http1.1 with
 * the local CA, openssl s_client), TCP (banner then echo, also behind TLS),
 * UDP (banner + payload per datagram), and close() releasing the port.
 */
import assert from 'node:assert/strict'
import {createSocket} from 'node:dgram'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {connect as connectHttp2} from 'node:http2'
import {connect as connectTcp} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {StubCertificateIssuer} from '../../../src/serve/stub-backends/stub-certificates.js'
import {StubServer} from '../../../src/serve/stub-backends/stub-server.js'

const KEY = 'shop/api:8080'

function httpGet(port: number, method = 'GET', path = '/hello?x=1'): Promise<{status: number; headers: Record<string, unknown>; body: string}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({host: '127.0.0.1', port, method, path, headers: {host: 'shop.example.com', 'x-test': 'yes'}, agent: false}, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

function tcpExchange(port: number, payload: string, until: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({host: '127.0.0.1', port}, () => socket.write(payload))
    let text = ''
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
      if (until(text)) {
        socket.destroy()
        resolve(text)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(text))
  })
}

describe('stub backends: every protocol of the contract', function () {
  this.timeout(30_000)

  describe('stream stub (HTTP, h2c, gRPC, TCP)', () => {
    let stub: StubServer
    before(async () => {
      stub = await StubServer.start({key: KEY, stream: true, datagrams: false})
    })
    after(() => stub.close())

    it('HTTP/1.1: 200, x-gwctl-backend, JSON echo of method, path, headers; tls null', async () => {
      const answer = await httpGet(stub.port)
      assert.equal(answer.status, 200)
      assert.equal(answer.headers['x-gwctl-backend'], KEY)
      assert.equal(answer.headers['content-type'], 'application/json')
      const body = JSON.parse(answer.body)
      assert.deepEqual({...body, request: {...body.request, headers: undefined}}, {backend: KEY, protocol: 'http/1.1', request: {method: 'GET', path: '/hello?x=1', headers: undefined, tls: null}})
      assert.equal(body.request.headers['x-test'], 'yes')
      assert.equal(body.request.headers.host, 'shop.example.com')
    })

    it('HEAD: the headers, no body', async () => {
      const answer = await httpGet(stub.port, 'HEAD')
      assert.equal(answer.status, 200)
      assert.equal(answer.headers['x-gwctl-backend'], KEY)
      assert.equal(answer.body, '')
    })

    it('curl over HTTP/1.1 with a body, and h2c with prior knowledge', async () => {
      const http1 = await execa('curl', ['-sS', '--max-time', '10', '--data', 'abc', `http://127.0.0.1:${stub.port}/post`])
      assert.deepEqual([JSON.parse(http1.stdout).protocol, JSON.parse(http1.stdout).request.method], ['http/1.1', 'POST'])
      const h2c = await execa('curl', ['-sS', '--max-time', '10', '--http2-prior-knowledge', `http://127.0.0.1:${stub.port}/h2c`])
      const body = JSON.parse(h2c.stdout)
      assert.deepEqual([body.backend, body.protocol, body.request.path, body.request.tls], [KEY, 'h2c', '/h2c', null])
    })

    it('h2c (node:http2): the echo body and header', async () => {
      const session = connectHttp2(`http://127.0.0.1:${stub.port}`)
      try {
        const {headers, body} = await new Promise<{headers: Record<string, unknown>; body: string}>((resolve, reject) => {
          const stream = session.request({':path': '/two', ':method': 'GET'})
          let headers: Record<string, unknown> = {}
          let body = ''
          stream.on('response', (received) => (headers = received))
          stream.setEncoding('utf8')
          stream.on('data', (chunk: string) => (body += chunk))
          stream.on('end', () => resolve({headers, body}))
          stream.on('error', reject)
        })
        assert.equal(headers[':status'], 200)
        assert.equal(headers['x-gwctl-backend'], KEY)
        const echoed = JSON.parse(body)
        assert.deepEqual([echoed.protocol, echoed.request.method, echoed.request.path], ['h2c', 'GET', '/two'])
      } finally {
        session.close()
      }
    })

    it('gRPC over h2c: metadata, the request message back unchanged, grpc-status 0', async () => {
      const session = connectHttp2(`http://127.0.0.1:${stub.port}`)
      const message = Buffer.from([0, 0, 0, 0, 5, 0x0a, 0x03, 0x61, 0x62, 0x63])
      try {
        const result = await new Promise<{headers: Record<string, unknown>; trailers: Record<string, unknown>; body: Buffer}>((resolve, reject) => {
          const stream = session.request({':path': '/any.pkg.Service/AnyMethod', ':method': 'POST', 'content-type': 'application/grpc', te: 'trailers'}, {waitForTrailers: false})
          let headers: Record<string, unknown> = {}
          let trailers: Record<string, unknown> = {}
          const chunks: Buffer[] = []
          stream.on('response', (received) => (headers = received))
          stream.on('trailers', (received) => (trailers = received))
          stream.on('data', (chunk: Buffer) => chunks.push(chunk))
          stream.on('end', () => resolve({headers, trailers, body: Buffer.concat(chunks)}))
          stream.on('error', reject)
          stream.end(message)
        })
        assert.equal(result.headers[':status'], 200)
        assert.equal(result.headers['x-gwctl-backend'], KEY)
        assert.equal(result.headers['content-type'], 'application/grpc')
        assert.deepEqual(result.body, message)
        assert.equal(result.trailers['grpc-status'], '0')
      } finally {
        session.close()
      }
    })

    it('TCP: not HTTP → the banner, then every byte echoed', async () => {
      const text = await tcpExchange(stub.port, 'PING\r\n', (received) => received.includes('PING\r\n'))
      assert.equal(text, `gwctl-stub-backend ${KEY}\nPING\r\n`)
    })

    it('TCP: a client that sends and half-closes gets the banner, the echo and the end', async () => {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connectTcp({host: '127.0.0.1', port: stub.port, allowHalfOpen: true}, () => socket.end('*1\r\n$4\r\nPING\r\n'))
        let received = ''
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')))
        socket.on('end', () => resolve(received))
        socket.on('error', reject)
      })
      assert.equal(text, `gwctl-stub-backend ${KEY}\n*1\r\n$4\r\nPING\r\n`)
    })
  })

  describe('TLS stub (Passthrough backends)', () => {
    let stub: StubServer
    let dir: string
    let caFile: string
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gwctl-stub-test-'))
      const issuer = new StubCertificateIssuer(join(dir, 'ca'), () => new Date())
      caFile = issuer.caFile
      const certificate = await issuer.issue({namespace: 'shop', secretName: 'api-tls', hostnames: ['api.example.com', '*.apps.example.com'], reason: 'test'}, {namespace: 'shop', name: 'api'})
      assert.deepEqual(certificate.dnsNames, ['api.example.com', '*.apps.example.com'])
      stub = await StubServer.start({key: KEY, stream: true, datagrams: false, tls: certificate.tls})
    })
    after(async () => {
      await stub.close()
      rmSync(dir, {recursive: true})
    })

    for (const [flag, protocol] of [['--http2', 'h2'], ['--http1.1', 'http/1.1']] as const) {
      it(`curl ${flag} --cacert CA: verified certificate, protocol ${protocol}, tls {sni, alpn}`, async () => {
        const result = await execa('curl', ['-sS', '--max-time', '10', flag, '--cacert', caFile, '--resolve', `x.apps.example.com:${stub.port}:127.0.0.1`, `https://x.apps.example.com:${stub.port}/tls`], {reject: false})
        assert.equal(result.exitCode, 0, result.stderr)
        const body = JSON.parse(result.stdout)
        assert.deepEqual([body.backend, body.protocol, body.request.tls], [KEY, protocol, {sni: 'x.apps.example.com', alpn: protocol}])
      })
    }

    it('gRPC over h2 (node:http2 client, ALPN h2, verified): the message back, grpc-status 0', async () => {
      const session = connectHttp2(`https://127.0.0.1:${stub.port}`, {ca: readFileSync(caFile), servername: 'api.example.com'})
      const message = Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01])
      try {
        const result = await new Promise<{headers: Record<string, unknown>; trailers: Record<string, unknown>; body: Buffer}>((resolve, reject) => {
          const stream = session.request({':path': '/pkg.Echo/Say', ':method': 'POST', 'content-type': 'application/grpc+proto', te: 'trailers'})
          let headers: Record<string, unknown> = {}
          let trailers: Record<string, unknown> = {}
          const chunks: Buffer[] = []
          stream.on('response', (received) => (headers = received))
          stream.on('trailers', (received) => (trailers = received))
          stream.on('data', (chunk: Buffer) => chunks.push(chunk))
          stream.on('end', () => resolve({headers, trailers, body: Buffer.concat(chunks)}))
          stream.on('error', reject)
          stream.end(message)
        })
        assert.deepEqual([result.headers['x-gwctl-backend'], result.headers['content-type'], result.trailers['grpc-status']], [KEY, 'application/grpc+proto', '0'])
        assert.deepEqual(result.body, message)
      } finally {
        session.close()
      }
    })

    it('a name the routes do not name fails verification (the SANs are the route hostnames)', async () => {
      const result = await execa('curl', ['-sS', '--max-time', '10', '--cacert', caFile, '--resolve', `other.example.com:${stub.port}:127.0.0.1`, `https://other.example.com:${stub.port}/`], {reject: false})
      assert.equal(result.exitCode, 60, result.stderr)
    })

    it('not HTTP after the handshake → the TCP stub (openssl s_client)', async () => {
      const result = await execa('openssl', ['s_client', '-connect', `127.0.0.1:${stub.port}`, '-servername', 'api.example.com', '-CAfile', caFile, '-quiet', '-verify_return_error'],
        {input: 'hello\n', reject: false, timeout: 10_000})
      assert.match(String(result.stdout), new RegExp(`^gwctl-stub-backend ${KEY}\nhello$`))
    })
  })

  describe('UDP stub', () => {
    it('answers each datagram with the banner and the payload; TCP on the same port too', async () => {
      const stub = await StubServer.start({key: 'dns/resolver:53', stream: true, datagrams: true})
      const client = createSocket('udp4')
      try {
        const answers: string[] = []
        await new Promise<void>((resolve, reject) => {
          client.on('message', (message) => {
            answers.push(message.toString('utf8'))
            if (answers.length === 2) resolve()
          })
          client.on('error', reject)
          client.send('one', stub.port, '127.0.0.1')
          client.send('two', stub.port, '127.0.0.1')
        })
        assert.deepEqual(answers.sort(), ['gwctl-stub-backend dns/resolver:53\none', 'gwctl-stub-backend dns/resolver:53\ntwo'])
        const text = await tcpExchange(stub.port, 'x\n', (received) => received.endsWith('x\n'))
        assert.equal(text, 'gwctl-stub-backend dns/resolver:53\nx\n')
      } finally {
        client.close()
        await stub.close()
      }
    })
  })

  it('close() destroys open connections and frees the port', async () => {
    const stub = await StubServer.start({key: KEY, stream: true, datagrams: false})
    const socket = connectTcp({host: '127.0.0.1', port: stub.port})
    await new Promise((resolve) => socket.once('connect', resolve))
    const closed = new Promise((resolve) => socket.once('close', resolve))
    socket.on('error', () => {})
    await stub.close()
    await closed
    const refused = await new Promise<string>((resolve) => {
      const again = connectTcp({host: '127.0.0.1', port: stub.port})
      again.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''))
      again.on('connect', () => resolve('connected'))
    })
    assert.equal(refused, 'ECONNREFUSED')
  })
})

