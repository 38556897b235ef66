/**
 * End-to-end tests of `gwctl diff` with the built CLI: the three ways to
 * name the two configurations (OLD NEW, --old/--new, --git REF in a real
 * temporary git repository), the formats, --exit-code, and bad input as
 * one line and exit 2 (a bad ref, a path outside the repository, a missing
 * path, a file at the ref that is not text).
 */
import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {DiffReport} from '../../src/diff/diff-report.js'
import {REPO_ROOT} from '../support/fixture-expectations.js'
import {hasTool, runGwctl} from '../support/run-cli.js'

const diff = (args: string[], cwd = REPO_ROOT) => runGwctl(['diff', ...args], {cwd})

function assertOneLineError(result: {exitCode: number; stdout: string; stderr: string}, pattern: RegExp): void {
  assert.equal(result.exitCode, 2, result.stderr)
  assert.equal(result.stdout, '')
  const lines = result.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, result.stderr)
  assert.match(lines[0], /^gwctl: /)
  assert.match(lines[0], pattern)
}

describe('gwctl diff', function () {
  this.timeout(60_000)

  it('a configuration against itself: nothing changes, exit 0 with --exit-code', async () => {
    const result = await diff(['fixtures/scenarios/https-termination', 'fixtures/scenarios/https-termination', '--exit-code'])
    assert.equal(result.exitCode, 0, result.stderr)
    assert.equal(result.stdout, [
      'gwctl diff: fixtures/scenarios/https-termination → fixtures/scenarios/https-termination',
      'no traffic change; no condition flips; no finding appears or is fixed',
    ].join('\n'))
  })

  it('--old and --new take several paths each; without --exit-code a traffic change still exits 0', async () => {
    const base = 'fixtures/scenarios/weighted-canary'
    const broken = 'fixtures/broken/weights-all-zero'
    const files = ['namespace.yaml', 'gateway.yaml', 'backends.yaml', 'tlsroute.yaml']
    const result = await diff([...files.flatMap((file) => ['--old', `${base}/${file}`]), ...files.flatMap((file) => ['--new', `${broken}/${file}`]), '--map-namespace', 'weighted-canary=broken-weights-all-zero', '-o', 'json'])
    assert.equal(result.exitCode, 0, result.stderr)
    const report = JSON.parse(result.stdout) as DiffReport
    assert.equal(report.version, 1)
    assert.equal(report.old.files, 4)
    assert.deepEqual(report.routes.map((change) => [change.change, change.hostname, change.aspects, change.old?.backends.map((backend) => `${backend.backend} ${backend.share}`), change.new?.backends.map((backend) => `${backend.backend} ${backend.share}`)]), [
      ['changed', 'api.example.com', ['backends'],
        ['broken-weights-all-zero/api-stable:8443 90', 'broken-weights-all-zero/api-canary:8443 10'],
        ['broken-weights-all-zero/api-stable:8443 0', 'broken-weights-all-zero/api-canary:8443 0']],
    ])
  })

  it('without --map-namespace, copies in other namespaces are other objects: every row is removed and added', async () => {
    const result = await diff(['fixtures/scenarios/passthrough', 'fixtures/broken/v1alpha2-tlsroute-deprecated', '-o', 'json'])
    const report = JSON.parse(result.stdout) as DiffReport
    assert.deepEqual(report.summary.routes, {added: 1, removed: 1, changed: 0})
    assert.ok(report.resources.added.some((resource) => resource.kind === 'GatewayClass' && resource.name === 'broken-v1alpha2-tlsroute-deprecated-nginx'))
  })

  it('-o markdown: the summary line first, then tables', async () => {
    const result = await diff(['fixtures/scenarios/passthrough', 'fixtures/broken/service-port-missing', '--map-namespace', 'passthrough=broken-service-port-missing', '-o', 'markdown'])
    assert.equal(result.exitCode, 0, result.stderr)
    const lines = result.stdout.split('\n')
    assert.equal(lines[0], '**gwctl diff**: traffic changes: routing rows 1 changed; 1 condition flips; findings: 1 appeared, 0 fixed')
    assert.ok(lines.includes('#### Routing') && lines.includes('#### Conditions') && lines.includes('#### Findings'), result.stdout)
    assert.ok(lines.some((line) => line.startsWith('| ✏️ changed | 443 broken-service-port-missing/tls-passthrough listener tls | app.example.com | TLSRoute broken-service-port-missing/app | backends: broken-service-port-missing/app:443 100% | backends: broken-service-port-missing/app:8443 100% (invalid) |')), result.stdout)
    assert.ok(lines.some((line) => /^\| 🆕 appeared \| error \| `backend-port-not-found` \|/.test(line)), result.stdout)
  })

  it('usage errors and unreadable input: one line, exit 2', async () => {
    assertOneLineError(await diff(['fixtures/scenarios/passthrough']), /needs two configurations: OLD NEW/)
    assertOneLineError(await diff(['--old', 'fixtures/scenarios/passthrough']), /--old needs --new/)
    assertOneLineError(await diff(['--git', 'HEAD', '--new', 'fixtures/scenarios/passthrough']), /--git compares the working tree with a ref: it takes no --old or --new/)
    assertOneLineError(await diff(['fixtures/scenarios/passthrough', 'no-such-dir']), /no-such-dir/)
    assertOneLineError(await diff(['fixtures/scenarios/passthrough', 'fixtures/scenarios/wildcard', '--map-namespace', 'passthrough']), /--map-namespace 'passthrough' must be OLD=NEW/)
    const json = await diff(['fixtures/scenarios/passthrough', 'no-such-dir', '-o', 'json'])
    assert.equal(json.exitCode, 2)
    assert.equal((JSON.parse(json.stdout) as {error: {code: string}}).error.code, 'input')
  })

  describe('--git REF: the paths at a commit, read through git, against the working tree', () => {
    let repo: string
    const git = (...args: string[]) => execFileSync('git', args, {cwd: repo, encoding: 'utf8'})

    before(async function () {
      if (!(await hasTool('git'))) {
        console.log('    (skipped: git is not on PATH)')
        this.skip()
      }
      repo = mkdtempSync(join(tmpdir(), 'gwctl-diff-git-'))
      git('init', '--quiet', '--initial-branch=main')
      git('config', 'user.email', 'test@example.com')
      git('config', 'user.name', 'gwctl test')
      git('config', 'commit.gpgsign', 'false')
      cpSync(join(REPO_ROOT, 'fixtures', 'scenarios', 'weighted-canary'), join(repo, 'manifests'), {recursive: true})
      // What a walk skips, as lint skips it: hidden entries, node_modules, files without a Kubernetes object, gwctl test files.
      mkdirSync(join(repo, 'manifests', 'node_modules'))
      writeFileSync(join(repo, 'manifests', 'node_modules', 'broken.yaml'), 'key: [unclosed\n')
      mkdirSync(join(repo, 'manifests', '.cache'))
      writeFileSync(join(repo, 'manifests', '.cache', 'broken.yaml'), 'key: [unclosed\n')
      writeFileSync(join(repo, 'manifests', 'values.yaml'), 'replicas: 3\n')
      writeFileSync(join(repo, 'manifests', 'routing.gwctl-test.yaml'), 'kind: RoutingTests\ntests: []\n')
      git('add', '-A')
      git('commit', '--quiet', '-m', 'canary at 10 %')
      // Read at the ref only: a gwctl test file is left out there, as lint's walk leaves it out.
      rmSync(join(repo, 'manifests', 'routing.gwctl-test.yaml'))
      const route = join(repo, 'manifests', 'tlsroute.yaml')
      writeFileSync(route, readFileSync(route, 'utf8').replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50'))
    })
    after(() => {
      if (repo !== undefined) rmSync(repo, {recursive: true, force: true})
    })

    it('names the backends whose shares change, with the same file names as the working tree; --exit-code exits 1', async () => {
      const result = await diff(['--git', 'HEAD', 'manifests', '--exit-code', '-o', 'json'], repo)
      assert.equal(result.exitCode, 1, result.stderr)
      const report = JSON.parse(result.stdout) as DiffReport
      assert.match(report.old.source, /^git HEAD \([0-9a-f]{12}\): manifests$/)
      assert.equal(report.new.source, 'working tree: manifests')
      assert.equal(report.old.files, report.new.files)
      assert.deepEqual(report.routes.map((change) => [change.change, change.hostname, change.new?.backends.map((backend) => `${backend.backend} ${backend.share}%`)]), [
        ['changed', 'api.example.com', ['weighted-canary/api-stable:8443 50%', 'weighted-canary/api-canary:8443 50%']],
      ])
      assert.deepEqual(report.findings, {appeared: [], fixed: []})
      assert.deepEqual(report.resources, {added: [], removed: []})
      const valuesSkipped = [{file: 'manifests/values.yaml', reason: 'no apiVersion or kind in any document'}]
      assert.deepEqual([report.old.skipped, report.new.skipped], [valuesSkipped, valuesSkipped])
    })

    it('with no path, the whole repository from the working directory; from a subdirectory, paths are relative to it', async () => {
      const whole = await diff(['--git', 'main'], repo)
      assert.equal(whole.exitCode, 0, whole.stderr)
      assert.match(whole.stdout, /^~ 443 weighted-canary\/tls-passthrough listener tls {2}api\.example\.com {2}TLSRoute weighted-canary\/api$/m)
      assert.match(whole.stdout, /^ {4}backends: weighted-canary\/api-stable:8443 90%, weighted-canary\/api-canary:8443 10% → weighted-canary\/api-stable:8443 50%, weighted-canary\/api-canary:8443 50%$/m)
      const inside = await diff(['--git', 'HEAD', '.', '-o', 'json'], join(repo, 'manifests'))
      assert.equal(inside.exitCode, 0, inside.stderr)
      assert.equal((JSON.parse(inside.stdout) as DiffReport).summary.routes.changed, 1)
      const globbed = await diff(['--git', 'HEAD', 'manifests/*.yaml', '-o', 'json'], repo)
      assert.equal(globbed.exitCode, 0, globbed.stderr)
      assert.equal((JSON.parse(globbed.stdout) as DiffReport).summary.routes.changed, 1)
    })

    it('--exclude leaves the same files out on both sides', async () => {
      const result = await diff(['--git', 'HEAD', 'manifests', '--exclude', 'tlsroute.yaml', '-o', 'json', '--exit-code'], repo)
      assert.equal(result.exitCode, 0, result.stderr)
      const report = JSON.parse(result.stdout) as DiffReport
      assert.deepEqual([report.routes, report.resources, report.old.files, report.new.files], [[], {added: [], removed: []}, 3, 3])
    })

    it('a path that exists only in the working tree is empty at the ref: its rows are added', async () => {
      mkdirSync(join(repo, 'extra'))
      writeFileSync(join(repo, 'extra', 'route.yaml'), [
        'apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: admin, namespace: weighted-canary}',
        'spec:', '  gatewayClassName: weighted-canary-kong', '  listeners: [{name: tls, protocol: TLS, port: 8443, tls: {mode: Passthrough}}]', '---',
        'apiVersion: gateway.networking.k8s.io/v1', 'kind: TLSRoute', 'metadata: {name: admin, namespace: weighted-canary}',
        'spec:', '  parentRefs: [{name: admin}]', '  hostnames: [admin.example.com]', '  rules: [{backendRefs: [{name: api-stable, port: 8443}]}]', '',
      ].join('\n'))
      try {
        const result = await diff(['--git', 'HEAD', 'manifests', 'extra', '-o', 'json'], repo)
        assert.equal(result.exitCode, 0, result.stderr)
        const report = JSON.parse(result.stdout) as DiffReport
        assert.deepEqual(report.routes.map((change) => [change.change, change.port, change.hostname, change.route?.name]), [
          ['changed', 443, 'api.example.com', 'api'],
          ['added', 8443, 'admin.example.com', 'admin'],
        ])
        assert.deepEqual(report.resources.added, [{kind: 'Gateway', namespace: 'weighted-canary', name: 'admin'}, {kind: 'TLSRoute', namespace: 'weighted-canary', name: 'admin'}])
        assert.deepEqual(report.findings.appeared, [])
      } finally {
        rmSync(join(repo, 'extra'), {recursive: true, force: true})
      }
    })

    it('a bad ref, a path outside the repository, a directory outside any repository, a path nowhere: one line, exit 2', async () => {
      assertOneLineError(await diff(['--git', 'no-such-branch', 'manifests'], repo), /--git no-such-branch: no such commit, branch or tag/)
      assertOneLineError(await diff(['--git', 'HEAD', '..'], repo), /is outside the git repository/)
      assertOneLineError(await diff(['--git', 'HEAD', 'nowhere'], repo), /nowhere: no such file or directory, in the working tree or at HEAD/)
      const outside = mkdtempSync(join(tmpdir(), 'gwctl-diff-nogit-'))
      try {
        assertOneLineError(await diff(['--git', 'HEAD'], outside), /not inside a git repository/)
      } finally {
        rmSync(outside, {recursive: true, force: true})
      }
    })

    it('a file at the ref that is not YAML text: one line naming it and the ref, exit 2', async () => {
      writeFileSync(join(repo, 'manifests', 'zz-bad.yaml'), Buffer.from([0x61, 0x00, 0x62]))
      git('add', 'manifests/zz-bad.yaml')
      git('commit', '--quiet', '-m', 'a binary file')
      git('rm', '--quiet', 'manifests/zz-bad.yaml')
      try {
        assertOneLineError(await diff(['--git', 'HEAD', 'manifests'], repo), /manifests\/zz-bad\.yaml:1:2 \(at HEAD\): file contains NUL bytes/)
      } finally {
        git('reset', '--quiet', '--hard', 'HEAD~1')
        const route = join(repo, 'manifests', 'tlsroute.yaml')
        writeFileSync(route, readFileSync(route, 'utf8').replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50'))
      }
    })
  })
})
