/**
 * `gwctl serve` carries HTTP/1.1 upgrades on HTTPRoutes (issue 11 §6): a
 * WebSocket client written here (raw handshake, a masked text frame) talks
 * through HTTP and HTTPS listeners to a tiny WebSocket echo backend; a
 * backend that refuses the upgrade has its answer passed through; a backend
 * that answers 101 to a request that asked for no upgrade is a prompt 502
 * (it used to leave the client waiting for the idle timeout, then 504), and
 * so is a switch to a protocol the client did not ask for; an upgrade
 * request is routed like any other (no route: 404 from the gateway), its
 * Content-Length body reaches the backend before the switch, and an upgraded
 * connection is drained at SIGTERM rather than cut.
 */
import assert from 'node:assert/strict'
import {createHash, randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {connect, createServer, type AddressInfo, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {connect as connectTls} from 'node:tls'
import {killLeftoverServes, runCurl, startServe, writeIssuedSecret, type ServeProcess} from './serve-harness.js'

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

const MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: local
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - name: https
    protocol: HTTPS
    port: 443
    hostname: ws.example.com
    tls: {certificateRefs: [{name: ws-tls}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ws, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [ws.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: ws-echo, port: 80}]
    filters:
    - type: ResponseHeaderModifier
      responseHeaderModifier: {add: [{name: x-gateway, value: gwctl}]}
---
apiVersion: v1
kind: Service
metadata: {name: ws-echo, namespace: default}
spec: {ports: [{port: 80}]}
`

function acceptKey(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64')
}

/** One WebSocket frame; masked when `mask` (client to server, RFC 6455 §5.3). Payloads under 126 bytes. */
function encodeFrame(opcode: number, payload: Buffer, mask: boolean): Buffer {
  const header = Buffer.from([0x80 | opcode, (mask ? 0x80 : 0) | payload.length])
  if (!mask) return Buffer.concat([header, payload])
  const key = randomBytes(4)
  return Buffer.concat([header, key, Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]))])
}

/** The first complete frame in `data`, unmasked, or undefined when more bytes are needed. */
function decodeFrame(data: Buffer): {opcode: number; payload: Buffer; size: number} | undefined {
  if (data.length < 2) return undefined
  const masked = (data[1] & 0x80) !== 0
  const length = data[1] & 0x7f
  const start = 2 + (masked ? 4 : 0)
  if (length >= 126 || data.length < start + length) return undefined
  const payload = Buffer.from(data.subarray(start, start + length))
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= data[2 + (i % 4)]
  return {opcode: data[0] & 0x0f, payload, size: start + length}
}

/**
 * The backend: `/chat` with Upgrade: websocket switches and echoes every text
 * frame as `echo: TEXT` (plus the Upgrade and X-Forwarded-Proto it received);
 * `/refuse` answers 426 with a body; `/bad101` answers 101 to anything.
 */
function startWebSocketBackend(): Server {
  return createServer((socket) => {
    socket.on('error', () => {})
    let buffered = Buffer.alloc(0)
    let switched = false
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      if (!switched) {
        const end = buffered.indexOf('\r\n\r\n')
        if (end === -1) return
        const head = buffered.subarray(0, end).toString('latin1')
        const bodyLength = Number(/^content-length: *(\d+)$/im.exec(head)?.[1] ?? 0)
        if (buffered.length < end + 4 + bodyLength) return
        const body = buffered.subarray(end + 4, end + 4 + bodyLength).toString()
        buffered = buffered.subarray(end + 4 + bodyLength)
        const [requestLine, ...lines] = head.split('\r\n')
        const path = requestLine.split(' ')[1]
        const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
        if (path === '/wrong-protocol') {
          socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n')
          return
        }
        if (path === '/bad101') {
          socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n')
          return
        }
        if (headers.get('upgrade') === undefined) {
          const answer = `plain answer, connection: ${headers.get('connection') ?? 'none'}\n`
          socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${answer.length}\r\n\r\n${answer}`)
          return
        }
        if (path === '/refuse' || headers.get('upgrade')?.toLowerCase() !== 'websocket' || !/upgrade/i.test(headers.get('connection') ?? '')) {
          const body = 'no upgrade here\n'
          socket.end(`HTTP/1.1 426 Upgrade Required\r\nx-backend-said: no\r\ncontent-length: ${body.length}\r\n\r\n${body}`)
          return
        }
        switched = true
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ${acceptKey(headers.get('sec-websocket-key') ?? '')}\r\n`
          + `x-seen-upgrade: ${headers.get('upgrade')}\r\nx-seen-proto: ${headers.get('x-forwarded-proto')}\r\nx-seen-body: ${body}\r\n\r\n`)
      }
      for (let frame = decodeFrame(buffered); frame !== undefined; frame = decodeFrame(buffered)) {
        buffered = buffered.subarray(frame.size)
        if (frame.opcode === 0x8) {
          socket.end(encodeFrame(0x8, frame.payload, false))
          return
        }
        socket.write(encodeFrame(0x1, Buffer.concat([Buffer.from('echo: '), frame.payload]), false))
      }
    })
  })
}

/** A minimal WebSocket client over `socket`: handshake, then `exchange` sends a masked text frame and reads the answer. */
async function openWebSocket(socket: Socket, host: string, path: string, body = '') {
  const key = randomBytes(16).toString('base64')
  let buffered = Buffer.alloc(0)
  let notify: (() => void) | undefined
  let closed = false
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk])
    notify?.()
  })
  socket.on('close', () => {
    closed = true
    notify?.()
  })
  socket.on('error', () => {})
  const waitFor = async <T>(take: () => T | undefined): Promise<T> => {
    for (;;) {
      const value = take()
      if (value !== undefined) return value
      if (closed) throw new Error(`connection closed; received: ${buffered.toString('latin1')}`)
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`nothing within 10 s; received: ${buffered.toString('latin1')}`)), 10_000)
        notify = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n${body === '' ? '' : `Content-Length: ${body.length}\r\n`}\r\n${body}`)
  const head = await waitFor(() => {
    const end = buffered.indexOf('\r\n\r\n')
    if (end === -1) return undefined
    const text = buffered.subarray(0, end).toString('latin1')
    buffered = buffered.subarray(end + 4)
    return text
  })
  return {
    head,
    expectedAccept: acceptKey(key),
    /** What follows the head until the gateway closes (a refused upgrade's body). */
    rest: () => waitFor(() => (closed ? buffered.toString('latin1') : undefined)).catch(() => buffered.toString('latin1')),
    async exchange(text: string): Promise<{opcode: number; text: string}> {
      socket.write(encodeFrame(0x1, Buffer.from(text), true))
      const frame = await waitFor(() => decodeFrame(buffered))
      buffered = buffered.subarray(frame.size)
      return {opcode: frame.opcode, text: frame.payload.toString()}
    },
    async close(): Promise<number> {
      socket.write(encodeFrame(0x8, Buffer.from([0x03, 0xe8]), true))
      const frame = await waitFor(() => decodeFrame(buffered))
      buffered = buffered.subarray(frame.size)
      return frame.opcode
    },
  }
}

