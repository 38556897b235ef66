/**
 * .pre-commit-hooks.yaml, run as pre-commit would run the hook: its `entry`
 * (with `gwctl` being the built CLI, bin/run.js) plus a project's `args`,
 * in the project's directory, without file names (pass_filenames: false),
 * for the files its pattern selects.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'
import {REPO_ROOT} from '../support/fixture-expectations.js'

interface Hook {
  id: string
  name: string
  entry: string
  language: string
  files?: string
  pass_filenames?: boolean
  require_serial?: boolean
}

const hooks = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[]
const hook = hooks.find((entry) => entry.id === 'gwctl-lint')

/** The hook's command with the project's args, `gwctl` run from this checkout's build. */
function runHook(args: string[], cwd: string): {status: number; stdout: string; stderr: string} {
  const [program, ...entryArgs] = hook!.entry.split(/\s+/)
  assert.equal(program, 'gwctl', 'the entry runs the gwctl binary the node package installs')
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...entryArgs, ...args], {cwd, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
  return {status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}

describe('.pre-commit-hooks.yaml', function () {
  this.timeout(60_000)

  before(function () {
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'gwctl.cjs'))) throw new Error('the CLI is not built: run npm run build first')
  })

  it('declares gwctl-lint: a node hook running gwctl lint over the whole set when YAML changes', () => {
    assert.ok(hook !== undefined, 'hook gwctl-lint')
    assert.equal(hook.language, 'node')
    assert.equal(hook.entry, 'gwctl lint')
    assert.equal(hook.pass_filenames, false, 'references cross files: lint the set, not the changed file alone')
    assert.equal(hook.require_serial, true)
    const files = new RegExp(hook.files ?? '')
    for (const name of ['gateway.yaml', 'deploy/routes.yml']) assert.match(name, files)
    for (const name of ['package.json', 'README.md', 'yaml.txt', 'ca.crt']) assert.doesNotMatch(name, files)
  })

  it('the entry passes a clean set and fails a broken one, as a commit would', () => {
    const clean = runHook([join('fixtures', 'scenarios', 'passthrough')], REPO_ROOT)
    assert.equal(clean.status, 0, clean.stderr)
    assert.equal(clean.stdout.trim(), '✔ No problems (4 files, 8 resources)')
    const broken = runHook(['fixtures/broken/typo-certficaterefs'], REPO_ROOT)
    assert.equal(broken.status, 1, broken.stderr)
    assert.match(broken.stdout, /fixtures\/broken\/typo-certficaterefs\/\S+\.yaml\n\s+\d+:\d+\s+error\s/)
  })

  it('with no args it lints the working directory (the repository pre-commit runs in)', () => {
    const result = runHook([], join(REPO_ROOT, 'fixtures', 'scenarios', 'wildcard'))
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /No problems/)
  })
})
