/**
 * Offline, a test's client certificate is judged as the listener's
 * frontend validation would judge it (OpenSSL through Node's TLS stack):
 * none presented, one from the client CA, one from another CA, under
 * AllowValidOnly and AllowInsecureFallback. Certificates made with the
 * openssl command (skipped with the reason when it is absent).
 */
import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {runRoutingTests} from '../../src/testing/run-routing-tests.js'
import {hasTool} from '../support/run-cli.js'

describe('testing/verify-client-certificate: client certificates against a listener\'s frontend validation, offline', function () {
  this.timeout(60_000)
  let dir: string

  before(async function () {
    if (!(await hasTool('openssl'))) {
      console.log('    (skipped: the openssl command is not installed; it makes the certificates)')
      this.skip()
    }
    dir = mkdtempSync(path.join(tmpdir(), 'gwctl-test-mtls-'))
    const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'})
    const makeCa = (name: string, cn: string) => openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${cn}`, '-days', '2', '-keyout', `${name}.key`, '-out', `${name}.crt`)
    const issue = (name: string, issuer: string, cn: string, extensions: string) => {
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`)
      writeFileSync(path.join(dir, `${name}.ext`), `${extensions}\n`)
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`)
    }
    makeCa('server-ca', 'server CA')
    makeCa('client-ca', 'client CA')
    makeCa('rogue-ca', 'rogue CA')
    issue('server', 'server-ca', 'server', 'subjectAltName=DNS:*.example.com')
    issue('alice', 'client-ca', 'alice', 'extendedKeyUsage=clientAuth')
    issue('mallory', 'rogue-ca', 'mallory', 'extendedKeyUsage=clientAuth')
    const b64 = (name: string) => readFileSync(path.join(dir, name)).toString('base64')
    const indented = readFileSync(path.join(dir, 'client-ca.crt'), 'utf8').trim().split('\n').map((line) => `    ${line}`).join('\n')
    writeFileSync(path.join(dir, 'manifests.yaml'), [
      ['apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: gw}', 'spec:', '  gatewayClassName: local', '  listeners:',
        '  - {name: strict, port: 443, protocol: HTTPS, hostname: strict.example.com, tls: {mode: Terminate, certificateRefs: [{name: server}]}}',
        '  - {name: lenient, port: 8443, protocol: HTTPS, hostname: lenient.example.com, tls: {mode: Terminate, certificateRefs: [{name: server}]}}',
        '  tls:', '    frontend:', '      default:', '        validation:', '          caCertificateRefs: [{group: "", kind: ConfigMap, name: client-ca}]',
        '      perPort:', '      - {port: 8443, tls: {validation: {mode: AllowInsecureFallback, caCertificateRefs: [{group: "", kind: ConfigMap, name: client-ca}]}}}',
      ].join('\n'),
      `apiVersion: v1\nkind: Secret\nmetadata: {name: server}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64('server.crt')}\n  tls.key: ${b64('server.key')}`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: client-ca}\ndata:\n  ca.crt: |\n${indented}`,
      'apiVersion: v1\nkind: Service\nmetadata: {name: app}\nspec: {ports: [{port: 80}]}',
      ...['strict', 'lenient'].map((section) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: ${section}}\nspec:\n  parentRefs: [{name: gw, sectionName: ${section}}]\n  rules: [{backendRefs: [{name: app, port: 80}]}]`),
    ].join('\n---\n'))
    writeFileSync(path.join(dir, 'mtls.gwctl-test.yaml'), `kind: RoutingTests
tests:
- name: no certificate on the strict listener
  request: {sni: strict.example.com, port: 443}
  expect: {refused: certificate_required}
- name: alice is let in
  request: {sni: strict.example.com, port: 443, clientCertificate: {certificate: alice.crt, key: alice.key}}
  expect: {backend: default/app:80}
- name: mallory's CA is unknown
  request: {sni: strict.example.com, port: 443, clientCertificate: {certificate: mallory.crt, key: mallory.key}}
  expect: {refused: unknown_ca}
- name: the lenient listener lets mallory in
  request: {sni: lenient.example.com, port: 8443, clientCertificate: {certificate: mallory.crt, key: mallory.key}}
  expect: {backend: default/app:80}
- name: the lenient listener lets anyone in
  request: {sni: lenient.example.com, port: 8443}
  expect: {backend: default/app:80}
`)
  })

  after(() => {
    if (dir !== undefined) rmSync(dir, {recursive: true, force: true})
  })

  it('refuses as OpenSSL would: certificate_required, unknown_ca; AllowInsecureFallback lets them in', async () => {
    const outcome = await runRoutingTests({paths: [dir], cwd: dir})
    assert.equal(outcome.problems, undefined, JSON.stringify(outcome.problems))
    const results = outcome.report!.results
    assert.deepEqual(results.map((result) => [result.name, result.status]), [
      ['no certificate on the strict listener', 'passed'],
      ['alice is let in', 'passed'],
      ['mallory\'s CA is unknown', 'passed'],
      ['the lenient listener lets mallory in', 'passed'],
      ['the lenient listener lets anyone in', 'passed'],
    ], JSON.stringify(results.filter((result) => result.status !== 'passed'), null, 1))
    assert.ok(results[3].trace.some((line) => /does not verify against .*accepted \(AllowInsecureFallback\)/.test(line)), results[3].trace.join('\n'))
  })
})