function headerOf(head: string, name: string): string | undefined {
  return new RegExp(`^${name}: *(.*)$`, 'im').exec(head)?.[1]
}

describe('e2e: gwctl serve HTTP/1.1 upgrades (WebSocket)', function () {
  this.timeout(60_000)
  let dir: string
  let backend: Server
  let serve: ServeProcess
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-upgrade-'))
    writeFileSync(join(dir, 'manifests.yaml'), MANIFESTS)
    writeIssuedSecret(dir, 'default', 'ws-tls', ['ws.example.com'])
    backend = startWebSocketBackend()
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    serve = await startServe([dir, '--port-map', '80=0', '--port-map', '443=0', '--log-format', 'json',
      '--backend', `default/ws-echo:80=127.0.0.1:${(backend.address() as AddressInfo).port}`])
  })
  after(async () => {
    const stopped = await serve?.stop()
    backend?.close()
    rmSync(dir, {recursive: true})
    assert.equal(stopped?.exitCode, 0, stopped?.stderr)
  })
  after(killLeftoverServes)

  for (const listener of ['HTTP', 'HTTPS'] as const) {
    it(`a WebSocket handshake and a masked frame go through an ${listener} listener, and back`, async () => {
      const port = serve.localPort(listener === 'HTTP' ? 80 : 443)
      const socket = listener === 'HTTP'
        ? connect({host: '127.0.0.1', port})
        : connectTls({host: '127.0.0.1', port, servername: 'ws.example.com', rejectUnauthorized: false, ALPNProtocols: ['http/1.1']})
      const ws = await openWebSocket(socket, 'ws.example.com', `/chat?via=${listener}`)
      assert.match(ws.head, /^HTTP\/1\.1 101 /)
      assert.equal(headerOf(ws.head, 'sec-websocket-accept'), ws.expectedAccept)
      assert.equal(headerOf(ws.head, 'upgrade'), 'websocket')
      assert.equal(headerOf(ws.head, 'x-seen-upgrade'), 'websocket', 'the backend got the Upgrade header')
      assert.equal(headerOf(ws.head, 'x-seen-proto'), listener.toLowerCase())
      assert.equal(headerOf(ws.head, 'x-gateway'), 'gwctl', 'the route\'s response header filter applies to the 101')
      assert.deepEqual(await ws.exchange('hello gateway'), {opcode: 1, text: 'echo: hello gateway'})
      assert.deepEqual(await ws.exchange('second frame'), {opcode: 1, text: 'echo: second frame'})
      assert.equal(await ws.close(), 0x8)
      const line = JSON.parse(await serve.waitForLine((text) => text.includes('"event":"access"') && text.includes(`/chat?via=${listener}`))) as Record<string, unknown>
      assert.equal(line.status, 101)
      assert.equal(line.route, 'HTTPRoute default/ws')
      assert.equal(line.backend, 'default/ws-echo:80')
      assert.equal(line.outcome, 'ok')
      assert.ok((line.bytesIn as number) > 0 && (line.bytesOut as number) > 0, JSON.stringify(line))
    })
  }

  it('an upgraded connection is drained at SIGTERM, not cut: it carries frames until it closes', async () => {
    const draining = await startServe([dir, '--port-map', '80=0', '--port-map', '443=0', '--log-format', 'json', '--drain-timeout', '30s',
      '--backend', `default/ws-echo:80=127.0.0.1:${(backend.address() as AddressInfo).port}`])
    try {
      const ws = await openWebSocket(connect({host: '127.0.0.1', port: draining.localPort(80)}), 'ws.example.com', '/chat')
      assert.match(ws.head, /^HTTP\/1\.1 101 /)
      draining.process.kill('SIGTERM')
      await draining.waitForLine((line) => line.includes('"event":"shutdown"'))
      assert.deepEqual(await ws.exchange('still there?'), {opcode: 1, text: 'echo: still there?'})
      assert.equal(await ws.close(), 0x8)
      const {exitCode, stdout} = await draining.process
      assert.equal(exitCode, 0)
      assert.match(String(stdout), /"event":"stopped","time":"[^"]+","message":"1 connections finished, 0 closed at the drain timeout"/)
    } finally {
      draining.process.kill('SIGKILL')
    }
  })

  it('an upgrade request body (Content-Length) reaches the backend before the switch', async () => {
    const ws = await openWebSocket(connect({host: '127.0.0.1', port: serve.localPort(80)}), 'ws.example.com', '/chat', 'hello-body')
    assert.match(ws.head, /^HTTP\/1\.1 101 /)
    assert.equal(headerOf(ws.head, 'x-seen-body'), 'hello-body')
    assert.deepEqual(await ws.exchange('after the body'), {opcode: 1, text: 'echo: after the body'})
    await ws.close()
  })

  it('a backend switching to a protocol the client did not ask for is a 502', async () => {
    const ws = await openWebSocket(connect({host: '127.0.0.1', port: serve.localPort(80)}), 'ws.example.com', '/wrong-protocol')
    assert.match(ws.head, /^HTTP\/1\.1 502 /)
    assert.match(await ws.rest(), /switched to h2c, which the client did not ask for \(websocket\)/)
  })

  it('an h2c upgrade (curl --http2 on http://) is declined by the gateway and served over HTTP/1.1', async () => {
    const port = serve.localPort(80)
    const result = await runCurl(`http://ws.example.com:${port}/plain`, ['--http2', '--resolve', `ws.example.com:${port}:127.0.0.1`])
    assert.equal(result.status, 200, `${result.headers}\n${result.stderr}`)
    assert.match(result.headers, /^HTTP\/1\.1 200/)
    assert.match(result.body, /^plain answer, connection: keep-alive$/, 'the backend saw no Upgrade and no Connection: Upgrade')
  })

  it('a backend refusing the upgrade has its answer passed through', async () => {
    const ws = await openWebSocket(connect({host: '127.0.0.1', port: serve.localPort(80)}), 'ws.example.com', '/refuse')
    assert.match(ws.head, /^HTTP\/1\.1 426 Upgrade Required/)
    assert.equal(headerOf(ws.head, 'x-backend-said'), 'no')
    assert.equal(await ws.rest(), 'no upgrade here\n')
  })

  it('an upgrade request is routed like any other: no route is the gateway\'s 404', async () => {
    const ws = await openWebSocket(connect({host: '127.0.0.1', port: serve.localPort(80)}), 'other.example.com', '/chat')
    assert.match(ws.head, /^HTTP\/1\.1 404 /)
  })

  it('a backend answering 101 to a request that asked for no upgrade is a prompt 502', async () => {
    const port = serve.localPort(80)
    const result = await runCurl(`http://ws.example.com:${port}/bad101`, ['--resolve', `ws.example.com:${port}:127.0.0.1`])
    assert.equal(result.status, 502, `${result.headers}\n${result.stderr}`)
    assert.match(result.body, /101 Switching Protocols to a request that asked for no upgrade/)
  })
})
