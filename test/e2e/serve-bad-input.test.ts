/**
 * Bad input against a running `gwctl serve` (fixtures/scenarios/wildcard,
 * passthrough): non-TLS bytes, truncated, oversized and byte-by-byte
 * ClientHellos, an SNI with invalid characters, a client that never sends,
 * backends that refuse, reset or never answer, 1,000 concurrent
 * connections and the connection cap. Each time the gateway logs and closes
 * that one connection and keeps serving; afterwards its socket count is back
 * where it started (no leak) and it exits 0 on SIGTERM.
 */
import assert from 'node:assert/strict'
import {connect, createServer, type AddressInfo, type Server, type Socket} from 'node:net'
import {join} from 'node:path'
import type {Binding} from '../../src/gatewayapi/binding.js'
import {analyzeManifests} from '../../src/pipeline/analyze.js'
import {buildClientHello, readFixture} from '../serve/client-hello-bytes.js'
import {countSockets, killLeftoverServes, eventually, ROOT, runCurl, startServe, type ServeProcess} from './serve-harness.js'

interface RawAnswer {
  data: Buffer
  /** How the gateway ended it: 'end' (FIN), 'reset', or 'open' when still open at the deadline. */
  ending: 'end' | 'reset' | 'open'
}

/** Send `chunks` (with a turn of the event loop between them) and collect what comes back until the socket closes. */
function exchange(port: number, chunks: Buffer[], deadlineMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({port, host: '127.0.0.1', noDelay: true})
    const received: Buffer[] = []
    let ending: RawAnswer['ending'] = 'end'
    const timer = setTimeout(() => {
      ending = 'open'
      socket.destroy()
    }, deadlineMs)
    socket.on('data', (chunk) => received.push(chunk))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') ending = 'reset'
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({data: Buffer.concat(received), ending})
    })
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) break
        socket.write(chunk)
        await new Promise((next) => setTimeout(next, 1))
      }
    })
  })
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

const ALERT = (description: number) => Buffer.of(21, 3, 1, 0, 2, 2, description)
const hello = (sni: string) => buildClientHello({sni, alpn: ['http/1.1']})
const WILDCARD = join(ROOT, 'fixtures/scenarios/wildcard')

/** `ns/name:port` of the first backend of the TLSRoute that claims `hostname`. */
function backendKeyFor(binding: Binding, hostname: string): string {
  const route = binding.routes.find((entry) => entry.route.kind === 'TLSRoute' && entry.route.hostnames.includes(hostname))
  const ref = route?.rules[0]?.backends[0]?.ref
  assert.ok(ref !== undefined, `a TLSRoute claims ${hostname}`)
  return `${ref.namespace}/${ref.name}:${ref.port}`
}

