/**
 * The answers of a stub backend (the shared stub contract of the brief):
 * - HTTP/1.x, h2, h2c: status 200, `x-gwctl-backend: NS/NAME:PORT`,
 *   `content-type: application/json`, body
 *   `{"backend","protocol","request":{"method","path","headers","tls"}}`
 *   (`tls` = `{sni, alpn}` when the stub terminated TLS itself, else null;
 *   HEAD: no body), sent once the request body has been read;
 * - gRPC (HTTP/2, content-type application/grpc*, any service and method):
 *   initial metadata `x-gwctl-backend`, every request message sent back
 *   unchanged as it arrives, trailers `grpc-status: 0`;
 * - TCP: `gwctl-stub-backend NS/NAME:PORT\n`, then every byte echoed;
 * - UDP: each datagram answered with that line followed by its payload.
 */
import type {IncomingHttpHeaders, IncomingMessage, ServerResponse} from 'node:http'
import type {Http2ServerRequest, Http2ServerResponse} from 'node:http2'
import type {Socket} from 'node:net'
import type {Duplex} from 'node:stream'
import type {TLSSocket} from 'node:tls'

export const BACKEND_HEADER = 'x-gwctl-backend'

export interface EchoBody {
  backend: string
  protocol: string
  request: {
    method: string
    path: string
    headers: IncomingHttpHeaders
    tls: {sni: string | null; alpn: string | null} | null
  }
}

/** The banner line of the TCP and UDP stubs. */
export function formatBanner(key: string): Buffer {
  return Buffer.from(`gwctl-stub-backend ${key}\n`, 'utf8')
}

/** One HTTP request (HTTP/1.x or HTTP/2 compatibility API) answered with the echo body, or as gRPC. */
export function answerHttp(key: string, req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void {
  const socket = req.socket as Socket & Partial<TLSSocket>
  const http2 = req.httpVersionMajor === 2
  if (http2 && String(req.headers['content-type'] ?? '').startsWith('application/grpc')) {
    answerGrpc(key, req as Http2ServerRequest, res as Http2ServerResponse)
    return
  }
  const encrypted = socket.encrypted === true
  const body: EchoBody = {
    backend: key,
    protocol: http2 ? (encrypted ? 'h2' : 'h2c') : `http/${req.httpVersion}`,
    request: {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      tls: encrypted ? {sni: typeof socket.servername === 'string' ? socket.servername : null, alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null} : null,
    },
  }
  req.resume()
  req.once('end', () => {
    const response = res as ServerResponse
    if (response.headersSent || response.destroyed) return
    const text = Buffer.from(`${JSON.stringify(body)}\n`, 'utf8')
    response.writeHead(200, {[BACKEND_HEADER]: key, 'content-type': 'application/json', 'content-length': String(text.length)})
    if (req.method === 'HEAD') response.end()
    else response.end(text)
  })
}

function answerGrpc(key: string, req: Http2ServerRequest, res: Http2ServerResponse): void {
  res.writeHead(200, {[BACKEND_HEADER]: key, 'content-type': String(req.headers['content-type'])})
  req.on('data', (chunk: Buffer) => {
    if (!res.write(chunk)) {
      req.pause()
      res.once('drain', () => req.resume())
    }
  })
  req.once('end', () => {
    res.addTrailers({'grpc-status': '0'})
    res.end()
  })
}

/** The TCP stub on a connection whose first bytes (`first`, already read) are not HTTP. */
export function echoStream(key: string, socket: Duplex, first: Buffer, ended: boolean): void {
  if (ended) {
    socket.end(Buffer.concat([formatBanner(key), first]))
    return
  }
  socket.write(formatBanner(key))
  if (first.length > 0) socket.write(first)
  socket.pipe(socket)
}
