/**
 * Every fixture scenario served for real: backends started locally, the
 * built `gwctl serve` started with every listener port at an OS-chosen
 * local port, and each smoke entry of test/expectations/scenarios/<name>.yaml
 * checked with the real curl and openssl s_client — which backend answered,
 * which certificate was presented (the backend's in Passthrough, the
 * listener Secret's in Terminate, compared by subject and fingerprint),
 * redirects and the gateway's own HTTP answers, refusals.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {X509Certificate} from 'node:crypto'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import {analyzeManifests} from '../../src/lint/analyze.js'
import {decodeSecretText} from '../../src/gatewayapi/tls-secret.js'
import {
  certificateFingerprint, ROOT, runCurl, runSClient, startBackend, startServe, type Backend, type ServeProcess,
  killLeftoverServes,
} from './serve-harness.js'

interface SmokeEntry {
  sni?: string
  plaintext?: boolean
  port: number
  host?: string
  path?: string
  expect: {
    matched: boolean
    listener?: string
    mode?: string
    certificate?: {secret: string}
    backends?: Array<{namespace: string; name: string; port: number; weight: number}>
    redirect?: {statusCode: number; location: string}
    httpStatus?: number
  }
}

const SCENARIOS_DIR = join(ROOT, 'fixtures/scenarios')
const EXPECTATIONS_DIR = join(ROOT, 'test/expectations/scenarios')

/** The Secret `certs create --for` would write for a cert-manager Certificate: a self-signed pair for its dnsNames. */
function writeIssuedSecret(dir: string, namespace: string, name: string, dnsNames: string[]): void {
  const key = join(dir, 'issued.key')
  const crt = join(dir, 'issued.crt')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${dnsNames[0]}`,
    '-addext', `subjectAltName=${dnsNames.map((dns) => `DNS:${dns}`).join(',')}`, '-keyout', key, '-out', crt], {stdio: 'ignore'})
  const data = (file: string) => readFileSync(file).toString('base64')
  writeFileSync(join(dir, 'issued-secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: ${namespace}}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${data(crt)}\n  tls.key: ${data(key)}\n`)
  rmSync(key)
  rmSync(crt)
}

function backendCertificateFor(dir: string, sni: string): string | undefined {
  const tlsDir = join(dir, 'backend-tls')
  if (!existsSync(tlsDir)) return undefined
  const exact = join(tlsDir, `${sni}.crt`)
  const wildcard = join(tlsDir, `wildcard.${sni.split('.').slice(1).join('.')}.crt`)
  const file = existsSync(exact) ? exact : existsSync(wildcard) ? wildcard : undefined
  return file === undefined ? undefined : readFileSync(file, 'utf8')
}

const scenarios = readdirSync(EXPECTATIONS_DIR).filter((file) => file.endsWith('.yaml')).map((file) => file.slice(0, -5)).sort()

describe('e2e: gwctl serve runs every fixture scenario (curl, openssl s_client)', function () {
  this.timeout(60_000)
  after(killLeftoverServes)
  for (const scenario of scenarios) {
    describe(scenario, () => {
      const expectations = parse(readFileSync(join(EXPECTATIONS_DIR, `${scenario}.yaml`), 'utf8')) as {smoke?: SmokeEntry[]; requires?: string[]}
      const dir = join(SCENARIOS_DIR, scenario)
      const backends: Backend[] = []
      const secretCertificates = new Map<string, string>()
      let serve: ServeProcess
      let extraDir: string | undefined

      before(async () => {
        const paths = [dir]
        const analysis = await analyzeManifests([dir])
        if (expectations.requires?.includes('certs-create-for')) {
          extraDir = mkdtempSync(join(tmpdir(), 'gwctl-serve-'))
          for (const certificate of analysis.snapshot.certificates) {
            writeIssuedSecret(extraDir, certificate.meta.namespace, certificate.secretName, certificate.dnsNames)
          }
          paths.push(extraDir)
        }
        const final = extraDir === undefined ? analysis : await analyzeManifests(paths)
        for (const secret of final.snapshot.secrets) {
          const pem = decodeSecretText(secret.data['tls.crt'] ?? '')
          if (pem !== undefined && pem.includes('BEGIN CERTIFICATE')) secretCertificates.set(`${secret.meta.namespace}/${secret.meta.name}`, pem)
        }
        const seen = new Set<string>()
        const args = [...paths]
        for (const route of final.binding.routes) {
          const passthrough = route.route.kind === 'TLSRoute' && route.parents.some((parent) => parent.attachments.some(({listener}) => listener.mode === 'Passthrough'))
          for (const rule of route.rules) {
            for (const backend of rule.backends) {
              const key = `${backend.ref.namespace}/${backend.ref.name}:${backend.ref.port}`
              if (seen.has(key)) continue
              seen.add(key)
              const started = await startBackend(key, passthrough ? join(dir, 'backend-tls') : undefined)
              backends.push(started)
              args.push('--backend', `${key}=127.0.0.1:${started.port}`)
            }
          }
        }
        const ports = new Set(final.binding.gateways.flatMap((gateway) => gateway.listeners.map((listener) => listener.spec.port)))
        for (const port of ports) args.push('--port-map', `${port}=0`)
        serve = await startServe(args)
      })

      after(async () => {
        const stopped = await serve?.stop()
        assert.equal(stopped?.exitCode, 0, `serve exit code; stderr: ${stopped?.stderr}`)
        for (const backend of backends) backend.server.close()
        if (extraDir !== undefined) rmSync(extraDir, {recursive: true})
      })

      for (const [index, entry] of (expectations.smoke ?? []).entries()) {
        const label = `${entry.plaintext ? 'plaintext' : `SNI ${entry.sni === '' ? '(none)' : entry.sni}`} :${entry.port}${entry.host === undefined ? '' : ` Host ${entry.host}${entry.path ?? ''}`} → ${entry.expect.matched ? entry.expect.route === undefined ? 'matched' : `${(entry.expect as {route: {name: string}}).route.name}` : `refused${entry.expect.httpStatus ? ` ${entry.expect.httpStatus}` : ''}`}`
        it(`smoke ${index}: ${label}`, async () => {
          await checkSmoke(serve, entry, dir, secretCertificates)
        })
      }
    })
  }
})

