import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {checkTlsSecret} from '../../src/certs/check-tls-secret.js'
import {issueForNeeds, type CertificateNeed} from '../../src/certs/issue-for-needs.js'
import {listCertificateNeeds} from '../../src/gatewayapi/certificate-needs.js'
import {analyzeTexts} from '../../src/pipeline/analyze.js'

/** data of a Secret YAML written by gwctl (kubectl layout: one `  key: value` line each). */
function readSecretData(path: string): Record<string, string> {
  return Object.fromEntries([...readFileSync(path, 'utf8').matchAll(/^ {2}([a-z.]+): (\S+)$/gm)].map(([, key, value]) => [key, value]))
}

describe('certs/issue-for-needs', () => {
  let dir: string
  const now = new Date()
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-for-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const needs: CertificateNeed[] = [
    {namespace: 'default', secretName: 'app-tls', hostnames: ['app.example.com', '*.api.example.com'], reason: 'Gateway default/gw listener https'},
    {namespace: 'web', secretName: 'app-tls', hostnames: ['web.example.com'], reason: 'Gateway web/gw listener https'},
    {namespace: 'default', secretName: 'app-tls', hostnames: ['www.example.com', 'app.example.com'], reason: 'Gateway default/gw listener https-2'},
    {namespace: 'default', secretName: 'catch-all', hostnames: ['*'], reason: 'Gateway default/gw listener any'},
  ]

  it('creates the CA once, issues one Secret per namespace/name with the united hostnames, and they pass lint', async () => {
    const result = await issueForNeeds(needs, {outDir: dir, force: false, now})
    assert.deepEqual(result.ca, {certificate: join(dir, 'ca.crt'), key: join(dir, 'ca.key'), created: true})
    assert.deepEqual(result.issued.map((issued) => [issued.file, issued.dnsNames, issued.reason]), [
      [join(dir, 'default.app-tls.secret.yaml'), ['app.example.com', '*.api.example.com', 'www.example.com'], 'Gateway default/gw listener https; Gateway default/gw listener https-2'],
      [join(dir, 'web.app-tls.secret.yaml'), ['web.example.com'], 'Gateway web/gw listener https'],
    ])
    assert.deepEqual(result.skipped.map((skipped) => [skipped.secretName, skipped.refused, skipped.why]), [
      ['catch-all', true, 'no hostname to put in its subjectAltName: Gateway default/gw listener any has no hostname and no route attached to it names one, and clients accept a certificate without subjectAltName for no hostname (give the listener a hostname, or its routes hostnames)'],
    ])
    assert.equal(existsSync(join(dir, 'default.catch-all.secret.yaml')), false)
    const data = readSecretData(join(dir, 'default.app-tls.secret.yaml'))
    assert.equal(Buffer.from(data['ca.crt'], 'base64').toString(), readFileSync(join(dir, 'ca.crt'), 'utf8'))
    const hostnames = ['app.example.com', 'x.api.example.com', 'www.example.com']
    assert.deepEqual(await checkTlsSecret({type: 'kubernetes.io/tls', data}, {hostnames, now, expiryWarningDays: 30}), [])
    assert.match(readFileSync(join(dir, 'web.app-tls.secret.yaml'), 'utf8'), /\n {2}namespace: web\n/)
  })

  it('reuses the CA and skips existing Secrets; --force reissues them from the same CA', async () => {
    await issueForNeeds(needs.slice(0, 1), {outDir: dir, force: false, now})
    const ca = readFileSync(join(dir, 'ca.crt'), 'utf8')
    const first = readFileSync(join(dir, 'default.app-tls.secret.yaml'), 'utf8')
    const again = await issueForNeeds(needs.slice(0, 2), {outDir: dir, force: false, now})
    assert.equal(again.ca?.created, false)
    assert.deepEqual(again.issued.map((issued) => issued.secretName + '@' + issued.namespace), ['app-tls@web'])
    assert.deepEqual(again.skipped.map((skipped) => [skipped.file, skipped.why, skipped.refused]), [[join(dir, 'default.app-tls.secret.yaml'), 'the file exists (use --force to replace it)', false]])
    assert.equal(readFileSync(join(dir, 'default.app-tls.secret.yaml'), 'utf8'), first)
    const forced = await issueForNeeds(needs.slice(0, 1), {outDir: dir, force: true, now})
    assert.equal(forced.issued.length, 1)
    assert.notEqual(readFileSync(join(dir, 'default.app-tls.secret.yaml'), 'utf8'), first)
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), ca, 'the CA is never replaced')
  })

  it('creates no CA when there is nothing to issue', async () => {
    assert.deepEqual(await issueForNeeds([], {outDir: dir, force: false, now}), {issued: [], skipped: []})
  })

  it('skips needs with invalid names and refuses an incomplete CA', async () => {
    const result = await issueForNeeds([{namespace: 'Bad_NS', secretName: 'x', hostnames: ['a.example.com'], reason: 'r'}], {outDir: dir, force: false, now})
    assert.match(result.skipped[0].why, /not a valid namespace/)
    writeFileSync(join(dir, 'ca.crt'), 'x')
    await assert.rejects(issueForNeeds(needs.slice(0, 1), {outDir: dir, force: false, now}), /the local CA is incomplete/)
  })

  it('issues with the requested key type', async () => {
    await issueForNeeds(needs.slice(1, 2), {outDir: dir, force: false, now, key: {type: 'rsa', rsaBits: 2048}})
    const crt = Buffer.from(readSecretData(join(dir, 'web.app-tls.secret.yaml'))['tls.crt'], 'base64').toString()
    const {X509Certificate} = await import('node:crypto')
    assert.equal(new X509Certificate(crt).publicKey.asymmetricKeyType, 'rsa')
  })

  it('a listener without hostname gets the hostnames of its routes, from the binding; with none it is refused, and no SAN-less certificate is ever issued', async () => {
    const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: web}
spec:
  gatewayClassName: example
  listeners:
  - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: named-tls}]}}
  - {name: bare, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: bare-tls}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: web}
spec:
  parentRefs: [{name: gw, sectionName: https}]
  hostnames: [app.example.com, shop.example.com]
  rules: [{backendRefs: [{name: app, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: any, namespace: web}
spec:
  parentRefs: [{name: gw, sectionName: bare}]
  rules: [{backendRefs: [{name: app, port: 80}]}]
`
    const analysis = await analyzeTexts([{file: 'gateway.yaml', text: gateway}], {checkCertificates: false})
    const result = await issueForNeeds(listCertificateNeeds(analysis.binding, {backends: false}), {outDir: dir, force: false, now})
    assert.deepEqual(result.issued.map((issued) => [issued.secretName, issued.dnsNames]), [['named-tls', ['app.example.com', 'shop.example.com']]])
    assert.deepEqual(result.skipped.map((skipped) => [skipped.secretName, skipped.refused]), [['bare-tls', true]])
    assert.match(result.skipped[0].why, /listener 'bare' \(HTTPS\/Terminate :8443\) of Gateway web\/gw has no hostname and no route attached to it names one/)
    const data = readSecretData(join(dir, 'web.named-tls.secret.yaml'))
    assert.deepEqual(await checkTlsSecret({type: 'kubernetes.io/tls', data}, {hostnames: ['*'], now, expiryWarningDays: 30}), [])
  })
})
