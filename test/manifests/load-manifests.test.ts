import {strict as assert} from 'node:assert'
import {mkdir, mkdtemp, rm, symlink, truncate, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {loadManifests} from '../../src/manifests/load-manifests.js'
import type {LoadResult} from '../../src/manifests/source.js'

function secret(name: string, namespace?: string): string {
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}`
}

/** `file#document kind/namespace/name` for every object, in order. */
function listObjects(result: LoadResult): string[] {
  return result.objects.map(object => `${object.file}#${object.documentIndex} ${object.kind}/${object.namespace}/${object.name}`)
}

function listFindings(result: LoadResult): string[] {
  return result.findings.map(finding => `${finding.file}:${finding.line}:${finding.column} ${finding.ruleId}`)
}

describe('loadManifests', () => {
  let root: string

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gwctl-load-'))
    const files: Record<string, string> = {
      'manifests/b.yaml': secret('b'),
      'manifests/a.yml': `${secret('a1')}---\n${secret('a2', 'team')}`,
      'manifests/sub/c.json': JSON.stringify({apiVersion: 'v1', kind: 'Secret', metadata: {name: 'c'}}),
      'manifests/a/z.yaml': secret('az'),
      'manifests/README.md': '# not a manifest\n',
      'manifests/routing.gwctl-test.yaml': 'kind: RoutingTests\ntests: []\n',
      'tests-only/routing.gwctl-test.yml': 'kind: RoutingTests\ntests: []\n',
      'manifests/.hidden/h.yaml': secret('hidden'),
      'manifests/.h.yaml': secret('hidden-file'),
      'manifests/node_modules/n.yaml': secret('module'),
      'other/gw.txt': secret('txt'),
      'other/broken.yaml': `${secret('ok')}---\nkind: [\n`,
      'other/binary.yaml': 'apiVersion: v1\0',
      'empty/notes.md': 'nothing\n',
      'top.yaml': secret('top'),
    }
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, name)), {recursive: true})
      await writeFile(path.join(root, name), text)
    }
    await symlink(path.join(root, 'manifests'), path.join(root, 'manifests/sub/loop'))
    await symlink(path.join(root, 'manifests/b.yaml'), path.join(root, 'other/link-to-b.yaml'))
    await writeFile(path.join(root, 'huge.yaml'), '')
    await truncate(path.join(root, 'huge.yaml'), 33 * 1024 * 1024)
  })

  after(async () => {
    await rm(root, {recursive: true, force: true})
  })

  it('leaves gwctl test files out of walks and globs silently, and skips one named as an input with the reason', async () => {
    const walked = await loadManifests(['manifests', 'manifests/*.yaml'], {cwd: root})
    assert.ok(!walked.findings.some(finding => finding.file.includes('gwctl-test')), listFindings(walked).join('\n'))
    assert.ok(!walked.skipped.some(skipped => skipped.file.includes('gwctl-test')))
    const named = await loadManifests(['manifests/routing.gwctl-test.yaml', 'top.yaml'], {cwd: root})
    assert.deepEqual(named.skipped, [{file: 'manifests/routing.gwctl-test.yaml', reason: 'a gwctl test file (kind RoutingTests), not a manifest: run it with gwctl test'}])
    assert.deepEqual(named.findings, [])
    const only = await loadManifests(['tests-only'], {cwd: root})
    assert.match(only.findings[0].message, /gwctl test files \(\*\.gwctl-test\.yaml\)/)
  })

  it('walks a directory recursively in sorted order, skipping hidden entries, node_modules and other extensions', async () => {
    const result = await loadManifests(['manifests'], {cwd: root})
    assert.deepEqual(listObjects(result), [
      'manifests/a/z.yaml#0 Secret/default/az',
      'manifests/a.yml#0 Secret/default/a1',
      'manifests/a.yml#1 Secret/team/a2',
      'manifests/b.yaml#0 Secret/default/b',
      'manifests/sub/c.json#0 Secret/default/c',
    ])
    assert.deepEqual(result.findings, [])
    assert.equal(result.files, 4)
    assert.equal(result.fatal, false)
  })

  it('leaves out what exclude globs match in directories and globs, and lists an excluded named file as skipped', async () => {
    const walked = await loadManifests(['manifests'], {cwd: root, exclude: ['a', '**/c.json']})
    assert.deepEqual(listObjects(walked), ['manifests/a.yml#0 Secret/default/a1', 'manifests/a.yml#1 Secret/team/a2', 'manifests/b.yaml#0 Secret/default/b'])
    const globbed = await loadManifests(['manifests/**/*.yaml'], {cwd: root, exclude: [path.join(root, '**/a')]})
    assert.deepEqual(listObjects(globbed), ['manifests/b.yaml#0 Secret/default/b'])
    const named = await loadManifests(['manifests/sub/c.json'], {cwd: root, exclude: ['**/c.json']})
    assert.deepEqual(listObjects(named), [])
    assert.deepEqual(named.skipped.map((entry) => entry.file), ['manifests/sub/c.json'])
    const nothingLeft = await loadManifests(['manifests/a'], {cwd: root, exclude: ['z.yaml']})
    assert.deepEqual(listFindings(nothingLeft), ['manifests/a:1:1 input-unreadable'])
    assert.equal(nothingLeft.fatal, true)
  })

  it('reads the working directory when no path is given', async () => {
    const result = await loadManifests([], {cwd: path.join(root, 'manifests', 'a')})
    assert.deepEqual(listObjects(result), ['z.yaml#0 Secret/default/az'])
  })

  it('keeps the order of the arguments and reads each file once', async () => {
    const result = await loadManifests(['top.yaml', 'manifests/b.yaml', 'manifests', './top.yaml', 'other/link-to-b.yaml'], {cwd: root})
    assert.deepEqual(listObjects(result), [
      'top.yaml#0 Secret/default/top',
      'manifests/b.yaml#0 Secret/default/b',
      'manifests/a/z.yaml#0 Secret/default/az',
      'manifests/a.yml#0 Secret/default/a1',
      'manifests/a.yml#1 Secret/team/a2',
      'manifests/sub/c.json#0 Secret/default/c',
    ])
    assert.equal(result.files, 5)
  })

  it('reads an explicitly named file whatever its extension', async () => {
    const result = await loadManifests(['other/gw.txt'], {cwd: root})
    assert.deepEqual(listObjects(result), ['other/gw.txt#0 Secret/default/txt'])
  })

  it('expands globs with the walk filters and order', async () => {
    const result = await loadManifests(['manifests/**/*.y*ml'], {cwd: root})
    assert.deepEqual(listObjects(result).map(line => line.split('#')[0]), [
      'manifests/a/z.yaml', 'manifests/a.yml', 'manifests/a.yml', 'manifests/b.yaml',
    ])
  })

  it('expands globs that start outside the working directory, skipping node_modules unless named', async () => {
    const upward = await loadManifests(['../**/*.json'], {cwd: path.join(root, 'manifests', 'a')})
    assert.deepEqual(upward.objects.map(object => object.file), [path.join(root, 'manifests/sub/c.json')])
    const absolute = await loadManifests([`${root}/manifests/**/b.yaml`, `${root}/manifests/node_modules/*.yaml`, `${root}/manifests/node*/*.yaml`], {cwd: path.join(root, 'other')})
    assert.deepEqual(absolute.objects.map(object => object.file), [path.join(root, 'manifests/b.yaml'), path.join(root, 'manifests/node_modules/n.yaml')])
  })

  it('takes -f values, comma-separated lists included, after the positional paths', async () => {
    const result = await loadManifests(['top.yaml'], {cwd: root, filenames: ['manifests/b.yaml,manifests/a', 'other/gw.txt']})
    assert.deepEqual(listObjects(result).map(line => line.split('#')[0]), [
      'top.yaml', 'manifests/b.yaml', 'manifests/a/z.yaml', 'other/gw.txt',
    ])
  })

  it('reads - from a stdin string, once, named <stdin>', async () => {
    const result = await loadManifests(['-', 'top.yaml', '-'], {cwd: root, stdin: secret('piped', 'ns1')})
    assert.deepEqual(listObjects(result), ['<stdin>#0 Secret/ns1/piped', 'top.yaml#0 Secret/default/top'])
  })

  it('reads - from a stream', async () => {
    const stdin = Readable.from([Buffer.from('apiVersion: v1\nkind: Sec'), Buffer.from('ret\nmetadata: {name: streamed}\n')])
    const result = await loadManifests(['-'], {cwd: root, stdin})
    assert.deepEqual(listObjects(result), ['<stdin>#0 Secret/default/streamed'])
  })

  it('applies the default namespace', async () => {
    const result = await loadManifests(['manifests/a.yml'], {cwd: root, defaultNamespace: 'dev'})
    assert.deepEqual(result.objects.map(object => [object.namespace, object.namespaceExplicit]), [['dev', false], ['team', true]])
  })

  it('shows files outside the working directory by their absolute path', async () => {
    const result = await loadManifests([path.join(root, 'top.yaml')], {cwd: path.join(root, 'manifests')})
    assert.deepEqual(result.objects.map(object => object.file), [path.join(root, 'top.yaml')])
  })

  it('keeps the documents of a file around a broken one, and is fatal since the broken one is lost', async () => {
    const result = await loadManifests(['other/broken.yaml'], {cwd: root})
    assert.deepEqual(listObjects(result), ['other/broken.yaml#0 Secret/default/ok'])
    assert.deepEqual(listFindings(result), ['other/broken.yaml:6:7 input-yaml-syntax'])
    assert.equal(result.fatal, true)
  })

  const FATAL_CASES: Array<{name: string; inputs: string[]; findings: string[]; message: RegExp}> = [
    {name: 'missing path', inputs: ['nope.yaml'], findings: ['nope.yaml:1:1 input-unreadable'], message: /no such file or directory/},
    {name: 'path through a file', inputs: ['top.yaml/x.yaml'], findings: ['top.yaml/x.yaml:1:1 input-unreadable'], message: /not a directory/},
    {name: 'glob that matches nothing', inputs: ['nowhere/**/*.yaml'], findings: ['nowhere/**/*.yaml:1:1 input-unreadable'], message: /no \*\.yaml, \*\.yml or \*\.json file matches/},
    {name: 'directory with no manifests', inputs: ['empty'], findings: ['empty:1:1 input-unreadable'], message: /directory has no \*\.yaml/},
    {name: 'URL', inputs: ['https://example.com/gw.yaml'], findings: ['https://example.com/gw.yaml:1:1 input-unreadable'], message: /URLs are not fetched/},
    {name: 'binary file', inputs: ['other/binary.yaml'], findings: ['other/binary.yaml:1:15 input-binary'], message: /NUL bytes/},
    {name: 'file over the size limit', inputs: ['huge.yaml'], findings: ['huge.yaml:1:1 input-too-large'], message: /32 MiB limit/},
  ]
  for (const {name, inputs, findings, message} of FATAL_CASES) {
    it(`is fatal on an unusable input: ${name}, and still loads the rest`, async () => {
      const result = await loadManifests([...inputs, 'top.yaml'], {cwd: root})
      assert.deepEqual(listFindings(result), findings)
      assert.match(result.findings[0].message, message)
      assert.equal(result.fatal, true)
      assert.deepEqual(listObjects(result), ['top.yaml#0 Secret/default/top'])
    })
  }
})

