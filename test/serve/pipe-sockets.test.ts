import assert from 'node:assert/strict'
import {connect, createServer, type AddressInfo, type Server, type Socket} from 'node:net'
import {pipeSockets, type PipeEnd} from '../../src/serve/pipe-sockets.js'
import {PooledReads} from '../../src/serve/pooled-reads.js'

/** A connected pair: [the end we hand to pipeSockets, the peer a test drives]. */
async function socketPair(server: Server, options: {onread?: PooledReads} = {}): Promise<[Socket, Socket]> {
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve))
  const local = connect({port: (server.address() as AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true, onread: options.onread?.option} as Parameters<typeof connect>[0])
  await new Promise((resolve) => local.once('connect', resolve))
  return [local, await accepted]
}

function collect(socket: Socket): Promise<string> {
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  return new Promise((resolve) => socket.once('end', () => resolve(Buffer.concat(chunks).toString())))
}

describe('serve/pipe-sockets', () => {
  let server: Server
  before(async () => {
    server = createServer({allowHalfOpen: true})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })
  after(() => server.close())

  for (const pooled of [false, true]) {
    it(`carries both ways with half-close${pooled ? ' (pooled backend reads)' : ''}`, async () => {
      const [client, clientPeer] = await socketPair(server)
      const reads = pooled ? new PooledReads() : undefined
      const [backend, backendPeer] = await socketPair(server, {onread: reads})
      const ended = new Promise<PipeEnd>((resolve) => pipeSockets(client, backend, 0, resolve, reads))
      const atBackend = collect(backendPeer)
      clientPeer.end('request')
      assert.equal(await atBackend, 'request', 'the client FIN reaches the backend after the data')
      const atClient = collect(clientPeer)
      backendPeer.end('response after the client half-closed')
      assert.equal(await atClient, 'response after the client half-closed')
      assert.deepEqual(await ended, {outcome: 'ok'})
    })
  }

  it('a client that ended and closed before piping started still ends the backend and finishes', async () => {
    const [client, clientPeer] = await socketPair(server)
    const [backend, backendPeer] = await socketPair(server)
    client.resume()
    clientPeer.end()
    await new Promise((resolve) => client.once('end', resolve))
    client.end()
    await new Promise((resolve) => client.once('close', resolve))
    const backendEnded = new Promise((resolve) => backendPeer.once('end', resolve))
    backendPeer.resume()
    const ended = new Promise<PipeEnd>((resolve) => pipeSockets(client, backend, 0, resolve))
    await backendEnded
    backendPeer.end()
    assert.deepEqual(await ended, {outcome: 'ok'})
  })

  it('a reset on one side destroys the other and reports it', async () => {
    const [client, clientPeer] = await socketPair(server)
    const [backend, backendPeer] = await socketPair(server)
    const ended = new Promise<PipeEnd>((resolve) => pipeSockets(client, backend, 0, resolve))
    const backendGone = new Promise((resolve) => {
      backendPeer.once('end', resolve)
      backendPeer.once('error', resolve)
    })
    backendPeer.resume()
    clientPeer.resetAndDestroy()
    await backendGone
    assert.equal((await ended).outcome, 'client-error')
  })

  it('a backend that resets the connection is reported as a reset, and the client is closed', async () => {
    const [client, clientPeer] = await socketPair(server)
    const [backend, backendPeer] = await socketPair(server)
    const ended = new Promise<PipeEnd>((resolve) => pipeSockets(client, backend, 0, resolve))
    const clientGone = new Promise((resolve) => clientPeer.once('end', resolve))
    clientPeer.on('error', () => {})
    clientPeer.resume()
    backendPeer.resetAndDestroy()
    assert.deepEqual(await ended, {outcome: 'backend-reset', reason: 'the backend reset the connection (read ECONNRESET)'})
    await clientGone
  })

  it('a reset from a backend that already sent its FIN still lets the client receive everything', async () => {
    const [client, clientPeer] = await socketPair(server)
    const [backend, backendPeer] = await socketPair(server)
    const ended = new Promise<PipeEnd>((resolve) => pipeSockets(client, backend, 0, resolve))
    const atClient = collect(clientPeer)
    backendPeer.end('the whole answer')
    await new Promise((resolve) => backend.once('end', resolve))
    backend.emit('error', Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET'}))
    assert.equal(await atClient, 'the whole answer')
    clientPeer.end()
    assert.equal((await ended).outcome, 'ok')
  })

  it('a client closed while the backend may still send (the drain timeout after the client half-closed) takes the backend with it', async () => {
    const [client, clientPeer] = await socketPair(server)
    const [backend, backendPeer] = await socketPair(server)
    const ended = new Promise<PipeEnd>((resolve) => pipeSockets(client, backend, 0, resolve))
    const atBackend = collect(backendPeer)
    clientPeer.end('request')
    assert.equal(await atBackend, 'request')
    // The backend never closes its side; the gateway gives up on the client.
    const backendClosed = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the backend is still open 5 s after the client closed')), 5000)
      backend.once('close', () => resolve(clearTimeout(timer)))
    })
    client.destroy()
    await backendClosed
    assert.equal((await ended).outcome, 'ok')
    assert.ok(backend.destroyed)
  })

  it('closes both at the idle timeout', async () => {
    const [client] = await socketPair(server)
    const [backend] = await socketPair(server)
    const end = await new Promise<PipeEnd>((resolve) => pipeSockets(client, backend, 100, resolve))
    assert.deepEqual(end, {outcome: 'idle-timeout', reason: 'no data either way for 100 ms'})
    assert.ok(client.destroyed && backend.destroyed)
  })
})
