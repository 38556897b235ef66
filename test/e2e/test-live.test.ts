/**
 * `gwctl test --live` and `--target` end to end with the built CLI (issue 13
 * §3 §4): every fixture scenario's test file passes as real traffic through
 * `gwctl serve --stub-backends` (cert-manager with the Secret `certs create
 * --for` issues into a temporary directory; without it, its certificate test
 * is not checkable and says how to make one); each broken variant's test file
 * fails live too, naming the cause; --target against a separately started
 * `gwctl serve` standing in for a real gateway and against `openssl s_server`
 * (wrong SAN, expired, untrusted: the test fails naming the certificate
 * problem); every output format names the executor and carries the live
 * trace; the flags' usage errors. Loopback only, OS-chosen ports. Build
 * first (`npm run build`).
 */
import {strict as assert} from 'node:assert'
import {spawn, type ChildProcess} from 'node:child_process'
import {createServer as createHttpServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {readdirSync, readFileSync} from 'node:fs'
import {cp, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {DAY, makeCertificate, toIssuer} from '../certs/test-certificates.js'
import {FIXTURES} from '../support/fixture-expectations.js'
import {hasTool, runGwctl} from '../support/run-cli.js'
import {killLeftoverServes, startServe} from './serve-harness.js'

const SCENARIOS = readdirSync(path.join(FIXTURES, 'scenarios')).sort()
const BROKEN = readdirSync(path.join(FIXTURES, 'broken')).sort()
/** The variants whose mistake does not change routing (their test files say why): they pass. */
const ROUTING_UNCHANGED = new Set(['passthrough-with-certificate-refs', 'secret-wrong-type'])
const VARIANT_FLAGS: Record<string, string[]> = {'v1alpha2-tlsroute-deprecated': ['--channel', 'standard']}
/** Scenarios whose listeners need a Secret that `certs create --for` issues (cert-manager's). */
const NEEDS_ISSUED_SECRETS = new Set(['cert-manager'])

interface JsonReport {
  executor: string
  executorDetails?: string[]
  summary: {files: number; tests: number; passed: number; failed: number; notCheckable: number}
  results: Array<{name: string; status: string; trace: string[]; checks: Array<{key: string; outcome: string; note?: string}>; causes: Array<{ruleId: string}>}>
}

function readReport(stdout: string): JsonReport {
  try {
    return JSON.parse(stdout) as JsonReport
  } catch {
    assert.fail(`not JSON: ${stdout}`)
  }
}

/** Expected findings per broken variant, from the fixtures README table. */
function readExpectedFindings(): Map<string, string[]> {
  const readme = readFileSync(path.join(FIXTURES, 'README.md'), 'utf8')
  const rows = [...readme.matchAll(/^\| \[([\w-]+)\]\(broken\/[\w-]+\/\) \| [\w-]+ \| .*? \| (.*?) \|$/gm)]
  return new Map(rows.map((row) => [row[1], row[2].split(',').map((rule) => rule.trim())]))
}

describe('e2e: gwctl test --live and --target (issue 13 §3 §4)', function () {
  this.timeout(600_000)
  let root: string

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gwctl-test-live-'))
  })
  after(async () => {
    killLeftoverServes()
    await rm(root, {recursive: true, force: true})
  })

  describe('--live --stub-backends over every fixture scenario', () => {
    for (const scenario of SCENARIOS) {
      it(`${scenario}: every test passes live`, async () => {
        const paths = [path.join(FIXTURES, 'scenarios', scenario)]
        if (NEEDS_ISSUED_SECRETS.has(scenario)) {
          const issued = path.join(root, `${scenario}-issued`)
          const created = await runGwctl(['certs', 'create', '--for', paths[0], '--out-dir', issued])
          assert.equal(created.exitCode, 0, created.stderr)
          paths.push(issued)
        }
        const result = await runGwctl(['test', '-o', 'json', '--live', '--stub-backends', ...paths])
        assert.equal(result.exitCode, 0, `${scenario}: ${result.stdout}${result.stderr}`)
        const report = readReport(result.stdout)
        assert.equal(report.executor, 'live')
        assert.ok(report.summary.tests > 0)
        assert.deepEqual(report.summary, {...report.summary, passed: report.summary.tests, failed: 0, notCheckable: 0}, result.stdout)
        assert.ok(report.executorDetails?.some((line) => line.includes('--stub-backends')), JSON.stringify(report.executorDetails))
      })
    }

    it('the whole scenario tree at once (one serve per Gateway; each set\'s ca.crt trusted), with cert-manager\'s Secret issued', async () => {
      const scenarios = path.join(FIXTURES, 'scenarios')
      const issued = path.join(root, 'tree-issued')
      const created = await runGwctl(['certs', 'create', '--for', path.join(scenarios, 'cert-manager'), '--out-dir', issued])
      assert.equal(created.exitCode, 0, created.stderr)
      const result = await runGwctl(['test', '-o', 'json', '--live', '--stub-backends', scenarios, issued])
      assert.equal(result.exitCode, 0, result.stdout + result.stderr)
      assert.equal(result.stderr, '', 'no warning (one exit handler for every serve child)')
      const report = readReport(result.stdout)
      assert.deepEqual(report.summary, {...report.summary, files: SCENARIOS.length, passed: report.summary.tests, failed: 0, notCheckable: 0}, result.stdout)
    })

    it('cert-manager without the issued Secret: its certificate test is not checkable and says how to issue one; the rest pass', async () => {
      const result = await runGwctl(['test', '--live', '--stub-backends', path.join(FIXTURES, 'scenarios', 'cert-manager')])
      assert.equal(result.exitCode, 0, result.stdout + result.stderr)
      assert.match(result.stdout, /is issued by cert-manager Certificate cert-manager\/app-example-com in the cluster and is not in the input.*gwctl certs create --for/)
      assert.match(result.stdout, /3 tests: 2 passed, 0 failed, 1 not checkable \(live\)$/)
    })

    it('a weighted expectation is sampled within the stated --tolerance', async () => {
      const result = await runGwctl(['test', '-o', 'json', '--live', '--stub-backends', '--tolerance', '10', path.join(FIXTURES, 'scenarios', 'weighted-canary')])
      assert.equal(result.exitCode, 0, result.stdout + result.stderr)
      const weighted = readReport(result.stdout).results.find((entry) => entry.checks.some((check) => check.key === 'backends'))!
      assert.ok(weighted.trace.some((line) => /connections, enough to check each share within ± 10 percentage points at 99% confidence/.test(line)), weighted.trace.join('\n'))
    })
  })

  describe('broken variants fail live, naming the cause', () => {
    const expected = readExpectedFindings()
    for (const variant of BROKEN) {
      it(`broken/${variant}`, async () => {
        const result = await runGwctl(['test', '--live', '--stub-backends', ...(VARIANT_FLAGS[variant] ?? []), path.join(FIXTURES, 'broken', variant)])
        if (ROUTING_UNCHANGED.has(variant)) {
          assert.equal(result.exitCode, 0, result.stdout + result.stderr)
          return
        }
        assert.equal(result.exitCode, 1, result.stdout + result.stderr)
        assert.match(result.stdout, /failed, \d+ not checkable \(live\)$/)
        const causes = [...result.stdout.matchAll(/^ {6}cause: ([\w-]+) /gm)].map((match) => match[1])
        const named = expected.get(variant)!.filter((rule) => causes.includes(rule))
        assert.ok(named.length > 0, `${variant}: a failure names one of ${expected.get(variant)!.join(', ')}; causes: ${causes.join(', ')}\n${result.stdout}`)
      })
    }
  })

  describe('output formats show the executor and the live trace', () => {
    let failing: string

    before(async () => {
      failing = path.join(root, 'failing')
      await cp(path.join(FIXTURES, 'scenarios', 'passthrough'), failing, {recursive: true})
      await writeFile(path.join(failing, 'routing.gwctl-test.yaml'), `kind: RoutingTests
tests:
- name: app is passed through
  request: {sni: app.example.com, port: 443}
  expect: {backend: passthrough/app:443, certificate: {covers: true}}
- name: app goes to the wrong port
  request: {sni: app.example.com, port: 443}
  expect: {backend: passthrough/app:8443}
`)
    })

    it('stylish, json, junit, tap, github', async () => {
      const run = (format: string) => runGwctl(['test', '-o', format, '--live', '--stub-backends', 'failing'], {cwd: root})
      const [stylish, json, junit, tap, github] = await Promise.all(['stylish', 'json', 'junit', 'tap', 'github'].map(run))
      for (const result of [stylish, json, junit, tap, github]) assert.equal(result.exitCode, 1, result.stdout + result.stderr)
      assert.match(stylish.stdout, /^live: gwctl serve failing --gateway passthrough\/tls-passthrough .*--stub-backends.*: tls:443→127\.0\.0\.1:\d+; 1 stub backends\n/)
      assert.match(stylish.stdout, /✔ app is passed through\n/)
      assert.match(stylish.stdout, /✗ app goes to the wrong port \(failing\/routing\.gwctl-test\.yaml:6:3\)\n {6}backend: expected passthrough\/app:8443, got passthrough\/app:443\n {6}trace:\n(.|\n)*backend says: gwctl-stub-backend passthrough\/app:443\n(.|\n)*gwctl serve access log: outcome ok, listener tls, route TLSRoute passthrough\/app/)
      assert.match(stylish.stdout, /2 tests: 1 passed, 1 failed, 0 not checkable \(live\)$/)
      const report = readReport(json.stdout)
      assert.equal(report.executor, 'live')
      assert.ok(report.results[0].trace.some((line) => /certificate chain verifies against .*stub backends' CA/.test(line)), report.results[0].trace.join('\n'))
      assert.match(junit.stdout, /<testsuites name="gwctl test \(live\)" tests="2" failures="1"/)
      assert.match(junit.stdout, /<property name="live" value="gwctl serve failing /)
      assert.match(junit.stdout, /gwctl serve access log: outcome ok/)
      assert.match(tap.stdout, /^TAP version 14\n# live: gwctl serve failing /)
      assert.match(tap.stdout, /- "backend says: gwctl-stub-backend passthrough\/app:443"/)
      assert.match(github.stdout, /^::error file=failing\/routing\.gwctl-test\.yaml,line=6,col=3,.*%0Atrace:.*gwctl serve access log/m)
      assert.match(github.stdout, /::notice title=gwctl test::2 tests: 1 passed, 1 failed, 0 not checkable \(live\)%0Alive: gwctl serve/)
    })
  })

  describe('--target against a separately started gwctl serve', () => {
    it('https-termination: SNI, certificate, refusals and the stub backends\' identities pass; listener and route are not checkable', async () => {
      const dir = path.join(FIXTURES, 'scenarios', 'https-termination')
      const serve = await startServe([dir, '--port-map', '443=0', '--stub-backends'])
      try {
        const result = await runGwctl(['test', '-o', 'json', '--target', `127.0.0.1:${serve.localPort(443)}`, dir])
        assert.equal(result.exitCode, 0, result.stdout + result.stderr)
        const report = readReport(result.stdout)
        assert.equal(report.executor, 'target')
        assert.deepEqual(report.summary, {files: 1, tests: 5, passed: 5, failed: 0, notCheckable: 0}, result.stdout)
        const first = report.results[0]
        assert.deepEqual(first.checks.filter((check) => check.outcome === 'not-checkable').map((check) => check.key), ['listener', 'route'])
        assert.ok(first.checks.filter((check) => check.outcome === 'passed').map((check) => check.key).includes('certificate.secret'))
        assert.ok(report.executorDetails?.some((line) => line.includes(`443→127.0.0.1:${serve.localPort(443)}`)), JSON.stringify(report.executorDetails))
      } finally {
        await serve.stop()
      }
    })

    it('--target-map names the Gateway; a test expecting another backend fails against it', async () => {
      const dir = path.join(root, 'target-wrong')
      await cp(path.join(FIXTURES, 'scenarios', 'passthrough'), dir, {recursive: true})
      await writeFile(path.join(dir, 'routing.gwctl-test.yaml'), 'kind: RoutingTests\ntests:\n- name: app goes elsewhere\n  request: {sni: app.example.com, port: 443}\n  expect: {backend: passthrough/other:443}\n')
      const serve = await startServe([dir, '--port-map', '443=0', '--stub-backends'])
      try {
        const result = await runGwctl(['test', '--target-map', `passthrough/tls-passthrough:443=127.0.0.1:${serve.localPort(443)}`, dir])
        assert.equal(result.exitCode, 1, result.stdout + result.stderr)
        assert.match(result.stdout, /backend: expected passthrough\/other:443, got passthrough\/app:443 \(no Service passthrough\/other in the manifests\)/)
        assert.match(result.stdout, /1 tests?: 0 passed, 1 failed, 0 not checkable \(target\)$/)
      } finally {
        await serve.stop()
      }
    })
  })

  describe('the test file\'s backendHeader: real backends naming themselves in a header of their own', () => {
    const servers: Server[] = []
    /** An HTTP backend that names itself only in x-served-by, as a team's real services might. */
    async function startNamedBackend(key: string): Promise<string> {
      const server = createHttpServer((request, response) => {
        response.writeHead(200, {'x-served-by': key, 'content-type': 'text/plain'})
        response.end('hello\n')
      })
      servers.push(server)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      return `${key}=127.0.0.1:${(server.address() as AddressInfo).port}`
    }
    after(async () => {
      for (const server of servers) await new Promise((resolve) => server.close(resolve))
    })

    it('--target: the backend is identified through the file\'s setting alone, which wins over --backend-header; a file without one uses the flag', async () => {
      const dir = path.join(root, 'backend-header')
      await cp(path.join(FIXTURES, 'scenarios', 'https-termination'), dir, {recursive: true})
      const expectations = 'tests:\n- name: /api goes to shop-api\n  request: {sni: shop.example.com, port: 443, path: /api/orders}\n  expect: {backend: https-termination/shop-api:8080, status: 200}\n'
      await writeFile(path.join(dir, 'routing.gwctl-test.yaml'), `kind: RoutingTests\nbackendHeader: X-Served-By\n${expectations}`)
      const flagFile = path.join(root, 'backend-header-flag.gwctl-test.yaml')
      await writeFile(flagFile, `kind: RoutingTests\n${expectations.replace('/api goes', 'flag default, /api goes')}`)
      const backends = [await startNamedBackend('https-termination/shop-api:8080'), await startNamedBackend('https-termination/storefront:80')]
      const serve = await startServe([dir, '--port-map', '443=0', ...backends.flatMap((flag) => ['--backend', flag])])
      try {
        const target = ['--target', `127.0.0.1:${serve.localPort(443)}`]
        const withFile = await runGwctl(['test', '-o', 'json', ...target, dir])
        assert.equal(withFile.exitCode, 0, withFile.stdout + withFile.stderr)
        const report = readReport(withFile.stdout)
        assert.deepEqual(report.summary, {files: 1, tests: 1, passed: 1, failed: 0, notCheckable: 0}, withFile.stdout)
        assert.ok(report.results[0].trace.includes('a backend names itself in x-served-by (the test file\'s backendHeader)'), report.results[0].trace.join('\n'))
        assert.deepEqual(report.results[0].checks.map((check) => [check.key, check.outcome]), [['backend', 'passed'], ['status', 'passed']])

        const both = await runGwctl(['test', '-o', 'json', ...target, '--backend-header', 'x-nothing', '--tests', flagFile, dir])
        assert.equal(both.exitCode, 0, both.stdout + both.stderr)
        const results = readReport(both.stdout).results
        const byFlag = results.find((result) => result.name.startsWith('flag default'))!
        assert.equal(byFlag.checks.find((check) => check.key === 'backend')?.outcome, 'not-checkable', JSON.stringify(byFlag))
        assert.match(byFlag.checks.find((check) => check.key === 'backend')?.note ?? '', /no x-nothing header/)
        assert.equal(results.find((result) => result.name === '/api goes to shop-api')?.status, 'passed')

        const flagged = await runGwctl(['test', '-o', 'json', ...target, '--backend-header', 'x-served-by', '--tests', flagFile, dir])
        assert.deepEqual(readReport(flagged.stdout).summary, {files: 2, tests: 2, passed: 2, failed: 0, notCheckable: 0}, flagged.stdout)
      } finally {
        await serve.stop()
      }
    })
  })

  describe('--live starts serve only for the Gateways the tests address', () => {
    it('--gateway NS/NAME, or only tests of one Gateway: one serve; tests of two Gateways: two', async () => {
      const dir = path.join(root, 'two-gateways')
      for (const scenario of ['https-termination', 'passthrough']) await cp(path.join(FIXTURES, 'scenarios', scenario), path.join(dir, scenario), {recursive: true})
      const serves = (report: JsonReport) => (report.executorDetails ?? []).filter((line) => line.startsWith('gwctl serve ')).map((line) => /--gateway (\S+)/.exec(line)?.[1])
      const narrowed = await runGwctl(['test', '-o', 'json', '--live', '--stub-backends', '--gateway', 'https-termination/shop', dir])
      assert.equal(narrowed.exitCode, 0, narrowed.stdout + narrowed.stderr)
      assert.deepEqual(serves(readReport(narrowed.stdout)), ['https-termination/shop'], narrowed.stdout)
      const all = await runGwctl(['test', '-o', 'json', '--live', '--stub-backends', dir])
      assert.equal(all.exitCode, 0, all.stdout + all.stderr)
      assert.deepEqual(serves(readReport(all.stdout)).sort(), ['https-termination/shop', 'passthrough/tls-passthrough'], all.stdout)
      await rm(path.join(dir, 'https-termination', 'routing.gwctl-test.yaml'))
      const onlyPassthrough = await runGwctl(['test', '-o', 'json', '--live', '--stub-backends', dir])
      assert.equal(onlyPassthrough.exitCode, 0, onlyPassthrough.stdout + onlyPassthrough.stderr)
      assert.deepEqual(serves(readReport(onlyPassthrough.stdout)), ['passthrough/tls-passthrough'], onlyPassthrough.stdout)
    })
  })

  describe('--target against openssl s_server: the certificate checks', () => {
    const servers = new Set<ChildProcess>()
    let dir: string
    const files: Record<string, string> = {}

    before(async function () {
      if (!(await hasTool('openssl'))) {
        console.log('      skipped: openssl is not on PATH')
        this.skip()
      }
      dir = path.join(root, 's-server')
      const now = new Date()
      const ca = await makeCertificate({commonName: 'test CA', isCA: true, now})
      const issuer = await toIssuer(ca)
      const other = await toIssuer(await makeCertificate({commonName: 'other CA', isCA: true, now}))
      const leaves = {
        good: await makeCertificate({commonName: 'good.example.com', dnsNames: ['good.example.com'], issuer, now}),
        wrongSan: await makeCertificate({commonName: 'other.example.com', dnsNames: ['other.example.com'], issuer, now}),
        expired: await makeCertificate({commonName: 'good.example.com', dnsNames: ['good.example.com'], issuer, now,
          notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() - 2 * DAY)}),
        untrusted: await makeCertificate({commonName: 'good.example.com', dnsNames: ['good.example.com'], issuer: other, now}),
      }
      await cp(path.join(FIXTURES, 'scenarios', 'passthrough'), dir, {recursive: true, filter: (source) => !/\.(ya?ml|crt)$/.test(source) || source.endsWith('namespace.yaml')})
      await rm(path.join(dir, 'backend-tls'), {recursive: true, force: true})
      await writeFile(path.join(dir, 'ca.crt'), ca.certificatePem)
      for (const [name, leaf] of Object.entries(leaves)) {
        files[name] = path.join(dir, `${name}.pem`)
        files[`${name}Key`] = path.join(dir, `${name}.key`)
        await writeFile(files[name], leaf.chainPem)
        await writeFile(files[`${name}Key`], leaf.privateKeyPem)
      }
      await writeFile(path.join(dir, 'gateway.yaml'), `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  gatewayClassName: any
  listeners:
  - {name: https, protocol: HTTPS, port: 443, hostname: good.example.com, tls: {mode: Terminate, certificateRefs: [{name: good-tls}]}}
---
apiVersion: v1
kind: Secret
metadata: {name: good-tls, namespace: web}
type: kubernetes.io/tls
data: {tls.crt: ${Buffer.from(leaves.good.chainPem).toString('base64')}, tls.key: ${Buffer.from(leaves.good.privateKeyPem).toString('base64')}}
`)
      await writeFile(path.join(dir, 'edge.gwctl-test.yaml'), 'kind: RoutingTests\ntests:\n- name: good.example.com presents a good certificate\n  request: {sni: good.example.com, port: 443}\n  expect: {status: 200, certificate: {covers: true, secret: web/good-tls, validDaysAtLeast: 14}}\n')
    })

    after(() => {
      for (const child of servers) child.kill('SIGKILL')
    })

    async function runAgainst(certificate: string): Promise<{exitCode: number; stdout: string; stderr: string}> {
      const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-www', '-cert', files[certificate], '-key', files[`${certificate}Key`]], {stdio: ['pipe', 'pipe', 'pipe']})
      servers.add(child)
      try {
        let output = ''
        const port = await new Promise<number>((resolve, reject) => {
          child.stdout!.on('data', (chunk: Buffer) => {
            output += chunk.toString()
            const match = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output)
            if (match !== null) resolve(Number(match[1]))
          })
          child.once('exit', (code) => reject(new Error(`openssl s_server exited ${code}: ${output}`)))
        })
        return await runGwctl(['test', '--target', `127.0.0.1:${port}`, dir])
      } finally {
        child.kill('SIGTERM')
        servers.delete(child)
      }
    }

    it('a good certificate: the test passes (listener and route not checkable)', async () => {
      const result = await runAgainst('good')
      assert.equal(result.exitCode, 0, result.stdout + result.stderr)
      assert.match(result.stdout, /1 test: 1 passed, 0 failed, 0 not checkable \(target\)$/)
    })

    const problems: Array<[string, RegExp]> = [
      ['wrongSan', /certificate\.covers: expected true, got false(.|\n)*certificate names DNS:other\.example\.com do not cover good\.example\.com/],
      ['expired', /certificate\.covers: expected true, got false(.|\n)*certificate expired at /],
      ['untrusted', /certificate\.covers: expected true, got false(.|\n)*certificate chain does not verify against the manifests' CA \(.*ca\.crt\): UNABLE_TO_VERIFY_LEAF_SIGNATURE/],
    ]
    for (const [certificate, problem] of problems) {
      it(`${certificate}: the test fails naming the certificate problem`, async () => {
        const result = await runAgainst(certificate)
        assert.equal(result.exitCode, 1, result.stdout + result.stderr)
        assert.match(result.stdout, problem)
      })
    }
  })

  it('the README\'s --live commands work as written (a temporary directory for /tmp/cert-manager-local)', async () => {
    const readme = readFileSync(path.join(FIXTURES, '..', 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### --live and --target'))
    const block = section.slice(section.indexOf('```sh') + 5, section.indexOf('```', section.indexOf('```sh') + 5))
    const issued = path.join(root, 'cert-manager-local')
    const commands = block.split('\n').filter((line) => line.startsWith('npx gwctl ')).map((line) => line.replace(/#.*$/, '').trim().replaceAll('/tmp/cert-manager-local', issued))
    assert.ok(commands.length >= 3, block)
    for (const command of commands) {
      const result = await runGwctl(command.split(/\s+/).slice(2), {cwd: path.join(FIXTURES, '..')})
      assert.equal(result.exitCode, 0, `${command}: ${result.stdout}${result.stderr}`)
      if (command.includes('gwctl test')) assert.match(result.stdout, / 0 failed, 0 not checkable \(live\)$/, command)
    }
  })

  describe('flags', () => {
    const passthrough = path.join(FIXTURES, 'scenarios', 'passthrough')
    const usage: Array<[string[], RegExp]> = [
      [['--stub-backends'], /--live/],
      [['--live', '--target', '127.0.0.1'], /--target|--live/],
      [['--live'], /--live needs backends to send traffic to: --stub-backends .* or --backend\/--backends/],
      [['--ca-file', 'ca.crt'], /--ca-file applies to --live and --target/],
      [['--live', '--stub-backends', '--tolerance', '60'], /--tolerance '60' is not a number of percentage points above 0 and below 50/],
      [['--init', '--live'], /--live|--init/],
      [['--target', 'nope:99999'], /--target "nope:99999": expected HOST or HOST:PORT/],
    ]
    for (const [flags, message] of usage) {
      it(`${flags.join(' ')}: exit 2`, async () => {
        const result = await runGwctl(['test', ...flags, passthrough])
        assert.equal(result.exitCode, 2, result.stdout + result.stderr)
        assert.match(result.stderr, message)
      })
    }
  })
})
