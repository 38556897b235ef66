/**
 * The floor of a Node proxy, for bench/serve.ts: the least Node code that
 * does what gwctl serve does on the bench's two paths, with no routing, no
 * limits and no log. Passthrough: wait for the client's first bytes, connect
 * to the origin's TLS port, write them, pipe both ways. Termination: an
 * HTTPS server (the gateway certificate) proxying each request over a
 * keep-alive http.Agent to the origin's plain port. HTTP/2: the same over an
 * HTTP/2 TLS server (ALPN h2), each stream one request to the origin.
 *
 *   node bench/bare-node-proxy.mjs DIR ORIGIN_TLS_PORT ORIGIN_HTTP_PORT
 * prints `{"passthrough":PORT,"termination":PORT,"h2":PORT}` once listening.
 */
import {constants} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {Agent, request} from 'node:http'
import {createSecureServer, constants as http2Constants} from 'node:http2'
import {createServer as createHttpsServer} from 'node:https'
import {connect, createServer} from 'node:net'
import {join} from 'node:path'

const [dir, originTls, originHttp] = process.argv.slice(2)

const passthrough = createServer({noDelay: true}, (client) => {
  client.on('error', () => client.destroy())
  client.once('data', (first) => {
    client.pause()
    const backend = connect({host: '127.0.0.1', port: Number(originTls), noDelay: true}, () => {
      backend.write(first)
      client.pipe(backend)
      backend.pipe(client)
      client.resume()
    })
    backend.on('error', () => client.destroy())
    client.on('close', () => backend.destroy())
    backend.on('close', () => client.destroy())
  })
})

const agent = new Agent({keepAlive: true, scheduling: 'lifo'})
// No session tickets, as gwctl serve: every new connection is a full handshake.
const termination = createHttpsServer({cert: readFileSync(join(dir, 'gateway.crt')), key: readFileSync(join(dir, 'gateway.key')), secureOptions: constants.SSL_OP_NO_TICKET}, (req, res) => {
  const upstream = request({agent, host: '127.0.0.1', port: Number(originHttp), method: req.method, path: req.url, headers: req.headers}, (answer) => {
    res.writeHead(answer.statusCode, answer.headers)
    answer.pipe(res)
  })
  upstream.on('error', () => res.destroy())
  req.pipe(upstream)
})

const h2 = createSecureServer({cert: readFileSync(join(dir, 'gateway.crt')), key: readFileSync(join(dir, 'gateway.key')), secureOptions: constants.SSL_OP_NO_TICKET})
h2.on('stream', (stream, headers) => {
  stream.on('error', () => {})
  const upstream = request({agent, host: '127.0.0.1', port: Number(originHttp), method: headers[':method'], path: headers[':path'], headers: {host: headers[':authority']}}, (answer) => {
    // The client may have reset the stream meanwhile (h2load stopping with streams in flight).
    if (stream.destroyed || stream.closed) {
      answer.resume()
      return
    }
    const out = {[http2Constants.HTTP2_HEADER_STATUS]: answer.statusCode}
    for (const [name, value] of Object.entries(answer.headers)) if (name !== 'connection' && name !== 'keep-alive' && name !== 'transfer-encoding') out[name] = value
    stream.respond(out)
    answer.pipe(stream)
  })
  upstream.on('error', () => stream.destroy())
  stream.pipe(upstream)
})

await Promise.all([passthrough, termination, h2].map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))))
process.stdout.write(`${JSON.stringify({passthrough: passthrough.address().port, termination: termination.address().port, h2: h2.address().port})}\n`)
