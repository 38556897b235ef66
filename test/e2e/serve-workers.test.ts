/**
 * `gwctl serve --workers N`: one ready report listing the worker PIDs once
 * all listen, connections served by every worker (their PIDs in the access
 * log), --watch reloads reaching every worker (a broken change reaching
 * none), a killed worker logged and replaced, SIGTERM draining all of them,
 * and bad values of the flag refused with one line and exit 2.
 */
import assert from 'node:assert/strict'
import {closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer, type AddressInfo} from 'node:net'
import {connect} from 'node:tls'
import {execa} from 'execa'
import {analyzeManifests} from '../../src/pipeline/analyze.js'
import {eventually, killLeftoverServes, ROOT, RUN, startBackend, startServe, type Backend} from './serve-harness.js'

const PASSTHROUGH = join(ROOT, 'fixtures/scenarios/passthrough')

/** One HTTPS request over a new connection through the passthrough listener: the status code, or 0. */
function fetchStatus(port: number, sni: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port, servername: sni, rejectUnauthorized: false})
    let text = ''
    socket.setEncoding('latin1')
    socket.on('secureConnect', () => socket.write(`GET / HTTP/1.1\r\nHost: ${sni}\r\nConnection: close\r\n\r\n`))
    socket.on('data', (chunk: string) => {
      text += chunk
    })
    socket.on('error', () => resolve(0))
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)))
  })
}

/** The PIDs of the workers that logged an access line for `sni` since `from` (index into the lines). */
function servingPids(lines: readonly string[], sni: string, from = 0): Set<number> {
  const pids = new Set<number>()
  for (const line of lines.slice(from)) {
    if (!line.startsWith('{"event":"access"')) continue
    const entry = JSON.parse(line) as {worker?: number; sni?: string; outcome: string}
    if (entry.sni === sni && entry.outcome === 'ok' && entry.worker !== undefined) pids.add(entry.worker)
  }
  return pids
}

/** Batches of concurrent connections until every worker has served one (each accepts on the shared socket by itself). */
async function fetchUntilEveryWorkerServed(lines: string[], port: number, sni: string, workers: readonly number[]): Promise<void> {
  const from = lines.length
  for (let batch = 0; batch < 20; batch++) {
    const statuses = await Promise.all(Array.from({length: 24}, () => fetchStatus(port, sni)))
    assert.deepEqual(new Set(statuses), new Set([200]), `every connection for ${sni} answered 200`)
    try {
      await eventually(() => servingPids(lines, sni, from).size === workers.length, 2000, 'access lines')
      break
    } catch {
      // Not yet: one worker took every connection of this batch.
    }
  }
  assert.deepEqual([...servingPids(lines, sni, from)].sort(), [...workers].sort(), `every worker served ${sni}`)
}

