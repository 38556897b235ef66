import {strict as assert} from 'node:assert'
import type {FieldPath} from '../../src/manifests/field-path.js'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'

type Target = 'key' | 'value'

interface LocateCase {
  name: string
  path: FieldPath
  target?: Target
  /** Which object of the file (in load order). */
  object?: number
  at: [line: number, column: number]
}

interface LocateFile {
  title: string
  file: string
  text: string
  cases: LocateCase[]
}

const BLOCK = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  gatewayClassName: example
  listeners:
  - name: tls
    protocol: TLS
    port: 443
    hostname: "*.example.com"
    tls:
      mode: Passthrough
  - name: https
    hostname:
    tls: {mode: Terminate, certificateRefs: [{name: cert}]}
`

const FLOW = `{apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, metadata: {name: gw},
 spec: {listeners: [{name: tls, hostname: "*.example.com", port: 443}, {name: b, port: 8443}]}}
`

const JSON_FILE = `{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {"name": "api"},
  "spec": {
    "ports": [
      {"name": "https", "port": 443},
      {"name": "http", "port": 80}
    ]
  }
}
`

const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: a
- apiVersion: gateway.networking.k8s.io/v1alpha2
  kind: TLSRoute
  metadata: {name: r}
  spec:
    hostnames:
    - app.example.com
`

const MULTI = `# leading comment
apiVersion: v1
kind: Secret
metadata:
  name: s1
---
apiVersion: v1
kind: Secret
metadata:
  name: s2
  namespace: other
---

apiVersion: v1
kind: Secret
metadata: {name: s3}
`

const ANCHORS = `apiVersion: v1
kind: Service
x-port: &port
  name: https
  port: 443
metadata:
  name: api
  name: api-2
spec:
  ports:
  - <<: *port
    port: 8443
  - *port
`

