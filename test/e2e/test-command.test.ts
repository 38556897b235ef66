/**
 * `gwctl test` end to end with the built CLI (issue 13 §1, §2, §5, §7):
 * every fixture scenario passes its test file; every broken variant fails
 * the intended routing of its scenario with a message naming the cause
 * (a finding the fixtures README expects, as a `cause:`); the five output
 * formats; exit 2 with file:line:column on a malformed test file; test
 * files are no manifests for lint; --init refuses to overwrite.
 */
import {strict as assert} from 'node:assert'
import {readdirSync, readFileSync} from 'node:fs'
import {cp, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {FIXTURES} from '../support/fixture-expectations.js'
import {runGwctl} from '../support/run-cli.js'

const SCENARIOS = readdirSync(path.join(FIXTURES, 'scenarios')).sort()
const BROKEN = readdirSync(path.join(FIXTURES, 'broken')).sort()
/** The variants whose mistake does not change routing: lint reports it, their tests pass (their test files say why). */
const ROUTING_UNCHANGED = new Set(['passthrough-with-certificate-refs', 'secret-wrong-type'])
/** Flags a variant needs for its mistake to reach routing. */
const VARIANT_FLAGS: Record<string, string[]> = {'v1alpha2-tlsroute-deprecated': ['--channel', 'standard']}

/** Expected findings per broken variant, from the fixtures README table. */
function readExpectedFindings(): Map<string, string[]> {
  const readme = readFileSync(path.join(FIXTURES, 'README.md'), 'utf8')
  const rows = [...readme.matchAll(/^\| \[([\w-]+)\]\(broken\/[\w-]+\/\) \| [\w-]+ \| .*? \| (.*?) \|$/gm)]
  return new Map(rows.map((row) => [row[1], row[2].split(',').map((rule) => rule.trim())]))
}

describe('e2e: gwctl test (issue 13)', function () {
  this.timeout(600_000)
  const expected = readExpectedFindings()

  it('every scenario passes its test file offline, and so does the whole tree at once', async () => {
    for (const scenario of SCENARIOS) {
      const result = await runGwctl(['test', path.join(FIXTURES, 'scenarios', scenario)])
      assert.equal(result.exitCode, 0, `${scenario}: ${result.stdout}${result.stderr}`)
      assert.match(result.stdout, / 0 failed, 0 not checkable \(offline\)$/, scenario)
    }
    const tree = await runGwctl(['test', '-o', 'json', path.join(FIXTURES, 'scenarios')])
    assert.equal(tree.exitCode, 0, tree.stdout + tree.stderr)
    const report = JSON.parse(tree.stdout) as {summary: {files: number; failed: number; passed: number}}
    assert.equal(report.summary.files, SCENARIOS.length)
    assert.equal(report.summary.failed, 0)
  })

  it('gwctl test fixtures/ at once: each set gets the verdict it gets alone (one set\'s rejected objects fail only its own tests)', async () => {
    const result = await runGwctl(['test', '-o', 'json', FIXTURES])
    assert.equal(result.exitCode, 1, result.stderr)
    const report = JSON.parse(result.stdout) as {results: Array<{file: string; status: string}>}
    const failedSets = new Set(report.results.filter((entry) => entry.status === 'failed').map((entry) => entry.file.split('/').slice(-3, -1).join('/')))
    const expectedSets = BROKEN.filter((variant) => !ROUTING_UNCHANGED.has(variant) && VARIANT_FLAGS[variant] === undefined).map((variant) => `broken/${variant}`)
    assert.deepEqual([...failedSets].sort(), expectedSets)
  })

  it('the table of broken variants in the fixtures README covers every variant', () => {
    assert.deepEqual([...expected.keys()].sort(), BROKEN)
  })

  for (const variant of BROKEN) {
    it(`broken/${variant}: ${ROUTING_UNCHANGED.has(variant) ? 'routing is unchanged, the tests pass' : 'a test of the intended routing fails, naming the cause'}`, async () => {
      const result = await runGwctl(['test', ...(VARIANT_FLAGS[variant] ?? []), path.join(FIXTURES, 'broken', variant)])
      if (ROUTING_UNCHANGED.has(variant)) {
        assert.equal(result.exitCode, 0, result.stdout + result.stderr)
        return
      }
      assert.equal(result.exitCode, 1, result.stdout + result.stderr)
      const causes = [...result.stdout.matchAll(/^ {6}cause: ([\w-]+) /gm)].map((match) => match[1])
      const named = expected.get(variant)!.filter((rule) => causes.includes(rule))
      assert.ok(named.length > 0, `${variant}: a failure names one of ${expected.get(variant)!.join(', ')}; causes: ${causes.join(', ')}\n${result.stdout}`)
    })
  }

  describe('output formats and exit codes', () => {
    let root: string
    const failing = () => path.join(root, 'failing')

    before(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'gwctl-test-e2e-'))
      await cp(path.join(FIXTURES, 'scenarios', 'passthrough'), failing(), {recursive: true})
      await writeFile(path.join(failing(), 'routing.gwctl-test.yaml'), `kind: RoutingTests
tests:
- name: app is passed through
  request: {sni: app.example.com, port: 443}
  expect: {backend: passthrough/app:443}
- name: app goes to the wrong port
  request: {sni: app.example.com, port: 443}
  expect: {backend: passthrough/app:8443}
`)
    })

    after(async () => rm(root, {recursive: true, force: true}))

    it('stylish: expected against actual with the trace; exit 1', async () => {
      const result = await runGwctl(['test', failing()], {cwd: root})
      assert.equal(result.exitCode, 1)
      assert.match(result.stdout, /^failing\/routing\.gwctl-test\.yaml\n {2}✔ app is passed through\n {2}✗ app goes to the wrong port \(failing\/routing\.gwctl-test\.yaml:6:3\)\n {6}backend: expected passthrough\/app:8443, got passthrough\/app:443\n {6}trace:\n {8}✔ Gateway passthrough\/tls-passthrough/m)
      assert.match(result.stdout, /\n2 tests: 1 passed, 1 failed, 0 not checkable \(offline\)$/)
    })

    it('json, junit, tap and github', async () => {
      const [json, junit, tap, github] = await Promise.all(['json', 'junit', 'tap', 'github'].map((format) => runGwctl(['test', '-o', format, failing()], {cwd: root})))
      for (const result of [json, junit, tap, github]) assert.equal(result.exitCode, 1, result.stderr)
      const report = JSON.parse(json.stdout) as {version: number; summary: unknown; results: Array<{status: string; checks: Array<{key: string; outcome: string; expected: unknown; actual: unknown}>}>}
      assert.equal(report.version, 1)
      assert.deepEqual(report.summary, {files: 1, tests: 2, passed: 1, failed: 1, notCheckable: 0})
      assert.deepEqual(report.results[1].checks, [{key: 'backend', expected: 'passthrough/app:8443', actual: 'passthrough/app:443', outcome: 'failed'}])
      assert.match(junit.stdout, /<testsuites name="gwctl test \(offline\)" tests="2" failures="1" errors="0" skipped="0">/)
      assert.match(junit.stdout, /<testcase name="app goes to the wrong port" classname="failing\/routing\.gwctl-test" file="failing\/routing\.gwctl-test\.yaml" line="6">\n {6}<failure message="backend: expected passthrough\/app:8443, got passthrough\/app:443"/)
      assert.match(tap.stdout, /^TAP version 14\n1\.\.2\nok 1 - app is passed through \(failing\/routing\.gwctl-test\.yaml:3\)\nnot ok 2 - app goes to the wrong port \(failing\/routing\.gwctl-test\.yaml:6\)\n {2}---\n {2}message: "backend: expected passthrough\/app:8443, got passthrough\/app:443"/)
      assert.match(github.stdout, /^::error file=failing\/routing\.gwctl-test\.yaml,line=6,col=3,title=gwctl test%3A app goes to the wrong port::backend: expected passthrough\/app:8443, got passthrough\/app:443%0Atrace:/m)
    })

    it('a malformed test file: every problem with file:line:column and did-you-mean, exit 2 (json: one error object)', async () => {
      const directory = path.join(root, 'malformed')
      await cp(path.join(FIXTURES, 'scenarios', 'passthrough'), directory, {recursive: true})
      await writeFile(path.join(directory, 'routing.gwctl-test.yaml'), 'kind: RoutingTests\ntests:\n- name: a\n  request: {sni: app.example.com, prot: 443}\n  expect: {backnd: passthrough/app:443}\n')
      const result = await runGwctl(['test', directory], {cwd: root})
      assert.equal(result.exitCode, 2)
      assert.equal(result.stdout, '')
      assert.deepEqual(result.stderr.trim().split('\n'), [
        'gwctl: malformed/routing.gwctl-test.yaml:4:12: tests[0].request is missing port (the listener port the client connects to)',
        'gwctl: malformed/routing.gwctl-test.yaml:4:35: unknown key \'prot\' in tests[0].request (did you mean \'port\'?)',
        'gwctl: malformed/routing.gwctl-test.yaml:5:12: unknown key \'backnd\' in tests[0].expect (did you mean \'backend\'?)',
      ])
      const github = await runGwctl(['test', '-o', 'github', directory], {cwd: root})
      assert.equal(github.exitCode, 2)
      assert.match(github.stdout, /^::error file=malformed\/routing\.gwctl-test\.yaml,line=4,col=35,title=gwctl test%3A bad test file::unknown key 'prot' in tests\[0\]\.request \(did you mean 'port'\?\)$/m)
      const json = await runGwctl(['test', '-o', 'json', directory], {cwd: root})
      assert.equal(json.exitCode, 2)
      const error = (JSON.parse(json.stdout) as {error: {code: string; file: string; problems: unknown[]}}).error
      assert.equal(error.file, 'malformed/routing.gwctl-test.yaml:4:12')
      assert.equal(error.problems.length, 3)
    })

    it('test files are not manifests: lint neither reads nor lists them; a named one is skipped with the reason', async () => {
      const result = await runGwctl(['lint', '-v', failing()], {cwd: root})
      assert.equal(result.exitCode, 0, result.stdout + result.stderr)
      assert.doesNotMatch(result.stdout, /gwctl-test/)
      const named = await runGwctl(['lint', '-v', '-o', 'json', path.join(failing(), 'routing.gwctl-test.yaml'), path.join(failing(), 'gateway.yaml')], {cwd: root})
      assert.equal(named.exitCode, 0, named.stdout + named.stderr)
      assert.deepEqual((JSON.parse(named.stdout) as {findings: unknown[]}).findings, [])
    })

    it('--init writes a passing file, refuses to overwrite it without --force', async () => {
      const directory = path.join(root, 'init')
      await cp(path.join(FIXTURES, 'scenarios', 'mixed-modes'), directory, {recursive: true})
      await rm(path.join(directory, 'routing.gwctl-test.yaml'))
      const init = await runGwctl(['test', '--init', directory], {cwd: root})
      assert.equal(init.exitCode, 0, init.stderr)
      assert.match(init.stdout, /^wrote init\/routing\.gwctl-test\.yaml: 6 tests from today's routing table/)
      const run = await runGwctl(['test', directory], {cwd: root})
      assert.equal(run.exitCode, 0, run.stdout)
      const again = await runGwctl(['test', '--init', directory], {cwd: root})
      assert.equal(again.exitCode, 2)
      assert.equal(again.stderr, 'gwctl: init/routing.gwctl-test.yaml: the test file exists (use --update to rewrite its expectations, or --force to overwrite it)')
      const forced = await runGwctl(['test', '--init', '--force', directory], {cwd: root})
      assert.equal(forced.exitCode, 0, forced.stderr)
    })

    it('the file\'s backendHeader: no effect offline; --update and --init --force keep it', async () => {
      const directory = path.join(root, 'backend-header')
      const file = path.join(directory, 'routing.gwctl-test.yaml')
      await cp(path.join(FIXTURES, 'scenarios', 'https-termination'), directory, {recursive: true})
      const written = await readFile(file, 'utf8')
      await writeFile(file, written.replace('kind: RoutingTests\n', 'kind: RoutingTests\nbackendHeader: x-served-by # how our backends name themselves\n')
        .replaceAll('backend: https-termination/storefront:80}', 'backend: https-termination/shop-api:8080}'))
      const offline = await runGwctl(['test', '-o', 'json', directory], {cwd: root})
      assert.equal(offline.exitCode, 1, offline.stdout + offline.stderr)
      assert.deepEqual((JSON.parse(offline.stdout) as {summary: unknown}).summary, {files: 1, tests: 5, passed: 3, failed: 2, notCheckable: 0})
      const updated = await runGwctl(['test', '--update', directory], {cwd: root})
      assert.equal(updated.exitCode, 0, updated.stderr)
      assert.match(updated.stdout, /2 tests updated/)
      const after = await readFile(file, 'utf8')
      assert.match(after, /^kind: RoutingTests\nbackendHeader: x-served-by # how our backends name themselves\n/m)
      assert.equal((await runGwctl(['test', directory], {cwd: root})).exitCode, 0)
      const forced = await runGwctl(['test', '--init', '--force', directory], {cwd: root})
      assert.equal(forced.exitCode, 0, forced.stderr)
      assert.match(await readFile(file, 'utf8'), /^kind: RoutingTests\nbackendHeader: x-served-by\ntests:\n/m)
    })
  })
})
