/**
 * `gwctl serve` and `gwctl resolve` on the two TLS checks of issue 10 §5 and
 * §6, with real curl and openssl on loopback and certificates made here with
 * the openssl binary:
 * - Gateway spec.tls.frontend client-certificate validation (SEMANTICS.md
 *   §2.4): AllowValidOnly refuses a client without a certificate, or with one
 *   another CA issued, before any request reaches a backend; AllowInsecureFallback
 *   (perPort) accepts both and logs them; a TLS Terminate listener validates
 *   too; a listener whose only CA reference is missing takes no traffic
 *   (NoValidCACertificate); resolve shows the requirement and the CA.
 * - BackendTLSPolicies that cannot be honoured (missing CA ConfigMap,
 *   malformed ca.crt, CA reference of an invalid kind; SEMANTICS.md §9): the
 *   request gets HTTP 500 and the backend never sees a connection, plaintext
 *   or other; resolve names the reason and the status.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runGwctl} from '../support/run-cli.js'
import {killLeftoverServes, runCurl, runSClient, startServe, type ServeProcess} from './serve-harness.js'

interface CountingBackend {
  key: string
  port: number
  server: Server
  /** TCP connections accepted so far (plaintext or not). */
  connections: number
}

/** A plain HTTP backend answering `backend=<key>` that counts every connection it accepts. */
async function startCountingBackend(key: string): Promise<CountingBackend> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => res.end(`backend=${key}\n`))
  })
  const backend: CountingBackend = {key, port: 0, server, connections: 0}
  server.on('connection', () => {
    backend.connections++
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  backend.port = (server.address() as AddressInfo).port
  return backend
}

interface AccessLine {
  event: string
  port: number
  sni?: string
  clientCert?: string
  status?: number
  backend?: string
  outcome: string
  reason?: string
}

function accessLines(serve: ServeProcess): AccessLine[] {
  return serve.lines.filter((line) => line.startsWith('{"event":"access"')).map((line) => JSON.parse(line) as AccessLine)
}

/** The next access line (after `seen` lines) that satisfies the predicate. */
async function nextAccess(serve: ServeProcess, seen: number, predicate: (line: AccessLine) => boolean): Promise<AccessLine> {
  const line = await serve.waitForLine((text) => {
    if (!text.startsWith('{"event":"access"')) return false
    const index = serve.lines.filter((candidate) => candidate.startsWith('{"event":"access"')).indexOf(text)
    return index >= seen && predicate(JSON.parse(text) as AccessLine)
  })
  return JSON.parse(line) as AccessLine
}

const indent = (text: string) => text.trim().split('\n').map((line) => `    ${line}`).join('\n')

describe('e2e: gwctl serve and resolve with Gateway spec.tls.frontend client-certificate validation', function () {
  this.timeout(90_000)
  let dir: string
  let manifests: string
  let serve: ServeProcess
  const backends: CountingBackend[] = []
  const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'})

  /** A key and a certificate for `cn` issued by the CA `issuer`, with the given extensions. */
  const issue = (name: string, issuer: string, cn: string, extensions: string) => {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`)
    writeFileSync(join(dir, `${name}.ext`), `${extensions}\n`)
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`)
  }
  const makeCa = (name: string, cn: string) => openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${cn}`, '-days', '2', '-keyout', `${name}.key`, '-out', `${name}.crt`)
  const file = (name: string) => join(dir, name)
  const b64 = (name: string) => readFileSync(file(name)).toString('base64')

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-mtls-'))
    makeCa('server-ca', 'gwctl test server CA')
    makeCa('client-ca', 'gwctl test client CA')
    makeCa('rogue-ca', 'gwctl test rogue CA')
    issue('server', 'server-ca', 'server', 'subjectAltName=DNS:*.example.com')
    issue('client', 'client-ca', 'alice', 'extendedKeyUsage=clientAuth')
    issue('rogue', 'rogue-ca', 'mallory', 'extendedKeyUsage=clientAuth')
    for (const key of ['default/strict:80', 'default/lenient:80', 'default/stream:80']) backends.push(await startCountingBackend(key))
    const listener = (name: string, port: number, hostname: string, protocol = 'HTTPS') =>
      `  - {name: ${name}, port: ${port}, protocol: ${protocol}, hostname: ${hostname}, tls: {mode: Terminate, certificateRefs: [{name: server}]}}`
    const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {ports: [{port: 80}]}\n`
    const httpRoute = (name: string, section: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: ${name}}\nspec:\n  parentRefs: [{name: gw, sectionName: ${section}}]\n  rules: [{backendRefs: [{name: ${name}, port: 80}]}]\n`
    manifests = file('manifests.yaml')
    writeFileSync(manifests, [
      ['apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: gw}', 'spec:', '  gatewayClassName: local', '  listeners:',
        listener('strict', 443, 'strict.example.com'), listener('lenient', 8443, 'lenient.example.com'),
        listener('stream', 9443, 'stream.example.com', 'TLS'), listener('no-ca', 7443, 'no-ca.example.com'),
        '  tls:', '    frontend:', '      default:', '        validation:', '          caCertificateRefs: [{group: "", kind: ConfigMap, name: client-ca}]',
        '      perPort:',
        '      - {port: 8443, tls: {validation: {mode: AllowInsecureFallback, caCertificateRefs: [{group: "", kind: ConfigMap, name: client-ca}]}}}',
        '      - {port: 7443, tls: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: nonexistent-ca}]}}}',
      ].join('\n') + '\n',
      `apiVersion: v1\nkind: Secret\nmetadata: {name: server}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64('server.crt')}\n  tls.key: ${b64('server.key')}\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: client-ca}\ndata:\n  ca.crt: |\n${indent(readFileSync(file('client-ca.crt'), 'utf8'))}\n`,
      service('strict'), service('lenient'), service('stream'), httpRoute('strict', 'strict'), httpRoute('lenient', 'lenient'),
      `apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: {name: stream}\nspec:\n  parentRefs: [{name: gw, sectionName: stream}]\n  hostnames: [stream.example.com]\n  rules: [{backendRefs: [{name: stream, port: 80}]}]\n`,
    ].join('---\n'))
    serve = await startServe([manifests, '--log-format', 'json', '--port-map', '443=0', '--port-map', '8443=0', '--port-map', '9443=0',
      ...backends.flatMap((backend) => ['--backend', `${backend.key}=127.0.0.1:${backend.port}`])])
  })

  after(async () => {
    if (serve !== undefined) assert.equal((await serve.stop()).exitCode, 0)
    for (const backend of backends) {
      backend.server.closeAllConnections()
      backend.server.close()
    }
    rmSync(dir, {recursive: true})
  })
  after(killLeftoverServes)

  const backend = (key: string) => backends.find((entry) => entry.key === key)!
  const curl = (host: string, port: number, extra: string[] = []) =>
    runCurl(`https://${host}:${serve.localPort(port)}/`, ['--cacert', file('server-ca.crt'), '--resolve', `${host}:${serve.localPort(port)}:127.0.0.1`, ...extra])
  const withCert = (name: string) => ['--cert', file(`${name}.crt`), '--key', file(`${name}.key`)]

  it('AllowValidOnly: a client with a certificate the CA issued gets through, and the log names it', async () => {
    const seen = accessLines(serve).length
    const result = await curl('strict.example.com', 443, withCert('client'))
    assert.equal(result.status, 200, result.stderr)
    assert.match(result.body, /^backend=default\/strict:80$/m)
    const line = await nextAccess(serve, seen, (entry) => entry.port === 443)
    assert.deepEqual([line.outcome, line.clientCert], ['ok', 'verified (CN=alice)'])
  })

  it('AllowValidOnly: without a client certificate curl fails and the backend sees nothing', async () => {
    const before = backend('default/strict:80').connections
    const seen = accessLines(serve).length
    const result = await curl('strict.example.com', 443)
    assert.notEqual(result.exitCode, 0, `curl must fail; got ${result.status} ${result.body}`)
    assert.equal(result.status, 0)
    const line = await nextAccess(serve, seen, (entry) => entry.port === 443)
    assert.equal(line.outcome, 'client-certificate-rejected')
    assert.match(line.reason ?? '', /no client certificate \(AllowValidOnly\)/)
    assert.equal(backend('default/strict:80').connections, before)
  })

  it('AllowValidOnly: a certificate from another CA is refused before any request is read', async () => {
    const before = backend('default/strict:80').connections
    const seen = accessLines(serve).length
    const result = await curl('strict.example.com', 443, withCert('rogue'))
    assert.notEqual(result.exitCode, 0, `curl must fail; got ${result.status} ${result.body}`)
    const line = await nextAccess(serve, seen, (entry) => entry.port === 443)
    assert.equal(line.outcome, 'client-certificate-rejected')
    assert.match(line.reason ?? '', /client certificate not verified \(.+\) \(AllowValidOnly\)/)
    assert.equal(backend('default/strict:80').connections, before)
  })

  it('openssl s_client: the listener asks for a certificate signed by the client CA; with -cert the request is answered, without it is not', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: strict.example.com\r\nConnection: close\r\n\r\n'
    const good = await runSClient(serve.localPort(443), 'strict.example.com', request, ['-CAfile', file('server-ca.crt'), '-cert', file('client.crt'), '-key', file('client.key'), '-ign_eof'])
    assert.match(good.output, /Acceptable client certificate CA names\s+CN ?= ?gwctl test client CA/)
    assert.match(good.output, /backend=default\/strict:80/)
    const none = await runSClient(serve.localPort(443), 'strict.example.com', request, ['-CAfile', file('server-ca.crt'), '-ign_eof'])
    assert.doesNotMatch(none.output, /backend=/)
    assert.match(none.output, /alert certificate required|alert handshake failure|peer did not return a certificate/i)
  })

  it('AllowInsecureFallback (perPort 8443): clients without a valid certificate are served and logged as such', async () => {
    const seen = accessLines(serve).length
    const none = await curl('lenient.example.com', 8443)
    assert.equal(none.status, 200, none.stderr)
    assert.match(none.body, /^backend=default\/lenient:80$/m)
    const rogue = await curl('lenient.example.com', 8443, withCert('rogue'))
    assert.equal(rogue.status, 200, rogue.stderr)
    const good = await curl('lenient.example.com', 8443, withCert('client'))
    assert.equal(good.status, 200, good.stderr)
    const lines = [
      await nextAccess(serve, seen, (entry) => entry.port === 8443),
      await nextAccess(serve, seen + 1, (entry) => entry.port === 8443),
      await nextAccess(serve, seen + 2, (entry) => entry.port === 8443),
    ]
    assert.deepEqual(lines.map((entry) => [entry.outcome, entry.clientCert]), [
      ['ok', 'no client certificate, accepted (AllowInsecureFallback)'],
      ['ok', lines[1].clientCert],
      ['ok', 'verified (CN=alice)'],
    ])
    assert.match(lines[1].clientCert ?? '', /^client certificate not verified \(.+\), accepted \(AllowInsecureFallback\)$/)
    assert.ok(serve.warnings.some((warning) => /listener 'lenient'.*accepts clients without a valid certificate/.test(warning)), serve.warnings.join('\n'))
  })

  it('TLS Terminate listener (default validation): the stream reaches the backend only with a valid certificate', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: stream.example.com\r\nConnection: close\r\n\r\n'
    const before = backend('default/stream:80').connections
    const none = await runSClient(serve.localPort(9443), 'stream.example.com', request, ['-CAfile', file('server-ca.crt'), '-ign_eof'])
    assert.doesNotMatch(none.output, /backend=/)
    assert.equal(backend('default/stream:80').connections, before)
    const good = await runSClient(serve.localPort(9443), 'stream.example.com', request, ['-CAfile', file('server-ca.crt'), '-cert', file('client.crt'), '-key', file('client.key'), '-ign_eof'])
    assert.match(good.output, /backend=default\/stream:80/)
  })

  it('a listener whose only CA reference is missing is not served (NoValidCACertificate), and resolve finds no listener for it', async () => {
    assert.ok(!serve.listeners.some((listener) => listener.listener === 'no-ca'), JSON.stringify(serve.listeners))
    assert.ok(serve.warnings.some((warning) => /listener 'no-ca'.*is not served: Accepted: no valid CA certificate/.test(warning)), serve.warnings.join('\n'))
    const resolved = await runGwctl(['resolve', '--sni', 'no-ca.example.com', '--port', '7443', manifests, '-o', 'json'])
    assert.equal(resolved.exitCode, 1, resolved.stderr)
    const answer = JSON.parse(resolved.stdout) as {matched: boolean; trace: Array<{candidate: string; result: string; why: string}>}
    assert.equal(answer.matched, false)
    assert.ok(answer.trace.some((step) => step.candidate.includes("listener 'no-ca'") && step.result === 'skipped' && /NoValidCACertificate/.test(step.why)), JSON.stringify(answer.trace))
    const lint = await runGwctl(['lint', manifests, '-o', 'json'])
    const findings = (JSON.parse(lint.stdout) as {findings: Array<{ruleId: string; field: string}>}).findings
    assert.deepEqual(findings.filter((finding) => finding.ruleId.startsWith('frontend-')).map((finding) => `${finding.ruleId} ${finding.field}`).sort(), [
      'frontend-ca-certificate-ref spec.tls.frontend.perPort[1].tls.validation.caCertificateRefs[0].name',
      'frontend-insecure-fallback spec.tls.frontend.perPort[0].tls.validation.mode',
      'frontend-no-valid-ca-certificate spec.tls.frontend.perPort[1].tls.validation.caCertificateRefs',
    ])
  })

  it('resolve says a client certificate is required and which CA verifies it (json and text)', async () => {
    const json = await runGwctl(['resolve', '--sni', 'strict.example.com', '--port', '443', manifests, '-o', 'json'])
    assert.equal(json.exitCode, 0, json.stderr)
    const answer = JSON.parse(json.stdout) as {clientCertificate?: unknown}
    assert.deepEqual(answer.clientCertificate, {
      required: true, mode: 'AllowValidOnly', source: 'spec.tls.frontend.default',
      caRefs: [{kind: 'ConfigMap', namespace: 'default', name: 'client-ca', valid: true}],
    })
    const lenient = JSON.parse((await runGwctl(['resolve', '--sni', 'lenient.example.com', '--port', '8443', manifests, '-o', 'json'])).stdout) as {clientCertificate?: {required: boolean; mode: string}}
    assert.deepEqual([lenient.clientCertificate?.required, lenient.clientCertificate?.mode], [false, 'AllowInsecureFallback'])
    const text = await runGwctl(['resolve', '--sni', 'strict.example.com', '--port', '443', manifests])
    assert.match(text.stdout, /client certificate: required \(AllowValidOnly\); verified against ConfigMap default\/client-ca \(spec\.tls\.frontend\.default\)/)
  })
})

