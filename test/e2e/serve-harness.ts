/**
 * Helpers for the end-to-end tests of `gwctl serve`: local backends that say
 * who they are (`backend=ns/name:port`), TLS ones with the scenario's
 * backend-tls/ certificates; the built CLI started with execa and awaited on
 * its JSON ready line (internal errors fatal, exit 70); curl and openssl
 * s_client runs; socket counting.
 */
import {X509Certificate} from 'node:crypto'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync} from 'node:fs'
import {createServer as createHttpServer, type Server as HttpServer} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createSecureContext} from 'node:tls'
import {execa, type ResultPromise} from 'execa'
import {decodeSecretText} from '../../src/gatewayapi/tls-secret.js'
import {analyzeManifests} from '../../src/pipeline/analyze.js'

export const ROOT = new URL('../../', import.meta.url).pathname
export const RUN = join(ROOT, 'bin/run.js')

export interface Backend {
  key: string
  port: number
  server: HttpServer
}

/** An HTTP (or HTTPS, with `tlsDir`) backend answering `backend=<key>` plus the request line and headers it got. */
export async function startBackend(key: string, tlsDir?: string): Promise<Backend> {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      res.setHeader('x-backend', key)
      res.end(`backend=${key}\nrequest=${req.method} ${req.url}\nbody-bytes=${body.length}\nheaders=${JSON.stringify(req.headers)}\n`)
    })
  }
  const server = tlsDir === undefined ? createHttpServer(handler) : createHttpsServer(backendTlsOptions(tlsDir), handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {key, port: (server.address() as AddressInfo).port, server}
}

/** SNI → the backend-tls/ pair for that name (exact, then `wildcard.<parent>`), else the first pair. */
function backendTlsOptions(dir: string) {
  const names = readdirSync(dir).filter((file) => file.endsWith('.crt')).map((file) => file.slice(0, -4)).sort()
  const contexts = new Map(names.map((name) => [name, createSecureContext({cert: readFileSync(join(dir, `${name}.crt`)), key: readFileSync(join(dir, `${name}.key`))})]))
  const pick = (sni: string) => contexts.get(sni) ?? contexts.get(`wildcard.${sni.split('.').slice(1).join('.')}`) ?? contexts.get(names[0])!
  return {
    cert: readFileSync(join(dir, `${names[0]}.crt`)),
    key: readFileSync(join(dir, `${names[0]}.key`)),
    SNICallback: (sni: string, callback: (error: Error | null, context: ReturnType<typeof createSecureContext>) => void) => callback(null, pick(sni)),
  }
}

export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256
}

export interface ReadyListener {
  gateway: string
  listener: string
  protocol: string
  mode?: string
  hostname: string
  port: number
  address: string
}

