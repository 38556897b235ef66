/**
 * From `gwctl resolve` flags to the connections to ask the engine about:
 * which ports (--port, else every TLS/HTTPS listener port — and HTTP ports
 * when only --host is given), and on each port which transport a client
 * would use (TLS with the SNI, plaintext HTTP with the Host, or bare TCP/UDP).
 */
import type {ConnectionQuery, RoutingTable, Transport} from '../gatewayapi/decide.js'
import {parseRequestTarget, type HttpRequest} from '../gatewayapi/http-match.js'

export interface ResolveRequest {
  /** undefined: not given; '': a client that sends no SNI. */
  sni?: string
  port?: number
  gateway?: {namespace: string; name: string}
  host?: string
  /** Request target, `/path?query`. */
  path?: string
  method?: string
  headers: Array<[string, string]>
}

const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS'])
const HTTP_PROTOCOLS = new Set(['HTTP'])

function buildHttpRequest(request: ResolveRequest): HttpRequest {
  const target = parseRequestTarget(request.path ?? '/')
  const headers = request.headers.map(([name, value]): [string, string] => [name.toLowerCase(), value])
  const host = request.host ?? request.sni
  if (host !== undefined && host !== '' && !headers.some(([name]) => name === 'host')) headers.unshift(['host', host])
  return {method: (request.method ?? 'GET').toUpperCase(), path: target.path, query: target.query, headers}
}

/** Transports that listeners on `port` take, in the order answers are printed. */
function transportsOn(table: RoutingTable, port: number, gateway: ResolveRequest['gateway']): Transport[] {
  const transports: Transport[] = []
  const has = (protocols: ReadonlySet<string>) => table.ports(protocols, gateway).includes(port)
  if (has(TLS_PROTOCOLS)) transports.push('tls')
  if (has(HTTP_PROTOCOLS)) transports.push('http')
  if (has(new Set(['TCP']))) transports.push('tcp')
  if (has(new Set(['UDP']))) transports.push('udp')
  return transports
}

export function buildQueries(table: RoutingTable, request: ResolveRequest): ConnectionQuery[] {
  const ports = request.port === undefined
    ? table.ports(request.sni === undefined && request.host !== undefined ? new Set([...TLS_PROTOCOLS, ...HTTP_PROTOCOLS]) : TLS_PROTOCOLS, request.gateway)
    : [request.port]
  const httpRequest = buildHttpRequest(request)
  const asksHttp = request.host !== undefined || request.path !== undefined || request.method !== undefined || request.headers.length > 0
  const queries: ConnectionQuery[] = []
  for (const port of ports) {
    for (const transport of transportsOn(table, port, request.gateway)) {
      const query: ConnectionQuery = {port, transport, gateway: request.gateway}
      if (transport === 'tls') {
        query.sni = request.sni ?? request.host ?? ''
        if (request.host !== undefined) query.host = request.host
        if (asksHttp) query.request = httpRequest
      } else if (transport === 'http') {
        query.host = request.host ?? request.sni ?? ''
        query.request = httpRequest
      }
      queries.push(query)
    }
  }
  return queries
}
