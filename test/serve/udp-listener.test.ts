import assert from 'node:assert/strict'
import {createSocket, type Socket as DatagramSocket} from 'node:dgram'
import {parse} from 'yaml'
import {bind} from '../../src/gatewayapi/bind.js'
import {buildSnapshot} from '../../src/model/build-snapshot.js'
import {AccessLog, type AccessEntry} from '../../src/serve/access-log.js'
import type {BackendAddress} from '../../src/serve/backend-map.js'
import {DataPlane} from '../../src/serve/data-plane.js'
import {socketKey} from '../../src/serve/port-plan.js'
import {UdpListeners} from '../../src/serve/udp-listener.js'

const MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: any
  listeners: [{name: dns, protocol: UDP, port: 53}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: UDPRoute
metadata: {name: dns, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: a, port: 53, weight: 1}, {name: b, port: 53, weight: 3}, {name: gone, port: 53, weight: 4}]}]
${['a', 'b', 'gone'].map((name) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default}
spec: {ports: [{port: 53, protocol: UDP}]}
`).join('')}`

function dataPlaneOf(backends: Map<string, BackendAddress>): DataPlane {
  const objects = MANIFESTS.split(/^---$/m).map((text) => parse(text) as Record<string, unknown>)
  return new DataPlane(bind(buildSnapshot(objects.map((object) => ({object, namespace: 'default'})))), backends, {portMap: new Map([[53, 0]])})
}

async function bound(type: 'udp4', port = 0): Promise<DatagramSocket> {
  const socket = createSocket(type)
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve))
  return socket
}

function nextMessage(socket: DatagramSocket): Promise<string> {
  return new Promise((resolve) => socket.once('message', (message) => resolve(message.toString())))
}

describe('serve/udp-listener: sessions', () => {
  const sockets: DatagramSocket[] = []
  after(() => {
    for (const socket of sockets) socket.close()
  })

  it('picks each session\'s backend by weight with the randomness passed in, logs refusals once and every session at its end', async () => {
    const echoes = new Map<string, DatagramSocket>()
    for (const name of ['a', 'b']) {
      const echo = await bound('udp4')
      echo.on('message', (message, from) => echo.send(`${name}:${message.toString()}`, from.port, from.address))
      echoes.set(name, echo)
      sockets.push(echo)
    }
    const dataPlane = dataPlaneOf(new Map([...echoes].map(([name, echo]) => [`default/${name}:53`, {host: '127.0.0.1', port: echo.address().port}])))
    const written: string[] = []
    const log = new AccessLog({write: (text: string) => written.push(...text.trimEnd().split('\n'))}, 'json')
    // Weights 1:3:4 over [0, 1): below 0.125 is a, below 0.5 is b, the rest the unmapped `gone`.
    const draws = [0.1, 0.4, 0.9]
    const udp = new UdpListeners(() => ({dataPlane, log}), {idleTimeoutMs: 0, maxSessions: 10, random: () => draws.shift()!})
    await udp.bind(dataPlane.plan.datagramSockets[0])
    const port = udp.localPort(socketKey(dataPlane.plan.datagramSockets[0]))!
    const clients = [await bound('udp4'), await bound('udp4'), await bound('udp4')]
    sockets.push(...clients)

    const first = nextMessage(clients[0])
    clients[0].send('one', port, '127.0.0.1')
    assert.equal(await first, 'a:one')
    const second = nextMessage(clients[1])
    clients[1].send('two', port, '127.0.0.1')
    assert.equal(await second, 'b:two')
    const again = nextMessage(clients[0])
    clients[0].send('one again', port, '127.0.0.1')
    assert.equal(await again, 'a:one again', 'a session keeps its backend')
    clients[2].send('lost', port, '127.0.0.1')
    clients[2].send('lost too', port, '127.0.0.1')
    const probe = nextMessage(clients[0])
    clients[0].send('after', port, '127.0.0.1')
    await probe
    assert.equal(udp.size, 3)

    assert.equal(await udp.shutdown(), 3)
    log.flush()
    const entries = written.map((line) => JSON.parse(line) as AccessEntry).map(({client, backend, bytesIn, outcome, reason}) => ({client, backend, bytesIn, outcome, reason}))
    const address = (socket: DatagramSocket) => `127.0.0.1:${socket.address().port}`
    assert.deepEqual(entries, [
      {client: address(clients[2]), backend: 'default/gone:53', bytesIn: 0, outcome: 'unmapped-backend',
        reason: 'backend default/gone:53 has no local address (--backend default/gone:53=HOST:PORT); datagrams from this client are dropped from now on'},
      {client: address(clients[0]), backend: 'default/a:53', bytesIn: 17, outcome: 'shutdown', reason: 'the gateway is shutting down; 3 datagrams in, 3 out'},
      {client: address(clients[1]), backend: 'default/b:53', bytesIn: 3, outcome: 'shutdown', reason: 'the gateway is shutting down; 1 datagrams in, 1 out'},
    ])
  })

  it('ends a session whose backend refuses (ICMP port unreachable), logged as backend-refused', async () => {
    const closed = await bound('udp4')
    const closedPort = closed.address().port
    await new Promise<void>((resolve) => closed.close(resolve))
    const dataPlane = dataPlaneOf(new Map([['default/a:53', {host: '127.0.0.1', port: closedPort}]]))
    const written: string[] = []
    const log = new AccessLog({write: (text: string) => written.push(...text.trimEnd().split('\n'))}, 'json')
    const udp = new UdpListeners(() => ({dataPlane, log}), {idleTimeoutMs: 0, maxSessions: 10, random: () => 0})
    await udp.bind(dataPlane.plan.datagramSockets[0])
    const client = await bound('udp4')
    sockets.push(client)
    // The first datagram draws the ICMP answer; a later one on the session reports it.
    for (let i = 0; i < 100 && written.length === 0; i++) {
      client.send('anyone?', udp.localPort(socketKey(dataPlane.plan.datagramSockets[0]))!, '127.0.0.1')
      await new Promise((resolve) => setTimeout(resolve, 20))
      log.flush()
    }
    await udp.shutdown()
    log.flush()
    const entry = JSON.parse(written[0]) as AccessEntry
    assert.equal(entry.outcome, 'backend-refused')
    assert.equal(entry.reason?.startsWith(`default/a:53 at 127.0.0.1:${closedPort}: nothing listens there (ICMP port unreachable)`), true, entry.reason)
  })
})
