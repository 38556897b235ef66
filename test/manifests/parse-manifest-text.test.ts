import {strict as assert} from 'node:assert'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'

type Expected = [ruleId: string, line: number, column: number]

interface BadInputCase {
  name: string
  text: string
  findings: Expected[]
  /** Kinds of the objects still loaded, in order. */
  kinds: string[]
}

const SERVICE = 'apiVersion: v1\nkind: Service\n'

function aliasBomb(): string {
  const ten = (alias: string): string => Array.from({length: 10}, () => alias).join(',')
  return [
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
    `b: &b [${ten('*a')}]`,
    `c: &c [${ten('*b')}]`,
    `d: &d [${ten('*c')}]`,
    `e: &e [${ten('*d')}]`,
    `f: [${ten('*e')}]`,
    '',
  ].join('\n')
}

function nestedBlockMaps(levels: number): string {
  return Array.from({length: levels}, (_, index) => `${' '.repeat(index)}k:\n`).join('')
}

const BAD_INPUTS: BadInputCase[] = [
  {name: 'duplicate key: reported at the second key, last value kept',
    text: `${SERVICE}metadata:\n  name: a\n  name: b\n`, findings: [['input-duplicate-key', 5, 3]], kinds: ['Service']},
  {name: 'duplicate key in a JSON file',
    text: '{"apiVersion": "v1", "kind": "Secret", "kind": "Secret"}', findings: [['input-duplicate-key', 1, 40]], kinds: ['Secret']},
  {name: 'tab used for indentation',
    text: `${SERVICE}metadata:\n\tname: a\n`, findings: [['input-yaml-syntax', 4, 1]], kinds: []},
  {name: 'tab after spaces used for indentation',
    text: `${SERVICE}spec:\n  ports:\n  \t- port: 80\n`, findings: [['input-yaml-syntax', 5, 3]], kinds: []},
  {name: 'bad indentation of a sibling key',
    text: `${SERVICE}spec:\n  a: 1\n b: 2\n`, findings: [['input-yaml-syntax', 5, 2]], kinds: []},
  {name: 'missing colon after a key',
    text: `${SERVICE}metadata\n  name: x\n`, findings: [['input-yaml-syntax', 3, 1]], kinds: []},
  {name: 'unterminated double-quoted string, reported where it opens',
    text: `${SERVICE}metadata:\n  name: "abc\n`, findings: [['input-yaml-syntax', 4, 9]], kinds: []},
  {name: 'unterminated single-quoted string does not swallow the next document',
    text: `${SERVICE}metadata:\n  name: 'abc\n---\napiVersion: v1\nkind: Secret\n`, findings: [['input-yaml-syntax', 4, 9]], kinds: ['Secret']},
  {name: 'unclosed flow sequence',
    text: `${SERVICE}spec: {ports: [1, 2\n`, findings: [['input-yaml-syntax', 3, 15]], kinds: []},
  {name: 'a syntax error in the middle document keeps the other two',
    text: 'apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\nspec:\n  x: 1\n y: 2\n---\napiVersion: v1\nkind: C\n',
    findings: [['input-yaml-syntax', 8, 2]], kinds: ['A', 'C']},
  {name: 'key over 1024 characters',
    text: `${SERVICE}${'k'.repeat(1100)}: 1\n`, findings: [['input-yaml-syntax', 3, 1]], kinds: []},
  {name: 'alias without an anchor',
    text: `${SERVICE}metadata: *meta\n`, findings: [['input-yaml-syntax', 3, 11]], kinds: []},
  {name: 'alias to the collection that contains it',
    text: `${SERVICE}spec: &s {self: *s}\n`, findings: [['input-yaml-syntax', 3, 17]], kinds: []},
  {name: 'merge key with a scalar value',
    text: `${SERVICE}spec:\n  <<: 5\n`, findings: [['input-yaml-syntax', 4, 7]], kinds: []},
  {name: 'stray --- at the end is an empty document',
    text: `${SERVICE}---\n`, findings: [['input-empty-document', 3, 1]], kinds: ['Service']},
  {name: 'two markers in a row', text: `---\n---\n${SERVICE}`, findings: [['input-empty-document', 1, 1]], kinds: ['Service']},
  {name: 'a document of comments only', text: `${SERVICE}---\n# nothing here\n`, findings: [['input-empty-document', 3, 1]], kinds: ['Service']},
  {name: 'empty input', text: '', findings: [['input-empty-document', 1, 1]], kinds: []},
  {name: 'input of comments only', text: '# a\n# b\n', findings: [['input-empty-document', 1, 1]], kinds: []},
  {name: 'scalar document', text: 'just some text\n', findings: [['input-not-object', 1, 1]], kinds: []},
  {name: 'sequence document', text: `---\n- ${SERVICE.replace('\n', '\n  ')}`, findings: [['input-not-object', 2, 1]], kinds: []},
  {name: 'explicit null document', text: 'null\n', findings: [['input-not-object', 1, 1]], kinds: []},
  {name: 'no kind', text: 'apiVersion: v1\nmetadata:\n  name: x\n', findings: [['input-missing-kind', 1, 1]], kinds: []},
  {name: 'no apiVersion after a comment', text: '# header\nkind: Service\n', findings: [['input-missing-kind', 2, 1]], kinds: []},
  {name: 'neither kind nor apiVersion', text: 'metadata:\n  name: x\n', findings: [['input-missing-kind', 1, 1]], kinds: []},
  {name: 'kind is not a string', text: 'apiVersion: v1\nkind: [Service]\n', findings: [['input-missing-kind', 2, 7]], kinds: []},
  {name: 'empty apiVersion', text: 'kind: Service\napiVersion: ""\n', findings: [['input-missing-kind', 2, 13]], kinds: []},
  {name: 'List item that is not an object, and one without kind',
    text: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n- 5\n- {apiVersion: v1}\n',
    findings: [['input-not-object', 6, 3], ['input-missing-kind', 7, 3]], kinds: ['Service']},
  {name: 'alias bomb stops at the alias that crosses the bound', text: aliasBomb(), findings: [['input-alias-limit', 5, 29]], kinds: []},
  {name: 'flow sequences nested past the depth limit',
    text: `a: ${'['.repeat(150)}${']'.repeat(150)}\n`, findings: [['input-too-deep', 1, 103]], kinds: []},
  {name: 'block maps nested past the depth limit', text: nestedBlockMaps(120), findings: [['input-too-deep', 101, 101]], kinds: []},
  {name: 'NUL character in the text', text: `${SERVICE}metadata: {name: a\0}\n`, findings: [['input-binary', 3, 19]], kinds: []},
]