describe('e2e: gwctl serve survives bad input and leaks no sockets', function () {
  this.timeout(60_000)
  const held: Socket[] = []
  const echo = createServer((socket) => {
    socket.once('data', () => socket.write('HELLO\n'))
    socket.on('error', () => {})
  })
  const resetting = createServer((socket) => socket.resetAndDestroy())
  const silent = createServer((socket) => {
    held.push(socket)
    socket.on('error', () => {})
  })
  let serve: ServeProcess
  let port: number
  let baseline: number

  before(async () => {
    const echoPort = await listen(echo)
    const refusing = createServer()
    const refusedPort = await listen(refusing)
    await new Promise((resolve) => refusing.close(resolve))
    const {binding} = await analyzeManifests([WILDCARD])
    serve = await startServe([WILDCARD, '--port-map', '443=0',
      '--backend', `${backendKeyFor(binding, 'app.example.com')}=127.0.0.1:${echoPort}`,
      '--backend', `${backendKeyFor(binding, '*.apps.example.com')}=127.0.0.1:${refusedPort}`,
      '--backend', `${backendKeyFor(binding, 'api.eu.example.com')}=127.0.0.1:${await listen(resetting)}`,
      '--backend', `${backendKeyFor(binding, '*.example.com')}=127.0.0.1:${await listen(silent)}`,
      '--client-hello-timeout', '500ms', '--idle-timeout', '1s', '--connect-timeout', '1s', '--drain-timeout', '2s'])
    port = serve.localPort(443)
    baseline = countSockets(serve.process.pid!)
  })

  after(async () => {
    for (const socket of held) socket.destroy()
    echo.close()
    resetting.close()
    silent.close()
    if (serve !== undefined) {
      const {exitCode, stderr} = await serve.stop()
      assert.equal(exitCode, 0, stderr)
      assert.doesNotMatch(stderr, /Unhandled|TypeError|at .*\.js:\d+/)
    }
  })
  after(killLeftoverServes)

  afterEach(async () => {
    // The gateway still carries a good connection after each bad one.
    const answer = await exchange(port, [hello('app.example.com')], 3000)
    assert.equal(answer.data.toString(), 'HELLO\n')
  })

  const logged = (outcome: string) => serve.waitForLine((line) => line.includes(` ${outcome}`), 5000)

  it('non-TLS bytes: closed without an answer, logged', async () => {
    const answer = await exchange(port, [Buffer.from('GET / HTTP/1.1\r\nHost: app.example.com\r\n\r\n')])
    assert.deepEqual([answer.data.length, answer.ending], [0, 'end'])
    await logged('client-hello-not-tls')
  })

  it('truncated ClientHello, then FIN: closed, logged', async () => {
    const answer = await exchange(port, [readFixture('curl-app-example-com.bin').subarray(0, 100), Buffer.alloc(0)])
    assert.equal(answer.data.length, 0)
  })

  it('oversized ClientHello (40 KiB): decode_error alert', async () => {
    const answer = await exchange(port, [buildClientHello({sni: 'app.example.com', padding: 40_000})])
    assert.deepEqual(answer.data, ALERT(50))
    await logged('client-hello-too-large')
  })

  it('ClientHello split byte by byte: routed to the backend', async () => {
    const bytes = hello('app.example.com')
    const answer = await exchange(port, [...bytes].map((byte) => Buffer.of(byte)), 5000)
    assert.equal(answer.data.toString(), 'HELLO\n')
  })

  it('SNI with invalid characters: illegal_parameter alert', async () => {
    const answer = await exchange(port, [buildClientHello({sni: 'app example.com'})])
    assert.deepEqual(answer.data, ALERT(47))
    await logged('client-hello-invalid-sni')
  })

  it('SNI no listener takes: unrecognized_name alert', async () => {
    const answer = await exchange(port, [hello('www.example.org')])
    assert.deepEqual(answer.data, ALERT(112))
  })

  it('slowloris: a client that never sends is closed at the ClientHello timeout', async () => {
    const answer = await exchange(port, [], 5000)
    assert.equal(answer.ending, 'end')
    await logged('client-hello-timeout')
  })

  it('backend refuses: the client connection is reset, logged', async () => {
    const answer = await exchange(port, [hello('shop.apps.example.com')])
    assert.deepEqual([answer.data.length, answer.ending], [0, 'reset'])
    await logged('backend-refused')
  })

  it('backend resets: the client connection is closed, logged as a reset', async () => {
    const answer = await exchange(port, [hello('api.eu.example.com')])
    assert.equal(answer.data.length, 0)
    assert.notEqual(answer.ending, 'open')
    await logged('backend-reset (the backend reset the connection')
  })

  it('backend never answers: closed at the idle timeout, logged', async () => {
    const answer = await exchange(port, [hello('www.example.com')], 5000)
    assert.notEqual(answer.ending, 'open')
    await logged('idle-timeout')
  })

  it('1,000 concurrent connections are all carried, then all released', async () => {
    const answers = await Promise.all(Array.from({length: 1000}, () => exchange(port, [hello('app.example.com')], 20_000)))
    assert.equal(answers.filter((answer) => answer.data.toString() === 'HELLO\n').length, 1000)
  })

  it('no socket leaked: the gateway is back to its baseline', async () => {
    await eventually(() => countSockets(serve.process.pid!) <= baseline, 10_000, `socket count back to ${baseline}`)
    const result = await runCurl(`https://app.example.com:${port}/`, ['-k', '--resolve', `app.example.com:${port}:127.0.0.1`, '--max-time', '2'])
    assert.notEqual(result.exitCode, 0, 'the echo backend is not HTTP: curl fails, but the gateway stays up')
  })
})

describe('e2e: gwctl serve connection cap', function () {
  this.timeout(30_000)
  it('resets connections beyond --max-connections and logs them', async () => {
    const serve = await startServe([join(ROOT, 'fixtures/scenarios/passthrough'), '--port-map', '443=0', '--max-connections', '3'])
    const port = serve.localPort(443)
    const open = await Promise.all([1, 2, 3].map(() => new Promise<Socket>((resolve) => {
      const socket = connect({port, host: '127.0.0.1'}, () => resolve(socket))
    })))
    await eventually(() => countSockets(serve.process.pid!) >= 4, 5000, 'three client sockets held')
    const refused = await exchange(port, [hello('app.example.com')])
    assert.equal(refused.ending, 'reset')
    const logged = await serve.waitForLine((line) => line.includes('connection cap of 3 reached'))
    assert.match(logged, /connection from 127\.0\.0\.1:\d+ on port 443/, 'the log names the peer')
    for (const socket of open) socket.destroy()
    assert.equal((await serve.stop()).exitCode, 0)
  })
})

describe('e2e: gwctl serve HTTP listeners refuse slow and malformed requests', function () {
  this.timeout(30_000)
  let serve: ServeProcess
  let port: number
  before(async () => {
    serve = await startServe([join(ROOT, 'fixtures/scenarios/port-6443'), '--port-map', '80=0', '--port-map', '6443=0', '--client-hello-timeout', '500ms'])
    port = serve.localPort(80)
  })
  after(async () => {
    if (serve !== undefined) assert.equal((await serve.stop()).exitCode, 0)
  })
  after(killLeftoverServes)

  it('headers that never finish (slowloris): 408, closed, logged', async () => {
    const answer = await exchange(port, [Buffer.from('GET / HTTP/1.1\r\nHost: www.example.com\r\nX-Slow: ')], 10_000)
    assert.match(answer.data.toString(), /^HTTP\/1\.1 408 Request Timeout/)
    assert.equal(answer.ending, 'end')
    await serve.waitForLine((line) => line.includes(' request-timeout'))
  })

  it('a request that is not HTTP: 400, closed, logged', async () => {
    const answer = await exchange(port, [Buffer.from('\x16\x03\x01 not http at all\r\n\r\n')])
    assert.match(answer.data.toString(), /^HTTP\/1\.1 400 Bad Request/)
    await serve.waitForLine((line) => line.includes(' bad-request'))
  })
})
