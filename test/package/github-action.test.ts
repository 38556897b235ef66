/**
 * action.yml, run as GitHub would run its steps: each `run:` script under
 * `bash --noprofile --norc -eo pipefail` with its `env:` (`${{ inputs.* }}`
 * replaced by the inputs, defaults unless a case sets them), GITHUB_OUTPUT
 * and GITHUB_ACTION_PATH set, and
 * `gwctl` on PATH being the built CLI (bin/run.js). The install step runs
 * with a recording `npm` in place of the real one.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
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

  function runStep(target: Step, options: {inputs?: Record<string, string>; cwd: string; steps?: Record<string, Record<string, string>>}): StepResult {
    assert.equal(target.shell, 'bash')
    assert.ok(target.run !== undefined, `${target.name} runs a script`)
    const inputs = {...defaults, ...options.inputs}
    const outputFile = join(work, `github-output-${Math.random().toString(36).slice(2)}`)
    writeFileSync(outputFile, '')
    const env: Record<string, string> = {
      ...process.env as Record<string, string>, NO_COLOR: '1', GITHUB_OUTPUT: outputFile, GITHUB_ACTION_PATH: REPO_ROOT,
      PATH: `${tools}${delimiter}${process.env.PATH ?? ''}`, GWCTL_CACHE_DIR: join(work, 'cache'),
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
})
