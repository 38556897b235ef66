/**
 * `npm run bench:serve`: gwctl serve side by side with nginx on loopback.
 *
 * One TLS origin (nginx, 1 worker, TLS session tickets and cache off so that
 * every new connection is a full handshake) serves `ok` and a 16 MiB body.
 * Passthrough: wrk → the origin directly (the limit), → nginx `stream` with
 * `ssl_preread`, → gwctl serve (TLS Passthrough + TLSRoute). Termination:
 * wrk → nginx HTTPS `proxy_pass` (keep-alive upstream), → gwctl serve (HTTPS
 * Terminate + HTTPRoute), both to the origin's plain HTTP port. Each proxy
 * gets one worker/process and writes an access log. Measured with wrk:
 * keep-alive requests/s with p50/p99 latency, new TLS connections/s
 * (`Connection: close`; no resumption), 16 MiB bulk MiB/s; and the proxy's
 * CPU time (/proc utime+stime) per keep-alive request and per new
 * connection. Ratios are to nginx. A bare Node proxy
 * (bench/bare-node-proxy.mjs: the same two paths with no routing, limits or
 * log) shows the floor of Node itself on both paths. Then the same with two workers each:
 * nginx `worker_processes 2` against `gwctl serve --workers 2` (CPU of the
 * primary and both workers), driven by wrk -t2. HTTP/2 keep-alive: h2load
 * (H2_CLIENTS connections × H2_STREAMS concurrent streams, as many requests
 * in flight as wrk's 32 connections) over TLS with ALPN h2 → nginx
 * `ssl http2` proxy_pass, → the bare Node proxy's HTTP/2 server, → gwctl
 * serve's HTTPS listener; over h2c (prior knowledge) → nginx `http2`
 * without TLS, → gwctl serve's HTTP listener; all to the same origin HTTP/1.1
 * port, one worker each, then h2 with two workers each (h2load -t2). p50/p99
 * come from h2load's per-request log.
 *
 * Needs nginx with the stream module and wrk (Debian: apt-get install -y
 * nginx libnginx-mod-stream wrk) and openssl; says what is missing otherwise.
 * The HTTP/2 phase needs h2load (apt-get install -y nghttp2-client): without
 * it the phase is skipped with that message and the rest runs.
 * BENCH_SECONDS (default 5) sets each run's length and BENCH_ROUNDS (default
 * 3) the number of rounds: every target is measured once per round, in turn,
 * and the median of the rounds is reported (loopback figures on a shared
 * machine drift; interleaving keeps the ratios fair). BENCH_ONLY=a,b runs
 * only those targets (direct, nginxStream, nodeStream, gwctlPassthrough,
 * nginxHttps, nodeHttps, gwctlTerminate, nginxStream2, gwctlPassthrough2, nginxHttps2,
 * gwctlTerminate2, nginxH2, nodeH2, gwctlH2, nginxH2c, gwctlH2c, nginxH2x2, gwctlH2x2)
 * and BENCH_PHASES=a,b only those measurements (keep-alive,
 * new, bulk), e.g. to profile one of them. BENCH_PROFILE=1 runs gwctl under `node --cpu-prof` and
 * prints the hottest functions of each of its processes (self time, share
 * of the time not idle); BENCH_KEEP=1 keeps the working directory (logs,
 * profiles) and prints where it is; BENCH_SERVE_ARGS adds arguments to
 * both gwctl serve command lines (e.g. "--idle-timeout 0").
 */
import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {chmodSync, existsSync, openSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type AddressInfo} from 'node:net'
import {availableParallelism, tmpdir} from 'node:os'
import {join} from 'node:path'

const ROOT = new URL('../', import.meta.url).pathname
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const PROFILE = process.env.BENCH_PROFILE === '1'
const PHASES = new Set((process.env.BENCH_PHASES ?? 'keep-alive,new,bulk').split(',').map((name) => name.trim()))
const SKIPPED: WrkResult = {requestsPerSecond: Number.NaN, requests: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN, mibPerSecond: Number.NaN, errors: 0}
const ONLY = process.env.BENCH_ONLY === undefined ? undefined : new Set(process.env.BENCH_ONLY.split(',').map((name) => name.trim()))
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so'
const CLOCK_TICKS = 100
/** HTTP/2 load: connections × concurrent streams on each (32 requests in flight, as wrk -c32 over HTTP/1.1). */
const H2_CLIENTS = 4
const H2_STREAMS = 8
const H2LOAD_MISSING = 'HTTP/2 phase skipped: h2load is missing (apt-get install -y nghttp2-client)'

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