export interface ServeProcess {
  process: ResultPromise
  listeners: ReadyListener[]
  warnings: string[]
  /** Every stdout line so far. */
  lines: string[]
  /** Local port of a Gateway listener port. */
  localPort(port: number): number
  /** Resolves with the first stdout line (after ready) satisfying the predicate. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>
  stop(): Promise<{exitCode: number | undefined; stdout: string; stderr: string}>
}

const running = new Set<ResultPromise>()

/** Kill every serve process a failed test left running (so mocha can exit). */
export function killLeftoverServes(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

/** Start `gwctl serve ARGS --json` and wait for its ready line. */
export async function startServe(args: string[], options: {cwd?: string} = {}): Promise<ServeProcess> {
  // An exception that escapes the gateway's handlers ends the process with 70 instead of being survived,
  // so every test asserting a clean exit also proves the internal-error guard never fired.
  const child = execa('node', [RUN, 'serve', ...args, '--json'], {cwd: options.cwd ?? ROOT, reject: false, buffer: true, stdin: 'ignore',
    env: {GWCTL_SERVE_FATAL_INTERNAL_ERRORS: '1'}})
  running.add(child)
  void child.finally(() => running.delete(child))
  const lines: string[] = []
  const waiters: Array<{predicate: (line: string) => boolean; resolve: (line: string) => void}> = []
  let pending = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString()
    const parts = pending.split('\n')
    pending = parts.pop()!
    for (const line of parts) {
      lines.push(line)
      for (const waiter of [...waiters]) {
        if (waiter.predicate(line)) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve(line)
        }
      }
    }
  })
  const waitForLine = (predicate: (line: string) => boolean, timeoutMs = 10_000) => new Promise<string>((resolve, reject) => {
    const found = lines.find(predicate)
    if (found !== undefined) return resolve(found)
    const timer = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms; stdout so far:\n${lines.join('\n')}`)), timeoutMs)
    waiters.push({predicate, resolve: (line) => {
      clearTimeout(timer)
      resolve(line)
    }})
  })
  const readyLine = await Promise.race([
    waitForLine((line) => line.startsWith('{"event":"ready"'), 15_000),
    child.then((result) => {
      throw new Error(`gwctl serve exited ${result.exitCode} before ready: ${String(result.stderr)}${lines.join("\n")}`)
    }),
  ])
  const ready = JSON.parse(readyLine) as {listeners: ReadyListener[]; warnings: string[]}
  return {
    process: child,
    listeners: ready.listeners,
    warnings: ready.warnings,
    lines,
    localPort(port: number) {
      const listener = ready.listeners.find((entry) => entry.port === port)
      if (listener === undefined) throw new Error(`no bound listener for port ${port}`)
      return Number(listener.address.split(':').at(-1))
    },
    waitForLine,
    async stop() {
      child.kill('SIGTERM')
      const result = await child
      return {exitCode: result.exitCode, stdout: String(result.stdout), stderr: `${String(result.stderr)}${result.signal === undefined ? "" : ` (killed by ${result.signal})`}`}
    },
  }
}

export interface CurlResult {
  exitCode: number
  status: number
  body: string
  headers: string
  stderr: string
}

/** curl with --resolve for `host`, returning status, headers and body. */
export async function runCurl(url: string, extra: string[] = []): Promise<CurlResult> {
  const result = await execa('curl', ['-sS', '--max-time', '10', '-D', '-', ...extra, url], {reject: false})
  const stdout = String(result.stdout)
  const split = stdout.indexOf('\r\n\r\n')
  const headers = split === -1 ? stdout : stdout.slice(0, split)
  const statusMatch = /^HTTP\/[\d.]+ (\d{3})/.exec(headers)
  return {exitCode: result.exitCode ?? -1, status: statusMatch === null ? 0 : Number(statusMatch[1]), body: split === -1 ? '' : stdout.slice(split + 4), headers, stderr: String(result.stderr)}
}

export interface SClientResult {
  exitCode: number
  /** PEM of the certificate the server presented, if the handshake got that far. */
  certificate?: string
  output: string
}

/** openssl s_client to 127.0.0.1:port with the SNI ('' = none), sending `input`. */
export async function runSClient(port: number, sni: string, input = '', extra: string[] = []): Promise<SClientResult> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, ...(sni === '' ? ['-noservername'] : ['-servername', sni]), ...extra]
  const result = await execa('openssl', args, {input, reject: false, timeout: 10_000})
  const output = `${String(result.stdout)}\n${String(result.stderr)}`
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(output)?.[0]
  return {exitCode: result.exitCode ?? -1, certificate: pem, output}
}

/** Open TCP sockets of a process (Linux /proc). */
export function countSockets(pid: number): number {
  const dir = `/proc/${pid}/fd`
  return readdirSync(dir).filter((fd) => {
    try {
      return readlinkSync(join(dir, fd)).startsWith('socket:')
    } catch {
      return false
    }
  }).length
}

/** Poll until `check` holds (or throw after `timeoutMs`), for states without an event to wait on. */
export async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export interface ServedScenario {
  serve: ServeProcess
  /** PEM of every TLS Secret in the input, by `namespace/name`. */
  secretCertificates: Map<string, string>
  stop(): Promise<{exitCode: number | undefined; stderr: string}>
}

/**
 * Serve a fixture scenario: a backend for every backendRef (HTTPS with the
 * scenario's backend-tls/ pairs behind Passthrough TLSRoutes, plain HTTP
 * otherwise), every listener port at an OS-chosen local port. With
 * `issueSecrets`, the Secrets of cert-manager Certificates are created first,
 * as `certs create --for` would (self-signed, for their dnsNames).
 */
export async function serveScenario(dir: string, options: {issueSecrets?: boolean} = {}): Promise<ServedScenario> {
  const paths = [dir]
  let extraDir: string | undefined
  const first = await analyzeManifests([dir])
  if (options.issueSecrets && first.snapshot.certificates.length > 0) {
    extraDir = mkdtempSync(join(tmpdir(), 'gwctl-serve-'))
    for (const certificate of first.snapshot.certificates) writeIssuedSecret(extraDir, certificate.meta.namespace, certificate.secretName, certificate.dnsNames)
    paths.push(extraDir)
  }
  const analysis = extraDir === undefined ? first : await analyzeManifests(paths)
  const secretCertificates = new Map<string, string>()
  for (const secret of analysis.snapshot.secrets) {
    const pem = decodeSecretText(secret.data['tls.crt'] ?? '')
    if (pem !== undefined && pem.includes('BEGIN CERTIFICATE')) secretCertificates.set(`${secret.meta.namespace}/${secret.meta.name}`, pem)
  }
  const backends: Backend[] = []
  const args = [...paths]
  for (const route of analysis.binding.routes) {
    const passthrough = route.route.kind === 'TLSRoute' && route.parents.some((parent) => parent.attachments.some(({listener}) => listener.mode === 'Passthrough'))
    for (const rule of route.rules) {
      for (const backend of rule.backends) {
        const key = `${backend.ref.namespace}/${backend.ref.name}:${backend.ref.port}`
        if (backends.some((entry) => entry.key === key)) continue
        const started = await startBackend(key, passthrough && existsSync(join(dir, 'backend-tls')) ? join(dir, 'backend-tls') : undefined)
        backends.push(started)
        args.push('--backend', `${key}=127.0.0.1:${started.port}`)
      }
    }
  }
  for (const port of new Set(analysis.binding.gateways.flatMap((gateway) => gateway.listeners.map((listener) => listener.spec.port)))) args.push('--port-map', `${port}=0`)
  const serve = await startServe(args)
  return {
    serve,
    secretCertificates,
    async stop() {
      const stopped = await serve.stop()
      for (const backend of backends) backend.server.close()
      if (extraDir !== undefined) rmSync(extraDir, {recursive: true})
      return stopped
    },
  }
}

/** A kubernetes.io/tls Secret NAME in NAMESPACE, self-signed for dnsNames, written to DIR/NAME-secret.yaml (openssl). */
export function writeIssuedSecret(dir: string, namespace: string, name: string, dnsNames: string[]): void {
  const key = join(dir, `${name}.key`)
  const crt = join(dir, `${name}.crt`)
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${dnsNames[0]}`,
    '-addext', `subjectAltName=${dnsNames.map((dns) => `DNS:${dns}`).join(',')}`, '-keyout', key, '-out', crt], {stdio: 'ignore'})
  const data = (file: string) => readFileSync(file).toString('base64')
  writeFileSync(join(dir, `${name}-secret.yaml`), `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: ${namespace}}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${data(crt)}\n  tls.key: ${data(key)}\n`)
  rmSync(key)
  rmSync(crt)
}

/** The backend identity a test backend put in its answer. */
export function findAnsweringBackend(text: string): string | undefined {
  return /^backend=(.+)$/m.exec(text)?.[1]
}
