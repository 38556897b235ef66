/**
 * What `gwctl lint` reads, end to end: at this repository's root only real
 * manifests are checked (package.json, tsconfig.json, JSON Schemas, test
 * expectations are skipped and counted); --exclude and -v; FIFOs and
 * devices read within the size limit, never without end; and one exit code,
 * 2, for every input error that leaves part of the input unread.
 */
import {strict as assert} from 'node:assert'
import {createWriteStream} from 'node:fs'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {REPO_ROOT} from '../support/fixture-expectations.js'
import {hasTool, runGwctl, runTool} from '../support/run-cli.js'

interface LintJson {
  summary: {files: number; resources: number; errors: number; warnings: number; infos: number; skipped: number}
  findings: Array<{ruleId: string; severity: string; category: string; file: string; message: string}>
  skipped: Array<{file: string; reason: string}>
}

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n'

describe('e2e: what gwctl lint reads', function () {
  this.timeout(120_000)
  let root: string

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gwctl-lint-input-'))
  })

  after(async () => rm(root, {recursive: true, force: true}))

  it('at this repository root, lints only Kubernetes manifests: package.json, tsconfig.json, schemas, docs and test expectations are skipped and counted', async () => {
    const result = await runGwctl(['lint', '-o', 'json', '--fail-on', 'none'], {cwd: REPO_ROOT})
    assert.equal(result.exitCode, 0, result.stderr)
    const report = JSON.parse(result.stdout) as LintJson
    const skipped = new Set(report.skipped.map((entry) => entry.file))
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'oclif.manifest.json', 'schemas/index.json', 'docs/bench-results.json', 'test/expectations/scenarios/passthrough.yaml', 'test/golden/default-gateways.out.yaml']) {
      assert.ok(skipped.has(file), `${file} is skipped`)
    }
    assert.equal(report.summary.skipped, report.skipped.length)
    assert.deepEqual(report.findings.filter((finding) => finding.category === 'input' && finding.severity === 'error').map((finding) => `${finding.file}: ${finding.message}`), [])
    const linted = new Set(report.findings.map((finding) => finding.file))
    for (const file of linted) {
      assert.ok(!skipped.has(file) && !/^(node_modules|dist|schemas|docs)\//.test(file), `${file} has findings`)
    }
  })

  it('skips what --exclude names, counts skipped files in the summary and lists them with -v', async () => {
    const dir = path.join(root, 'exclude')
    await mkdir(path.join(dir, 'charts', 'app'), {recursive: true})
    await writeFile(path.join(dir, 'ns.yaml'), NAMESPACE)
    await writeFile(path.join(dir, 'other.yaml'), NAMESPACE.replace('name: ns', 'name: other'))
    await writeFile(path.join(dir, 'values.yaml'), 'replicas: 2\n')
    await writeFile(path.join(dir, 'charts', 'app', 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }\n')
    const broken = await runGwctl(['lint'], {cwd: dir})
    assert.equal(broken.exitCode, 2, broken.stdout)
    assert.match(broken.stdout, /charts\/app\/deployment\.yaml/)
    const excluded = await runGwctl(['lint', '--exclude', 'charts/**'], {cwd: dir})
    assert.equal(excluded.exitCode, 0, excluded.stdout + excluded.stderr)
    assert.equal(excluded.stdout, '✔ No problems (2 files, 2 resources; 1 file skipped, -v lists them)')
    const verbose = await runGwctl(['lint', '--exclude', 'charts', '-v'], {cwd: dir})
    assert.equal(verbose.stdout, 'Skipped files:\n  values.yaml  no apiVersion or kind in any document\n\n✔ No problems (2 files, 2 resources; 1 file skipped)')
    const json = await runGwctl(['lint', '--exclude', 'charts', '--exclude', 'ns.yaml', 'ns.yaml', '.', '-o', 'json'], {cwd: dir})
    assert.equal(json.exitCode, 0, json.stdout)
    const report = JSON.parse(json.stdout) as LintJson
    assert.deepEqual(report.skipped, [{file: 'ns.yaml', reason: 'excluded by the pattern "ns.yaml"'}, {file: 'values.yaml', reason: 'no apiVersion or kind in any document'}])
    assert.deepEqual([report.summary.files, report.summary.resources, report.summary.skipped], [1, 1, 2])
  })

  it('checks a file named explicitly even when it holds no Kubernetes object', async () => {
    const dir = path.join(root, 'named')
    await mkdir(dir, {recursive: true})
    await writeFile(path.join(dir, 'values.yaml'), 'replicas: 2\n')
    const result = await runGwctl(['lint', 'values.yaml'], {cwd: dir})
    assert.equal(result.exitCode, 2)
    assert.match(result.stdout, /input-missing-kind/)
  })

  describe('one exit code, 2, for every input error that leaves part of the input unread', () => {
    const CASES: Array<{name: string; text: string | Buffer; rule: string; exitCode: number}> = [
      {name: 'nesting too deep', text: `${NAMESPACE}data: ${'['.repeat(150)}${']'.repeat(150)}\n`, rule: 'input-too-deep', exitCode: 2},
      {name: 'an alias bomb', text: `${NAMESPACE}${['a: &a [x, x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e', 'f'].map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcde'[index]}`).join(', ')}]`)].join('\n')}\n`, rule: 'input-alias-limit', exitCode: 2},
      {name: 'not UTF-8', text: Buffer.from([0x61, 0x3A, 0x20, 0xFF, 0x0A]), rule: 'input-binary', exitCode: 2},
      {name: 'a YAML syntax error', text: `${NAMESPACE}---\nkind: [\n`, rule: 'input-yaml-syntax', exitCode: 2},
      {name: 'a duplicate key (the object is still checked)', text: `${NAMESPACE}kind: Namespace\n`, rule: 'input-duplicate-key', exitCode: 1},
    ]
    for (const {name, text, rule, exitCode} of CASES) {
      it(`${name}: ${rule}, exit ${exitCode}${exitCode === 2 ? ', even with --fail-on none' : ''}`, async () => {
        const file = path.join(root, `${rule}.yaml`)
        await writeFile(file, text)
        const result = await runGwctl(['lint', file, '-o', 'json'])
        assert.equal(result.exitCode, exitCode, result.stdout)
        assert.deepEqual((JSON.parse(result.stdout) as LintJson).findings.map((finding) => finding.ruleId), [rule])
        if (exitCode === 2) assert.equal((await runGwctl(['lint', file, '--fail-on', 'none'])).exitCode, 2)
      })
    }

    it('is stated in lint --help', async () => {
      const help = await runGwctl(['lint', '--help'])
      assert.match(help.stdout.replace(/\s+/g, ' '), /2 a usage error, or input that could not be used, whole or in part .*nests too deep, expands too many aliases.* whatever --fail-on says/)
    })
  })

  describe('FIFOs and devices: read within the size limit, never without end', () => {
    it('a FIFO whose writer comes late is read', async function () {
      if (!(await hasTool('mkfifo'))) {
        console.log('      skipped: mkfifo is not on PATH')
        this.skip()
      }
      const fifo = path.join(root, 'late.fifo')
      await runTool('mkfifo', [fifo])
      const lint = runGwctl(['lint', fifo, '-o', 'json'])
      setTimeout(() => createWriteStream(fifo).end(NAMESPACE), 300)
      const result = await lint
      assert.equal(result.exitCode, 0, result.stdout + result.stderr)
      assert.equal((JSON.parse(result.stdout) as LintJson).summary.resources, 1)
    })

    it('a FIFO that never ends is given up at the size limit (exit 2)', async function () {
      if (!(await hasTool('mkfifo'))) {
        console.log('      skipped: mkfifo is not on PATH')
        this.skip()
      }
      const fifo = path.join(root, 'endless.fifo')
      await runTool('mkfifo', [fifo])
      const lint = runGwctl(['lint', fifo, '-o', 'json'])
      const chunk = Buffer.alloc(64 * 1024, 'a: b\n')
      const endless = new Readable({read() { this.push(chunk) }})
      const fed = pipeline(endless, createWriteStream(fifo)).catch(() => {})
      const result = await lint
      endless.destroy()
      await fed
      assert.equal(result.exitCode, 2)
      assert.deepEqual((JSON.parse(result.stdout) as LintJson).findings.map((finding) => finding.ruleId), ['input-too-large'])
    })

    for (const args of [['lint', '/dev/zero'], ['lint', '-f', '/dev/zero'], ['certs', 'inspect', '/dev/zero']]) {
      it(`gwctl ${args.join(' ')} stops at the size limit (exit 2)`, async () => {
        const result = await runGwctl(args)
        assert.equal(result.exitCode, 2)
        assert.match(result.stdout + result.stderr, /larger than (the )?(32|16) MiB/)
      })
    }

    it('serve --backends /dev/zero stops at the size limit (exit 2)', async () => {
      const result = await runGwctl(['serve', path.join(REPO_ROOT, 'fixtures', 'scenarios', 'passthrough'), '--backends', '/dev/zero', '--port-map', '443=0'])
      assert.equal(result.exitCode, 2)
      assert.match(result.stderr, /\/dev\/zero: larger than the 32 MiB limit/)
    })
  })
})