describe('parseManifestText: bad input', () => {
  for (const testCase of BAD_INPUTS) {
    it(testCase.name, () => {
      const result = parseManifestText(testCase.text, 'in.yaml')
      assert.deepEqual(result.findings.map(finding => [finding.ruleId, finding.line, finding.column]), testCase.findings)
      assert.deepEqual(result.objects.map(object => object.kind), testCase.kinds)
      for (const finding of result.findings) {
        assert.equal(finding.category, 'input')
        assert.equal(finding.file, 'in.yaml')
        assert.match(finding.message, /^[^\n]+$/, 'one-line message')
      }
    })
  }

  it('survives nesting far past what a recursive parser could take', () => {
    for (const text of [`a: ${'['.repeat(20_000)}`, `${'- '.repeat(20_000)}x\n`, `${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}`]) {
      const result = parseManifestText(text, 'deep.yaml')
      assert.deepEqual(result.findings.map(finding => [finding.ruleId, finding.line]), [['input-too-deep', 1]])
      assert.equal(result.objects.length, 0)
    }
  })

  it('keeps the last value of a duplicate key and names the field', () => {
    const result = parseManifestText(`${SERVICE}metadata:\n  name: a\n  name: b\n`, 'in.yaml')
    assert.equal(result.objects[0].name, 'b')
    assert.equal(result.findings[0].field, 'metadata.name')
    assert.deepEqual(result.findings[0].resource, {apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'b'})
    assert.match(result.findings[0].message, /duplicate key "name"/)
  })

  it('states the limit in the too-deep and alias messages', () => {
    assert.match(parseManifestText(nestedBlockMaps(120), 'in.yaml').findings[0].message, /deeper than 100 levels/)
    assert.match(parseManifestText(aliasBomb(), 'in.yaml').findings[0].message, /more than 100,000 nodes/)
  })
})