function expectedBackendKeys(entry: SmokeEntry): string[] {
  return (entry.expect.backends ?? []).filter((backend) => backend.weight > 0).map((backend) => `${backend.namespace}/${backend.name}:${backend.port}`)
}

function answeringBackend(body: string): string | undefined {
  return /^backend=(.+)$/m.exec(body)?.[1]
}

async function checkSmoke(serve: ServeProcess, entry: SmokeEntry, dir: string, secretCertificates: Map<string, string>): Promise<void> {
  const bound = serve.listeners.some((listener) => listener.port === entry.port)
  if (!bound) {
    assert.equal(entry.expect.matched, false, `port ${entry.port} is not served, but the expectation matches`)
    return
  }
  const local = serve.localPort(entry.port)
  const {expect} = entry
  if (entry.plaintext) {
    const url = entry.host === undefined ? `http://127.0.0.1:${local}${entry.path ?? '/'}` : `http://${entry.host}:${local}${entry.path ?? '/'}`
    const resolve = entry.host === undefined ? [] : ['--resolve', `${entry.host}:${local}:127.0.0.1`]
    const result = await runCurl(url, resolve)
    checkHttpAnswer(result, entry)
    return
  }
  const sni = entry.sni ?? ''
  const isHttp = entry.host !== undefined
  const hostForUrl = sni === '' ? '127.0.0.1' : sni
  const curlArgs = ['-k', ...(sni === '' ? [] : ['--resolve', `${sni}:${local}:127.0.0.1`]), ...(isHttp && entry.host !== sni ? ['-H', `Host: ${entry.host}`] : [])]
  const url = `https://${hostForUrl}:${local}${entry.path ?? '/'}`
  const presented = await runSClient(local, sni, '', ['-showcerts'])

  if (expect.certificate !== undefined) {
    const pem = secretCertificates.get(expect.certificate.secret)
    assert.ok(pem !== undefined, `Secret ${expect.certificate.secret} is in the input`)
    assert.ok(presented.certificate !== undefined, `a certificate is presented; openssl said:\n${presented.output}`)
    assert.equal(certificateFingerprint(presented.certificate), certificateFingerprint(pem), 'the gateway presents the listener Secret\'s certificate')
  }
  if (!expect.matched && expect.httpStatus === undefined) {
    assert.equal(presented.certificate, undefined, 'no certificate is presented to a refused client')
    const result = await runCurl(url, curlArgs)
    assert.notEqual(result.exitCode, 0, 'curl fails to connect')
    return
  }
  if (expect.mode === 'Passthrough') {
    const backendPem = backendCertificateFor(dir, sni)
    assert.ok(presented.certificate !== undefined, `a certificate is presented; openssl said:\n${presented.output}`)
    if (backendPem !== undefined) {
      assert.equal(new X509Certificate(presented.certificate).subject, new X509Certificate(backendPem).subject, 'the subject is the backend\'s')
      assert.equal(certificateFingerprint(presented.certificate), certificateFingerprint(backendPem), 'the certificate is the backend\'s own')
    }
    const result = await runCurl(url, curlArgs)
    assert.equal(result.status, 200, `curl: ${result.stderr}`)
    assert.ok(expectedBackendKeys(entry).includes(answeringBackend(result.body) ?? ''), `answered by ${answeringBackend(result.body)}`)
    return
  }
  if (!isHttp) {
    const answer = await runSClient(local, sni, 'GET / HTTP/1.0\r\n\r\n', ['-quiet', '-ign_eof'])
    if (expect.matched) assert.ok(expectedBackendKeys(entry).includes(answeringBackend(answer.output) ?? ''), `answered by ${answeringBackend(answer.output)}:\n${answer.output}`)
    else assert.equal(answeringBackend(answer.output), undefined)
    return
  }
  checkHttpAnswer(await runCurl(url, curlArgs), entry)
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
    return
  }
  assert.equal(result.status, 200, `${result.stderr}${result.body}`)
  assert.ok(expectedBackendKeys(entry).includes(answeringBackend(result.body) ?? ''), `answered by ${answeringBackend(result.body)}; expected one of ${expectedBackendKeys(entry).join(', ')}`)
}
