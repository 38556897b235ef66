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
import {X509Certificate} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'
import {
  certificateFingerprint, findAnsweringBackend, killLeftoverServes, ROOT, runCurl, runSClient, serveScenario, type ServedScenario, type ServeProcess,
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
    route?: {kind: string; namespace: string; name: string}
    backends?: Array<{namespace: string; name: string; port: number; weight: number}>
    redirect?: {statusCode: number; location: string}
    httpStatus?: number
  }
}

const SCENARIOS_DIR = join(ROOT, 'fixtures/scenarios')
const EXPECTATIONS_DIR = join(ROOT, 'test/expectations/scenarios')

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
      let served: ServedScenario

      before(async () => {
        served = await serveScenario(dir, {issueSecrets: expectations.requires?.includes('certs-create-for')})
      })

      after(async () => {
        const stopped = await served?.stop()
        assert.equal(stopped?.exitCode, 0, `serve exit code; stderr: ${stopped?.stderr}`)
      })

      for (const [index, entry] of (expectations.smoke ?? []).entries()) {
        const label = `${entry.plaintext ? 'plaintext' : `SNI ${entry.sni === '' ? '(none)' : entry.sni}`} :${entry.port}${entry.host === undefined ? '' : ` Host ${entry.host}${entry.path ?? ''}`} → ${entry.expect.matched ? entry.expect.route === undefined ? 'matched' : entry.expect.route.name : `refused${entry.expect.httpStatus ? ` ${entry.expect.httpStatus}` : ''}`}`
        it(`smoke ${index}: ${label}`, async () => {
          await checkSmoke(served.serve, entry, dir, served.secretCertificates)
        })
      }
    })
  }
})

function expectedBackendKeys(entry: SmokeEntry): string[] {
  return (entry.expect.backends ?? []).filter((backend) => backend.weight > 0).map((backend) => `${backend.namespace}/${backend.name}:${backend.port}`)
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
    assert.ok(expectedBackendKeys(entry).includes(findAnsweringBackend(result.body) ?? ''), `answered by ${findAnsweringBackend(result.body)}`)
    return
  }
  if (!isHttp) {
    const answer = await runSClient(local, sni, 'GET / HTTP/1.0\r\n\r\n', ['-quiet', '-ign_eof'])
    if (expect.matched) assert.ok(expectedBackendKeys(entry).includes(findAnsweringBackend(answer.output) ?? ''), `answered by ${findAnsweringBackend(answer.output)}:\n${answer.output}`)
    else assert.equal(findAnsweringBackend(answer.output), undefined)
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
  assert.ok(expectedBackendKeys(entry).includes(findAnsweringBackend(result.body) ?? ''), `answered by ${findAnsweringBackend(result.body)}; expected one of ${expectedBackendKeys(entry).join(', ')}`)
}
