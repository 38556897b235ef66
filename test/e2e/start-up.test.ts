/**
 * The built CLI as it starts (bin/run.js → dist/cli/start.js → the bundle
 * dist/cli/gwctl.cjs through the V8 code cache): the same answers as the
 * source (bin/dev.js), oclif's --version line without oclif, the cache
 * written once per command and honoured switches. Times are the bench's
 * business (npm run bench), never asserted here.
 */
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Config} from '@oclif/core'
import {REPO_ROOT} from '../support/fixture-expectations.js'
import {runGwctl} from '../support/run-cli.js'

const DEV_BIN = join(REPO_ROOT, 'bin', 'dev.js')
const NOW = ['--now', '2026-01-01T00:00:00Z']

describe('e2e: start-up of the built CLI', function () {
  this.timeout(120_000)
  let work: string
  let env: Record<string, string>
  const cacheFiles = () => (existsSync(join(work, 'compile-cache')) ? readdirSync(join(work, 'compile-cache')).filter((name) => name.endsWith('.v8')) : [])

  before(function () {
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'gwctl.cjs'))) throw new Error('the CLI is not built: run npm run build first')
  })
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'gwctl-start-up-'))
    env = {GWCTL_CACHE_DIR: work}
  })
  afterEach(() => rmSync(work, {recursive: true, force: true}))

  it('--version prints oclif\'s own user agent line, without loading the bundle', async () => {
    const config = await Config.load({root: REPO_ROOT})
    const result = await runGwctl(['--version'], {env})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.equal(result.stdout, config.userAgent)
    assert.deepEqual(cacheFiles(), [], 'no bundle loaded, so no cache')
  })

  it('lint gives the same JSON as the source, the first run writes the lint cache and later runs use it unchanged', async () => {
    const args = ['lint', join(REPO_ROOT, 'fixtures', 'broken'), '-o', 'json', ...NOW]
    const first = await runGwctl(args, {env})
    assert.equal(first.exitCode, 1, first.stderr)
    const files = cacheFiles()
    assert.equal(files.length, 1)
    assert.match(files[0], /-lint\.v8$/)
    const written = statSync(join(work, 'compile-cache', files[0])).mtimeMs
    const second = await runGwctl(args, {env})
    assert.equal(second.stdout, first.stdout)
    assert.equal(statSync(join(work, 'compile-cache', files[0])).mtimeMs, written, 'the cache was used, not rewritten')
    const source = await runGwctl(args, {env, bin: DEV_BIN})
    assert.equal(first.stdout, source.stdout, 'bundle (precompiled CEL, code cache) and source agree')
    assert.ok(JSON.parse(first.stdout).findings.some((finding: {category: string}) => finding.category === 'schema'), 'CEL and schema rules ran')
  })

  it('help for the CLI, a topic and a command works through oclif, each command with its own cache', async () => {
    for (const args of [['--help'], ['certs', '--help'], ['lint', '--help'], ['resolve', '--help']]) {
      const result = await runGwctl(args, {env})
      assert.equal(result.exitCode, 0, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stdout, /USAGE/)
    }
    assert.deepEqual(cacheFiles().map((name) => name.replace(/^.*-/, '')).sort(), ['certs.v8', 'lint.v8', 'other.v8', 'resolve.v8'])
  })

  it('GWCTL_COMPILE_CACHE=0 reads and writes no cache; results are the same', async () => {
    const args = ['lint', join(REPO_ROOT, 'fixtures', 'scenarios', 'passthrough')]
    const cached = await runGwctl(args, {env})
    const result = await runGwctl(args, {env: {...env, GWCTL_COMPILE_CACHE: '0', GWCTL_CACHE_DIR: join(work, 'unused')}})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.equal(result.stdout, cached.stdout)
    assert.ok(!existsSync(join(work, 'unused')))
  })
})
