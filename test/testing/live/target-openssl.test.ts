/**
 * e2e: the target executor's certificate checks and refusals against
 * `openssl s_server` (loopback, OS-chosen port) standing in for a gateway:
 * a good certificate (covers, and named by its Secret), an expired one, one
 * whose SANs miss the SNI, one from a CA the client does not trust, the
 * fatal unrecognized_name alert of an SNI mismatch, and certificate_required
 * when the server demands a client certificate (accepted once the test
 * sends one from its clientCertificate files).
 */
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {IssuedCertificate} from '../../../src/certs/issue-certificate.js'
import {createTargetExecutor} from '../../../src/testing/live/target-executor.js'
import {DAY, makeCertificate, toIssuer} from '../../certs/test-certificates.js'
import {hasTool} from '../../support/run-cli.js'
import {routingTest} from './routing-tests.js'

interface SServer {
  child: ChildProcess
  port: number
}

const running = new Set<ChildProcess>()

async function startSServer(args: string[]): Promise<SServer> {
  const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-www', ...args], {stdio: ['pipe', 'pipe', 'pipe']})
  running.add(child)
  child.once('exit', () => running.delete(child))
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output)
      if (match !== null) resolve(Number(match[1]))
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => reject(new Error(`openssl s_server exited ${code}: ${output}`)))
  })
  return {child, port}
}

function stopSServer(server: SServer): Promise<void> {
  if (server.child.exitCode !== null) return Promise.resolve()
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()))
  server.child.kill('SIGTERM')
  return exited
}

