/**
 * The package as npm publishes and installs it: `npm pack` (of the built
 * checkout), then `npm install TARBALL` into an empty prefix (from the npm
 * cache when it can), then the installed `gwctl` lints fixtures, creates
 * certificates, prints its version and help — far from this checkout's
 * node_modules, so anything the bundle failed to include would show.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {REPO_ROOT} from '../support/fixture-expectations.js'
import {runGwctl} from '../support/run-cli.js'

interface PackResult {
  filename: string
  files: Array<{path: string}>
}

describe('e2e: the installed package', function () {
  this.timeout(180_000)
  let work: string
  let packed: PackResult
  let bin: string
  let env: Record<string, string>
  const gwctl = (args: string[]) => runGwctl(args, {bin, env, cwd: work})

  before(function () {
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'gwctl.cjs'))) throw new Error('the CLI is not built: run npm run build first')
    work = mkdtempSync(join(tmpdir(), 'gwctl-installed-'))
    const npm = (args: string[], cwd: string) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {cwd, encoding: 'utf8', env: {...process.env, npm_config_update_notifier: 'false'}})
    packed = (JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO_ROOT)) as PackResult[])[0]
    const prefix = join(work, 'prefix')
    npm(['install', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-package-lock', join(work, packed.filename)], work)
    bin = join(prefix, 'node_modules', 'gwctl', 'bin', 'run.js')
    env = {GWCTL_CACHE_DIR: join(work, 'cache')}
  })
  after(() => {
    if (work !== undefined) rmSync(work, {recursive: true, force: true})
  })

  it('the tarball holds the CLI, its schemas, manifest, licence and notices, and no sources or tests', () => {
    const paths = packed.files.map((file) => file.path)
    for (const expected of ['LICENSE', 'README.md', 'package.json', 'bin/run.js', 'dist/cli/start.js', 'dist/cli/gwctl.cjs', 'dist/commands/lint.js', 'dist/THIRD-PARTY-NOTICES.txt', 'oclif.manifest.json', 'schemas/index.json']) {
      assert.ok(paths.includes(expected), `${expected} is packed`)
    }
    for (const path of paths) assert.doesNotMatch(path, /^(src|test|bench|scripts|fixtures)\//, `${path} is not packed`)
  })

  it('installs without the packages the bundle contains', () => {
    const installed = readdirSync(join(work, 'prefix', 'node_modules'))
    // tinyglobby and picomatch are bundled too, but @oclif/core brings them as dependencies of the autocomplete plugin.
    for (const bundled of ['yaml', '@bufbuild', '@peculiar', 'chalk']) assert.ok(!installed.includes(bundled), `${bundled} is not installed`)
    assert.ok(existsSync(join(work, 'prefix', 'node_modules', '.bin', 'gwctl')), 'the gwctl binary is linked')
  })

  it('the installed gwctl lints a scenario (exit 0) and a broken set (exit 1, with its rule)', async () => {
    const clean = await gwctl(['lint', join(REPO_ROOT, 'fixtures', 'scenarios', 'passthrough')])
    assert.equal(clean.exitCode, 0, clean.stderr)
    assert.equal(clean.stdout, '✔ No problems (4 files, 8 resources)')
    const broken = await gwctl(['lint', join(REPO_ROOT, 'fixtures', 'broken', 'typo-certficaterefs'), '-o', 'json'])
    assert.equal(broken.exitCode, 1, broken.stderr)
    const findings = (JSON.parse(broken.stdout) as {findings: Array<{ruleId: string; category: string}>}).findings
    assert.ok(findings.some((finding) => finding.category === 'schema'), JSON.stringify(findings))
    const again = await gwctl(['lint', join(REPO_ROOT, 'fixtures', 'scenarios', 'passthrough')])
    assert.equal(again.stdout, clean.stdout, 'the run with the compile cache answers the same')
  })

  it('the installed gwctl creates certificates, and prints version and help', async () => {
    const created = await gwctl(['certs', 'create', '--dns', 'app.example.com', '--out-dir', join(work, 'certs'), '--secret', 'app-tls'])
    assert.equal(created.exitCode, 0, created.stderr)
    assert.ok(existsSync(join(work, 'certs', 'app-tls.secret.yaml')))
    const version = await gwctl(['--version'])
    assert.match(version.stdout, /^gwctl\/0\.\d+\.\d+ \S+-\S+ node-v\d+/)
    const help = await gwctl(['lint', '--help'])
    assert.equal(help.exitCode, 0, help.stderr)
    assert.match(help.stdout, /USAGE\n {2}\$ gwctl lint/)
  })
})
