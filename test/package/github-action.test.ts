/**
 * action.yml, run as GitHub would run its steps: each `run:` script under
 * `bash --noprofile --norc -eo pipefail` with its `env:` (`${{ inputs.* }}`
 * replaced by the inputs, defaults unless a case sets them), GITHUB_OUTPUT
 * and GITHUB_ACTION_PATH set, and
 * `gwctl` on PATH being the built CLI (bin/run.js). The install step runs
 * with a recording `npm` in place of the real one.
 */
import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {parse} from 'yaml'
import {REPO_ROOT} from '../support/fixture-expectations.js'

interface Step {
  name: string
  id?: string
  if?: string
  uses?: string
  shell?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, string>
}

interface Action {
  name: string
  inputs: Record<string, {description: string; default?: string; required?: boolean}>
  outputs: Record<string, {value: string}>
  runs: {using: string; steps: Step[]}
}

interface StepResult {
  status: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
}

const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as Action
const step = (name: string): Step => {
  const found = action.runs.steps.find((candidate) => candidate.name === name)
  assert.ok(found !== undefined, `action.yml has a step '${name}'`)
  return found
}

/** `${{ inputs.NAME }}` and `${{ steps.ID.outputs.NAME }}` replaced; any other expression is an error. */
function substitute(text: string, inputs: Record<string, string>, steps: Record<string, Record<string, string>> = {}): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression)
    if (input) {
      assert.ok(input[1] in action.inputs, `input ${input[1]} is declared`)
      return inputs[input[1]]
    }
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression)
    if (output) return steps[output[1]]?.[output[2]] ?? ''
    throw new Error(`unexpected expression ${expression}`)
  })
}