const MANIFESTS = (secretCrt: string, secretKey: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  gatewayClassName: any
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    hostname: good.example.com
    tls:
      mode: Terminate
      certificateRefs: [{name: good-tls}]
---
apiVersion: v1
kind: Secret
metadata: {name: good-tls, namespace: web}
type: kubernetes.io/tls
data:
  tls.crt: ${Buffer.from(secretCrt).toString('base64')}
  tls.key: ${Buffer.from(secretKey).toString('base64')}
`

describe('e2e: target executor against openssl s_server', function () {
  this.timeout(60_000)
  let dir: string
  let files: Record<string, string>
  const now = new Date()

  before(async function () {
    if (!(await hasTool('openssl'))) {
      console.log('      skipped: openssl is not on PATH')
      this.skip()
    }
    dir = mkdtempSync(join(tmpdir(), 'gwctl-sserver-'))
    const ca = await makeCertificate({commonName: 'test CA', isCA: true, now})
    const issuer = await toIssuer(ca)
    const otherCaCertificate = await makeCertificate({commonName: 'other CA', isCA: true, now})
    const otherCa = await toIssuer(otherCaCertificate)
    const leaves: Record<string, IssuedCertificate> = {
      good: await makeCertificate({commonName: 'good.example.com', dnsNames: ['good.example.com'], issuer, now}),
      expired: await makeCertificate({commonName: 'good.example.com', dnsNames: ['good.example.com'], issuer, now,
        notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() - 2 * DAY)}),
      wrongSan: await makeCertificate({commonName: 'other.example.com', dnsNames: ['other.example.com'], issuer, now}),
      untrusted: await makeCertificate({commonName: 'good.example.com', dnsNames: ['good.example.com'], issuer: otherCa, now}),
      client: await makeCertificate({commonName: 'client', usage: 'client', issuer, now}),
    }
    files = {}
    writeFileSync(join(dir, 'ca.crt'), ca.certificatePem)
    files.ca = join(dir, 'ca.crt')
    writeFileSync(join(dir, 'other-ca.pem'), otherCaCertificate.certificatePem)
    files.otherCa = join(dir, 'other-ca.pem')
    for (const [name, leaf] of Object.entries(leaves)) {
      writeFileSync(join(dir, `${name}.crt`), leaf.chainPem)
      writeFileSync(join(dir, `${name}.key`), leaf.privateKeyPem)
      files[name] = join(dir, `${name}.crt`)
      files[`${name}Key`] = join(dir, `${name}.key`)
    }
    writeFileSync(join(dir, 'gateway.yaml'), MANIFESTS(leaves.good.chainPem, leaves.good.privateKeyPem))
  })

  after(() => {
    for (const child of running) child.kill('SIGKILL')
    if (dir !== undefined) rmSync(dir, {recursive: true, force: true})
  })

  async function observe(serverArgs: string[], request: Parameters<typeof routingTest>[1], expect: Parameters<typeof routingTest>[2] = {}) {
    const server = await startSServer(serverArgs)
    try {
      const executor = await createTargetExecutor({paths: [join(dir, 'gateway.yaml')], targets: [`127.0.0.1:${server.port}`]})
      return await executor.execute(routingTest('s_server', request, expect, join(dir, 'edge.gwctl-test.yaml')))
    } finally {
      await stopSServer(server)
    }
  }

  it('a good certificate covers the SNI, chains to the manifests\' ca.crt and is the one in Secret web/good-tls', async () => {
    const observation = await observe(['-cert', files.good, '-key', files.goodKey], {sni: 'good.example.com', port: 443}, {certificate: {covers: true, secret: 'web/good-tls'}})
    assert.equal(observation.certificate?.covers, true, observation.trace.join('\n'))
    assert.equal(observation.certificate?.secret, 'web/good-tls')
    assert.deepEqual(observation.certificate?.dnsNames, ['good.example.com'])
    assert.equal(observation.status, 200)
    assert.ok(observation.trace.some((line) => line.includes(`verifies against the manifests' CA (${files.ca})`)), observation.trace.join('\n'))
  })

  it('a Secret the manifests do not hold cannot be matched: certificate.secret is not checkable', async () => {
    const observation = await observe(['-cert', files.wrongSan, '-key', files.wrongSanKey], {sni: 'good.example.com', port: 443}, {certificate: {secret: 'web/issued-by-cert-manager'}})
    assert.equal(observation.certificate?.secret, undefined)
    assert.deepEqual(Object.keys(observation.notCheckable ?? {}), ['certificate.secret'])
    assert.match(observation.notCheckable!['certificate.secret'], /Secret web\/issued-by-cert-manager holds no certificate in the manifests/)
    const known = await observe(['-cert', files.good, '-key', files.goodKey], {sni: 'good.example.com', port: 443}, {certificate: {secret: 'web/issued-by-cert-manager'}})
    assert.equal(known.certificate?.secret, 'web/good-tls', 'a certificate of another Secret is observed as that Secret: a real mismatch')
  })

  it('an expired certificate does not cover: its notAfter is in the past and the trace says expired', async () => {
    const observation = await observe(['-cert', files.expired, '-key', files.expiredKey], {sni: 'good.example.com', port: 443}, {certificate: {covers: true}})
    assert.equal(observation.certificate?.covers, false)
    assert.ok(Date.parse(observation.certificate!.notAfter) < now.getTime())
    assert.equal(observation.certificate?.secret, undefined)
    assert.ok(observation.trace.some((line) => /certificate expired at/.test(line)), observation.trace.join('\n'))
    assert.ok(observation.trace.some((line) => /CERT_HAS_EXPIRED/.test(line)), observation.trace.join('\n'))
  })

  it('a certificate whose SANs miss the SNI does not cover, though its chain verifies', async () => {
    const observation = await observe(['-cert', files.wrongSan, '-key', files.wrongSanKey], {sni: 'good.example.com', port: 443}, {certificate: {covers: true}})
    assert.equal(observation.certificate?.covers, false)
    assert.deepEqual(observation.certificate?.dnsNames, ['other.example.com'])
    assert.ok(observation.trace.includes('certificate names DNS:other.example.com do not cover good.example.com'), observation.trace.join('\n'))
    assert.ok(observation.trace.some((line) => line.startsWith('certificate chain verifies')), observation.trace.join('\n'))
  })

  it('a certificate from a CA the client does not trust does not cover; --ca-file changes the trust anchor', async () => {
    const observation = await observe(['-cert', files.untrusted, '-key', files.untrustedKey], {sni: 'good.example.com', port: 443}, {certificate: {covers: true}})
    assert.equal(observation.certificate?.covers, false)
    assert.ok(observation.trace.some((line) => line.startsWith('certificate chain does not verify against the manifests\' CA') && /UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)/.test(line)), observation.trace.join('\n'))
    const server = await startSServer(['-cert', files.untrusted, '-key', files.untrustedKey])
    try {
      const executor = await createTargetExecutor({paths: [join(dir, 'gateway.yaml')], targets: [`127.0.0.1:${server.port}`], caFiles: [files.otherCa]})
      const viaOtherCa = await executor.execute(routingTest('other ca', {sni: 'good.example.com', port: 443}, {}, join(dir, 'edge.gwctl-test.yaml')))
      assert.equal(viaOtherCa.certificate?.covers, true, viaOtherCa.trace.join('\n'))
      assert.ok(viaOtherCa.trace.includes(`certificate chain verifies against CA ${files.otherCa}`), viaOtherCa.trace.join('\n'))
    } finally {
      await stopSServer(server)
    }
  })

  it('an SNI the server does not serve is refused with its fatal unrecognized_name alert', async () => {
    const args = ['-cert', files.good, '-key', files.goodKey, '-cert2', files.good, '-key2', files.goodKey, '-servername', 'good.example.com', '-servername_fatal']
    const observation = await observe(args, {sni: 'nope.example.com', port: 443}, {refused: 'unrecognized_name'})
    assert.equal(observation.refused, 'unrecognized_name', observation.trace.join('\n'))
    assert.equal(observation.certificate, undefined)
  })

  it('a server that requires a client certificate refuses with certificate_required, and accepts the test\'s clientCertificate', async () => {
    const args = ['-cert', files.good, '-key', files.goodKey, '-Verify', '1', '-verifyCAfile', files.ca, '-verify_return_error']
    const without = await observe(args, {sni: 'good.example.com', port: 443}, {refused: 'certificate_required'})
    assert.equal(without.refused, 'certificate_required', without.trace.join('\n'))
    const withCertificate = await observe(args, {sni: 'good.example.com', port: 443, clientCertificate: {certificate: 'client.crt', key: 'client.key'}}, {status: 200})
    assert.equal(withCertificate.refused, undefined, withCertificate.trace.join('\n'))
    assert.equal(withCertificate.status, 200)
  })
})
