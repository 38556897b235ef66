/**
 * End-to-end tests of `.gwctl.yaml` and `gwctl/ignore` with the built CLI
 * (`npm run build` first): each changes the result in all five formats;
 * flags win over the file; the file is found upwards to the repository
 * root, or named with --config, or ignored with --no-config; a bad file is
 * one line naming file:line:column and exit 2; resolve and serve take the
 * file's settings but still refuse input the API server would reject.
 *
 * The project is a copy of fixtures/broken/tlsroute-on-https-listener (one
 * error: listener-route-kind on TLSRoute vault in routes.yaml) in a temporary
 * directory that holds `.git`, so no .gwctl.yaml above it is read.
 */
import {strict as assert} from 'node:assert'
import {cp, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {runGwctl, type RunResult} from '../support/run-cli.js'

const FIXTURE = fileURLToPath(new URL('../../fixtures/broken/tlsroute-on-https-listener', import.meta.url))
const RULE = 'listener-route-kind'
const FORMATS = ['stylish', 'json', 'github', 'sarif', 'junit'] as const
type Format = (typeof FORMATS)[number]

interface SarifResult {
  ruleId: string
  level: string
  suppressions?: Array<{kind: string; justification?: string}>
}

interface JsonReport {
  summary: Record<string, number>
  findings: Array<{ruleId: string; severity: string}>
  suppressed: Array<{ruleId: string; severity: string; file: string; line: number; suppression: {kind: string; justification: string}}>
}

/** What one run says about listener-route-kind, format by format, as comparable facts. */
function describeRun(format: Format, result: RunResult): {reported: string[]; suppressedCount?: number; suppressions: Array<{kind: string; justification?: string}>} {
  switch (format) {
    case 'stylish': {
      const rows = result.stdout.split('\n').filter((line) => line.trimEnd().endsWith(` ${RULE}`))
      const count = /(\d+) suppressed/.exec(result.stdout)
      return {reported: rows.map((row) => row.trim().split(/\s+/)[1]), suppressedCount: count === null ? 0 : Number(count[1]), suppressions: []}
    }
    case 'json': {
      const report = JSON.parse(result.stdout) as JsonReport
      return {
        reported: report.findings.filter((finding) => finding.ruleId === RULE).map((finding) => finding.severity),
        suppressedCount: report.summary.suppressed,
        suppressions: report.suppressed.filter((finding) => finding.ruleId === RULE).map((finding) => finding.suppression),
      }
    }
    case 'github': {
      const lines = result.stdout.split('\n').filter((line) => line.includes(`title=${RULE}::`))
      const count = /^::notice title=gwctl suppressed findings::(\d+) suppressed/m.exec(result.stdout)
      return {reported: lines.map((line) => /^::(\w+)/.exec(line)![1]), suppressedCount: count === null ? 0 : Number(count[1]), suppressions: []}
    }
    case 'sarif': {
      const all = (JSON.parse(result.stdout) as {runs: Array<{results: SarifResult[]}>}).runs[0].results
      const results = all.filter((entry) => entry.ruleId === RULE)
      const active = results.filter((entry) => (entry.suppressions ?? []).length === 0)
      const suppressedCount = all.filter((entry) => (entry.suppressions ?? []).length > 0).length
      return {reported: active.map((entry) => entry.level), suppressedCount, suppressions: results.flatMap((entry) => entry.suppressions ?? [])}
    }
    case 'junit': {
      const failures = Number(/<testsuites [^>]*failures="(\d+)"/.exec(result.stdout)![1])
      const failed = [...result.stdout.matchAll(/<testcase name="listener-route-kind [^"]*"[^>]*>\s*<failure [^>]*type="(\w+)"/g)].map((match) => match[1])
      assert.equal(failures, failed.length, 'the root failures count is the failing listener-route-kind cases')
      const skipped = Number(/<testsuites [^>]*skipped="(\d+)"/.exec(result.stdout)?.[1] ?? 0)
      const skippedCases = [...result.stdout.matchAll(/<skipped /g)].length
      assert.equal(skipped, skippedCases, 'the root skipped count is the suppressed cases')
      return {reported: failed, suppressedCount: skippedCases, suppressions: []}
    }
  }
}

describe('e2e: .gwctl.yaml and gwctl/ignore', function () {
  this.timeout(120_000)
  let root: string
  let project: string

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gwctl-e2e-config-'))
    await mkdir(path.join(root, '.git'))
    project = path.join(root, 'manifests')
    await cp(FIXTURE, project, {recursive: true})
  })

  after(async () => {
    await rm(root, {recursive: true, force: true})
  })

  afterEach(async () => {
    await rm(path.join(root, '.gwctl.yaml'), {force: true})
    await rm(path.join(root, 'annotated'), {recursive: true, force: true})
  })

  const lint = (args: string[], cwd = root) => runGwctl(['lint', ...args], {cwd})
  const writeConfig = (text: string, file = path.join(root, '.gwctl.yaml')) => writeFile(file, text)

  /** A copy of the project whose TLSRoute carries `gwctl/ignore: VALUE`. */
  async function annotate(value: string): Promise<string> {
    const copy = path.join(root, 'annotated')
    await cp(project, copy, {recursive: true})
    const routes = path.join(copy, 'routes.yaml')
    const text = await readFile(routes, 'utf8')
    await writeFile(routes, text.replace('  name: vault\n', `  name: vault\n  annotations:\n    gwctl/ignore: ${JSON.stringify(value)}\n`))
    return copy
  }

  describe('each changes the result in every format', () => {
    for (const format of FORMATS) {
      it(`-o ${format}`, async () => {
        const before = await lint(['manifests', '-o', format])
        assert.equal(before.exitCode, 1, `${format} without a config: the error fails the run\n${before.stderr}`)
        const baseline = describeRun(format, before)
        assert.deepEqual(baseline.reported, ['error'])
        if (baseline.suppressedCount !== undefined) assert.equal(baseline.suppressedCount, 0)

        await writeConfig(`rules:\n  ${RULE}: off\n`)
        const off = await lint(['manifests', '-o', format])
        assert.equal(off.exitCode, 0, `${format} with the rule off\n${off.stdout}\n${off.stderr}`)
        const silenced = describeRun(format, off)
        assert.deepEqual(silenced.reported, [], `${format}: nothing reported for ${RULE}`)
        if (silenced.suppressedCount !== undefined) assert.equal(silenced.suppressedCount, 1, `${format}: counts the suppressed finding`)
        for (const suppression of silenced.suppressions) assert.match(JSON.stringify(suppression), /rules\.listener-route-kind is off/)

        await writeConfig(`rules:\n  ${RULE}: warning\n`)
        const lowered = await lint(['manifests', '-o', format])
        assert.equal(lowered.exitCode, 0, `${format}: a warning does not fail the run`)
        const relevelled = describeRun(format, lowered)
        if (format === 'junit') assert.ok(!relevelled.reported.includes('error'), 'junit: no error failure left')
        else assert.deepEqual(relevelled.reported, ['warning'])

        await rm(path.join(root, '.gwctl.yaml'))
        await annotate(`${RULE}: moves to the TLS listener next release`)
        const ignored = await lint(['annotated', '-o', format])
        assert.equal(ignored.exitCode, 0, `${format} with the annotation\n${ignored.stdout}\n${ignored.stderr}`)
        const byAnnotation = describeRun(format, ignored)
        assert.deepEqual(byAnnotation.reported, [], `${format}: the annotation silences ${RULE}`)
        if (byAnnotation.suppressedCount !== undefined) assert.equal(byAnnotation.suppressedCount, 1)
        for (const suppression of byAnnotation.suppressions) assert.match(JSON.stringify(suppression), /moves to the TLS listener next release/)
      })
    }
  })

  it('stylish and github say where the suppressions come from; json lists them with the justification', async () => {
    await annotate(`${RULE}: moves to the TLS listener next release`)
    const stylish = await lint(['annotated'])
    assert.match(stylish.stdout, /^✔ No problems \(\d+ files, \d+ resources; 1 suppressed by gwctl\/ignore\)$/m)
    const github = await lint(['annotated', '-o', 'github'])
    assert.equal(github.stdout, '::notice title=gwctl suppressed findings::1 suppressed by gwctl/ignore; gwctl lint -o json lists them with their justification')
    const json = JSON.parse((await lint(['annotated', '-o', 'json'])).stdout) as JsonReport
    assert.deepEqual(json.suppressed.map((finding) => [finding.ruleId, finding.severity, finding.file, finding.line, finding.suppression]), [
      [RULE, 'error', 'annotated/routes.yaml', 10, {kind: 'annotation', justification: 'moves to the TLS listener next release'}],
    ])
  })

  it('an annotation naming an unknown or unused rule is reported at the annotation, with a did-you-mean', async () => {
    await annotate('listener-route-knd, backend-not-found: wrong rule')
    const result = await lint(['annotated'])
    assert.equal(result.exitCode, 1, 'the real error still fails the run')
    assert.match(result.stdout, /^ +6:19 +warning +gwctl\/ignore names unknown rule 'listener-route-knd' \(did you mean 'listener-route-kind'\?\); it silences nothing +ignore-annotation-invalid$/m)
    assert.match(result.stdout, /^ +6:19 +info +gwctl\/ignore lists backend-not-found, which reports nothing on TLSRoute broken-tlsroute-on-https-listener\/vault: the suppression can go +ignore-annotation-unused$/m)
  })

  describe('pinned flag defaults: the file over the built-in default, flags over the file', () => {
    const cases: Array<{name: string; config: string; args: string[]; exitCode: number; stdout: RegExp}> = [
      {name: 'output and fail-on from the file', config: `output: json\nfail-on: warning\nrules: {${RULE}: warning}\n`, args: [], exitCode: 1, stdout: /^\{\n {2}"version": 1,/},
      {name: '-o and --fail-on win', config: `output: json\nfail-on: warning\nrules: {${RULE}: warning}\n`, args: ['-o', 'github', '--fail-on', 'error'], exitCode: 0, stdout: /^::warning file=manifests\/routes.yaml,line=8,col=5,title=listener-route-kind::/},
      {name: 'gateway-class from the file narrows the binding', config: 'gateway-class: [some-other-class]\n', args: [], exitCode: 0, stdout: /No problems/},
      {name: '--gateway-class wins', config: 'gateway-class: [some-other-class]\n', args: ['--gateway-class', 'broken-tlsroute-on-https-listener-kong', 'manifests'], exitCode: 1, stdout: /listener-route-kind/},
      {name: 'exclude globs are relative to the file', config: 'exclude: [manifests/routes.yaml]\n', args: [], exitCode: 0, stdout: /No problems \(3 files/},
      {name: 'a glob without a slash matches at any depth', config: 'exclude: [routes.yaml]\n', args: [], exitCode: 0, stdout: /No problems \(3 files/},
      {name: 'require-refs and --no-require-refs', config: `require-refs: true\nrules: {${RULE}: off}\n`, args: ['--no-require-refs'], exitCode: 0, stdout: /No problems/},
    ]
    for (const {name, config, args, exitCode, stdout} of cases) {
      it(name, async () => {
        await writeConfig(config)
        const result = await lint(args.includes('manifests') ? args : ['manifests', ...args])
        assert.equal(result.exitCode, exitCode, `${result.stdout}\n${result.stderr}`)
        assert.match(result.stdout, stdout)
      })
    }
  })

  it('is found from a subdirectory (up to the directory holding .git), with globs still relative to it', async () => {
    await writeConfig('exclude: [manifests/routes.yaml]\n')
    const result = await lint(['.'], project)
    assert.equal(result.exitCode, 0, result.stdout)
    assert.match(result.stdout, /No problems \(3 files/)
  })

  it('--config FILE is read instead, and --no-config reads none', async () => {
    await writeConfig('this is: not valid\n')
    await writeConfig(`rules: {${RULE}: off}\n`, path.join(root, 'ci.yaml'))
    const chosen = await lint(['manifests', '--config', 'ci.yaml'])
    assert.equal(chosen.exitCode, 0, chosen.stderr)
    assert.match(chosen.stdout, /1 suppressed by \.gwctl\.yaml/)
    const none = await lint(['manifests', '--no-config'])
    assert.equal(none.exitCode, 1, none.stderr)
    const both = await lint(['manifests', '--no-config', '--config', 'ci.yaml'])
    assert.equal(both.exitCode, 2)
    await rm(path.join(root, 'ci.yaml'))
  })

  describe('a bad file: one line naming file:line:column, exit 2', () => {
    const cases: Array<{name: string; config: string; args?: string[]; stderr: string}> = [
      {name: 'unknown rule id', config: `rules:\n  listener-route-knd: off\n`, stderr: "gwctl: .gwctl.yaml:2:3: unknown rule id 'listener-route-knd' in rules (did you mean 'listener-route-kind'?)\n"},
      {name: 'unknown key', config: 'fail_on: warning\n', stderr: "gwctl: .gwctl.yaml:1:1: unknown key 'fail_on' (did you mean 'fail-on'?)\n"},
      {name: 'wrong value', config: 'output: sarf\n', stderr: "gwctl: .gwctl.yaml:1:9: output must be stylish, json, sarif, junit or github, got 'sarf' (did you mean 'sarif'?)\n"},
      {name: 'wrong type', config: 'require-refs: yes please\n', stderr: "gwctl: .gwctl.yaml:1:15: require-refs must be true or false, got 'yes please'\n"},
    ]
    for (const {name, config, stderr} of cases) {
      it(name, async () => {
        await writeConfig(config)
        const result = await lint(['manifests'])
        assert.equal(result.exitCode, 2)
        assert.equal(`${result.stderr}\n`, stderr)
        assert.equal(result.stdout, '')
      })
    }

    it('as JSON with -o json', async () => {
      await writeConfig('chanel: standard\n')
      const result = await lint(['manifests', '-o', 'json'])
      assert.equal(result.exitCode, 2)
      assert.deepEqual(JSON.parse(result.stdout), {error: {code: 'usage', message: "unknown key 'chanel'", file: '.gwctl.yaml:1:1', hint: "did you mean 'channel'?"}})
    })

    it('for resolve, serve and certs create --for too', async () => {
      await writeConfig('chanel: standard\n')
      for (const args of [['resolve', '--sni', 'vault.example.com', 'manifests'], ['serve', 'manifests', '--port-offset', '20000'], ['certs', 'create', '--for', 'manifests', '--out-dir', 'generated']]) {
        const result = await runGwctl(args, {cwd: root})
        assert.equal(result.exitCode, 2, args.join(' '))
        assert.equal(result.stderr, "gwctl: .gwctl.yaml:1:1: unknown key 'chanel' (did you mean 'channel'?)", args.join(' '))
      }
    })
  })

  describe('resolve and serve take the file, but never run on input the API server would reject', () => {
    it('resolve: gateway-class from the file', async () => {
      const before = await runGwctl(['resolve', '--sni', 'www.example.com', 'manifests'], {cwd: root})
      assert.equal(before.exitCode, 0, before.stderr)
      await writeConfig('gateway-class: [some-other-class]\n')
      const after = await runGwctl(['resolve', '--sni', 'www.example.com', 'manifests'], {cwd: root})
      assert.equal(after.exitCode, 1)
      assert.match(after.stdout, /no Gateway in the input has a TLS or HTTPS listener/)
    })

    it('a schema error turned off (or suppressed) is still refused', async () => {
      const copy = await annotate('schema-unknown-field: we know')
      const routes = path.join(copy, 'routes.yaml')
      await writeFile(routes, (await readFile(routes, 'utf8')).replace('  hostnames:\n  - vault.example.com\n', '  hostnames:\n  - vault.example.com\n  bogus: true\n'))
      await writeConfig('rules:\n  schema-unknown-field: off\n')
      const lintResult = await lint(['annotated', '--fail-on', 'warning'])
      assert.doesNotMatch(lintResult.stdout, /schema-unknown-field/)
      for (const args of [['resolve', '--sni', 'www.example.com', 'annotated'], ['serve', 'annotated', '--port-offset', '20000']]) {
        const result = await runGwctl(args, {cwd: root})
        assert.equal(result.exitCode, 2, `${args[0]}: ${result.stdout}${result.stderr}`)
        assert.match(result.stderr, /^gwctl: annotated\/routes\.yaml:\d+:3: unknown field "spec\.bogus" \[schema-unknown-field\] \(suppressed for lint by gwctl\/ignore or \.gwctl\.yaml, but the API server would reject it, so it cannot be used\)$/)
      }
    })
  })
})
