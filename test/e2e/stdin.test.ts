/**
 * Piped stdin is read only when asked for (`-`, `-f -`), whatever the timing
 * of the writer: the built CLI runs as a real child process whose stdin is
 * a pipe written at once, written after a delay, or held open without end.
 * Each case runs several times, since the failure this guards against
 * (oclif reading stdin into the first positional argument) depended on
 * timing. A command that does not ask for stdin must finish without
 * reading it, even while the pipe stays open.
 */
import {strict as assert} from 'node:assert'
import {spawn} from 'node:child_process'
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {REPO_ROOT} from '../support/fixture-expectations.js'
import {BIN, type RunResult} from '../support/run-cli.js'

/** How the test writes the child's stdin: at once and close; after a delay and close; after a delay and never close. */
type Writer = 'immediate' | 'delayed' | 'held-open'

const WRITE_DELAY_MS = 300
const REPEAT = 3

function runWithStdin(args: string[], text: string, writer: Writer, cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...process.env, NO_COLOR: '1'}, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.stdin.on('error', () => {})
    const write = () => {
      if (child.exitCode !== null || child.stdin.destroyed) return
      child.stdin.write(text)
      if (writer !== 'held-open') child.stdin.end()
    }
    const timer = writer === 'immediate' ? undefined : setTimeout(write, WRITE_DELAY_MS)
    if (writer === 'immediate') write()
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      child.stdin.destroy()
      resolve({exitCode: code ?? -1, stdout, stderr})
    })
  })
}

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: piped
  namespace: default
spec:
  gatewayClassName: example
  listeners:
  - name: tls
    protocol: TLS
    port: 443
    tls:
      mode: Terminate
      certificateRefs:
      - name: piped-tls
