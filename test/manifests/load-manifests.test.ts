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

  it('leaves out what exclude globs match in directories and globs, but reads a file named explicitly', async () => {
    const walked = await loadManifests(['manifests'], {cwd: root, exclude: ['a', '**/c.json']})
    assert.deepEqual(listObjects(walked), ['manifests/a.yml#0 Secret/default/a1', 'manifests/a.yml#1 Secret/team/a2', 'manifests/b.yaml#0 Secret/default/b'])
    const globbed = await loadManifests(['manifests/**/*.yaml'], {cwd: root, exclude: [path.join(root, '**/a')]})
    assert.deepEqual(listObjects(globbed), ['manifests/b.yaml#0 Secret/default/b'])
    const named = await loadManifests(['manifests/sub/c.json'], {cwd: root, exclude: ['**/c.json']})
    assert.deepEqual(listObjects(named), ['manifests/sub/c.json#0 Secret/default/c'])
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

  it('keeps the documents of a file around a broken one, without making the load fatal', async () => {
    const result = await loadManifests(['other/broken.yaml'], {cwd: root})
    assert.deepEqual(listObjects(result), ['other/broken.yaml#0 Secret/default/ok'])
    assert.deepEqual(listFindings(result), ['other/broken.yaml:6:7 input-yaml-syntax'])
    assert.equal(result.fatal, false)
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