describe('parseManifestText: objects', () => {
  it('flattens kind: List and *List kinds with items, keeping the document index', () => {
    const text = [
      'apiVersion: v1', 'kind: Namespace', 'metadata: {name: team}', '---',
      'apiVersion: v1', 'kind: ServiceList', 'items:',
      '- {apiVersion: v1, kind: Service, metadata: {name: a, namespace: team}}',
      '- {apiVersion: v1, kind: Service, metadata: {name: b}}', '',
    ].join('\n')
    const result = parseManifestText(text, 'list.yaml', {defaultNamespace: 'dev'})
    assert.deepEqual(result.findings, [])
    assert.deepEqual(result.objects.map(object => [object.documentIndex, object.kind, object.namespace, object.namespaceExplicit, object.name]), [
      [0, 'Namespace', 'dev', false, 'team'],
      [1, 'Service', 'team', true, 'a'],
      [1, 'Service', 'dev', false, 'b'],
    ])
  })

  it('keeps a *List kind without an items array as an object', () => {
    const result = parseManifestText('apiVersion: example.com/v1\nkind: AllowList\nspec: {}\n', 'in.yaml')
    assert.deepEqual(result.objects.map(object => object.kind), ['AllowList'])
  })

  it('uses "default" as namespace unless told otherwise, and treats an empty namespace as absent', () => {
    const result = parseManifestText(`${SERVICE}metadata:\n  name: a\n  namespace: ""\n`, 'in.yaml')
    assert.equal(result.objects[0].namespace, 'default')
    assert.equal(result.objects[0].namespaceExplicit, false)
  })

  it('gives plain JSON values: merge keys applied, aliases expanded, __proto__ an own key', () => {
    const text = `${SERVICE}x-defaults: &d {port: 80, protocol: TCP}\nspec:\n  ports:\n  - <<: *d\n    port: 8080\n  - *d\nmetadata: {__proto__: {polluted: true}}\n`
    const [object] = parseManifestText(text, 'in.yaml').objects
    assert.deepEqual((object.object.spec as {ports: unknown}).ports, [{port: 8080, protocol: 'TCP'}, {port: 80, protocol: 'TCP'}])
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
    assert.ok(Object.hasOwn(object.object.metadata as object, '__proto__'))
  })

  it('reads YAML 1.2 scalars: yes is a string, 0443 is 443', () => {
    const [object] = parseManifestText(`${SERVICE}spec: {a: yes, b: 0443, c: "1", d: null}\n`, 'in.yaml').objects
    assert.deepEqual(object.object.spec, {a: 'yes', b: 443, c: '1', d: null})
  })

  it('reads a tab-indented JSON file', () => {
    const result = parseManifestText('{\n\t"apiVersion": "v1",\n\t"kind": "Secret",\n\t"data": {\n\t\t"a": "b"\n\t}\n}\n', 's.json')
    assert.deepEqual(result.findings, [])
    assert.deepEqual(result.objects[0].object, {apiVersion: 'v1', kind: 'Secret', data: {a: 'b'}})
  })

  it('keeps a very long string whole', () => {
    const long = 'x'.repeat(1_000_000)
    const [object] = parseManifestText(`${SERVICE}data: {big: ${long}}\n`, 'in.yaml').objects
    assert.equal((object.object.data as {big: string}).big.length, long.length)
  })
})

describe('parseManifestText: mentionsKinds (may the text hold a Kubernetes object?)', () => {
  const CASES: Array<[name: string, text: string, mentionsKinds: boolean]> = [
    ['an object', SERVICE, true],
    ['a map with only kind', 'kind: Service\nspec: {}\n', true],
    ['a map with only apiVersion', 'apiVersion: v1\n', true],
    ['a List', 'apiVersion: v1\nkind: List\nitems: []\n', true],
    ['JSON', '{"apiVersion": "v1", "kind": "Service"}', true],
    ['a sequence of objects', '- apiVersion: v1\n  kind: Service\n', true],
    ['a later document', `a: 1\n---\n${SERVICE}`, true],
    ['a YAML error in a manifest', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Values.name }\n', true],
    ['a YAML error in quoted JSON keys', '{"kind": "Service", "spec": [}', true],
    ['an alias bomb', `${aliasBomb()}kind: ConfigMap\n`, true],
    ['package.json', '{"name": "x", "scripts": {"kind": "not a key at the top"}}', false],
    ['a Helm values.yaml', 'replicaCount: 1\nimage:\n  repository: nginx\n', false],
    ['a JSON Schema', '{"properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}}}', false],
    ['nested objects', 'resources:\n  - apiVersion: v1\n    kind: Service\n', false],
    ['a sequence of scalars', '- kind\n- apiVersion\n', false],
    ['a YAML error without kind', 'a: [\n', false],
    ['a YAML error that mentions kind in a comment', '# this kind of file\na: [\n', false],
    ['only comments', '# kind: Service\n', false],
    ['empty', '', false],
  ]
  for (const [name, text, mentionsKinds] of CASES) {
    it(`${name}: ${mentionsKinds}`, () => assert.equal(parseManifestText(text, 'f.yaml').mentionsKinds, mentionsKinds))
  }
})