describe('e2e: gwctl serve and resolve with BackendTLSPolicies that cannot be honoured', function () {
  this.timeout(60_000)
  let dir: string
  let manifests: string
  let serve: ServeProcess
  const backends: CountingBackend[] = []
  const cases = ['nonexistent-ca', 'malformed-ca', 'invalid-kind'] as const

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-btlsp-'))
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=gwctl test CA', '-days', '2',
      '-addext', 'subjectAltName=DNS:app.example.com', '-keyout', 'app.key', '-out', 'app.crt'], {cwd: dir, stdio: 'ignore'})
    for (const name of cases) backends.push(await startCountingBackend(`default/${name}:443`))
    const b64 = (name: string) => readFileSync(join(dir, name)).toString('base64')
    const caRef = {'nonexistent-ca': 'ConfigMap, name: nonexistent-ca', 'malformed-ca': 'ConfigMap, name: malformed-ca', 'invalid-kind': 'InvalidKind, name: malformed-ca'}
    manifests = join(dir, 'manifests.yaml')
    writeFileSync(manifests, [
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n  gatewayClassName: local\n  listeners:\n  - {name: https, port: 443, protocol: HTTPS, hostname: app.example.com, tls: {certificateRefs: [{name: app}]}}\n',
      `apiVersion: v1\nkind: Secret\nmetadata: {name: app}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64('app.crt')}\n  tls.key: ${b64('app.key')}\n`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: malformed-ca}\ndata:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIBdjCCAR2gAwIBAgIUbWFsZm9ybWVkIGNlcnRpZmljYXRl\n    -----END CERTIFICATE-----\n',
      ['apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: app}', 'spec:', '  parentRefs: [{name: gw}]', '  rules:',
        ...cases.map((name) => `  - {matches: [{path: {value: /${name}}}], backendRefs: [{name: ${name}, port: 443}]}`)].join('\n') + '\n',
      ...cases.map((name) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {ports: [{port: 443}]}\n`),
      ...cases.map((name) => `apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: ${name}}\nspec:\n  targetRefs: [{group: "", kind: Service, name: ${name}}]\n  validation:\n    caCertificateRefs: [{group: "", kind: ${caRef[name]}}]\n    hostname: ${name}.example.com\n`),
    ].join('---\n'))
    serve = await startServe([manifests, '--log-format', 'json', '--port-map', '443=0', ...backends.flatMap((backend) => ['--backend', `${backend.key}=127.0.0.1:${backend.port}`])])
  })

  after(async () => {
    if (serve !== undefined) assert.equal((await serve.stop()).exitCode, 0)
    for (const backend of backends) {
      backend.server.closeAllConnections()
      backend.server.close()
    }
    rmSync(dir, {recursive: true})
  })
  after(killLeftoverServes)

  for (const name of cases) {
    it(`${name}: the request gets HTTP 500 and the backend never sees a connection; resolve names the reason`, async () => {
      const port = serve.localPort(443)
      const result = await runCurl(`https://app.example.com:${port}/${name}`, ['--cacert', join(dir, 'app.crt'), '--resolve', `app.example.com:${port}:127.0.0.1`])
      assert.equal(result.status, 500, result.stderr)
      assert.match(result.body, new RegExp(`BackendTLSPolicy default/${name} cannot be honoured`))
      assert.equal(backends.find((backend) => backend.key === `default/${name}:443`)!.connections, 0)

      const resolved = await runGwctl(['resolve', '--sni', 'app.example.com', '--path', `/${name}`, manifests, '-o', 'json'])
      assert.equal(resolved.exitCode, 1, resolved.stderr)
      const answer = JSON.parse(resolved.stdout) as {status?: number; backends: Array<{valid?: boolean; failure?: {status?: number; reason: string}}>}
      assert.equal(answer.status, 500)
      assert.equal(answer.backends[0].valid, false)
      assert.equal(answer.backends[0].failure?.status, 500)
      assert.match(answer.backends[0].failure?.reason ?? '', new RegExp(`BackendTLSPolicy default/${name} cannot be honoured \\(no valid CA certificate: `))
    })
  }

  it('serve reports the failing backends at start; lint reports the route ResolvedRefs=False/InvalidBackendTLSPolicy', async () => {
    for (const name of cases) assert.ok(serve.warnings.some((warning) => warning.includes(`BackendTLSPolicy default/${name} cannot be honoured`)), serve.warnings.join('\n'))
    const lint = await runGwctl(['lint', manifests, '-o', 'json'])
    const report = JSON.parse(lint.stdout) as {resources: Array<{kind: string; status: {parents?: Array<{conditions: Array<{type: string; status: string; reason: string}>}>}}>}
    const route = report.resources.find((resource) => resource.kind === 'HTTPRoute')!
    const conditions = route.status.parents![0].conditions.map((condition) => `${condition.type}=${condition.status}/${condition.reason}`)
    assert.deepEqual(conditions, ['Accepted=True/Accepted', 'ResolvedRefs=False/InvalidBackendTLSPolicy'])
  })
})
