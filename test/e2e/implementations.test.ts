/**
 * Implementation profiles end to end (the built CLI: npm run build first):
 * `gwctl implementations`, `--implementation` on lint, resolve, serve and
 * certs create --for, `implementation:` in .gwctl.yaml, and
 * `lint --implementation all`.
 */
import {strict as assert} from 'node:assert'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {NGF_HOWTO, SAME_PORT_MIXED} from '../support/profile-manifests.js'
import {runGwctl} from '../support/run-cli.js'

describe('implementation profiles (e2e)', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gwctl-profiles-'))
    writeFileSync(path.join(dir, 'ngf.yaml'), NGF_HOWTO)
    writeFileSync(path.join(dir, 'mixed.yaml'), SAME_PORT_MIXED)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('gwctl implementations: the table, generic first', async () => {
    const result = await runGwctl(['implementations'])
    assert.equal(result.exitCode, 0, result.stderr)
    const lines = result.stdout.split('\n')
    assert.match(lines[0], /^NAME +ALIASES +NEWEST +GATEWAY API +PROFILES$/)
    assert.match(lines[1], /^generic /)
    assert.match(result.stdout, /^nginx-gateway-fabric +ngf, nginx +2\.7\.0-pre-release +v1\.6\.1 +GATEWAY-GRPC, GATEWAY-HTTP/m)
  })

  it('gwctl implementations -o json', async () => {
    const result = await runGwctl(['implementations', '-o', 'json'])
    assert.equal(result.exitCode, 0, result.stderr)
    const json = JSON.parse(result.stdout) as {implementations: Array<{name: string; aliases: string[]}>}
    assert.deepEqual(json.implementations.find((entry) => entry.name === 'envoy-gateway')?.aliases, ['eg', 'envoy'])
  })

  it('gwctl implementations NAME: features with their support, and the source of a fact no report states', async () => {
    const result = await runGwctl(['implementations', 'ngf'])
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(result.stdout, /^ {2}TLSRouteModeMixed +supported +Extended Experimental$/m)
    assert.match(result.stdout, /^ {2}HTTPRouteRetry +unsupported/m)
    assert.match(result.stdout, /an HTTPS listener may share a TLS listener's port when their hostnames do not overlap\n {4}source: .*seeds\/002_9b9aa2cd18578bce\.txt/)
    const json = JSON.parse((await runGwctl(['implementations', 'ngf@2.6', '-o', 'json'])).stdout) as {version: string; features: Array<{feature: string; support: string}>}
    assert.equal(json.version, '2.6.0')
    assert.equal(json.features.find((row) => row.feature === 'TLSRouteModeMixed')?.support, 'unsupported')
  })

  it('an unknown implementation: exit 2, did-you-mean and the list', async () => {
    for (const args of [['implementations', 'kongg'], ['lint', dir, '--implementation', 'kongg'], ['resolve', dir, '--sni', 'a.example.com', '--port', '443', '--implementation', 'kongg']]) {
      const result = await runGwctl(args)
      assert.equal(result.exitCode, 2, args.join(' '))
      assert.match(result.stderr, /unknown implementation 'kongg' \(did you mean 'kong'\? known: generic, /)
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/)
    }
  })

  it('NGF how-to: a conflict under generic, clean under nginx-gateway-fabric', async () => {
    const file = path.join(dir, 'ngf.yaml')
    const generic = await runGwctl(['lint', file, '-o', 'json'])
    assert.equal(generic.exitCode, 1)
    assert.ok((JSON.parse(generic.stdout) as {findings: Array<{ruleId: string}>}).findings.some((finding) => finding.ruleId === 'listener-conflict'))
    const ngf = await runGwctl(['lint', file, '-o', 'json', '--implementation', 'nginx-gateway-fabric'])
    assert.equal(ngf.exitCode, 0, ngf.stdout)
  })

  it('.gwctl.yaml implementation: is used, and an unknown one names the file, line and column', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'gwctl-profiles-config-'))
    try {
      writeFileSync(path.join(project, 'ngf.yaml'), NGF_HOWTO)
      writeFileSync(path.join(project, '.gwctl.yaml'), 'implementation: ngf\n')
      assert.equal((await runGwctl(['lint', '.'], {cwd: project})).exitCode, 0)
      assert.equal((await runGwctl(['lint', '.', '--implementation', 'generic'], {cwd: project})).exitCode, 1, 'the flag wins over the file')
      writeFileSync(path.join(project, '.gwctl.yaml'), 'fail-on: error\nimplementation: nginx-gateway-fabrik@2.6\n')
      const bad = await runGwctl(['lint', '.'], {cwd: project})
      assert.equal(bad.exitCode, 2)
      assert.match(bad.stderr, /\.gwctl\.yaml:2:17.*unknown implementation 'nginx-gateway-fabrik'.*did you mean 'nginx-gateway-fabric'/s)
    } finally {
      rmSync(project, {recursive: true, force: true})
    }
  })

  it('lint --implementation all: which implementations accept, and what each adds (json and text)', async () => {
    const file = path.join(dir, 'ngf.yaml')
    const json = await runGwctl(['lint', file, '--implementation', 'all', '-o', 'json'])
    assert.equal(json.exitCode, 1, 'generic rejects it: the exit status is generic\'s')
    const matrix = JSON.parse(json.stdout) as {implementations: Array<{name: string; accepts: boolean; added: Array<{ruleId: string}>; removed: Array<{ruleId: string}>}>}
    assert.equal(matrix.implementations[0].name, 'generic')
    assert.equal(matrix.implementations[0].accepts, false)
    const ngf = matrix.implementations.find((row) => row.name === 'nginx-gateway-fabric')
    assert.equal(ngf?.accepts, true)
    assert.deepEqual(ngf?.removed.map((finding) => finding.ruleId).sort(), ['gateway-listeners-not-valid', 'listener-conflict', 'listener-conflict'])
    const text = await runGwctl(['lint', file, '--implementation', 'all'])
    assert.match(text.stdout, /^nginx-gateway-fabric +2\.7\.0-pre-release +accepts +0 /m)
    assert.match(text.stdout, /^1 of \d+ implementations accept the configuration/m)
  })

  it('--implementation all is for lint only; and not with --status or -o sarif', async () => {
    const resolve = await runGwctl(['resolve', dir, '--sni', 'a.example.com', '--port', '443', '--implementation', 'all'])
    assert.equal(resolve.exitCode, 2)
    assert.match(resolve.stderr, /all is for gwctl lint only/)
    assert.equal((await runGwctl(['lint', dir, '--implementation', 'all', '--status'])).exitCode, 2)
    assert.equal((await runGwctl(['lint', dir, '--implementation', 'all', '-o', 'sarif'])).exitCode, 2)
  })

  it('serve refuses, with the reason, what the controller would not program', async () => {
    const result = await runGwctl(['serve', path.join(dir, 'mixed.yaml'), '--implementation', 'cilium', '--port-offset', '20000'])
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /mixed\.yaml:\d+:\d+.*TLSRouteModeMixed, which cilium 1\.20\.0 declares unsupported/s)
  })

  it('resolve follows the profile: the NGF how-to\'s HTTPS listener answers under ngf', async () => {
    const args = ['resolve', path.join(dir, 'ngf.yaml'), '--sni', 'app.example.com', '--port', '443', '-o', 'json']
    const generic = await runGwctl(args)
    const ngf = await runGwctl([...args, '--implementation', 'ngf'])
    assert.notEqual(generic.stdout, ngf.stdout)
    assert.match(ngf.stdout, /secure-app/)
  })

  it('resolve says when its answer relies on a feature the implementation declares unsupported', async () => {
    const cors = path.join(dir, 'cors')
    mkdirSync(cors)
    writeFileSync(path.join(cors, 'ngf.yaml'), NGF_HOWTO)
    writeFileSync(path.join(cors, 'route.yaml'), [
      'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: cors, namespace: default}',
      'spec:', '  parentRefs: [{name: gateway, sectionName: https}]', '  hostnames: [cafe.example.org]',
      '  rules:', '  - filters: [{type: CORS, cors: {allowOrigins: ["https://a.example.org"]}}]', '    backendRefs: [{name: web, port: 80}]', '',
    ].join('\n'))
    const args = ['resolve', cors, '--sni', 'cafe.example.org', '--port', '443', '--host', 'cafe.example.org', '--path', '/']
    assert.doesNotMatch((await runGwctl([...args, '--implementation', 'ngf'])).stderr, /note:/)
    assert.match((await runGwctl([...args, '--implementation', 'gke'])).stderr, /^note: 1 use of features gke declares unsupported, first .*route\.yaml:8: .*HTTPRouteCORS/m)
  })

  it('certs create --for takes --implementation', async () => {
    const result = await runGwctl(['certs', 'create', '--for', path.join(dir, 'ngf.yaml'), '--out-dir', path.join(dir, 'certs'), '--implementation', 'ngff'])
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /did you mean 'ngf'/)
    const without = await runGwctl(['certs', 'create', 'x', '--dns', 'a.example.com', '--out-dir', path.join(dir, 'certs'), '--implementation', 'ngf'])
    assert.equal(without.exitCode, 2)
    assert.match(without.stderr, /--implementation applies with --for only/)
  })
})
