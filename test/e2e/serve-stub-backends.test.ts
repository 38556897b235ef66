/**
 * `gwctl serve <scenario> --stub-backends` with nothing else running answers
 * every smoke entry of test/expectations/scenarios/<name>.yaml with the
 * expected backend identity, checked with the real curl and openssl
 * s_client on loopback (every listener port at an OS-chosen local port;
 * `certs create --for` first where the expectations say
 * `requires: [certs-create-for]`): Passthrough stubs present a certificate
 * for the route hostnames that verifies against the ready report's stubCa,
 * HTTP stubs answer through terminating and plaintext listeners, TCP stubs
 * through TLS Terminate and TCP listeners; the ready report lists one stub
 * per referenced Service port, and no backend is left unmapped.
 */
import assert from 'node:assert/strict'
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import {analyzeManifests} from '../../src/pipeline/analyze.js'
import {runGwctl} from '../support/run-cli.js'
import {killLeftoverServes, ROOT, runCurl, runSClient, startServe, type ServeProcess} from './serve-harness.js'

interface SmokeEntry {
  sni?: string
  plaintext?: boolean
  port: number
  host?: string
  path?: string
  expect: {
    matched: boolean
    mode?: string
    route?: {kind: string; namespace: string; name: string}
    backends?: Array<{namespace: string; name: string; port: number; weight: number}>
    redirect?: {statusCode: number; location: string}
    httpStatus?: number
  }
}

interface StubListing {
  backend: string
  address: string
  protocol: string
  dnsNames?: string[]
}

const SCENARIOS_DIR = join(ROOT, 'fixtures/scenarios')
const EXPECTATIONS_DIR = join(ROOT, 'test/expectations/scenarios')

/** The identity a stub put in its answer: the HTTP echo body, or the TCP stub's first line. */
function findStubIdentity(text: string): string | undefined {
  return /"backend":"([^"]+)"/.exec(text)?.[1] ?? /^gwctl-stub-backend (\S+)$/m.exec(text)?.[1]
}

const scenarios = readdirSync(EXPECTATIONS_DIR).filter((file) => file.endsWith('.yaml')).map((file) => file.slice(0, -5)).sort()

describe('e2e: gwctl serve --stub-backends answers every scenario\'s smoke entries', function () {
  this.timeout(60_000)
  after(killLeftoverServes)
  for (const scenario of scenarios) {
    describe(scenario, () => {
      const expectations = parse(readFileSync(join(EXPECTATIONS_DIR, `${scenario}.yaml`), 'utf8')) as {smoke?: SmokeEntry[]; requires?: string[]}
      const dir = join(SCENARIOS_DIR, scenario)
      let serve: ServeProcess
      let stubs: StubListing[]
      let stubCa: string | undefined
      let temporary: string

      before(async () => {
        temporary = mkdtempSync(join(tmpdir(), 'gwctl-stubs-e2e-'))
        const paths = [dir]
        if (expectations.requires?.includes('certs-create-for')) {
          const issued = await runGwctl(['certs', 'create', '--for', dir, '--out-dir', join(temporary, 'issued')])
          assert.equal(issued.exitCode, 0, issued.stderr)
          paths.push(join(temporary, 'issued'))
        }
        const analysis = await analyzeManifests(paths)
        const ports = new Set(analysis.binding.gateways.flatMap((gateway) => gateway.listeners.map((listener) => listener.spec.port)))
        serve = await startServe([...paths, '--stub-backends', '--stub-ca-dir', join(temporary, 'stub-ca'), ...[...ports].flatMap((port) => ['--port-map', `${port}=0`])])
        const ready = JSON.parse(serve.lines.find((line) => line.startsWith('{"event":"ready"'))!) as {stubs: StubListing[]; stubCa?: string}
        stubs = ready.stubs
        stubCa = ready.stubCa
      })

      after(async () => {
        const stopped = await serve?.stop()
        rmSync(temporary, {recursive: true, force: true})
        assert.equal(stopped?.exitCode, 0, `serve exit code; stderr: ${stopped?.stderr}`)
      })

      it('lists a stub for every backend the smoke entries reach, and leaves none unmapped', () => {
        const listed = new Set(stubs.map((stub) => stub.backend))
        for (const entry of expectations.smoke ?? []) {
          for (const key of expectedBackendKeys(entry)) assert.ok(listed.has(key), `stub for ${key} in ${JSON.stringify(stubs)}`)
        }
        for (const stub of stubs) assert.match(stub.address, /^127\.0\.0\.1:\d+$/)
        assert.deepEqual(serve.warnings.filter((warning) => warning.includes('no local address')), [])
        const passthrough = (expectations.smoke ?? []).some((entry) => entry.expect.mode === 'Passthrough')
        assert.equal(stubCa !== undefined, passthrough, `stubCa ${stubCa} only with Passthrough backends`)
      })

      for (const [index, entry] of (expectations.smoke ?? []).entries()) {
        const label = `${entry.plaintext ? 'plaintext' : `SNI ${entry.sni === '' ? '(none)' : entry.sni}`} :${entry.port}${entry.host === undefined ? '' : ` Host ${entry.host}${entry.path ?? ''}`} → ${entry.expect.matched ? expectedBackendKeys(entry).join(' | ') || 'matched' : 'refused'}`
        it(`smoke ${index}: ${label}`, async () => {
          await checkSmoke(serve, entry, stubs, stubCa)
        })
      }
    })
  }
})