describe('action.yml (GitHub Action)', function () {
  this.timeout(120_000)
  let work: string
  let tools: string
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']))

  function runStep(target: Step, options: {inputs?: Record<string, string>; cwd: string; steps?: Record<string, Record<string, string>>; env?: Record<string, string>}): StepResult {
    assert.equal(target.shell, 'bash')
    assert.ok(target.run !== undefined, `${target.name} runs a script`)
    const inputs = {...defaults, ...options.inputs}
    const outputFile = join(work, `github-output-${Math.random().toString(36).slice(2)}`)
    writeFileSync(outputFile, '')
    const env: Record<string, string> = {
      ...process.env as Record<string, string>, NO_COLOR: '1', GITHUB_OUTPUT: outputFile, GITHUB_ACTION_PATH: REPO_ROOT,
      PATH: `${tools}${delimiter}${process.env.PATH ?? ''}`, GWCTL_CACHE_DIR: join(work, 'cache'), ...options.env,
    }
    for (const [name, value] of Object.entries(target.env ?? {})) env[name] = substitute(value, inputs, options.steps)
    const result = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', substitute(target.run!, inputs, options.steps)], {cwd: options.cwd, env, encoding: 'utf8'})
    const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]))
    return {status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, outputs}
  }

  const copyFixture = (from: string, name: string): string => {
    const target = join(work, name)
    cpSync(join(REPO_ROOT, 'fixtures', from), target, {recursive: true})
    return target
  }

  before(function () {
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'gwctl.cjs'))) throw new Error('the CLI is not built: run npm run build first')
    work = mkdtempSync(join(tmpdir(), 'gwctl-action-'))
    tools = join(work, 'bin')
    mkdirSync(tools)
    writeFileSync(join(tools, 'gwctl'), `#!/bin/sh\nexec "${process.execPath}" "${join(REPO_ROOT, 'bin', 'run.js')}" "$@"\n`)
    writeFileSync(join(tools, 'npm'), `#!/bin/sh\necho "$@" >> "${join(work, 'npm-calls')}"\n`)
    chmodSync(join(tools, 'gwctl'), 0o755)
    chmodSync(join(tools, 'npm'), 0o755)
  })
  after(() => rmSync(work, {recursive: true, force: true}))

  it('is a composite action with inputs paths, format, fail-on and config, and their defaults', () => {
    assert.equal(action.runs.using, 'composite')
    assert.deepEqual(
      Object.fromEntries(['paths', 'format', 'fail-on', 'config'].map((name) => [name, action.inputs[name]?.default])),
      {paths: '.', format: 'github', 'fail-on': 'error', config: ''},
    )
    assert.match(step('Set up Node.js').uses ?? '', /^actions\/setup-node@v\d+$/)
  })

  it('installs the gwctl version of the action by default, or the one asked for', () => {
    const byDefault = runStep(step('Install gwctl'), {cwd: work})
    assert.equal(byDefault.status, 0, byDefault.stderr)
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {version: string}).version
    assert.match(byDefault.stdout, /^gwctl\/\S+ /, 'it prints the installed version')
    const pinned = runStep(step('Install gwctl'), {cwd: work, inputs: {version: '9.8.7'}})
    assert.equal(pinned.status, 0, pinned.stderr)
    assert.deepEqual(readFileSync(join(work, 'npm-calls'), 'utf8').trim().split('\n'), [
      `install --global --no-audit --no-fund gwctl@${version}`,
      'install --global --no-audit --no-fund gwctl@9.8.7',
    ])
  })

  it('with the defaults, lints the working directory as annotations: a clean set passes', () => {
    const result = runStep(step('Lint'), {cwd: copyFixture('scenarios/passthrough', 'clean')})
    assert.equal(result.status, 0, result.stderr)
    assert.equal(result.stdout.trim(), '')
    assert.deepEqual(result.outputs, {'exit-code': '0'})
  })

  it('findings at fail-on give exit-code 1 without failing the step, so SARIF is still uploaded; the Result step fails', () => {
    const broken = copyFixture('broken/secret-missing', 'broken')
    const result = runStep(step('Lint'), {cwd: broken, inputs: {'fail-on': 'warning'}})
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /^::warning file=gateway\.yaml,line=\d+,col=\d+,title=secret-not-found::/m)
    assert.equal(result.outputs['exit-code'], '1')
    const final = runStep(step('Result'), {cwd: broken, steps: {lint: result.outputs}})
    assert.equal(final.status, 1)
  })

  it('format sarif writes gwctl.sarif for the upload step, which runs only then', () => {
    const broken = copyFixture('broken/secret-missing', 'broken-sarif')
    const result = runStep(step('Lint'), {cwd: broken, inputs: {format: 'sarif', paths: 'gateway.yaml\napps.yaml httproute.yaml namespace.yaml'}})
    assert.equal(result.status, 0, result.stderr)
    assert.deepEqual(result.outputs, {'exit-code': '0', report: 'gwctl.sarif'})
    const sarif = JSON.parse(readFileSync(join(broken, 'gwctl.sarif'), 'utf8')) as {version: string; runs: Array<{results: Array<{ruleId: string}>}>}
    assert.equal(sarif.version, '2.1.0')
    assert.ok(sarif.runs[0].results.some((entry) => entry.ruleId === 'secret-not-found'))
    const upload = step('Upload SARIF to code scanning')
    assert.match(upload.uses ?? '', /^github\/codeql-action\/upload-sarif@v\d+$/)
    assert.equal(upload.with?.sarif_file, '${{ steps.lint.outputs.report }}')
    assert.match(upload.if ?? '', /inputs\.format == 'sarif'/)
  })

  it('unusable input fails the step with exit 2 (nothing to upload)', () => {
    const result = runStep(step('Lint'), {cwd: work, inputs: {paths: 'no-such-dir'}})
    assert.equal(result.status, 2)
    assert.equal(result.outputs['exit-code'], '2')
  })

  it('declares the test and diff inputs, off by default, and runs their steps only when asked', () => {
    assert.deepEqual(
      Object.fromEntries(['test', 'test-paths', 'test-format', 'diff-summary', 'diff-base'].map((name) => [name, action.inputs[name]?.default])),
      {test: 'false', 'test-paths': '', 'test-format': 'github', 'diff-summary': 'false', 'diff-base': ''},
    )
    assert.equal(step('Test').if, "inputs.test == 'true'")
    assert.equal(step('Diff summary').if, "inputs.diff-summary == 'true'")
    assert.equal(action.outputs['test-exit-code'].value, '${{ steps.test.outputs.exit-code }}')
    assert.equal(action.outputs['traffic-changed'].value, '${{ steps.diff.outputs.traffic-changed }}')
  })

  it('test: runs gwctl test when the installed gwctl has it, else fails with one annotation saying so', () => {
    const set = copyFixture('scenarios/passthrough', 'tested')
    const hasTest = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), 'help', 'test'], {encoding: 'utf8'}).status === 0
    if (!hasTest) {
      const result = runStep(step('Test'), {cwd: set, inputs: {test: 'true'}})
      assert.equal(result.status, 2)
      assert.match(result.stdout, /^::error title=gwctl test::gwctl\/\S+ .*has no 'gwctl test' command/m)
      assert.deepEqual(result.outputs, {'exit-code': '2'})
      return
    }
    writeFileSync(join(set, 'wrong.gwctl-test.yaml'), [
      'kind: RoutingTests', 'tests:', '- name: app goes elsewhere', '  request: {sni: app.example.com, port: 443}', '  expect: {backend: passthrough/other:443}', '',
    ].join('\n'))
    const failing = runStep(step('Test'), {cwd: set, inputs: {test: 'true', 'test-paths': '.'}})
    assert.equal(failing.status, 0, failing.stderr)
    assert.equal(failing.outputs['exit-code'], '1')
    const final = runStep(step('Result'), {cwd: set, steps: {lint: {'exit-code': '0'}, test: failing.outputs}})
    assert.equal(final.status, 1, 'a failing routing test fails the job')
  })

  it('Result: lint decides first, then the tests; a step that did not run counts as passed', () => {
    const result = (lint: string, test?: string) => runStep(step('Result'), {cwd: work, steps: {lint: {'exit-code': lint}, ...(test === undefined ? {} : {test: {'exit-code': test}})}}).status
    assert.deepEqual([result('0'), result('0', '0'), result('0', '1'), result('1', '0'), result('1', '1')], [0, 0, 1, 1, 1])
  })

  describe('diff-summary: gwctl diff as the job summary, in a real git repository', () => {
    let repo: string
    let summary: string
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, {cwd, encoding: 'utf8'})

    before(function () {
      if (spawnSync('git', ['--version']).status !== 0) {
        console.log('    (skipped: git is not on PATH)')
        this.skip()
      }
      const upstream = join(work, 'upstream')
      cpSync(join(REPO_ROOT, 'fixtures', 'scenarios', 'weighted-canary'), join(upstream, 'deploy'), {recursive: true})
      git(upstream, 'init', '--quiet', '--initial-branch=main')
      git(upstream, '-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--allow-empty', '-m', 'empty')
      git(upstream, 'add', '-A')
      git(upstream, '-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'canary at 10 %')
      // The pull request's checkout: one commit deep, without the base branch, as actions/checkout leaves it.
      repo = join(work, 'checkout')
      git(work, 'clone', '--quiet', '--depth=1', '--no-single-branch', `file://${upstream}`, repo)
      git(repo, 'update-ref', '-d', 'refs/remotes/origin/main')
      const route = join(repo, 'deploy', 'tlsroute.yaml')
      writeFileSync(route, readFileSync(route, 'utf8').replace('weight: 90', 'weight: 0').replace('weight: 10', 'weight: 100'))
    })
    beforeEach(() => {
      summary = join(work, `summary-${Math.random().toString(36).slice(2)}.md`)
      writeFileSync(summary, '')
    })

    it('on a pull request, fetches the base branch and writes the markdown diff; traffic-changed is true', () => {
      const result = runStep(step('Diff summary'), {cwd: repo, inputs: {'diff-summary': 'true', paths: 'deploy'}, env: {GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary}})
      assert.equal(result.status, 0, result.stderr + result.stdout)
      assert.deepEqual(result.outputs, {'traffic-changed': 'true'})
      const written = readFileSync(summary, 'utf8').split('\n')
      assert.equal(written[0], '**gwctl diff**: traffic changes: routing rows 1 changed; no condition flips; no finding appears or is fixed')
      assert.ok(written.some((line) => line.includes('backends: weighted-canary/api-stable:8443 90%, weighted-canary/api-canary:8443 10%') && line.includes('backends: weighted-canary/api-stable:8443 0%, weighted-canary/api-canary:8443 100%')), written.join('\n'))
    })

    it('diff-base names the ref; no traffic change gives traffic-changed false', () => {
      const result = runStep(step('Diff summary'), {cwd: repo, inputs: {'diff-summary': 'true', 'diff-base': 'HEAD', paths: 'deploy/namespace.yaml deploy/gateway.yaml'}, env: {GITHUB_STEP_SUMMARY: summary}})
      assert.equal(result.status, 0, result.stderr + result.stdout)
      assert.deepEqual(result.outputs, {'traffic-changed': 'false'})
      assert.match(readFileSync(summary, 'utf8'), /^\*\*gwctl diff\*\*: no traffic change;/)
    })

    it('outside a pull request without diff-base, or with a ref that does not exist: a note, no summary, the job goes on', () => {
      const quiet = runStep(step('Diff summary'), {cwd: repo, inputs: {'diff-summary': 'true'}, env: {GITHUB_BASE_REF: '', GITHUB_STEP_SUMMARY: summary}})
      assert.equal(quiet.status, 0)
      assert.match(quiet.stdout, /^::notice title=gwctl diff::no diff summary: this is not a pull request/m)
      const bad = runStep(step('Diff summary'), {cwd: repo, inputs: {'diff-summary': 'true', 'diff-base': 'no-such-ref', paths: 'deploy'}, env: {GITHUB_STEP_SUMMARY: summary}})
      assert.equal(bad.status, 0)
      assert.match(bad.stdout, /^::warning title=gwctl diff::no diff summary: gwctl: --git no-such-ref: no such commit/m)
      assert.equal(readFileSync(summary, 'utf8'), '')
      assert.deepEqual(bad.outputs, {})
    })
  })
})
