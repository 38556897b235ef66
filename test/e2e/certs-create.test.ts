import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import type {Socket} from 'node:net'
import {createServer, type Server} from 'node:tls'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import {hasTool, runGwctl, runTool} from '../support/run-cli.js'

describe('e2e: gwctl certs create', function () {
  this.timeout(60_000)
  let dir: string
  const at = (name: string) => join(dir, name)
  const create = (args: string[], options: {cwd?: string} = {}) => runGwctl(['certs', 'create', ...args], options)
  const ok = async (args: string[]) => {
    const result = await create([...args, '--out-dir', dir])
    assert.equal(result.exitCode, 0, result.stderr)
    return result
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-e2e-create-'))
    await ok(['root', '--ca', '--cn', 'gwctl e2e root'])
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  for (const keyType of ['ecdsa', 'rsa', 'ed25519']) {
    it(`openssl verify accepts a ${keyType} CA + leaf, and a leaf under a ${keyType} intermediate`, async () => {
      await Promise.all([
        ok([`${keyType}-ca`, '--ca', '--key-type', keyType]),
        ok([`${keyType}-int`, '--ca', '--key-type', keyType, '--issuer-cert', at('root.crt'), '--issuer-key', at('root.key')]),
      ])
      await Promise.all([
        ok([`${keyType}-leaf`, '--dns', `${keyType}.example.com`, '--key-type', keyType, '--issuer-cert', at(`${keyType}-ca.crt`), '--issuer-key', at(`${keyType}-ca.key`)]),
        ok([`${keyType}-chained`, '--dns', `chained.${keyType}.example.com`, '--key-type', keyType, '--issuer-cert', at(`${keyType}-int.crt`), '--issuer-key', at(`${keyType}-int.key`)]),
      ])
      const direct = await runTool('openssl', ['verify', '-CAfile', at(`${keyType}-ca.crt`), at(`${keyType}-leaf.crt`)])
      assert.equal(direct.stdout.trim(), `${at(`${keyType}-leaf.crt`)}: OK`, direct.stderr)
      assert.equal((readFileSync(at(`${keyType}-chained.crt`), 'utf8').match(/BEGIN CERTIFICATE/g) ?? []).length, 2, 'leaf followed by the intermediate')
      // openssl verify reads only the first certificate of a file: the intermediate is passed with -untrusted.
      const chained = await runTool('openssl', ['verify', '-CAfile', at('root.crt'), '-untrusted', at(`${keyType}-int.crt`), at(`${keyType}-chained.crt`)])
      assert.equal(chained.stdout.trim(), `${at(`${keyType}-chained.crt`)}: OK`, chained.stderr)
    })
  }

  it('openssl x509 -text shows the DNS, wildcard and IP SANs', async () => {
    await ok(['sans', '--dns', 'app.example.com,*.apps.example.com', '--ip', '127.0.0.1', '--ip', '::1', '--issuer-cert', at('root.crt'), '--issuer-key', at('root.key')])
    const text = (await runTool('openssl', ['x509', '-in', at('sans.crt'), '-noout', '-text'])).stdout
    assert.match(text, /DNS:app\.example\.com, DNS:\*\.apps\.example\.com, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1\n/)
    assert.match(text, /TLS Web Server Authentication/)
    assert.match(text, /Issuer: CN = gwctl e2e root/)
  })

  it('the Secret equals what kubectl create secret tls --dry-run=client -o yaml prints for the same files', async function () {
    if (!(await hasTool('kubectl'))) {
      process.stderr.write('      skipped: kubectl is not on PATH, and this comparison needs its output\n')
      this.skip()
    }
    await ok(['self', '--dns', 'self.example.com', '--secret', 'self-tls'])
    await ok(['issued', '--dns', 'issued.example.com', '--secret', 'issued-tls', '--namespace', 'web', '--issuer-cert', at('root.crt'), '--issuer-key', at('root.key')])
    const selfKubectl = await runTool('kubectl', ['create', 'secret', 'tls', 'self-tls', '--cert', at('self.crt'), '--key', at('self.key'), '--dry-run=client', '-o', 'yaml'])
    assert.equal(selfKubectl.exitCode, 0, selfKubectl.stderr)
    assert.equal(readFileSync(at('self-tls.secret.yaml'), 'utf8'), `${selfKubectl.stdout}\n`, 'self-signed: byte for byte')
    const issuedKubectl = await runTool('kubectl', ['create', 'secret', 'tls', 'issued-tls', '--cert', at('issued.crt'), '--key', at('issued.key'), '-n', 'web', '--dry-run=client', '-o', 'yaml'])
    const ours = parse(readFileSync(at('issued-tls.secret.yaml'), 'utf8'))
    // kubectl has no ca.crt; ours adds it for a CA-issued certificate: compare without it, then check it alone.
    const caCrt = ours.data['ca.crt']
    delete ours.data['ca.crt']
    assert.deepEqual(ours, parse(issuedKubectl.stdout))
    assert.equal(Buffer.from(caCrt, 'base64').toString(), readFileSync(at('root.crt'), 'utf8'))
  })

  const served = [
    {label: 'an ECDSA certificate', name: 'served-ecdsa', args: ['--issuer-cert', 'ROOT.crt', '--issuer-key', 'ROOT.key'], trust: 'root.crt'},
    {label: 'an Ed25519 certificate', name: 'served-ed25519', args: ['--key-type', 'ed25519', '--issuer-cert', 'ROOT.crt', '--issuer-key', 'ROOT.key'], trust: 'root.crt'},
    {label: 'a self-signed certificate (trusted as itself)', name: 'served-self', args: [], trust: 'served-self.crt'},
  ]
  for (const variant of served) describe(`serving ${variant.label} with node:tls`, () => {
    let server: Server
    let port: number
    const sockets = new Set<Socket>()
    before(async () => {
      await ok([variant.name, '--dns', 'app.example.com', ...variant.args.map((arg) => arg.replace(/^ROOT/, at('root')))])
      server = createServer({cert: readFileSync(at(`${variant.name}.crt`)), key: readFileSync(at(`${variant.name}.key`))}, (socket) => {
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\nhello\n')
      })
      server.on('connection', (socket: Socket) => {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      port = (server.address() as {port: number}).port
    })
    after(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })

    it('curl --cacert ca.crt succeeds for a name in the SANs', async () => {
      const result = await runTool('curl', ['-sS', '--cacert', at(variant.trust), '--resolve', `app.example.com:${port}:127.0.0.1`, `https://app.example.com:${port}/`])
      assert.equal(result.exitCode, 0, result.stderr)
      assert.equal(result.stdout, 'hello')
    })

    it('curl fails for a name outside the SANs', async () => {
      const result = await runTool('curl', ['-sS', '--cacert', at(variant.trust), '--resolve', `other.example.com:${port}:127.0.0.1`, `https://other.example.com:${port}/`])
      assert.equal(result.exitCode, 60, 'CURLE_PEER_FAILED_VERIFICATION')
      assert.match(result.stderr, /no alternative certificate subject name matches target host name 'other\.example\.com'/)
    })
  })

  it('never overwrites without --force (nothing written), key files are 0600, --force replaces', async () => {
    await ok(['keep', '--dns', 'keep.example.com', '--secret', 'keep-tls'])
    const before = readFileSync(at('keep.crt'), 'utf8')
    assert.equal(statSync(at('keep.key')).mode & 0o777, 0o600)
    assert.equal(statSync(at('keep-tls.secret.yaml')).mode & 0o777, 0o600)
    const refused = await create(['keep', '--dns', 'keep.example.com', '--secret', 'other-tls', '--out-dir', dir])
    assert.equal(refused.exitCode, 2)
    assert.equal(refused.stderr, `gwctl: refusing to overwrite ${at('keep.crt')}, ${at('keep.key')} (use --force to replace them)`)
    assert.equal(existsSync(at('other-tls.secret.yaml')), false, 'no target written when one exists')
    assert.equal(readFileSync(at('keep.crt'), 'utf8'), before)
    await ok(['keep', '--dns', 'keep.example.com', '--force'])
    assert.notEqual(readFileSync(at('keep.crt'), 'utf8'), before)
    assert.equal(statSync(at('keep.key')).mode & 0o777, 0o600)
  })

  it('-o yaml prints the Secret and writes nothing; -o json prints a summary without keys', async () => {
    const yaml = await create(['printed', '--dns', 'printed.example.com', '--namespace', 'web', '-o', 'yaml', '--out-dir', dir])
    assert.equal(yaml.exitCode, 0, yaml.stderr)
    const secret = parse(yaml.stdout)
    assert.deepEqual([secret.kind, secret.type, secret.metadata], ['Secret', 'kubernetes.io/tls', {creationTimestamp: null, name: 'printed', namespace: 'web'}])
    assert.match(Buffer.from(secret.data['tls.key'], 'base64').toString(), /BEGIN PRIVATE KEY/)
    assert.equal(existsSync(at('printed.crt')), false)

    const json = await create(['summary', '--dns', 'summary.example.com', '--ip', '10.1.2.3', '-o', 'json', '--out-dir', dir])
    assert.equal(json.exitCode, 0, json.stderr)
    assert.doesNotMatch(json.stdout, /PRIVATE KEY/)
    const summary = JSON.parse(json.stdout)
    assert.deepEqual(summary.files, {certificate: at('summary.crt'), key: at('summary.key')})
    assert.deepEqual([summary.certificate.subject, summary.certificate.subjectAltNames], ['CN=summary.example.com', {dns: ['summary.example.com'], ip: ['10.1.2.3'], other: []}])
    const fingerprint = await runTool('openssl', ['x509', '-in', at('summary.crt'), '-noout', '-fingerprint', '-sha256'])
    assert.equal(fingerprint.stdout.trim(), `sha256 Fingerprint=${summary.certificate.sha256Fingerprint}`)
    assert.ok(summary.certificate.notBefore < summary.certificate.notAfter)
  })

  it('an expired certificate on purpose: exit 0, a warning on stderr, and openssl agrees it is expired', async () => {
    const result = await create(['expired', '--dns', 'expired.example.com', '--not-before', '-30d', '--not-after', '-1d', '--issuer-cert', at('root.crt'), '--issuer-key', at('root.key'), '--out-dir', dir])
    assert.equal(result.exitCode, 0)
    assert.match(result.stderr, /^warning: the certificate is already expired/)
    const verify = await runTool('openssl', ['verify', '-CAfile', at('root.crt'), at('expired.crt')])
    assert.match(verify.stdout + verify.stderr, /certificate has expired/)
  })

  it('--client: openssl verify accepts it for sslclient and not for sslserver, and a node:tls server that requires client certificates lets curl in with it', async () => {
    await ok(['alice', '--client', '--cn', 'alice', '--issuer-cert', at('root.crt'), '--issuer-key', at('root.key')])
    const client = await runTool('openssl', ['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', at('root.crt'), at('alice.crt')])
    assert.equal(client.stdout.trim(), `${at('alice.crt')}: OK`, client.stderr)
    const server = await runTool('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', at('root.crt'), at('alice.crt')])
    assert.match(server.stdout + server.stderr, /error 26 at 0 depth lookup: unsuitable certificate purpose/)
    await ok(['mtls', '--dns', 'mtls.example.com', '--issuer-cert', at('root.crt'), '--issuer-key', at('root.key')])
    const tlsServer = createServer({cert: readFileSync(at('mtls.crt')), key: readFileSync(at('mtls.key')), ca: readFileSync(at('root.crt')), requestCert: true, rejectUnauthorized: true}, (socket) => {
      socket.end(`HTTP/1.1 200 OK\r\ncontent-length: ${socket.getPeerX509Certificate()?.subject.length ?? 0}\r\nconnection: close\r\n\r\n${socket.getPeerX509Certificate()?.subject ?? ''}`)
    })
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve))
    try {
      const port = (tlsServer.address() as {port: number}).port
      const url = `https://mtls.example.com:${port}/`
      const base = ['-sS', '--cacert', at('root.crt'), '--resolve', `mtls.example.com:${port}:127.0.0.1`]
      const withCertificate = await runTool('curl', [...base, '--cert', at('alice.crt'), '--key', at('alice.key'), url])
      assert.deepEqual([withCertificate.exitCode, withCertificate.stdout], [0, 'CN=alice'], withCertificate.stderr)
      const without = await runTool('curl', [...base, url])
      assert.notEqual(without.exitCode, 0, 'no client certificate, no answer')
    } finally {
      tlsServer.close()
    }
  })

  const failures: Array<[string, string[], string]> = [
    ['an unknown key type', ['--dns', 'a.example.com', '--key-type', 'dsa'], 'gwctl: Expected --key-type=dsa to be one of: ecdsa, rsa, ed25519 (see --help)'],
    ['a bad DNS name', ['--dns', 'a_b.example.com'], "gwctl: --dns a_b.example.com: not a DNS name (letters, digits and '-' in dot-separated labels, optionally starting with '*.')"],
    ['a missing issuer key file', ['--dns', 'a.example.com', '--issuer-cert', 'ISSUER', '--issuer-key', 'missing.key'], 'gwctl: missing.key: no such file'],
    ['--days with --not-before', ['--dns', 'a.example.com', '--days', '3', '--not-before', '-1d', '--not-after', '+1d'], 'gwctl: --not-before=-1d cannot also be provided when using --days (see --help)'],
  ]
  for (const [name, args, expected] of failures) {
    it(`${name}: one line on stderr, exit 2; with -o json an {"error"} object`, async () => {
      const argv = args.map((arg) => (arg === 'ISSUER' ? at('root.crt') : arg))
      const [text, json] = await Promise.all([create([...argv, '--out-dir', dir], {cwd: dir}), create([...argv, '--out-dir', dir, '-o', 'json'], {cwd: dir})])
      assert.deepEqual([text.exitCode, text.stderr, text.stdout], [2, expected, ''])
      assert.equal(json.exitCode, 2)
      const error = JSON.parse(json.stdout).error
      assert.equal(`gwctl: ${error.file === undefined ? '' : `${error.file}: `}${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`, expected)
    })
  }
})