function expectedBackendKeys(entry: SmokeEntry): string[] {
  return (entry.expect.backends ?? []).filter((backend) => backend.weight > 0).map((backend) => `${backend.namespace}/${backend.name}:${backend.port}`)
}

/** A certificate DNS name covers a host name (RFC 6125: `*` stands for exactly one label). */
function coversName(name: string, host: string): boolean {
  const [first, ...rest] = name.toLowerCase().split('.')
  const [hostFirst, ...hostRest] = host.toLowerCase().split('.')
  return first === '*' ? hostFirst !== '' && rest.join('.') === hostRest.join('.') : name.toLowerCase() === host.toLowerCase()
}

async function checkSmoke(serve: ServeProcess, entry: SmokeEntry, stubs: StubListing[], stubCa: string | undefined): Promise<void> {
  const {expect} = entry
  if (!serve.listeners.some((listener) => listener.port === entry.port)) {
    assert.equal(expect.matched, false, `port ${entry.port} is not served, but the expectation matches`)
    return
  }
  const local = serve.localPort(entry.port)
  if (entry.plaintext) {
    const url = entry.host === undefined ? `http://127.0.0.1:${local}${entry.path ?? '/'}` : `http://${entry.host}:${local}${entry.path ?? '/'}`
    checkHttpAnswer(await runCurl(url, entry.host === undefined ? [] : ['--resolve', `${entry.host}:${local}:127.0.0.1`]), entry)
    return
  }
  const sni = entry.sni ?? ''
  const resolve = sni === '' ? [] : ['--resolve', `${sni}:${local}:127.0.0.1`]
  const url = `https://${sni === '' ? '127.0.0.1' : sni}:${local}${entry.path ?? '/'}`
  if (!expect.matched && expect.httpStatus === undefined) {
    const presented = await runSClient(local, sni)
    assert.equal(presented.certificate, undefined, 'no certificate is presented to a refused client')
    assert.notEqual((await runCurl(url, ['-k', ...resolve])).exitCode, 0, 'curl fails to connect')
    return
  }
  if (expect.mode === 'Passthrough') {
    assert.ok(stubCa !== undefined, 'the ready report names the stub CA')
    const verified = await runSClient(local, sni, '', ['-CAfile', stubCa, '-verify_return_error'])
    assert.match(verified.output, /Verify return code: 0 \(ok\)/, verified.output)
    const covered = stubs.some((stub) => expectedBackendKeys(entry).includes(stub.backend) && (stub.dnsNames ?? []).some((name) => coversName(name, sni)))
    if (!covered) {
      // Routed by a wildcard that covers more labels than a certificate can: curl refuses the name, as with the real backend.
      const refused = await runCurl(url, ['--cacert', stubCa, ...resolve])
      assert.equal(refused.exitCode, 60, refused.stderr)
    }
    const result = await runCurl(url, [...covered ? ['--cacert', stubCa] : ['-k'], ...resolve])
    assert.equal(result.status, 200, `curl: ${result.stderr}`)
    assert.ok(expectedBackendKeys(entry).includes(findStubIdentity(result.body) ?? ''), `answered by ${findStubIdentity(result.body)}`)
    assert.equal(/^x-gwctl-backend: (.*)$/im.exec(result.headers)?.[1].trim(), findStubIdentity(result.body))
    assert.equal(JSON.parse(result.body).request.tls.sni.toLowerCase(), sni.toLowerCase(), 'the stub terminated TLS itself')
    return
  }
  if (entry.host === undefined) {
    // A TLS Terminate listener in front of a TCP stub: an HTTP/1.0 request is answered as HTTP, then closed.
    const answer = await runSClient(local, sni, 'GET / HTTP/1.0\r\n\r\n', ['-quiet', '-ign_eof'])
    assert.ok(expectedBackendKeys(entry).includes(findStubIdentity(answer.output) ?? ''), `answered by ${findStubIdentity(answer.output)}:\n${answer.output}`)
    return
  }
  checkHttpAnswer(await runCurl(url, ['-k', ...resolve, ...entry.host === sni ? [] : ['-H', `Host: ${entry.host}`]]), entry)
}

