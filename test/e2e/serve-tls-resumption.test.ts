/**
 * TLS session resumption on terminating listeners (issue 11 §6), with the
 * real `openssl s_client -sess_out` then `-sess_in`: a session ticket from
 * the gateway resumes (`Reused`, TLS 1.3 and 1.2), and with
 * --no-tls-session-tickets every handshake is `New`. Resumption never
 * bypasses routing or client-certificate validation: a session resumed under
 * another SNI with the same certificate is routed by its new SNI, one
 * offered under a listener with another certificate is not resumed, one
 * made without a client certificate is not resumed where one is required
 * (and the connection is refused), and one made with a valid client
 * certificate resumes with the certificate still judged and logged. Ticket
 * keys are new at each reload.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {killLeftoverServes, runSClient, startBackend, startServe, writeIssuedSecret, type Backend, type ServeProcess} from './serve-harness.js'

const indent = (text: string) => text.trim().split('\n').map((line) => `    ${line}`).join('\n')

/** `New` or `Reused`, as s_client reports the handshake. */
function handshakeKind(output: string): string | undefined {
  return /^(New|Reused), TLSv/m.exec(output)?.[1]
}

describe('e2e: gwctl serve TLS session resumption', function () {
  this.timeout(90_000)
  let dir: string
  let serve: ServeProcess
  const backends: Backend[] = []
  const file = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'})
  let serveArgs: string[]

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-resume-'))
    writeIssuedSecret(dir, 'default', 'wild', ['*.example.com'])
    writeIssuedSecret(dir, 'default', 'other', ['other.test'])
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=gwctl test client CA', '-days', '2', '-keyout', 'client-ca.key', '-out', 'client-ca.crt')
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=alice', '-keyout', 'client.key', '-out', 'client.csr')
    writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n')
    openssl('x509', '-req', '-in', 'client.csr', '-CA', 'client-ca.crt', '-CAkey', 'client-ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'client.ext', '-out', 'client.crt')
    const route = (name: string, hostname: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: ${name}, namespace: default}\nspec:\n  parentRefs: [{name: gw}, {name: secure}]\n  hostnames: [${hostname}]\n  rules: [{backendRefs: [{name: ${name}, port: 80}]}]\n`
    const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec: {ports: [{port: 80}]}\n`
    writeFileSync(file('manifests.yaml'), [
      `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: local
  listeners:
  - {name: wild, protocol: HTTPS, port: 443, hostname: "*.example.com", tls: {certificateRefs: [{name: wild}]}}
  - {name: other, protocol: HTTPS, port: 443, hostname: other.test, tls: {certificateRefs: [{name: other}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: secure, namespace: default}
spec:
  gatewayClassName: local
  listeners:
  - {name: secure, protocol: HTTPS, port: 8443, hostname: "*.example.com", tls: {certificateRefs: [{name: wild}]}}
  tls:
    frontend:
      default:
        validation:
          caCertificateRefs: [{group: "", kind: ConfigMap, name: client-ca}]
`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: client-ca, namespace: default}\ndata:\n  ca.crt: |\n${indent(readFileSync(file('client-ca.crt'), 'utf8'))}\n`,
      route('x', 'x.example.com'), route('y', 'y.example.com'), route('o', 'other.test'), service('x'), service('y'), service('o'),
    ].join('---\n'))
    for (const name of ['x', 'y', 'o']) backends.push(await startBackend(`default/${name}:80`))
    serveArgs = [dir, '--log-format', 'json', '--address', '127.0.0.1', '--port-map', '443=0', '--port-map', '8443=0', ...backends.flatMap((backend) => ['--backend', `${backend.key}=127.0.0.1:${backend.port}`])]
    serve = await startServe([...serveArgs, '--watch'])
  })
  after(async () => {
    const stopped = await serve?.stop()
    for (const backend of backends) backend.server.close()
    rmSync(dir, {recursive: true})
    assert.equal(stopped?.exitCode, 0, stopped?.stderr)
  })
  after(killLeftoverServes)

  /** One HTTPS request through s_client (reading until the gateway closes, so TLS 1.3 tickets arrive), saving or offering a session. */
  const request = (target: ServeProcess, port: number, host: string, session: {out?: string; in?: string}, extra: string[] = []) =>
    runSClient(target.localPort(port), host, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, [
      '-ign_eof', ...(session.out === undefined ? [] : ['-sess_out', file(session.out)]), ...(session.in === undefined ? [] : ['-sess_in', file(session.in)]), ...extra])

  for (const version of ['-tls1_3', '-tls1_2']) {
    it(`a session ticket resumes the session (${version.slice(1)}): New, then Reused`, async () => {
      const first = await request(serve, 443, 'x.example.com', {out: `x${version}.pem`}, [version])
      assert.equal(handshakeKind(first.output), 'New', first.output)
      assert.match(first.output, /^backend=default\/x:80$/m)
      const second = await request(serve, 443, 'x.example.com', {in: `x${version}.pem`}, [version])
      assert.equal(handshakeKind(second.output), 'Reused', second.output)
      assert.match(second.output, /^backend=default\/x:80$/m)
    })
  }

  it('a session resumed under another SNI with the same certificate is routed by its new SNI', async () => {
    await request(serve, 443, 'x.example.com', {out: 'x.pem'})
    const resumed = await request(serve, 443, 'y.example.com', {in: 'x.pem'})
    assert.equal(handshakeKind(resumed.output), 'Reused', resumed.output)
    assert.match(resumed.output, /^backend=default\/y:80$/m)
  })

  it('a session offered to a listener with another certificate is not resumed', async () => {
    await request(serve, 443, 'x.example.com', {out: 'x-for-other.pem'})
    const other = await request(serve, 443, 'other.test', {in: 'x-for-other.pem'})
    assert.equal(handshakeKind(other.output), 'New', other.output)
    assert.match(other.output, /^backend=default\/o:80$/m)
    assert.match(other.certificate ?? '', /BEGIN CERTIFICATE/)
  })

  it('a session made without a client certificate does not resume where one is required; one made with a valid certificate does', async () => {
    await request(serve, 443, 'x.example.com', {out: 'no-cert.pem'})
    const bypass = await request(serve, 8443, 'x.example.com', {in: 'no-cert.pem'})
    assert.notEqual(handshakeKind(bypass.output), 'Reused', bypass.output)
    assert.doesNotMatch(bypass.output, /^backend=/m)

    const withCert = ['-cert', file('client.crt'), '-key', file('client.key')]
    const first = await request(serve, 8443, 'x.example.com', {out: 'with-cert.pem'}, withCert)
    assert.match(first.output, /^backend=default\/x:80$/m)
    const resumed = await request(serve, 8443, 'y.example.com', {in: 'with-cert.pem'})
    assert.equal(handshakeKind(resumed.output), 'Reused', resumed.output)
    assert.match(resumed.output, /^backend=default\/y:80$/m)
    const line = JSON.parse(await serve.waitForLine((text) => text.includes('"event":"access"') && text.includes('"port":8443') && text.includes('"sni":"y.example.com"'))) as {clientCert?: string}
    assert.equal(line.clientCert, 'verified (CN=alice)', 'the resumed session carries the verified client certificate')
  })

  it('ticket keys rotate on reload: a session from before a reload makes a full handshake after it', async () => {
    await request(serve, 443, 'x.example.com', {out: 'before-reload.pem'})
    const reused = await request(serve, 443, 'x.example.com', {in: 'before-reload.pem'})
    assert.equal(handshakeKind(reused.output), 'Reused', reused.output)
    const reloads = serve.lines.filter((line) => line.includes('"event":"reload"')).length
    writeFileSync(file('manifests.yaml'), `${readFileSync(file('manifests.yaml'), 'utf8')}# touched\n`)
    await serve.waitForLine((line) => line.includes('"event":"reload"') && serve.lines.filter((text) => text.includes('"event":"reload"')).indexOf(line) >= reloads, 20_000)
    const after = await request(serve, 443, 'x.example.com', {in: 'before-reload.pem'})
    assert.equal(handshakeKind(after.output), 'New', after.output)
    assert.match(after.output, /^backend=default\/x:80$/m)
  })

  it('--no-tls-session-tickets: every handshake is New', async () => {
    const plain = await startServe([...serveArgs, '--no-tls-session-tickets'])
    try {
      for (const version of ['-tls1_3', '-tls1_2']) {
        await request(plain, 443, 'x.example.com', {out: `off${version}.pem`}, [version])
        const second = await request(plain, 443, 'x.example.com', {in: `off${version}.pem`}, [version])
        assert.equal(handshakeKind(second.output), 'New', second.output)
        assert.match(second.output, /^backend=default\/x:80$/m)
      }
      assert.equal((await plain.stop()).exitCode, 0)
    } finally {
      plain.process.kill('SIGKILL')
    }
  })
})
