import {strict as assert} from 'node:assert'
import {readTestFile} from '../../src/testing/read-test-file.js'

const FILE = 'routing.gwctl-test.yaml'

/** `line:column message (hint)` of every problem. */
function listProblems(text: string): string[] {
  return readTestFile(text, FILE).problems.map((problem) => `${problem.line}:${problem.column} ${problem.message}${problem.hint === undefined ? '' : ` (${problem.hint})`}`)
}

describe('testing/read-test-file: a test file is validated with file:line:column problems and did-you-mean', () => {
  it('reads the issue\'s example file: requests, expectations and where each test is written', () => {
    const text = [
      'kind: RoutingTests',
      'tests:',
      '- name: app is passed through',
      '  request: {sni: app.example.com, port: 443}',
      '  expect: {backend: passthrough/app:443}',
      '- name: shop uses its own certificate',
      '  request: {sni: shop.example.com, port: 443, path: /api, gateway: web/edge}',
      '  expect: {listener: https, route: HTTPRoute web/shop, backend: web/api:80, certificate: {covers: true, secret: web/shop-tls, validDaysAtLeast: 14}}',
      '- name: weighted',
      '  request: {sni: api.example.com, port: 443, gateway: {namespace: a, name: b}}',
      '  expect: {backends: {a/stable:8443: 90, a/canary:8443: 10}}',
    ].join('\n')
    const read = readTestFile(text, FILE)
    assert.deepEqual(read.problems, [])
    assert.deepEqual(read.tests.map((test) => [test.name, test.location.line, test.location.column, test.request.gateway]), [
      ['app is passed through', 3, 3, undefined],
      ['shop uses its own certificate', 6, 3, {namespace: 'web', name: 'edge'}],
      ['weighted', 9, 3, {namespace: 'a', name: 'b'}],
    ])
    assert.deepEqual(read.tests[1].expect.certificate, {covers: true, secret: 'web/shop-tls', validDaysAtLeast: 14})
    assert.deepEqual(read.positions[0]['request.port'], {line: 4, column: 41})
  })

  it('gives the file-wide backendHeader (lower case) to each of its tests; without one, tests have none', () => {
    const text = 'kind: RoutingTests\nbackendHeader: X-Served-By\ntests:\n- name: a\n  request: {port: 443}\n  expect: {status: 404}\n- name: b\n  request: {port: 80}\n  expect: {status: 404}\n'
    const read = readTestFile(text, FILE)
    assert.deepEqual(read.problems, [])
    assert.deepEqual(read.tests.map((test) => test.backendHeader), ['x-served-by', 'x-served-by'])
    assert.equal(readTestFile(text.replace('backendHeader: X-Served-By\n', ''), FILE).tests[0].backendHeader, undefined)
    assert.equal('backendHeader' in readTestFile(text.replace('backendHeader: X-Served-By\n', ''), FILE).tests[0], false)
  })

  const cases: Array<{what: string; text: string; problems: string[]}> = [
    {
      what: 'a misspelled key gets a did-you-mean at the key',
      text: 'kind: RoutingTests\ntests:\n- name: a\n  request: {sni: a.example.com, prot: 443}\n  expect: {refsued: closed}\n',
      problems: [
        '4:12 tests[0].request is missing port (the listener port the client connects to)',
        '4:33 unknown key \'prot\' in tests[0].request (did you mean \'port\'?)',
        '5:12 unknown key \'refsued\' in tests[0].expect (did you mean \'refused\'?)',
      ],
    },
    {
      what: 'a misspelled top-level key and a wrong kind',
      text: 'kind: RoutingTest\ntest: []\n',
      problems: [
        '1:1 the file is missing tests (tests: [{name, request: {port, sni, ...}, expect: {backend, ...}}])',
        '1:7 kind must be "RoutingTests", got "RoutingTest"',
        '2:1 unknown key \'test\' (did you mean \'tests\'?)',
      ],
    },
    {
      what: 'a backend that is not NS/NAME:PORT, a bad route and an unknown protocol with did-you-mean',
      text: 'kind: RoutingTests\ntests:\n- name: a\n  request: {port: 443, protocol: htps}\n  expect: {backend: web/api, route: HTTPRoute shop}\n',
      problems: [
        '4:34 tests[0].request.protocol must be one of tls, https, http, grpc, tcp, udp, got "htps" (did you mean \'https\'?)',
        '5:21 tests[0].expect.backend must be a backend NAMESPACE/NAME:PORT, got "web/api"',
        '5:37 tests[0].expect.route must be \'KIND NAMESPACE/NAME\', e.g. \'HTTPRoute web/shop\', got "HTTPRoute shop"',
      ],
    },
    {
      what: 'percentages that do not sum to 100',
      text: 'kind: RoutingTests\ntests:\n- name: a\n  request: {port: 443}\n  expect: {backends: {a/b:1: 50, a/c:2: 40}}\n',
      problems: ['5:22 backends percentages sum to 90, not 100 (give each backend its share of the traffic, in percent)'],
    },
    {
      what: 'a malformed backends key',
      text: 'kind: RoutingTests\ntests:\n- name: b\n  request: {port: 443}\n  expect: {backends: {a/b: 100}}\n',
      problems: ['5:23 tests[0].expect.backends key "a/b" must be a backend NAMESPACE/NAME:PORT'],
    },
    {
      what: 'contradictions the schema cannot see: refused with a backend, HTTP keys on TCP, an SNI on plain HTTP, a repeated name',
      text: [
        'kind: RoutingTests', 'tests:',
        '- name: a', '  request: {port: 443}', '  expect: {refused: closed, backend: a/b:1}',
        '- name: a', '  request: {port: 5432, protocol: tcp, path: /x}', '  expect: {status: 200}',
        '- name: c', '  request: {port: 80, protocol: http, sni: a.example.com}', '  expect: {status: 404}',
      ].join('\n'),
      problems: [
        '5:12 a refused connection has no backend (a test expects either a refusal or an answer)',
        '6:9 test name \'a\' is used twice in this file (the first is tests[0]; reports and --update find tests by name)',
        '7:40 protocol tcp carries no HTTP request, so path cannot apply',
        '8:12 protocol tcp has no HTTP answer, so status cannot be expected',
        '10:39 protocol http has no TLS, so no SNI (use host for the Host header)',
      ],
    },
    {
      what: 'bad YAML is one problem at its position',
      text: 'kind: RoutingTests\ntests:\n- name: a\n  request: {port: 443\n',
      problems: ['4:12 flow map { is not closed with } (or a line inside it is not indented enough)'],
    },
    {
      what: 'a backendHeader that is not a header name, at the value',
      text: 'kind: RoutingTests\nbackendHeader: "x served by"\ntests:\n- name: a\n  request: {port: 443}\n  expect: {status: 404}\n',
      problems: ['2:16 backendHeader must be an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~), e.g. x-served-by, got "x served by"'],
    },
    {
      what: 'a backendHeader of another type',
      text: 'kind: RoutingTests\nbackendHeader: [x-served-by]\ntests: []\n',
      problems: ['2:16 backendHeader must be string'],
    },
    {
      what: 'a misspelled backendHeader gets a did-you-mean',
      text: 'kind: RoutingTests\nbackendHeadr: x-served-by\ntests: []\n',
      problems: ['2:1 unknown key \'backendHeadr\' (did you mean \'backendHeader\'?)'],
    },
    {
      what: 'a gateway that is neither NS/NAME nor a map',
      text: 'kind: RoutingTests\ntests:\n- name: a\n  request: {port: 443, gateway: a/b/c}\n  expect: {status: 404}\n',
      problems: ['4:33 tests[0].request.gateway must be NAMESPACE/NAME (or NAME in the default namespace), or a map of namespace and name'],
    },
  ]
  for (const {what, text, problems} of cases) {
    it(what, () => {
      assert.deepEqual(listProblems(text), problems)
    })
  }
})