function checkHttpAnswer(result: Awaited<ReturnType<typeof runCurl>>, entry: SmokeEntry): void {
  const {expect} = entry
  if (expect.redirect !== undefined) {
    assert.equal(result.status, expect.redirect.statusCode, result.stderr)
    assert.equal(/^location: (.*)$/im.exec(result.headers)?.[1], expect.redirect.location)
    return
  }
  if (!expect.matched) {
    if (expect.httpStatus !== undefined) assert.equal(result.status, expect.httpStatus, `${result.stderr}${result.body}`)
    else assert.ok(result.exitCode !== 0 || result.status >= 400, 'refused')
    assert.equal(findStubIdentity(result.body), undefined, 'no stub answered')
    return
  }
  assert.equal(result.status, 200, `${result.stderr}${result.body}`)
  assert.ok(expectedBackendKeys(entry).includes(findStubIdentity(result.body) ?? ''), `answered by ${findStubIdentity(result.body)}; expected one of ${expectedBackendKeys(entry).join(', ')}`)
}

const NEW_ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: beta, namespace: passthrough}
spec:
  parentRefs: [{name: tls-passthrough, sectionName: tls}]
  hostnames: [beta.example.com]
  rules: [{backendRefs: [{name: beta, port: 8443}]}]
---
apiVersion: v1
kind: Service
metadata: {name: beta, namespace: passthrough}
spec: {ports: [{port: 8443}]}
`

describe('e2e: --stub-backends with --watch re-plans the stubs on reload', function () {
  this.timeout(60_000)
  after(killLeftoverServes)

  it('a route added to the watched directory gets its stub (ready file and reload event list it); a removed one loses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-stubs-watch-'))
    try {
      const manifests = join(dir, 'manifests')
      cpSync(join(SCENARIOS_DIR, 'passthrough'), manifests, {recursive: true})
      const readyFile = join(dir, 'ready.json')
      const serve = await startServe([manifests, '--port-map', '443=0', '--stub-backends', '--stub-ca-dir', join(dir, 'ca'), '--watch', '--log-format', 'json', '--ready-file', readyFile])
      try {
        const local = serve.localPort(443)
        const ca = join(dir, 'ca', 'ca.crt')
        const curl = (host: string) => runCurl(`https://${host}:${local}/`, ['--cacert', ca, '--resolve', `${host}:${local}:127.0.0.1`])
        assert.equal(findStubIdentity((await curl('app.example.com')).body), 'passthrough/app:443')

        writeFileSync(join(manifests, 'beta.yaml'), NEW_ROUTE)
        const reloaded = JSON.parse(await serve.waitForLine((line) => line.includes('"event":"reload"') && line.includes('passthrough/beta:8443'), 20_000)) as {stubs: StubListing[]; stubCa: string}
        assert.deepEqual(reloaded.stubs.map((stub) => [stub.backend, stub.protocol]), [['passthrough/app:443', 'tls'], ['passthrough/beta:8443', 'tls']])
        assert.equal(reloaded.stubCa, ca)
        const beta = await curl('beta.example.com')
        assert.equal(beta.status, 200, beta.stderr)
        assert.equal(findStubIdentity(beta.body), 'passthrough/beta:8443')
        const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as {stubs: StubListing[]}
        assert.deepEqual(ready.stubs.map((stub) => stub.backend), ['passthrough/app:443', 'passthrough/beta:8443'])

        rmSync(join(manifests, 'beta.yaml'))
        const removed = JSON.parse(await serve.waitForLine((line) => line.includes('"event":"reload"') && !line.includes('passthrough/beta:8443'), 20_000)) as {stubs: StubListing[]}
        assert.deepEqual(removed.stubs.map((stub) => stub.backend), ['passthrough/app:443'])
        const gone = reloaded.stubs.find((stub) => stub.backend === 'passthrough/beta:8443')!
        const refused = await runCurl(`http://${gone.address}/`)
        assert.notEqual(refused.exitCode, 0, 'the stub no longer referenced is stopped')
      } finally {
        const stopped = await serve.stop()
        assert.equal(stopped.exitCode, 0, stopped.stderr)
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('without --stub-backends nothing is started: the unmapped backend is reported and refused', async () => {
    const serve = await startServe([join(SCENARIOS_DIR, 'passthrough'), '--port-map', '443=0'])
    try {
      const ready = JSON.parse(serve.lines.find((line) => line.startsWith('{"event":"ready"'))!) as {stubs?: unknown}
      assert.equal(ready.stubs, undefined)
      assert.ok(serve.warnings.some((warning) => warning.includes('passthrough/app:443 has no local address')), serve.warnings.join('\n'))
    } finally {
      const stopped = await serve.stop()
      assert.equal(stopped.exitCode, 0, stopped.stderr)
    }
  })
})
