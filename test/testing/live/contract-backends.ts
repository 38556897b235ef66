/**
 * Test backends that answer as the stub contract of BRIEF.md says (what
 * `gwctl serve --stub-backends` will start): HTTP answers 200 with
 * `x-gwctl-backend: NS/NAME:PORT` and the JSON echo; a stream that does not
 * start with an HTTP request line gets `gwctl-stub-backend NS/NAME:PORT\n`
 * and then an echo; the TLS (passthrough) one terminates TLS with the given
 * pair first. Mapped into a serve with `--backend KEY=127.0.0.1:PORT`.
 */
import {createServer as createNetServer, type AddressInfo, type Server, type Socket} from 'node:net'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {createSecureContext, createServer as createTlsServer} from 'node:tls'

export interface ContractBackend {
  key: string
  port: number
  /** `KEY=127.0.0.1:PORT`, a serve --backend value. */
  flag: string
  close(): Promise<void>
}

const HTTP_REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/

function answer(socket: Socket, key: string, protocol: string): void {
  let received = Buffer.alloc(0)
  const onData = (chunk: Buffer) => {
    received = Buffer.concat([received, chunk])
    const text = received.toString('latin1')
    if (HTTP_REQUEST_LINE.test(text)) {
      const end = text.indexOf('\r\n\r\n')
      if (end === -1) return
      socket.off('data', onData)
      const [requestLine, ...headerLines] = text.slice(0, end).split('\r\n')
      const [method, path] = requestLine.split(' ')
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
      const body = method === 'HEAD' ? '' : JSON.stringify({backend: key, protocol, request: {method, path, headers, tls: null}})
      socket.end(`HTTP/1.1 200 OK\r\nx-gwctl-backend: ${key}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
      return
    }
    if (received.length < 16 && !text.includes('\n')) return
    socket.off('data', onData)
    socket.write(`gwctl-stub-backend ${key}\n`)
    socket.write(received)
    socket.on('data', (more: Buffer) => socket.write(more))
  }
  socket.on('data', onData)
  socket.on('error', () => {})
}

async function listen(server: Server, key: string): Promise<ContractBackend> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {key, port, flag: `${key}=127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve()))}
}

/** HTTP/1.1 or TCP by the first bytes, plaintext. */
export function startPlainBackend(key: string): Promise<ContractBackend> {
  return listen(createNetServer((socket) => answer(socket, key, 'http/1.1')), key)
}

/** TLS with the given PEM pair, then HTTP/1.1 or TCP by the first bytes. */
export function startTlsBackend(key: string, pem: {cert: string | Buffer; key: string | Buffer}): Promise<ContractBackend> {
  return listen(createTlsServer({cert: pem.cert, key: pem.key, ALPNProtocols: ['http/1.1']}, (socket) => answer(socket, key, 'http/1.1')), key)
}

/** TLS with the backend-tls/ pair for the SNI (exact name, then `wildcard.<parent>`, else the first), then as the plain one. */
export function startTlsBackendFromDirectory(key: string, dir: string): Promise<ContractBackend> {
  const names = readdirSync(dir).filter((file) => file.endsWith('.crt')).map((file) => file.slice(0, -4)).sort()
  const pair = (name: string) => ({cert: readFileSync(join(dir, `${name}.crt`)), key: readFileSync(join(dir, `${name}.key`))})
  const contexts = new Map(names.map((name) => [name, createSecureContext(pair(name))]))
  const server = createTlsServer({...pair(names[0]), ALPNProtocols: ['http/1.1'], SNICallback: (sni, callback) => {
    callback(null, contexts.get(sni) ?? contexts.get(`wildcard.${sni.split('.').slice(1).join('.')}`) ?? contexts.get(names[0]))
  }}, (socket) => answer(socket, key, 'http/1.1'))
  return listen(server, key)
}