`

/** GATEWAY with a listener hostname: certs create --for issues no certificate without a hostname to put in its SAN. */
const GATEWAY_WITH_HOSTNAME = GATEWAY.replace('    port: 443\n', '    port: 443\n    hostname: piped.example.com\n')

interface LintJson {
  summary: {files: number; resources: number}
  findings: Array<{ruleId: string; file: string; line: number; column: number}>
}

describe('e2e: piped stdin is read only when asked for', function () {
  this.timeout(120_000)
  let cwd: string

  before(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'gwctl-stdin-'))
    await writeFile(path.join(cwd, 'local.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: local\n')
  })

  after(async () => rm(cwd, {recursive: true, force: true}))

  for (const args of [['lint', '-f', '-'], ['lint', '-'], ['lint', '-f', 'local.yaml,-']]) {
    const runs = args.includes('local.yaml,-') ? 1 : REPEAT
    for (const writer of ['immediate', 'delayed'] as const) {
      it(`gwctl ${args.join(' ')} reads the piped manifest, written ${writer === 'immediate' ? 'at once' : 'after a delay'} (${runs} runs)`, async () => {
        for (let run = 0; run < runs; run++) {
          const result = await runWithStdin([...args, '-o', 'json'], GATEWAY, writer, cwd)
          assert.equal(result.exitCode, 0, `run ${run}: ${result.stderr}${result.stdout}`)
          const report = JSON.parse(result.stdout) as LintJson
          assert.equal(report.summary.resources, args.includes('local.yaml,-') ? 2 : 1, `run ${run}`)
          assert.deepEqual(report.findings.map((finding) => `${finding.file} ${finding.ruleId}`), ['<stdin> secret-not-found'], `run ${run}`)
        }
      })
    }
  }

  it(`gwctl lint with no path lints the working directory, never stdin, and does not wait for stdin to close (${REPEAT} runs each)`, async () => {
    for (const writer of ['immediate', 'held-open'] as const) {
      for (let run = 0; run < REPEAT; run++) {
        const result = await runWithStdin(['lint', '-o', 'json'], GATEWAY, writer, cwd)
        assert.equal(result.exitCode, 0, `${writer} run ${run}: ${result.stderr}${result.stdout}`)
        const report = JSON.parse(result.stdout) as LintJson
        assert.deepEqual([report.summary.files, report.summary.resources, report.findings.length], [1, 1, 0], `${writer} run ${run}: only local.yaml`)
      }
    }
  })

  it('gwctl lint with a path ignores piped stdin', async () => {
    const result = await runWithStdin(['lint', 'local.yaml'], GATEWAY, 'held-open', cwd)
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(result.stdout, /No problems \(1 file, 1 resource\)/)
  })

  it('--stdin-filename names stdin in findings, in every format', async () => {
    const json = JSON.parse((await runWithStdin(['lint', '-', '--stdin-filename', 'deploy/gateway.yaml', '-o', 'json'], GATEWAY, 'delayed', cwd)).stdout) as LintJson
    assert.deepEqual(json.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.ruleId}`), ['deploy/gateway.yaml:15:9 secret-not-found'])
    const stylish = await runWithStdin(['lint', '-f', '-', '--stdin-filename', 'deploy/gateway.yaml'], GATEWAY, 'immediate', cwd)
    assert.match(stylish.stdout, /^deploy\/gateway\.yaml\n\s+15:9\s+warning/m)
    const github = await runWithStdin(['lint', '-', '--stdin-filename', 'deploy/gateway.yaml', '-o', 'github'], GATEWAY, 'immediate', cwd)
    assert.match(github.stdout, /^::warning file=deploy\/gateway\.yaml,line=15,col=9/m)
    const sarif = JSON.parse((await runWithStdin(['lint', '-', '--stdin-filename', 'deploy/gateway.yaml', '-o', 'sarif'], GATEWAY, 'immediate', cwd)).stdout) as {
      runs: Array<{results: Array<{locations?: Array<{physicalLocation: {artifactLocation: {uri: string}; region: {startLine: number}}}>}>}>
    }
    const location = sarif.runs[0].results[0].locations?.[0].physicalLocation
    assert.deepEqual([location?.artifactLocation.uri, location?.region.startLine], ['deploy/gateway.yaml', 15])
    const junit = await runWithStdin(['lint', '-', '--stdin-filename', 'deploy/gateway.yaml', '-o', 'junit', '--fail-on', 'warning'], GATEWAY, 'immediate', cwd)
    assert.match(junit.stdout, /deploy\/gateway\.yaml/)
    assert.doesNotMatch(junit.stdout, /&lt;stdin&gt;|<stdin>/)
  })

  it('--stdin-filename without - among the inputs is a usage error', async () => {
    const result = await runWithStdin(['lint', 'local.yaml', '--stdin-filename', 'x.yaml'], GATEWAY, 'immediate', cwd)
    assert.equal(result.exitCode, 2)
    assert.equal(result.stderr, 'gwctl: --stdin-filename names stdin, but no input is - (stdin) (add - to the paths, or -f -)\n')
  })

  it('gwctl resolve reads stdin for -, and only then', async () => {
    for (const writer of ['immediate', 'delayed'] as const) {
      const piped = await runWithStdin(['resolve', '--sni', 'a.example.com', '-', '--stdin-filename', 'gw.yaml', '-o', 'json'], GATEWAY, writer, cwd)
      assert.notEqual(piped.exitCode, 2, piped.stderr)
      assert.equal((JSON.parse(piped.stdout) as {gateway?: {name: string}}).gateway?.name, 'piped')
    }
    const ignored = await runWithStdin(['resolve', '--sni', 'a.example.com', '-o', 'json'], GATEWAY, 'held-open', cwd)
    assert.equal(ignored.exitCode, 1, ignored.stderr)
    assert.match((JSON.parse(ignored.stdout) as {reason: string}).reason, /no Gateway in the input/)
  })

  it(`gwctl certs create --dns names its files from --dns, never from piped stdin (${REPEAT} runs)`, async () => {
    for (let run = 0; run < REPEAT; run++) {
      const outDir = await mkdtemp(path.join(tmpdir(), 'gwctl-stdin-certs-'))
      try {
        const result = await runWithStdin(['certs', 'create', '--dns', 'a.example.com', '--out-dir', outDir], 'myname\n', run % 2 === 0 ? 'immediate' : 'held-open', cwd)
        assert.equal(result.exitCode, 0, result.stderr)
        assert.deepEqual((await readdir(outDir)).sort(), ['a.example.com.crt', 'a.example.com.key'], `run ${run}`)
      } finally {
        await rm(outDir, {recursive: true, force: true})
      }
    }
  })

  it('gwctl certs create --for - reads the manifests from stdin', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'gwctl-stdin-for-'))
    try {
      const result = await runWithStdin(['certs', 'create', '--for', '-', '--out-dir', outDir], GATEWAY_WITH_HOSTNAME, 'delayed', cwd)
      assert.equal(result.exitCode, 0, result.stderr)
      assert.ok((await readdir(outDir)).includes('default.piped-tls.secret.yaml'), result.stdout)
    } finally {
      await rm(outDir, {recursive: true, force: true})
    }
  })

  it('gwctl certs inspect - reads stdin, and with a file ignores it', async () => {
    const certificate = await readFile(path.join(REPO_ROOT, 'fixtures/scenarios/passthrough/ca.crt'), 'utf8')
    const piped = await runWithStdin(['certs', 'inspect', '-'], certificate, 'delayed', cwd)
    assert.equal(piped.exitCode, 0, piped.stderr)
    assert.match(piped.stdout, /^<stdin>/m)
    const named = await runWithStdin(['certs', 'inspect', path.join(REPO_ROOT, 'fixtures/scenarios/passthrough/ca.crt')], 'garbage\n', 'held-open', cwd)
    assert.equal(named.exitCode, 0, named.stderr)
    assert.doesNotMatch(named.stdout, /<stdin>/)
  })

  it('gwctl serve --watch refuses stdin', async () => {
    const result = await runWithStdin(['serve', '-', '--watch'], GATEWAY, 'held-open', cwd)
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /--watch cannot reload stdin/)
  })
})