function findMissing(): string[] {
  const missing: string[] = []
  if (!has('nginx')) missing.push('nginx (apt-get install -y nginx)')
  if (!existsSync(STREAM_MODULE)) missing.push(`the nginx stream module at ${STREAM_MODULE} (apt-get install -y libnginx-mod-stream)`)
  if (!has('wrk')) missing.push('wrk (apt-get install -y wrk)')
  if (!has('openssl')) missing.push('openssl (apt-get install -y openssl)')
  if (!existsSync(join(ROOT, 'dist/commands/serve.js'))) missing.push('the built CLI (npm run build)')
  return missing
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function makeCertificates(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'})
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=bench CA', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.crt')
  for (const name of ['origin', 'gateway']) {
    run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/O=${name}/CN=localhost`, '-keyout', `${name}.key`, '-out', `${name}.csr`)
    writeFileSync(join(dir, `${name}.ext`), 'subjectAltName=DNS:localhost\n')
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`)
  }
}

const NGINX_COMMON = (dir: string, name: string, workers = 1) => `worker_processes ${workers};
pid ${dir}/${name}.pid;
error_log ${dir}/${name}-error.log warn;
events { worker_connections 8192; }
`

const TLS_NO_RESUMPTION = 'ssl_session_tickets off; ssl_session_cache off;'

/** How this nginx turns HTTP/2 on: `http2 on;` from 1.25.1, the `listen … http2` parameter before (`nginx -v` prints on stderr). */
function findNginxHttp2Syntax(): {listen: string; directive: string} {
  const version = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(spawnSync('nginx', ['-v'], {encoding: 'utf8'}).stderr ?? '')
  const [major, minor, patch] = version === null ? [0, 0, 0] : version.slice(1).map(Number)
  const modern = major > 1 || (major === 1 && (minor > 25 || (minor === 25 && patch >= 1)))
  return modern ? {listen: '', directive: 'http2 on;'} : {listen: ' http2', directive: ''}
}

function originConfig(dir: string, tlsPort: number, httpPort: number): string {
  const locations = `keepalive_requests 10000000; location = / { return 200 "ok\\n"; } location = /bulk { alias ${dir}/bulk.bin; }`
  return `${NGINX_COMMON(dir, 'origin')}
http {
  access_log off;
  default_type text/plain;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server { listen 127.0.0.1:${tlsPort} ssl; ssl_certificate ${dir}/origin.crt; ssl_certificate_key ${dir}/origin.key; ${TLS_NO_RESUMPTION} ${locations} }
  server { listen 127.0.0.1:${httpPort}; ${locations} }
}
`
}

function proxyConfig(dir: string, name: string, workers: number, ports: {stream: number; https: number; h2: number; h2c: number; originTls: number; originHttp: number}): string {
  const http2 = findNginxHttp2Syntax()
  const tls = `ssl_certificate ${dir}/gateway.crt; ssl_certificate_key ${dir}/gateway.key; ${TLS_NO_RESUMPTION}`
  const proxied = `keepalive_requests 10000000;
    location / {
      proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
    }`
  return `load_module ${STREAM_MODULE};
${NGINX_COMMON(dir, name, workers)}
stream {
  log_format basic '$time_iso8601 $remote_addr $ssl_preread_server_name $upstream_addr $bytes_received $bytes_sent $session_time';
  access_log ${dir}/${name}-stream-access.log basic buffer=64k;
  map $ssl_preread_server_name $backend { localhost 127.0.0.1:${ports.originTls}; default 127.0.0.1:1; }
  server { listen 127.0.0.1:${ports.stream} backlog=4096; ssl_preread on; proxy_pass $backend; }
}
http {
  access_log ${dir}/${name}-http-access.log combined buffer=64k;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream origin { server 127.0.0.1:${ports.originHttp}; keepalive 64; }
  server { listen 127.0.0.1:${ports.https} ssl backlog=4096; ${tls} ${proxied} }
  server { listen 127.0.0.1:${ports.h2} ssl${http2.listen} backlog=4096; ${http2.directive} ${tls} ${proxied} }
  server { listen 127.0.0.1:${ports.h2c}${http2.listen} backlog=4096; ${http2.directive} ${proxied} }
}
`
}

