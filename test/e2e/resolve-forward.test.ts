/**
 * `gwctl resolve` shows the request as forwarded (issue 11 §2): method,
 * Host (URLRewrite hostname), rewritten path with the query string, the
 * headers after the filters (HTTPHeaderFilter: set, add, remove,
 * case-insensitive), response header operations and mirrors, per backend
 * when it has filters of its own (HTTPBackendRef.Filters); an ExtensionRef
 * gwctl cannot carry out answers 500 (HTTPRouteFilter.Type, SEMANTICS.md
 * §4.6). Additive JSON fields; built CLI (`npm run build` first).
 */
import {strict as assert} from 'node:assert'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runGwctl} from '../support/run-cli.js'
import {FORWARD_MANIFESTS} from './forward-manifests.js'

interface Forwarded {
  method: string
  host?: string
  path: string
  headers: Array<{name: string; value: string}>
}

interface Answer {
  matched: boolean
  status?: number
  backends: Array<{name: string; request?: Forwarded; responseHeaders?: unknown}>
  request?: Forwarded
  responseHeaders?: {set: Array<{name: string; value: string}>; add: Array<{name: string; value: string}>; remove: string[]}
  mirrors?: Array<{name: string; port: number; percent: number; request: Forwarded}>
}

const headerMap = (request: Forwarded | undefined) => Object.fromEntries((request?.headers ?? []).map(({name, value}) => [name.toLowerCase(), value]))

describe('e2e: gwctl resolve shows the forwarded request', function () {
  this.timeout(60_000)
  let dir: string
  const resolve = async (path: string, extra: string[] = []) => runGwctl(['resolve', dir, '--host', 'shop.example.com', '--path', path, ...extra])
  const resolveJson = async (path: string, extra: string[] = []) => {
    const result = await resolve(path, [...extra, '-o', 'json'])
    assert.equal(result.stderr, '')
    return {exitCode: result.exitCode, answer: JSON.parse(result.stdout) as Answer}
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-resolve-forward-'))
    writeFileSync(join(dir, 'shop.yaml'), FORWARD_MANIFESTS)
  })
  after(() => rmSync(dir, {recursive: true}))

  it('json: the rewritten path and Host, headers after set/add/remove, response operations, the mirror with the request before the rewrite', async () => {
    const {exitCode, answer} = await resolveJson('/api/items?x=1', ['--header', 'X-Debug: 1', '--header', 'x-trace: client'])
    assert.equal(exitCode, 0)
    assert.deepEqual({method: answer.request?.method, host: answer.request?.host, path: answer.request?.path},
      {method: 'GET', host: 'internal.example.com', path: '/v2/items?x=1'})
    assert.deepEqual(headerMap(answer.request), {'x-trace': 'client,gw', 'x-env': 'prod'}, 'X-Debug removed (case-insensitive), X-Trace appended to, X-Env set')
    assert.deepEqual(answer.responseHeaders, {set: [{name: 'Cache-Control', value: 'no-store'}], add: [{name: 'X-Served', value: 'gw'}], remove: []})
    assert.deepEqual(answer.mirrors?.map((mirror) => ({name: mirror.name, percent: mirror.percent, host: mirror.request.host, path: mirror.request.path, headers: headerMap(mirror.request)})),
      [{name: 'shadow', percent: 100, host: 'shop.example.com', path: '/api/items?x=1', headers: {'x-trace': 'client,gw', 'x-env': 'prod'}}],
      'the mirror comes after the header modifier and before the URLRewrite (filters act in the order written)')
    assert.equal(answer.backends[0].request, undefined, 'a backend without filters of its own carries no separate request')
  })

  it('json: a backend with its own filters carries the request it receives', async () => {
    const {answer} = await resolveJson('/canary/x')
    assert.deepEqual({path: answer.request?.path, headers: headerMap(answer.request)}, {path: '/canary/x', headers: {'x-trace': 'gw'}})
    const [canary] = answer.backends
    assert.deepEqual({path: canary.request?.path, host: canary.request?.host, headers: headerMap(canary.request)},
      {path: '/landing', host: 'shop.example.com', headers: {'x-trace': 'gw,canary', 'x-env': 'canary'}})
  })

  it('json: a mirror with percent 0 is listed with its share', async () => {
    const {answer} = await resolveJson('/never')
    assert.deepEqual(answer.mirrors?.map((mirror) => `${mirror.name}:${mirror.port} ${mirror.percent}%`), ['shadow:80 0%'])
  })

  it('an ExtensionRef filter gwctl cannot carry out: 500, nothing forwarded, exit 1', async () => {
    const {exitCode, answer} = await resolveJson('/ext')
    assert.deepEqual({exitCode, matched: answer.matched, status: answer.status, request: answer.request}, {exitCode: 1, matched: false, status: 500, request: undefined})
  })

  it('text: the forwarded request, response operations, mirror and the backend\'s own request', async () => {
    const api = await resolve('/api/items?x=1', ['--header', 'X-Debug: 1'])
    assert.equal(api.exitCode, 0)
    const lines = api.stdout.split('\n')
    assert.ok(lines.includes('  request forwarded: GET internal.example.com /v2/items?x=1 [X-Env: prod, X-Trace: gw]'), api.stdout)
    assert.ok(lines.includes('  response headers: set Cache-Control: no-store; add X-Served: gw'), api.stdout)
    assert.ok(lines.includes('  mirror Service default/shadow:80 (100% of requests): GET shop.example.com /api/items?x=1 [X-Env: prod, X-Trace: gw]'), api.stdout)
    const canary = await resolve('/canary/x')
    assert.ok(canary.stdout.split('\n').includes('  default/canary:80 request forwarded: GET shop.example.com /landing [X-Env: canary, X-Trace: gw,canary]'), canary.stdout)
    assert.ok(!canary.stdout.includes('  request forwarded: GET shop.example.com /canary/x'), 'the rule-level request is not shown when its only backend has filters of its own')
  })
})