const FILES: LocateFile[] = [
  {title: 'block style', file: 'gw.yaml', text: BLOCK, cases: [
    {name: 'the empty path is the start of the object', path: [], at: [1, 1]},
    {name: 'a key', path: ['spec', 'listeners', 0, 'hostname'], at: [11, 5]},
    {name: 'a value', path: ['spec', 'listeners', 0, 'hostname'], target: 'value', at: [11, 15]},
    {name: 'a sequence item is where its content starts', path: ['spec', 'listeners', 1], at: [14, 5]},
    {name: 'a nested key', path: ['spec', 'listeners', 0, 'tls', 'mode'], at: [13, 7]},
    {name: 'a missing field is reported at its parent key', path: ['spec', 'listeners', 0, 'tls', 'certificateRefs'], at: [12, 5]},
    {name: 'a missing field under a value target is still at the parent key', path: ['metadata', 'namespace'], target: 'value', at: [3, 1]},
    {name: 'an index past the end is reported at the sequence key', path: ['spec', 'listeners', 7, 'name'], at: [7, 3]},
    {name: 'a key into a scalar stops at the scalar key', path: ['spec', 'gatewayClassName', 'x'], at: [6, 3]},
    {name: 'a flow map inside block style', path: ['spec', 'listeners', 1, 'tls', 'certificateRefs', 0, 'name'], target: 'value', at: [16, 53]},
    {name: 'a key with no value, as key', path: ['spec', 'listeners', 1, 'hostname'], at: [15, 5]},
  ]},
  {title: 'flow style', file: 'gw.yaml', text: FLOW, cases: [
    {name: 'the object', path: [], at: [1, 1]},
    {name: 'a key on the second line', path: ['spec', 'listeners', 0, 'hostname'], at: [2, 33]},
    {name: 'a value on the second line', path: ['spec', 'listeners', 0, 'hostname'], target: 'value', at: [2, 43]},
    {name: 'the second item', path: ['spec', 'listeners', 1], at: [2, 72]},
    {name: 'a value on the first line', path: ['metadata', 'name'], target: 'value', at: [1, 76]},
  ]},
  {title: 'JSON', file: 'svc.json', text: JSON_FILE, cases: [
    {name: 'a key', path: ['spec', 'ports', 1, 'port'], at: [8, 24]},
    {name: 'a value', path: ['spec', 'ports', 1, 'port'], target: 'value', at: [8, 32]},
    {name: 'an item', path: ['spec', 'ports', 0], at: [7, 7]},
    {name: 'a missing key', path: ['spec', 'ports', 0, 'appProtocol'], at: [7, 7]},
  ]},
  {title: 'List items (paths relative to the item)', file: 'list.yaml', text: LIST, cases: [
    {name: 'first item, empty path', object: 0, path: [], at: [4, 3]},
    {name: 'first item name', object: 0, path: ['metadata', 'name'], target: 'value', at: [7, 11]},
    {name: 'second item hostname', object: 1, path: ['spec', 'hostnames', 0], target: 'value', at: [13, 7]},
    {name: 'second item flow metadata', object: 1, path: ['metadata', 'name'], at: [10, 14]},
    {name: 'second item missing field', object: 1, path: ['spec', 'parentRefs'], at: [11, 3]},
  ]},
  {title: 'multi-document file (positions in the file)', file: 'secrets.yaml', text: MULTI, cases: [
    {name: 'first document after a comment', object: 0, path: [], at: [2, 1]},
    {name: 'second document name', object: 1, path: ['metadata', 'name'], target: 'value', at: [10, 9]},
    {name: 'second document namespace key', object: 1, path: ['metadata', 'namespace'], at: [11, 3]},
    {name: 'third document after a blank line', object: 2, path: [], at: [14, 1]},
    {name: 'third document flow value', object: 2, path: ['metadata', 'name'], target: 'value', at: [16, 18]},
  ]},
  {title: 'anchors, merges and duplicate keys', file: 'anchors.yaml', text: ANCHORS, cases: [
    {name: 'a duplicate key points at the last one, whose value is kept', path: ['metadata', 'name'], target: 'value', at: [8, 9]},
    {name: 'an own key beside a merge', path: ['spec', 'ports', 0, 'port'], target: 'value', at: [12, 11]},
    {name: 'a merged key points into the anchor', path: ['spec', 'ports', 0, 'name'], target: 'value', at: [4, 9]},
    {name: 'a path through an alias points into the anchor', path: ['spec', 'ports', 1, 'port'], at: [5, 3]},
    {name: 'the alias itself', path: ['spec', 'ports', 1], target: 'value', at: [13, 5]},
  ]},
]

describe('SourceObject.locate', () => {
  for (const {title, file, text, cases} of FILES) {
    describe(title, () => {
      const result = parseManifestText(text, file)
      it('loads without findings', () => assert.deepEqual(result.findings.filter(finding => finding.ruleId !== 'input-duplicate-key'), []))
      for (const testCase of cases) {
        it(`${testCase.name}: ${JSON.stringify(testCase.path)} ${testCase.target ?? 'key'}`, () => {
          const object = result.objects[testCase.object ?? 0]
          const position = object.locate(testCase.path, testCase.target)
          assert.deepEqual([position.line, position.column], testCase.at)
        })
      }
    })
  }

  it('counts CRLF line breaks', () => {
    const [object] = parseManifestText('apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: a\r\n', 'crlf.yaml').objects
    assert.deepEqual(object.locate(['metadata', 'name'], 'value'), {line: 4, column: 9})
  })

  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    const [object] = parseManifestText('apiVersion: v1\nkind: Service\nmetadata: {annotations: {note: "é😀"}, name: a}\n', 'u.yaml').objects
    assert.deepEqual(object.locate(['metadata', 'name'], 'value'), {line: 3, column: 46})
  })

  it('locates in the right document of a large multi-document file', () => {
    const documents = Array.from({length: 2000}, (_, index) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s-${index}\n`)
    const {objects} = parseManifestText(documents.join('---\n'), 'many.yaml')
    for (const [index, object] of objects.entries()) assert.deepEqual(object.locate(['metadata', 'name'], 'value'), {line: index * 5 + 4, column: 9})
  })
})