describe('loadManifests: what a walk skips, --exclude, --stdin-filename, and which input errors are fatal', () => {
  let root: string

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gwctl-skip-'))
    const files: Record<string, string> = {
      'repo/package.json': JSON.stringify({name: 'x', version: '1.0.0', scripts: {test: 'mocha'}}, null, 2),
      'repo/tsconfig.json': JSON.stringify({compilerOptions: {strict: true}}),
      'repo/chart/values.yaml': 'replicaCount: 2\nimage:\n  repository: nginx\n',
      'repo/chart/notes.yaml': '# only a comment\n',
      'repo/chart/empty.yaml': '',
      'repo/schema.json': JSON.stringify({properties: {apiVersion: {type: 'string'}, kind: {type: 'string'}}}, null, 2),
      'repo/list.json': '[1, 2, 3]',
      'repo/broken-config.yaml': 'a: [\n',
      'repo/manifests/gw.yaml': secret('gw'),
      'repo/manifests/half.yaml': `${secret('half')}---\nmetadata: {name: no-kind}\n`,
      'repo/manifests/template.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Values.name }\n',
      'repo/manifests/deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(120)}${']'.repeat(120)}\n`,
      'repo/dist/built.yaml': secret('built'),
      'repo/node_modules/pkg/m.yaml': secret('module'),
      'configs/a.yaml': 'key: value\n',
      'configs/b.json': '{"c": 1}',
      'shared/gw.yaml': secret('shared'),
      'shared/values.yaml': 'x: 1\n',
    }
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, name)), {recursive: true})
      await writeFile(path.join(root, name), text)
    }
  })

  after(async () => {
    await rm(root, {recursive: true, force: true})
  })

  it('skips the files a walk finds that hold no Kubernetes object, lists them, and checks the rest', async () => {
    const result = await loadManifests([], {cwd: path.join(root, 'repo')})
    const noKind = 'no apiVersion or kind in any document'
    assert.deepEqual(result.skipped, [
      {file: 'broken-config.yaml', reason: noKind},
      {file: 'chart/empty.yaml', reason: 'empty file'},
      {file: 'chart/notes.yaml', reason: noKind},
      {file: 'chart/values.yaml', reason: noKind},
      {file: 'list.json', reason: noKind},
      {file: 'package.json', reason: noKind},
      {file: 'schema.json', reason: noKind},
      {file: 'tsconfig.json', reason: noKind},
    ])
    assert.deepEqual(listObjects(result), ['manifests/gw.yaml#0 Secret/default/gw', 'manifests/half.yaml#0 Secret/default/half'])
    assert.deepEqual(listFindings(result), [
      'manifests/deep.yaml:4:106 input-too-deep',
      'manifests/half.yaml:6:1 input-missing-kind',
      'manifests/template.yaml:4:9 input-yaml-syntax',
    ])
    assert.equal(result.files, 4, 'dist/ and node_modules/ are not walked; skipped files are not counted')
  })

  it('checks a file named explicitly even when it holds no Kubernetes object', async () => {
    const result = await loadManifests(['package.json'], {cwd: path.join(root, 'repo')})
    assert.deepEqual(listFindings(result), ['package.json:1:1 input-missing-kind'])
    assert.deepEqual(result.skipped, [])
    assert.equal(result.fatal, true)
  })

  it('walks dist/ when it is named', async () => {
    const result = await loadManifests(['dist'], {cwd: path.join(root, 'repo')})
    assert.deepEqual(listObjects(result), ['dist/built.yaml#0 Secret/default/built'])
  })

  it('skips what a glob finds as a walk does', async () => {
    const result = await loadManifests(['shared/*.yaml'], {cwd: root})
    assert.deepEqual(listObjects(result), ['shared/gw.yaml#0 Secret/default/shared'])
    assert.deepEqual(result.skipped, [{file: 'shared/values.yaml', reason: 'no apiVersion or kind in any document'}])
    assert.equal(result.fatal, false)
  })

  it('is fatal when a directory or glob yields only skipped files', async () => {
    for (const input of ['configs', 'configs/*']) {
      const result = await loadManifests([input], {cwd: root})
      assert.deepEqual(listFindings(result), [`${input}:1:1 input-unreadable`])
      assert.match(result.findings[0].message, /no Kubernetes manifest here: none of the 2 files found holds an object with apiVersion and kind/)
      assert.equal(result.skipped.length, 2)
      assert.equal(result.fatal, true)
    }
  })

  it('is not fatal when the manifests of a directory were taken by an earlier input', async () => {
    const result = await loadManifests(['shared/gw.yaml', 'shared'], {cwd: root})
    assert.deepEqual(listFindings(result), [])
    assert.equal(result.fatal, false)
  })

  it('leaves out excluded directories and files of walks and globs, and lists excluded named paths as skipped', async () => {
    const cwd = path.join(root, 'repo')
    const walked = await loadManifests([], {cwd, exclude: ['manifests/deep.yaml', 'template.yaml', './chart/', '*.json', 'broken-*']})
    assert.deepEqual(listFindings(walked), ['manifests/half.yaml:6:1 input-missing-kind'])
    assert.deepEqual(walked.skipped, [], 'excluded files found by a walk are not listed')
    const named = await loadManifests(['manifests/gw.yaml', 'chart/values.yaml', 'package.json'], {cwd, exclude: ['chart', `${cwd}/*.json`]})
    assert.deepEqual(listObjects(named), ['manifests/gw.yaml#0 Secret/default/gw'])
    assert.deepEqual(named.skipped, [
      {file: 'chart/values.yaml', reason: 'excluded by the pattern "chart"'},
      {file: 'package.json', reason: `excluded by the pattern "${cwd}/*.json"`},
    ])
    assert.equal(named.fatal, false)
    const globbed = await loadManifests(['manifests/*.yaml'], {cwd, exclude: ['**/{deep,half,template}.yaml']})
    assert.deepEqual(listObjects(globbed), ['manifests/gw.yaml#0 Secret/default/gw'])
  })

  it('says that excluded paths were skipped when a directory yields nothing', async () => {
    const result = await loadManifests(['manifests'], {cwd: path.join(root, 'repo'), exclude: ['*.yaml']})
    assert.match(result.findings[0].message, /directory has no .* \(hidden entries, node_modules, dist, gwctl test files \(\*\.gwctl-test\.yaml\) and excluded paths are skipped\)/)
  })

  it('names stdin as --stdin-filename says, in objects and findings', async () => {
    const result = await loadManifests(['-'], {cwd: root, stdin: `${secret('piped')}---\nkind: [\n`, stdinFilename: 'deploy/gateway.yaml'})
    assert.deepEqual(listObjects(result), ['deploy/gateway.yaml#0 Secret/default/piped'])
    assert.deepEqual(listFindings(result), ['deploy/gateway.yaml:6:7 input-yaml-syntax'])
  })

  const FATALITY: Array<{name: string; text: string; rule: string; fatal: boolean}> = [
    {name: 'YAML syntax error', text: 'kind: [\n', rule: 'input-yaml-syntax', fatal: true},
    {name: 'nesting too deep', text: `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(120)}${']'.repeat(120)}\n`, rule: 'input-too-deep', fatal: true},
    {name: 'alias bomb', text: `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({length: 6}, (_, index) => `${String.fromCharCode(98 + index)}: &${String.fromCharCode(98 + index)} [${Array(10).fill(`*${String.fromCharCode(97 + index)}`).join(', ')}]`).join('\n')}\napiVersion: v1\nkind: ConfigMap\n`, rule: 'input-alias-limit', fatal: true},
    {name: 'a document that is not an object', text: '- a\n- b\n', rule: 'input-not-object', fatal: true},
    {name: 'an object without kind', text: 'apiVersion: v1\nmetadata: {name: x}\n', rule: 'input-missing-kind', fatal: true},
    {name: 'NUL characters', text: 'apiVersion: v1\0', rule: 'input-binary', fatal: true},
    {name: 'a duplicate key (the document is kept)', text: 'apiVersion: v1\nkind: Secret\nkind: Secret\nmetadata: {name: x}\n', rule: 'input-duplicate-key', fatal: false},
    {name: 'an empty document', text: `${secret('x')}---\n# nothing\n---\n${secret('y')}`, rule: 'input-empty-document', fatal: false},
  ]
  for (const {name, text, rule, fatal} of FATALITY) {
    it(`${fatal ? 'is' : 'is not'} fatal on ${name}`, async () => {
      const result = await loadManifests(['-'], {cwd: root, stdin: text})
      assert.deepEqual(result.findings.map(finding => finding.ruleId), [rule])
      assert.equal(result.fatal, fatal)
    })
  }
})

