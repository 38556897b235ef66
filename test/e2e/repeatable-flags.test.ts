/**
 * A repeatable flag takes one value per occurrence and never the positional
 * path after it, on every command: for each command × each repeatable flag
 * of oclif.manifest.json (a flag added later fails here until it has a row),
 * `gwctl CMD --flag VALUE PATH` must do what `gwctl CMD PATH --flag VALUE`
 * does. The working directory is an empty one, so a swallowed path shows as
 * a run over the wrong input (or a usage error), not as a silent success.
 */
import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {FIXTURES, REPO_ROOT} from '../support/fixture-expectations.js'
import {runGwctl, type RunResult} from '../support/run-cli.js'

interface ManifestFlag {
  multiple?: boolean
  char?: string
}

interface CommandRow {
  /** Arguments before the flag under test (output format, required flags). */
  leading: (outDir: string) => string[]
  /** The positional path placed right after the flag's value. */
  path: string
  /** A value for each repeatable flag. */
  values: Record<string, string>
  /** What both runs must show, beyond being alike. */
  check: (result: RunResult) => void
  /** The part of the output both orders must agree on. */
  compare?: (result: RunResult) => unknown
  /** Flags that need other flags (and so another check): their own row. */
  byFlag?: Record<string, Omit<CommandRow, 'path' | 'values' | 'byFlag'>>
}

const PASSTHROUGH = path.join(FIXTURES, 'scenarios', 'passthrough')
const BROKEN = path.join(FIXTURES, 'broken', 'tlsroute-with-matches')

function parseJson(result: RunResult): unknown {
  try {
    return JSON.parse(result.stdout)
  } catch {
    assert.fail(`not JSON (exit ${result.exitCode}): ${result.stdout}${result.stderr}`)
  }
}

/** gwctl test --live/--target: the passthrough tests ran through that executor (all passed when `passes`). */
function checkProbed(executor: string, passes = false): (result: RunResult) => void {
  return (result) => {
    assert.ok(passes ? result.exitCode === 0 : [0, 1].includes(result.exitCode), result.stdout + result.stderr)
    const report = parseJson(result) as {executor: string; summary: {tests: number; passed: number}}
    assert.equal(report.executor, executor)
    assert.equal(report.summary.tests, 3, result.stdout)
    if (passes) assert.equal(report.summary.passed, 3, result.stdout)
  }
}

function readSummary(result: RunResult): unknown {
  return (parseJson(result) as {summary: unknown}).summary
}

const COMMANDS: Record<string, CommandRow> = {
  lint: {
    leading: () => ['-o', 'json', '--now', '2026-01-01T00:00:00Z'],
    path: PASSTHROUGH,
    values: {filename: path.join(FIXTURES, 'scenarios', 'wildcard', 'gateway.yaml'), 'gateway-class': 'passthrough-nginx', exclude: 'README.md'},
    check: (result) => {
      assert.ok([0, 1].includes(result.exitCode), result.stderr)
      assert.ok((parseJson(result) as {summary: {resources: number}}).summary.resources >= 5, 'the fixture was linted')
    },
  },
  resolve: {
    leading: () => ['--sni', 'app.example.com', '-o', 'json'],
    path: PASSTHROUGH,
    values: {header: 'x-canary:true', filename: path.join(PASSTHROUGH, 'gateway.yaml'), 'gateway-class': 'passthrough-nginx', exclude: 'README.md'},
    check: (result) => {
      assert.equal(result.exitCode, 0, result.stderr)
      assert.equal((parseJson(result) as {route?: {name: string}}).route?.name, 'app')
    },
  },
  serve: {
    leading: () => [],
    path: BROKEN,
    values: {'port-map': '443=0', backend: 'default/app:443=127.0.0.1:9', address: '127.0.0.1', 'gateway-class': 'passthrough-nginx', exclude: 'README.md'},
    check: (result) => {
      assert.equal(result.exitCode, 2)
      assert.match(result.stderr, /tlsroute-with-matches\/tlsroute\.yaml:\d+:\d+: .*\[schema-unknown-field\]/)
    },
  },
  test: {
    leading: () => ['-o', 'json'],
    path: PASSTHROUGH,
    values: {
      tests: path.join(FIXTURES, 'scenarios', 'passthrough', 'routing.gwctl-test.yaml'), filename: path.join(PASSTHROUGH, 'gateway.yaml'),
      'gateway-class': 'passthrough-nginx', exclude: 'README.md',
      // Port 9 (discard) on loopback: nothing listens, so both orders see the same refusals.
      backend: 'passthrough/app:443=127.0.0.1:9', 'ca-file': path.join(PASSTHROUGH, 'ca.crt'), target: '127.0.0.1:9', 'target-map': 'passthrough/tls-passthrough:443=127.0.0.1:9',
    },
    check: (result) => {
      assert.equal(result.exitCode, 0, result.stderr)
      assert.ok((parseJson(result) as {summary: {passed: number}}).summary.passed >= 3, result.stdout)
    },
    byFlag: {
      backend: {leading: () => ['-o', 'json', '--live'], check: checkProbed('live'), compare: readSummary},
      'ca-file': {leading: () => ['-o', 'json', '--live', '--stub-backends'], check: checkProbed('live', true), compare: readSummary},
      target: {leading: () => ['-o', 'json'], check: checkProbed('target'), compare: readSummary},
      'target-map': {leading: () => ['-o', 'json'], check: checkProbed('target'), compare: readSummary},
    },
  },
  diff: {
    leading: () => ['-o', 'json', '--now', '2026-01-01T00:00:00Z', PASSTHROUGH],
    path: PASSTHROUGH,
    values: {old: PASSTHROUGH, new: PASSTHROUGH, 'map-namespace': 'passthrough=passthrough', 'gateway-class': 'passthrough-nginx', exclude: 'README.md'},
    check: (result) => {
      if (result.exitCode === 0) {
        assert.equal((parseJson(result) as {summary: {trafficChanged: boolean}}).summary.trafficChanged, false)
        return
      }
      // --old/--new with positional paths: both paths must still be positional.
      assert.equal(result.exitCode, 2, result.stderr)
      assert.match((parseJson(result) as {error: {message: string}}).error.message, new RegExp(`paths are not also given as arguments \\(got \\S+passthrough \\S+passthrough\\)`))
    },
  },
  'certs:create': {
    leading: (outDir) => ['-o', 'json', '--out-dir', outDir],
    path: 'named',
    values: {dns: 'a.example.com', ip: '127.0.0.1', exclude: 'README.md'},
    check: (result) => {
      assert.equal(result.exitCode, 0, result.stderr)
      assert.equal((parseJson(result) as {name: string}).name, 'named')
    },
    compare: (result) => (parseJson(result) as {name: string}).name,
  },
  'certs:inspect': {
    leading: () => [],
    path: path.join(PASSTHROUGH, 'backend-tls', 'app.example.com.crt'),
    values: {'verify-with': path.join(PASSTHROUGH, 'ca.crt')},
    check: (result) => {
      assert.equal(result.exitCode, 0, result.stderr)
      assert.match(result.stdout, /app\.example\.com\.crt/)
    },
  },
}

