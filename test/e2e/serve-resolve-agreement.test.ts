/**
 * resolve and serve never disagree: for every scenario, walk
 * `gwctl resolve --table`, and for each (port, hostname, path) in it ask
 * `gwctl resolve` for the decision and send the same connection or request
 * through `gwctl serve` with curl or openssl s_client; the backend that
 * answers (or the gateway's own status, or the refusal) is what resolve said.
 * Rows whose hostname is `*` on a TLS listener (no hostname to send) and
 * rows matching on regular expressions, headers or query parameters are
 * covered by the scenario smoke tests instead.
 */
import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {findAnsweringBackend, killLeftoverServes, ROOT, RUN, runCurl, runSClient, serveScenario, type ServedScenario} from './serve-harness.js'

interface TableRow {
  port: number
  protocol: string
  mode?: string
  hostname: string
  match?: {pathType: string; path: string; headers: unknown[]; queryParams: unknown[]}
}

interface Resolved {
  matched: boolean
  status?: number
  backends: Array<{namespace: string; name: string; port: number; weight: number}>
}

interface Probe {
  port: number
  protocol: string
  mode?: string
  /** SNI or Host; undefined for TCP. */
  hostname?: string
  path?: string
}

const SCENARIOS = join(ROOT, 'fixtures/scenarios')

async function runResolve(dir: string, args: string[]): Promise<unknown> {
  const result = await execa('node', [RUN, 'resolve', dir, '-o', 'json', ...args], {reject: false})
  assert.ok(result.exitCode === 0 || result.exitCode === 1, `resolve ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`)
  return JSON.parse(String(result.stdout))
}

/** A concrete name for a table hostname: `*.example.com` → `probe-gwctl.example.com`. */
function concreteHost(hostname: string): string {
  return hostname.startsWith('*.') ? `probe-gwctl.${hostname.slice(2)}` : hostname
}

function probesOf(rows: TableRow[]): Probe[] {
  const probes = new Map<string, Probe>()
  for (const row of rows) {
    const http = row.protocol === 'HTTP' || row.protocol === 'HTTPS'
    if (row.protocol === 'UDP') continue
    if (row.hostname === '*' && (row.protocol === 'TLS' || row.protocol === 'HTTPS')) continue
    if (row.match !== undefined && (row.match.pathType === 'RegularExpression' || row.match.headers.length > 0 || row.match.queryParams.length > 0)) continue
    const probe: Probe = {port: row.port, protocol: row.protocol, mode: row.mode,
      hostname: row.protocol === 'TCP' ? undefined : row.hostname === '*' ? 'probe-gwctl.example.test' : concreteHost(row.hostname),
      path: http ? row.match?.path ?? '/' : undefined}
    probes.set(JSON.stringify(probe), probe)
  }
  return [...probes.values()]
}

async function resolveProbe(dir: string, probe: Probe): Promise<Resolved> {
  const args = ['--port', String(probe.port)]
  if (probe.protocol === 'TLS' || probe.protocol === 'HTTPS') args.push('--sni', probe.hostname!)
  if (probe.protocol === 'HTTP') args.push('--host', probe.hostname!)
  if (probe.path !== undefined) args.push('--path', probe.path)
  const answer = await runResolve(dir, args)
  return (Array.isArray(answer) ? answer[0] : answer) as Resolved
}

/** What serve does with the probe: the answering backend, or the status the gateway answered, or nothing (refused). */
async function sendProbe(served: ServedScenario, probe: Probe): Promise<{backend?: string; status?: number}> {
  const local = served.serve.localPort(probe.port)
  const host = probe.hostname
  if (probe.protocol === 'TCP') {
    const result = await runCurl(`http://127.0.0.1:${local}/`)
    return {backend: findAnsweringBackend(result.body), status: result.status || undefined}
  }
  if (probe.protocol === 'TLS' && probe.mode === 'Terminate') {
    const answer = await runSClient(local, host!, 'GET / HTTP/1.0\r\n\r\n', ['-quiet', '-ign_eof'])
    return {backend: findAnsweringBackend(answer.output)}
  }
  const scheme = probe.protocol === 'HTTP' ? 'http' : 'https'
  const result = await runCurl(`${scheme}://${host}:${local}${probe.path ?? '/'}`, ['-k', '--resolve', `${host}:${local}:127.0.0.1`])
  return {backend: findAnsweringBackend(result.body), status: result.status || undefined}
}

const scenarios = readdirSync(SCENARIOS).sort()

describe('e2e: for every row of resolve --table, serve answers as resolve decides', function () {
  this.timeout(120_000)
  after(killLeftoverServes)
  for (const scenario of scenarios) {
    it(scenario, async () => {
      const dir = join(SCENARIOS, scenario)
      const probes = probesOf(await runResolve(dir, ['--table']) as TableRow[])
      assert.ok(probes.length > 0, 'the table has rows to walk')
      const served = await serveScenario(dir, {issueSecrets: true})
      try {
        for (const probe of probes) {
          const resolved = await resolveProbe(dir, probe)
          const answer = await sendProbe(served, probe)
          const what = `${probe.protocol} :${probe.port} ${probe.hostname ?? ''}${probe.path ?? ''}`
          if (resolved.status !== undefined) {
            assert.equal(answer.status, resolved.status, `${what}: resolve says ${resolved.status}`)
          } else if (resolved.matched) {
            const expected = resolved.backends.filter((backend) => backend.weight > 0).map((backend) => `${backend.namespace}/${backend.name}:${backend.port}`)
            assert.ok(answer.backend !== undefined && expected.includes(answer.backend), `${what}: resolve says ${expected.join(' or ')}, serve answered with ${answer.backend ?? `status ${answer.status ?? 'none'}`}`)
          } else {
            assert.equal(answer.backend, undefined, `${what}: resolve says no match, serve reached ${answer.backend}`)
          }
        }
      } finally {
        assert.equal((await served.stop()).exitCode, 0)
      }
    })
  }
})
