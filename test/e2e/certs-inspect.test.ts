import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runGwctl, runTool} from '../support/run-cli.js'

describe('e2e: gwctl certs inspect', function () {
  this.timeout(60_000)
  let dir: string
  const at = (name: string) => join(dir, name)
  const create = async (args: string[]) => {
    const result = await runGwctl(['certs', 'create', ...args, '--out-dir', dir])
    assert.equal(result.exitCode, 0, result.stderr)
  }
  const inspect = (args: string[], input?: string) => runGwctl(['certs', 'inspect', ...args], {input})

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-e2e-inspect-'))
    await Promise.all([create(['ca', '--ca', '--cn', 'Inspect CA']), create(['other-ca', '--ca'])])
    await create(['app', '--dns', 'app.example.com', '--ip', '10.0.0.7', '--issuer-cert', at('ca.crt'), '--issuer-key', at('ca.key'), '--secret', 'app-tls', '--namespace', 'web'])
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('a Secret: certificate fields, ca.crt, the matching key, and a verified chain; exit 0', async () => {
    const result = await inspect([at('app-tls.secret.yaml'), '--verify-with', at('ca.crt')])
    assert.equal(result.exitCode, 0, result.stderr)
    const fingerprint = (await runTool('openssl', ['x509', '-in', at('app.crt'), '-noout', '-fingerprint', '-sha256'])).stdout.split('=')[1]
    const lines = result.stdout.split('\n')
    assert.equal(lines[0], `${at('app-tls.secret.yaml')} (document 1): Secret web/app-tls (kubernetes.io/tls)`)
    for (const expected of [
      '  certificate 1 (leaf)',
      '    subject       CN=app.example.com',
      '    SANs          DNS:app.example.com, IP:10.0.0.7',
      '    issuer        CN=Inspect CA',
      '    key           ECDSA P-256',
      '    signature     ecdsa-with-SHA256',
      `    SHA-256       ${fingerprint}`,
      '  ca.crt certificate 1',
      `  private key     ECDSA P-256, matches ${at('app-tls.secret.yaml')} Secret app-tls certificate 1`,
      '  verify          OK: CN=app.example.com <- CN=Inspect CA',
    ]) assert.ok(lines.includes(expected), `missing line ${JSON.stringify(expected)} in\n${result.stdout}`)
    assert.match(result.stdout, /\n {4}valid {9}\S+ to \S+ \(36[45] days left\)\n/)
  })

  it('--json from stdin (as piped from kubectl get secret -o yaml)', async () => {
    const result = await inspect(['-', '--json'], readFileSync(at('app-tls.secret.yaml'), 'utf8'))
    assert.equal(result.exitCode, 0, result.stderr)
    const report = JSON.parse(result.stdout)
    assert.equal(report.version, 1)
    assert.equal(report.sources[0].file, '<stdin>')
    assert.deepEqual(report.sources[0].certificates[0].subjectAltNames, {dns: ['app.example.com'], ip: ['10.0.0.7'], other: []})
    assert.deepEqual(report.sources[0].problems, [])
  })

  it('exit 1 when the chain does not reach --verify-with or a key belongs to another certificate', async () => {
    const wrongCa = await inspect([at('app.crt'), '--verify-with', at('other-ca.crt')])
    assert.equal(wrongCa.exitCode, 1)
    assert.match(wrongCa.stdout, /verify {10}FAILED: unable to get local issuer certificate \(error 20 at depth 0, CN=app\.example\.com\)/)
    writeFileSync(at('mismatch.pem'), readFileSync(at('app.crt'), 'utf8') + readFileSync(at('ca.key'), 'utf8'))
    const mismatch = await inspect([at('mismatch.pem')])
    assert.equal(mismatch.exitCode, 1)
    assert.match(mismatch.stdout, /certificate-key-mismatch/)
  })

  it('unreadable input: one line, exit 2; {"error"} with --json', async () => {
    const [text, json] = await Promise.all([inspect([at('missing.crt')]), inspect([at('missing.crt'), '--json'])])
    assert.deepEqual([text.exitCode, text.stderr, text.stdout], [2, `gwctl: ${at('missing.crt')}: no such file`, ''])
    assert.equal(json.exitCode, 2)
    assert.deepEqual(JSON.parse(json.stdout), {error: {code: 'input', message: 'no such file', file: at('missing.crt')}})
  })
})