/** `certs create --exclude` applies to --for, whose positional arguments are manifest paths. */
const FOR_MANIFESTS: CommandRow = {
  leading: (outDir) => ['--for', '-o', 'json', '--out-dir', outDir],
  path: path.join(FIXTURES, 'broken', 'secret-missing'),
  values: {},
  check: (result) => {
    assert.equal(result.exitCode, 0, result.stderr)
    assert.ok((parseJson(result) as {issued: unknown[]}).issued.length > 0, result.stdout)
  },
  compare: (result) => (parseJson(result) as {issued: Array<{secretName: string}>}).issued.map((issued) => issued.secretName),
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, ManifestFlag>}>}

describe('e2e: a repeatable flag never takes the path after it (every command × every repeatable flag)', function () {
  this.timeout(60_000)
  let cwd: string

  before(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'gwctl-flags-cwd-'))
  })

  after(async () => rm(cwd, {recursive: true, force: true}))

  for (const [id, command] of Object.entries(manifest.commands)) {
    for (const [name, flag] of Object.entries(command.flags)) {
      if (!flag.multiple) continue
      for (const spelling of [`--${name}`, ...(flag.char === undefined ? [] : [`-${flag.char}`])]) {
        it(`gwctl ${id.replace(':', ' ')} ${spelling} VALUE PATH`, async () => {
          const commandRow = id === 'certs:create' && name === 'exclude' ? FOR_MANIFESTS : COMMANDS[id]
          assert.ok(commandRow, `no table row for the command ${id}: add one`)
          const row: CommandRow = {...commandRow, ...commandRow.byFlag?.[name]}
          const value = commandRow === FOR_MANIFESTS ? 'README.md' : row.values[name]
          assert.ok(value !== undefined, `no value for the repeatable flag ${id} --${name}: add one to the table`)
          const [flagFirst, pathFirst] = await Promise.all([
            runInTempDir(cwd, (outDir) => [...id.split(':'), ...row.leading(outDir), spelling, value, row.path]),
            runInTempDir(cwd, (outDir) => [...id.split(':'), ...row.leading(outDir), row.path, spelling, value]),
          ])
          row.check(pathFirst)
          row.check(flagFirst)
          const compare = row.compare ?? ((result: RunResult) => [result.exitCode, result.stdout, result.stderr])
          assert.deepEqual(compare(flagFirst), compare(pathFirst))
        })
      }
    }
  }
})

/** Run gwctl in `cwd` with a fresh output directory, removed afterwards. */
async function runInTempDir(cwd: string, args: (outDir: string) => string[]): Promise<RunResult> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'gwctl-flags-out-'))
  try {
    return await runGwctl(args(outDir), {cwd})
  } finally {
    await rm(outDir, {recursive: true, force: true})
  }
}