function gatewayManifests(dir: string): string {
  const b64 = (file: string) => readFileSync(join(dir, file)).toString('base64')
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: bench, namespace: default}
spec:
  gatewayClassName: bench
  listeners:
  - {name: passthrough, protocol: TLS, port: 443, hostname: localhost, tls: {mode: Passthrough}}
  - {name: https, protocol: HTTPS, port: 8443, hostname: localhost, tls: {certificateRefs: [{name: gateway-tls}]}}
  - {name: http, protocol: HTTP, port: 8080, hostname: localhost}
---
apiVersion: v1
kind: Secret
metadata: {name: gateway-tls, namespace: default}
type: kubernetes.io/tls
data: {tls.crt: ${b64('gateway.crt')}, tls.key: ${b64('gateway.key')}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: origin, namespace: default}
spec:
  parentRefs: [{name: bench, sectionName: passthrough}]
  hostnames: [localhost]
  rules: [{backendRefs: [{name: origin-tls, port: 443}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: origin, namespace: default}
spec:
  parentRefs: [{name: bench, sectionName: https}, {name: bench, sectionName: http}]
  hostnames: [localhost]
  rules: [{backendRefs: [{name: origin-http, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: origin-tls, namespace: default}
spec: {ports: [{port: 443}]}
---
apiVersion: v1
kind: Service
metadata: {name: origin-http, namespace: default}
spec: {ports: [{port: 80}]}
`
}

function startNginx(dir: string, name: string, config: string): {stop: () => void; workers: () => number[]} {
  const file = join(dir, `${name}.conf`)
  writeFileSync(file, config)
  execFileSync('nginx', ['-c', file, '-p', dir, '-e', join(dir, `${name}-error.log`)], {stdio: 'inherit'})
  const master = () => Number(readFileSync(join(dir, `${name}.pid`), 'utf8'))
  return {
    stop: () => execFileSync('nginx', ['-c', file, '-p', dir, '-e', join(dir, `${name}-error.log`), '-s', 'stop'], {stdio: 'ignore'}),
    workers: () => findChildren(master()),
  }
}

/** PIDs whose parent is `parent` (nginx workers, gwctl serve workers). */
function findChildren(parent: number): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(parent)
    } catch {
      return false
    }
  })
}

async function startGateway(dir: string, originTls: number, originHttp: number, workers: number): Promise<{child: ChildProcess; ports: Map<number, number>}> {
  writeFileSync(join(dir, 'gateway.yaml'), gatewayManifests(dir))
  const readyFile = join(dir, `ready-${workers}.json`)
  const profile = PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(dir, `profile-${workers}`)] : []
  const child = spawn('node', [...profile, join(ROOT, 'bin/run.js'), 'serve', join(dir, 'gateway.yaml'), '--port-map', '443=0', '--port-map', '8443=0', '--port-map', '8080=0',
    '--backend', `default/origin-tls:443=127.0.0.1:${originTls}`, '--backend', `default/origin-http:80=127.0.0.1:${originHttp}`,
    // As nginx here (TLS_NO_RESUMPTION): every new connection is a full handshake.
    '--no-tls-session-tickets', '--ready-file', readyFile, '--log-format', 'json', '--workers', String(workers), ...(process.env.BENCH_SERVE_ARGS ?? '').split(' ').filter(Boolean)], {stdio: ['ignore', openSync(join(dir, `gwctl-${workers}.log`), 'w'), 'inherit']})
  const deadline = Date.now() + 15_000
  while (!existsSync(readyFile)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('gwctl serve did not become ready')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as {listeners: Array<{port: number; address: string}>}
  return {child, ports: new Map(ready.listeners.map((listener) => [listener.port, Number(listener.address.split(':').at(-1))]))}
}

function cpuSeconds(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / CLOCK_TICKS
}

interface WrkResult {
  requestsPerSecond: number
  requests: number
  p50Ms: number
  p99Ms: number
  mibPerSecond: number
  errors: number
}

function parseLatency(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text ?? '')
  if (match === null) return Number.NaN
  return Number(match[1]) * ({us: 0.001, ms: 1, s: 1000} as const)[match[2] as 'us' | 'ms' | 's']
}

function runWrk(url: string, connections: number, extra: string[] = [], threads = 1): WrkResult {
  const output = execFileSync('wrk', [`-t${threads}`, `-c${connections}`, `-d${SECONDS}s`, '--latency', ...extra, url], {encoding: 'utf8'})
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(output)
  const unit = {B: 1 / 1_048_576, KB: 1 / 1024, MB: 1, GB: 1024}[transfer?.[2] as 'B' | 'KB' | 'MB' | 'GB'] ?? 0
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output)
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]),
    requests: Number(/(\d+) requests in/.exec(output)?.[1]),
    p50Ms: parseLatency(/^\s+50%\s+(\S+)/m.exec(output)?.[1]),
    p99Ms: parseLatency(/^\s+99%\s+(\S+)/m.exec(output)?.[1]),
    mibPerSecond: Number(transfer?.[1] ?? 0) * unit,
    errors: (errors === null ? 0 : errors.slice(1).reduce((sum, value) => sum + Number(value), 0)) + Number(non2xx?.[1] ?? 0),
  }
}

/** Percentile (0–100) of sorted values, nearest rank. */
function percentile(sorted: readonly number[], rank: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1))]
}

/** h2load for `seconds` over HTTP/2 (TLS + ALPN h2 for https:, prior knowledge for http:); latencies from its per-request log. */
function runH2load(url: string, threads: number, seconds: number, logFile: string): WrkResult {
  const output = execFileSync('h2load', [`-t${threads}`, `-c${H2_CLIENTS}`, `-m${H2_STREAMS}`, `-D${seconds}`, `--log-file=${logFile}`, url], {encoding: 'utf8'})
  const counts = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(output)
  const statuses = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(output)
  const durations = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((line) => Number(line.split('\t')[2]) / 1000).sort((a, b) => a - b)
  rmSync(logFile, {force: true})
  const done = Number(counts?.[3])
  return {
    requestsPerSecond: Number(/finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(output)?.[1]),
    requests: done,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    mibPerSecond: Number.NaN,
    // No answer at all (nothing listening, a crashed proxy) is an error too.
    errors: counts === null || done === 0 ? 1 : done - Number(counts[4]) + Number(counts[6]) + Number(counts[7]) + Number(statuses?.[2] ?? 0) + Number(statuses?.[3] ?? 0) + Number(statuses?.[4] ?? 0),
  }
}

interface Measured {
  keepAlive: WrkResult
  cpuMicrosPerRequest?: number
  newConnections: WrkResult
  cpuMicrosPerConnection?: number
  bulk: WrkResult
}

function measure(port: number, cpuPids: () => number[], threads: number): Measured {
  const base = `https://localhost:${port}`
  runWrk(`${base}/`, 32, ['-d1s'], threads)
  const pids = cpuPids()
  const before = pids.length > 0 ? cpuSeconds(pids) : 0
  const keepAlive = PHASES.has('keep-alive') ? runWrk(`${base}/`, 32, [], threads) : SKIPPED
  const cpuMicrosPerRequest = pids.length > 0 ? ((cpuSeconds(pids) - before) / keepAlive.requests) * 1e6 : undefined
  const beforeConnections = pids.length > 0 ? cpuSeconds(pids) : 0
  const newConnections = PHASES.has('new') ? runWrk(`${base}/`, 16, ['-H', 'Connection: close'], threads) : SKIPPED
  const cpuMicrosPerConnection = pids.length > 0 ? ((cpuSeconds(pids) - beforeConnections) / newConnections.requests) * 1e6 : undefined
  const bulk = PHASES.has('bulk') ? runWrk(`${base}/bulk`, 4, [], threads) : SKIPPED
  return {keepAlive, cpuMicrosPerRequest, newConnections, cpuMicrosPerConnection, bulk}
}

/** HTTP/2 keep-alive only: h2load after a one-second warm-up, and the proxy's CPU time per request. */
function measureHttp2(url: string, cpuPids: () => number[], threads: number, dir: string): Measured {
  const logFile = join(dir, 'h2load.log')
  runH2load(url, threads, 1, logFile)
  const pids = cpuPids()
  const before = pids.length > 0 ? cpuSeconds(pids) : 0
  const keepAlive = PHASES.has('keep-alive') ? runH2load(url, threads, SECONDS, logFile) : SKIPPED
  const cpuMicrosPerRequest = pids.length > 0 ? ((cpuSeconds(pids) - before) / keepAlive.requests) * 1e6 : undefined
  return {keepAlive, cpuMicrosPerRequest, newConnections: SKIPPED, bulk: SKIPPED}
}

function median(values: number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Each figure is the median over the rounds (taken figure by figure). */
function medianOf(results: Measured[]): Measured {
  const pick = (get: (result: Measured) => WrkResult): WrkResult => ({
    requestsPerSecond: median(results.map((result) => get(result).requestsPerSecond)),
    requests: median(results.map((result) => get(result).requests)),
    p50Ms: median(results.map((result) => get(result).p50Ms)),
    p99Ms: median(results.map((result) => get(result).p99Ms)),
    mibPerSecond: median(results.map((result) => get(result).mibPerSecond)),
    errors: results.reduce((sum, result) => sum + get(result).errors, 0),
  })
  const cpu = (get: (result: Measured) => number | undefined) => {
    const values = results.map(get).filter((value): value is number => value !== undefined)
    return values.length === 0 ? undefined : median(values)
  }
  return {keepAlive: pick((result) => result.keepAlive), newConnections: pick((result) => result.newConnections), bulk: pick((result) => result.bulk),
    cpuMicrosPerRequest: cpu((result) => result.cpuMicrosPerRequest), cpuMicrosPerConnection: cpu((result) => result.cpuMicrosPerConnection)}
}

function formatRow(name: string, result: Measured, reference: Measured | undefined): string {
  const ratio = (value: number, against: number | undefined) => (against === undefined ? '' : ` (${(value / against).toFixed(2)}×)`)
  const cells = [
    name,
    `${result.keepAlive.requestsPerSecond.toFixed(0)}${ratio(result.keepAlive.requestsPerSecond, reference?.keepAlive.requestsPerSecond)}`,
    `${result.keepAlive.p50Ms.toFixed(2)} / ${result.keepAlive.p99Ms.toFixed(2)}${ratio(result.keepAlive.p99Ms, reference?.keepAlive.p99Ms)}`,
    `${result.newConnections.requestsPerSecond.toFixed(0)}${ratio(result.newConnections.requestsPerSecond, reference?.newConnections.requestsPerSecond)}`,
    `${result.bulk.mibPerSecond.toFixed(0)}${ratio(result.bulk.mibPerSecond, reference?.bulk.mibPerSecond)}`,
    result.cpuMicrosPerRequest === undefined ? '–' : `${result.cpuMicrosPerRequest.toFixed(1)}`,
    result.cpuMicrosPerConnection === undefined ? '–' : `${result.cpuMicrosPerConnection.toFixed(0)}`,
    String(result.keepAlive.errors + result.newConnections.errors + result.bulk.errors),
  ]
  return `| ${cells.join(' | ')} |`
}

function formatHttp2Row(name: string, result: Measured, reference: Measured | undefined): string {
  const ratio = (value: number, against: number | undefined) => (against === undefined ? '' : ` (${(value / against).toFixed(2)}×)`)
  const cells = [
    name,
    `${result.keepAlive.requestsPerSecond.toFixed(0)}${ratio(result.keepAlive.requestsPerSecond, reference?.keepAlive.requestsPerSecond)}`,
    `${result.keepAlive.p50Ms.toFixed(2)} / ${result.keepAlive.p99Ms.toFixed(2)}${ratio(result.keepAlive.p99Ms, reference?.keepAlive.p99Ms)}`,
    result.cpuMicrosPerRequest === undefined ? '–' : `${result.cpuMicrosPerRequest.toFixed(1)}${ratio(result.cpuMicrosPerRequest, reference?.cpuMicrosPerRequest)}`,
    String(result.keepAlive.errors),
  ]
  return `| ${cells.join(' | ')} |`
}

/** How gwctl's access log says the connections and requests ended (all `ok` in a clean run). */
function printOutcomes(dir: string): void {
  for (const workers of [1, 2]) {
    const counts = new Map<string, number>()
    for (const line of readFileSync(join(dir, `gwctl-${workers}.log`), 'utf8').split('\n')) {
      if (!line.startsWith('{"event":"access"')) continue
      const {outcome, reason} = JSON.parse(line) as {outcome: string; reason?: string}
      const key = outcome === 'ok' ? outcome : `${outcome} (${reason ?? ''})`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    console.log(`\ngwctl serve --workers ${workers} access log outcomes: ${[...counts].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${count} ${key}`).join(', ') || 'none'}`)
  }
}

function printProfile(dir: string): void {
  for (const workers of [1, 2]) {
    const profileDir = join(dir, `profile-${workers}`)
    if (!existsSync(profileDir)) continue
    for (const file of readdirSync(profileDir)) {
      const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as {nodes: Array<{id: number; callFrame: {functionName: string; url: string; lineNumber: number}}>; samples: number[]}
      const counts = new Map<number, number>()
      for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1)
      const bySelf = new Map<string, number>()
      for (const node of profile.nodes) {
        const {functionName, url, lineNumber} = node.callFrame
        const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist|node:)/, '$1')}:${lineNumber + 1}`
        bySelf.set(key, (bySelf.get(key) ?? 0) + (counts.get(node.id) ?? 0))
      }
      const idle = bySelf.get('(idle) :0') ?? 0
      bySelf.delete('(idle) :0')
      const busy = profile.samples.length - idle
      if (busy === 0) continue
      console.log(`\nhottest functions of gwctl serve --workers ${workers} (self time, % of ${busy} busy samples, ${((busy / profile.samples.length) * 100).toFixed(0)}% busy; ${file}):`)
      for (const [name, count] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((count / busy) * 100).toFixed(1).padStart(5)}%  ${name}`)
    }
  }
}

async function main(): Promise<void> {
  const missing = findMissing()
  if (missing.length > 0) {
    console.error(`bench:serve cannot run; missing:\n${missing.map((entry) => `  - ${entry}`).join('\n')}`)
    process.exitCode = 1
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'gwctl-bench-'))
  // nginx workers run as an unprivileged user: they must read the body and certificates here.
  chmodSync(dir, 0o755)
  const stops: Array<() => void> = []
  try {
    makeCertificates(dir)
    writeFileSync(join(dir, 'bulk.bin'), Buffer.alloc(16 * 1024 * 1024, 0x61))
    const ports = {originTls: await freePort(), originHttp: await freePort(), stream: await freePort(), https: await freePort(), h2: await freePort(), h2c: await freePort(),
      stream2: await freePort(), https2: await freePort(), h22: await freePort(), h2c2: await freePort()}
    const origin = startNginx(dir, 'origin', originConfig(dir, ports.originTls, ports.originHttp))
    stops.push(origin.stop)
    const proxy = startNginx(dir, 'proxy', proxyConfig(dir, 'proxy', 1, ports))
    stops.push(proxy.stop)
    const proxy2 = startNginx(dir, 'proxy2', proxyConfig(dir, 'proxy2', 2, {...ports, stream: ports.stream2, https: ports.https2, h2: ports.h22, h2c: ports.h2c2}))
    stops.push(proxy2.stop)
    const gateways: Array<{child: ChildProcess; ports: Map<number, number>}> = []
    for (const workers of [1, 2]) {
      const gateway = await startGateway(dir, ports.originTls, ports.originHttp, workers)
      gateways.push(gateway)
      stops.push(() => gateway.child.kill('SIGTERM'))
    }
    const [gateway, gateway2] = gateways
    const bare = spawn('node', [join(ROOT, 'bench/bare-node-proxy.mjs'), dir, String(ports.originTls), String(ports.originHttp)], {stdio: ['ignore', 'pipe', 'inherit']})
    stops.push(() => bare.kill('SIGTERM'))
    const barePorts = await new Promise<{passthrough: number; termination: number; h2: number}>((resolve, reject) => {
      bare.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()) as {passthrough: number; termination: number; h2: number}))
      bare.once('exit', () => reject(new Error('the bare Node proxy did not start')))
    })
    const gatewayPid = gateway.child.pid!
    const gateway2Pids = () => [gateway2.child.pid!, ...findChildren(gateway2.child.pid!)]

    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
    console.log(`gwctl serve vs nginx on loopback, ${SECONDS} s per run, ${ROUNDS} rounds, wrk (keep-alive -c32, new connections -c16 with Connection: close, bulk -c4 GET 16 MiB; HTTP/2 h2load -c${H2_CLIENTS} -m${H2_STREAMS}); CPU from /proc; ${availableParallelism()} cores, load average at start ${load}\n`)
    const header = '| target | keep-alive req/s | p50 / p99 ms | new TLS conn/s | 16 MiB bulk MiB/s | proxy CPU µs/req | proxy CPU µs/new conn | errors |\n|---|---|---|---|---|---|---|---|'
    /** `http2`: measured with h2load (keep-alive only) over TLS + ALPN h2 or h2c prior knowledge. */
    const targets: Record<string, {port: number; pids: () => number[]; threads: number; http2?: 'h2' | 'h2c'}> = {
      direct: {port: ports.originTls, pids: () => [], threads: 1},
      nginxStream: {port: ports.stream, pids: proxy.workers, threads: 1},
      nodeStream: {port: barePorts.passthrough, pids: () => [bare.pid!], threads: 1},
      gwctlPassthrough: {port: gateway.ports.get(443)!, pids: () => [gatewayPid], threads: 1},
      nginxHttps: {port: ports.https, pids: proxy.workers, threads: 1},
      nodeHttps: {port: barePorts.termination, pids: () => [bare.pid!], threads: 1},
      gwctlTerminate: {port: gateway.ports.get(8443)!, pids: () => [gatewayPid], threads: 1},
      nginxStream2: {port: ports.stream2, pids: proxy2.workers, threads: 2},
      gwctlPassthrough2: {port: gateway2.ports.get(443)!, pids: gateway2Pids, threads: 2},
      nginxHttps2: {port: ports.https2, pids: proxy2.workers, threads: 2},
      gwctlTerminate2: {port: gateway2.ports.get(8443)!, pids: gateway2Pids, threads: 2},
      nginxH2: {port: ports.h2, pids: proxy.workers, threads: 1, http2: 'h2'},
      nodeH2: {port: barePorts.h2, pids: () => [bare.pid!], threads: 1, http2: 'h2'},
      gwctlH2: {port: gateway.ports.get(8443)!, pids: () => [gatewayPid], threads: 1, http2: 'h2'},
      nginxH2c: {port: ports.h2c, pids: proxy.workers, threads: 1, http2: 'h2c'},
      gwctlH2c: {port: gateway.ports.get(8080)!, pids: () => [gatewayPid], threads: 1, http2: 'h2c'},
      nginxH2x2: {port: ports.h22, pids: proxy2.workers, threads: 2, http2: 'h2'},
      gwctlH2x2: {port: gateway2.ports.get(8443)!, pids: gateway2Pids, threads: 2, http2: 'h2'},
    }
    const h2load = has('h2load')
    if (!h2load) console.log(`${H2LOAD_MISSING}\n`)
    const chosen = Object.entries(targets).filter(([name, target]) => (ONLY === undefined || ONLY.has(name)) && (target.http2 === undefined || h2load))
    const rounds = new Map<string, Measured[]>(chosen.map(([name]) => [name, []]))
    for (let round = 1; round <= ROUNDS; round++) {
      process.stderr.write(`round ${round}/${ROUNDS}\n`)
      for (const [name, target] of chosen) {
        const measured = target.http2 === undefined
          ? measure(target.port, target.pids, target.threads)
          : measureHttp2(`${target.http2 === 'h2' ? 'https' : 'http'}://localhost:${target.port}/`, target.pids, target.threads, dir)
        rounds.get(name)!.push(measured)
      }
    }
    const result = (name: string) => (rounds.has(name) ? medianOf(rounds.get(name)!) : undefined)
    const table = (title: string, rows: Array<[string, string, string | undefined]>, format = formatRow, head = header) => {
      const printed = rows.filter(([, name]) => rounds.has(name))
      if (printed.length === 0) return
      console.log(`\n${title}\n`)
      console.log(head)
      for (const [label, name, reference] of printed) console.log(format(label, result(name)!, reference === undefined ? undefined : result(reference)))
    }
    const http2Header = '| target | keep-alive req/s | p50 / p99 ms | proxy CPU µs/req | errors |\n|---|---|---|---|---|'
    const http2Load = `h2load -c${H2_CLIENTS} -m${H2_STREAMS}`
    table(`Passthrough, one worker/process each, wrk -t1 (medians of ${ROUNDS} rounds; ratios to nginx stream ssl_preread)`, [
      ['direct to origin', 'direct', 'nginxStream'], ['nginx stream ssl_preread', 'nginxStream', undefined], ['bare Node proxy (floor)', 'nodeStream', 'nginxStream'],
      ['gwctl serve (Passthrough)', 'gwctlPassthrough', 'nginxStream']])
    table(`Termination, one worker/process each, wrk -t1 (medians of ${ROUNDS} rounds; ratios to nginx HTTPS proxy_pass)`, [
      ['nginx HTTPS proxy_pass', 'nginxHttps', undefined], ['bare Node proxy (floor)', 'nodeHttps', 'nginxHttps'],
      ['gwctl serve (Terminate)', 'gwctlTerminate', 'nginxHttps']])
    table(`Passthrough, 2 workers each (nginx worker_processes 2, gwctl serve --workers 2), wrk -t2 (medians of ${ROUNDS} rounds)`, [
      ['nginx stream ssl_preread, 2 workers', 'nginxStream2', undefined], ['gwctl serve --workers 2 (Passthrough)', 'gwctlPassthrough2', 'nginxStream2']])
    table(`Termination, 2 workers each, wrk -t2 (medians of ${ROUNDS} rounds)`, [
      ['nginx HTTPS proxy_pass, 2 workers', 'nginxHttps2', undefined], ['gwctl serve --workers 2 (Terminate)', 'gwctlTerminate2', 'nginxHttps2']])
    table(`HTTP/2 keep-alive, one worker/process each, ${http2Load} -t1 (medians of ${ROUNDS} rounds; ratios to nginx http2 proxy_pass)`, [
      ['nginx http2 proxy_pass (TLS, ALPN h2)', 'nginxH2', undefined], ['bare Node proxy, h2 (floor)', 'nodeH2', 'nginxH2'],
      ['gwctl serve (HTTPS listener, h2)', 'gwctlH2', 'nginxH2'],
      ['nginx http2 proxy_pass (h2c)', 'nginxH2c', undefined], ['gwctl serve (HTTP listener, h2c)', 'gwctlH2c', 'nginxH2c']], formatHttp2Row, http2Header)
    table(`HTTP/2 keep-alive (TLS, ALPN h2), 2 workers each, ${http2Load} -t2 (medians of ${ROUNDS} rounds)`, [
      ['nginx http2 proxy_pass, 2 workers', 'nginxH2x2', undefined], ['gwctl serve --workers 2 (h2)', 'gwctlH2x2', 'nginxH2x2']], formatHttp2Row, http2Header)
    for (const child of [gateway.child, gateway2.child]) {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
    console.log(`\nload average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`)
    printOutcomes(dir)
    if (PROFILE) printProfile(dir)
  } finally {
    for (const stop of stops.reverse()) {
      try {
        stop()
      } catch {
        // already stopped
      }
    }
    if (process.env.BENCH_KEEP === undefined) rmSync(dir, {recursive: true, force: true})
    else console.log(`kept ${dir}`)
  }
}

await main()