/** As fetchUntilEveryWorkerServed, reading the lines anew each time (a log file). */
async function fetchUntilEveryWorkerServedIn(lines: () => string[], port: number, workers: readonly number[]): Promise<void> {
  for (let batch = 0; batch < 20 && servingPids(lines(), 'app.example.com').size < workers.length; batch++) {
    const statuses = await Promise.all(Array.from({length: 24}, () => fetchStatus(port, 'app.example.com')))
    assert.deepEqual(new Set(statuses), new Set([200]))
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  assert.deepEqual([...servingPids(lines(), 'app.example.com')].sort(), [...workers].sort(), 'every worker served')
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('e2e: gwctl serve --workers', function () {
  this.timeout(120_000)
  after(killLeftoverServes)
  const started: Backend[] = []
  after(() => {
    for (const backend of started) backend.server.close()
  })

  it('bad values of --workers: one line, exit 2', async () => {
    for (const value of ['0', 'x', '-1', '1.5', '999']) {
      const result = await execa('node', [RUN, 'serve', PASSTHROUGH, '--port-map', '443=0', '--workers', value], {reject: false})
      assert.equal(result.exitCode, 2, value)
      assert.equal(String(result.stderr).trim().split('\n').length, 1, value)
      assert.match(String(result.stderr), /--workers .*expected a whole number from 1 to 256, or auto/, value)
    }
    const stdin = await execa('node', [RUN, 'serve', '-', '--workers', '2'], {reject: false, input: readFileSync(join(PASSTHROUGH, 'gateway.yaml'))})
    assert.deepEqual([stdin.exitCode, String(stdin.stderr).trim().split('\n').length], [2, 1])
    assert.match(String(stdin.stderr), /--workers 2 cannot share stdin/)
  })

  it('what one process must hold is refused with workers: UDP listeners and stub backends, one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-workers-udp-'))
    try {
      writeFileSync(join(dir, 'udp.yaml'), [
        'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: local}\nspec: {controllerName: example.com/gwctl}\n',
        'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: dns, namespace: default}\nspec:\n  gatewayClassName: local\n  listeners:\n  - {name: dns, protocol: UDP, port: 53}\n',
        'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: UDPRoute\nmetadata: {name: dns, namespace: default}\nspec:\n  parentRefs: [{name: dns}]\n  rules: [{backendRefs: [{name: coredns, port: 53}]}]\n',
        'apiVersion: v1\nkind: Service\nmetadata: {name: coredns, namespace: default}\nspec: {ports: [{port: 53, protocol: UDP}]}\n',
      ].join('---\n'))
      const udp = await execa('node', [RUN, 'serve', dir, '--port-map', '53=0', '--workers', '2'], {reject: false, timeout: 30_000})
      assert.deepEqual([udp.exitCode, String(udp.stderr).trim().split('\n').length], [2, 1], String(udp.stderr))
      assert.match(String(udp.stderr), /--workers: UDP listener port 53 can only be served by one process/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
    const stubs = await execa('node', [RUN, 'serve', PASSTHROUGH, '--port-map', '443=0', '--workers', '2', '--stub-backends'], {reject: false, timeout: 30_000})
    assert.deepEqual([stubs.exitCode, String(stubs.stderr).trim().split('\n').length], [2, 1], String(stubs.stderr))
    assert.match(String(stubs.stderr), /--workers with --stub-backends: stub backends are for smoke tests and run in one process/)
  })

  it('2 workers, a local port already taken: one line naming it, exit 2', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    try {
      const port = (taken.address() as AddressInfo).port
      const result = await execa('node', [RUN, 'serve', PASSTHROUGH, '--port-map', `443=${port}`, '--workers', '2'], {reject: false, timeout: 30_000})
      assert.equal(result.exitCode, 2)
      assert.equal(String(result.stderr).trim(), `gwctl: cannot listen on 127.0.0.1:${port} for listener port 443 of Gateway passthrough/tls-passthrough: EADDRINUSE (choose other local ports with --port-map or --port-offset)`)
    } finally {
      taken.close()
    }
  })

  it('2 workers: one ready report with their PIDs, both serve, --watch reaches both, a killed worker is replaced, SIGTERM stops all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-workers-'))
    try {
      cpSync(PASSTHROUGH, dir, {recursive: true})
      const {binding} = await analyzeManifests([PASSTHROUGH])
      const ref = binding.routes[0].rules[0].backends[0].ref
      const key = `${ref.namespace}/${ref.name}:${ref.port}`
      const backend = await startBackend(key, join(PASSTHROUGH, 'backend-tls'))
      started.push(backend)
      const readyFile = join(dir, 'ready.json')
      const serve = await startServe([join(dir, 'gateway.yaml'), join(dir, 'tlsroute.yaml'), join(dir, 'app.yaml'), '--port-map', '443=0', '--workers', '2',
        '--watch', '--log-format', 'json', '--ready-file', readyFile, '--backend', `${key}=127.0.0.1:${backend.port}`])
      const ready = JSON.parse(serve.lines.find((line) => line.startsWith('{"event":"ready"'))!) as {pid: number; workers: number[]}
      assert.equal(serve.lines.filter((line) => line.startsWith('{"event":"ready"')).length, 1, 'one ready report')
      assert.equal(ready.pid, serve.process.pid)
      assert.equal(ready.workers.length, 2)
      assert.ok(!ready.workers.includes(ready.pid))
      assert.deepEqual(JSON.parse(readFileSync(readyFile, 'utf8')).workers, ready.workers)
      const port = serve.localPort(443)
      await fetchUntilEveryWorkerServed(serve.lines, port, 'app.example.com', ready.workers)

      const route = readFileSync(join(dir, 'tlsroute.yaml'), 'utf8')
      writeFileSync(join(dir, 'tlsroute.yaml'), `${route}\n  - this: is: not yaml\n`)
      const rejected = await serve.waitForLine((line) => line.includes('"event":"reload-rejected"'), 20_000)
      assert.match(rejected, /tlsroute\.yaml:\d+/)
      await fetchUntilEveryWorkerServed(serve.lines, port, 'app.example.com', ready.workers)

      writeFileSync(join(dir, 'tlsroute.yaml'), route.replace('- app.example.com', '- app.example.com\n  - www.example.com'))
      const reloaded = await serve.waitForLine((line) => line.includes('"event":"reload"'), 20_000)
      assert.match(reloaded, /configuration reloaded in 2 workers/)
      await fetchUntilEveryWorkerServed(serve.lines, port, 'www.example.com', ready.workers)

      const [victim, survivor] = ready.workers
      process.kill(victim, 'SIGKILL')
      const exitedLine = await serve.waitForLine((line) => line.includes('"event":"worker-exited"'))
      assert.match(exitedLine, new RegExp(`worker ${victim} exited \\(SIGKILL\\)`))
      const replacedLine = await serve.waitForLine((line) => line.includes('"event":"worker-ready"'), 20_000)
      const replacement = Number(/worker (\d+) is serving/.exec(replacedLine)?.[1])
      assert.ok(replacement > 0 && replacement !== victim)
      await eventually(() => {
        const workers = (JSON.parse(readFileSync(readyFile, 'utf8')) as {workers: number[]}).workers
        return workers.includes(replacement) && workers.includes(survivor) && workers.length === 2
      }, 10_000, 'the ready file listing the replacement')
      await fetchUntilEveryWorkerServed(serve.lines, port, 'www.example.com', [survivor, replacement])

      const result = await serve.stop()
      assert.equal(result.exitCode, 0, result.stderr)
      assert.equal(serve.lines.filter((line) => line.includes('"event":"stopped"')).length, 1, 'one stopped line for the pool')
      assert.ok(!isAlive(survivor) && !isAlive(replacement), 'no worker outlives the primary')
      for (const line of serve.lines) assert.doesNotThrow(() => JSON.parse(line), `a whole JSON line: ${line}`)
    } finally {
      rmSync(dir, {recursive: true})
    }
  })

  it('2 workers logging into a regular file write it directly: whole lines from both workers', async () => {
    const {binding} = await analyzeManifests([PASSTHROUGH])
    const ref = binding.routes[0].rules[0].backends[0].ref
    const key = `${ref.namespace}/${ref.name}:${ref.port}`
    const backend = await startBackend(key, join(PASSTHROUGH, 'backend-tls'))
    started.push(backend)
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-workers-log-'))
    try {
      const logFile = join(dir, 'serve.log')
      const readyFile = join(dir, 'ready.json')
      const output = openSync(logFile, 'w')
      const child = execa('node', [RUN, 'serve', PASSTHROUGH, '--port-map', '443=0', '--workers', '2', '--log-format', 'json', '--json', '--ready-file', readyFile,
        '--backend', `${key}=127.0.0.1:${backend.port}`], {reject: false, stdin: 'ignore', stdout: output, env: {GWCTL_SERVE_FATAL_INTERNAL_ERRORS: '1'}})
      closeSync(output)
      await eventually(() => existsSync(readyFile), 30_000, 'the ready file')
      const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as {workers: number[]; listeners: Array<{address: string}>}
      const port = Number(ready.listeners[0].address.split(':').at(-1))
      const lines = () => readFileSync(logFile, 'utf8').split('\n').filter((line) => line !== '')
      await fetchUntilEveryWorkerServedIn(lines, port, ready.workers)
      child.kill('SIGTERM')
      assert.equal((await child).exitCode, 0)
      const written = lines()
      for (const line of written) assert.doesNotThrow(() => JSON.parse(line), `a whole JSON line: ${line}`)
      assert.equal(written.filter((line) => line.includes('"event":"stopped"')).length, 1)
    } finally {
      rmSync(dir, {recursive: true})
    }
  })

  it('2 workers, SIGTERM with a connection that never closes: every worker is gone by the drain timeout + 1 s', async () => {
    const {binding} = await analyzeManifests([PASSTHROUGH])
    const ref = binding.routes[0].rules[0].backends[0].ref
    const key = `${ref.namespace}/${ref.name}:${ref.port}`
    const backend = await startBackend(key, join(PASSTHROUGH, 'backend-tls'))
    started.push(backend)
    const serve = await startServe([PASSTHROUGH, '--port-map', '443=0', '--workers', '2', '--drain-timeout', '1s', '--log-format', 'json', '--backend', `${key}=127.0.0.1:${backend.port}`])
    const {workers} = JSON.parse(serve.lines.find((line) => line.startsWith('{"event":"ready"'))!) as {workers: number[]}
    const held = connect({host: '127.0.0.1', port: serve.localPort(443), servername: 'app.example.com', rejectUnauthorized: false})
    held.on('error', () => {})
    await new Promise((resolve) => held.once('secureConnect', resolve))
    const result = await serve.stop()
    held.destroy()
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(String(result.stdout), /"event":"stopped".*1 closed at the drain timeout/)
    assert.ok(workers.every((pid) => !isAlive(pid)), 'no worker outlives the primary')
  })
})
