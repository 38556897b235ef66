/**
 * The gwctl test service over manifests and test files on disk: what the
 * offline executor observes for each kind of answer, how a test's Gateway
 * is settled (and bad input refused with positions), that any executor can
 * be plugged in (started once, closed after, its tolerance applied), and
 * --init/--update.
 */
import {strict as assert} from 'node:assert'
import {cp, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {FIXTURES} from '../support/fixture-expectations.js'
import {initTestFile, updateTestFiles} from '../../src/testing/maintain-test-files.js'
import type {RoutingTest} from '../../src/testing/routing-test.js'
import {runRoutingTests, type TestReport} from '../../src/testing/run-routing-tests.js'

const NOW = new Date('2026-01-01T00:00:00Z')

const HTTP_MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: site}
spec:
  gatewayClassName: any
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - {name: db, protocol: TCP, port: 5432}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: www, namespace: site}
spec:
  parentRefs: [{name: web, sectionName: http}]
  hostnames: [www.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]
  - matches: [{path: {type: PathPrefix, value: /}}]
    filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-frame-options, value: deny}]}}]
    backendRefs: [{name: app, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: rpc, namespace: site}
spec:
  parentRefs: [{name: web, sectionName: http}]
  hostnames: [grpc.example.com]
  rules:
  - matches: [{method: {service: echo.Echo}}]
    backendRefs: [{name: rpc, port: 9000}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: site}
spec:
  parentRefs: [{name: web, sectionName: db}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: site}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: rpc, namespace: site}
spec: {ports: [{port: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: site}
spec: {ports: [{port: 5432}]}
`

const HTTP_TESTS = `kind: RoutingTests
tests:
- name: www is served by app, with the header the route sets
  request: {host: www.example.com, port: 80, path: /}
  expect: {route: HTTPRoute site/www, backend: site/app:8080, headers: {X-Frame-Options: deny}}
- name: the backend's status and own headers are not checkable offline
  request: {host: www.example.com, port: 80, path: /}
  expect: {status: 200, headers: {x-powered-by: app}}
- name: /old redirects to https with the query kept
  request: {host: www.example.com, port: 80, path: /old/page?a=1}
  expect: {status: 301, redirect: https://www.example.com/old/page?a=1}
- name: an unknown host gets 404 from the gateway
  request: {host: nope.example.com, port: 80, path: /}
  expect: {listener: http, status: 404}
- name: a gRPC method is routed
  request: {host: grpc.example.com, port: 80, protocol: grpc, path: /echo.Echo/Say}
  expect: {route: GRPCRoute site/rpc, backend: site/rpc:9000}
- name: an unknown gRPC service gets 12
  request: {host: grpc.example.com, port: 80, protocol: grpc, path: /other.Service/Call}
  expect: {grpcStatus: 12}
- name: TCP takes the port
  request: {port: 5432}
  expect: {listener: db, route: TCPRoute site/db, backend: site/db:5432}
- name: a wrong expectation fails
  request: {host: www.example.com, port: 80, path: /}
  expect: {backend: site/other:8080}
- name: a misspelt listener is pointed out
  request: {host: www.example.com, port: 80, path: /}
  expect: {listener: htp}
`

function summarize(report: TestReport): string[] {
  return report.results.map((result) => `${result.status}: ${result.name}${result.status === 'passed' ? '' : ` [${result.checks.filter((check) => check.outcome !== 'passed').map((check) => `${check.key} ${check.outcome}`).join(', ')}]`}`)
}

describe('testing/run-routing-tests: gwctl test offline', function () {
  this.timeout(60_000)
  let root: string

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gwctl-test-'))
    await mkdir(path.join(root, 'http'))
    await writeFile(path.join(root, 'http', 'manifests.yaml'), HTTP_MANIFESTS)
    await writeFile(path.join(root, 'http', 'routing.gwctl-test.yaml'), HTTP_TESTS)
  })

  after(async () => rm(root, {recursive: true, force: true}))

  it('observes what the gateway answers itself and leaves what the backend answers not checkable', async () => {
    const outcome = await runRoutingTests({paths: ['http'], cwd: root, now: NOW})
    assert.equal(outcome.problems, undefined, JSON.stringify(outcome.problems))
    assert.deepEqual(summarize(outcome.report!), [
      'passed: www is served by app, with the header the route sets',
      'not-checkable: the backend\'s status and own headers are not checkable offline [status not-checkable, headers.x-powered-by not-checkable]',
      'passed: /old redirects to https with the query kept',
      'passed: an unknown host gets 404 from the gateway',
      'passed: a gRPC method is routed',
      'passed: an unknown gRPC service gets 12',
      'passed: TCP takes the port',
      'failed: a wrong expectation fails [backend failed]',
      'failed: a misspelt listener is pointed out [listener failed]',
    ])
    assert.deepEqual(outcome.report!.summary, {files: 1, tests: 9, passed: 6, failed: 2, notCheckable: 1})
    assert.equal(outcome.report!.results.at(-1)!.checks[0].note, 'no listener htp on Gateway site/web in the manifests; did you mean http?')
    const failed = outcome.report!.results.at(-2)!
    assert.ok(failed.trace.some((line) => line.includes('HTTPRoute site/www')), failed.trace.join('\n'))
    assert.equal(failed.checks[0].note, 'no Service site/other in the manifests')
  })

  it('refusals as serve gives them: unrecognized_name, internal_error for a Secret not in the input, closed when no backend is valid', async () => {
    const directory = path.join(root, 'secret-missing')
    await cp(path.join(FIXTURES, 'broken', 'secret-missing'), directory, {recursive: true})
    await writeFile(path.join(directory, 'routing.gwctl-test.yaml'), `kind: RoutingTests
tests:
- name: shop is served
  request: {sni: shop.example.com, port: 443, path: /}
  expect: {backend: broken-secret-missing/storefront:80, certificate: {covers: true}}
- name: other names are refused
  request: {sni: other.example.com, port: 443}
  expect: {refused: unrecognized_name}
`)
    const outcome = await runRoutingTests({paths: [directory], cwd: root, now: NOW})
    const [shop, other] = outcome.report!.results
    assert.equal(shop.status, 'failed')
    assert.equal(shop.observed.refused, 'internal_error')
    assert.ok(shop.trace.some((line) => line.includes('Secret broken-secret-missing/shop-example-com-tls is not in the input')), shop.trace.join('\n'))
    assert.deepEqual(shop.causes.map((cause) => cause.ruleId), ['secret-not-found'])
    assert.equal(other.status, 'passed')
  })

  it('an HTTPS client through a passthrough listener: the route is checked, what the backend answers is not checkable', async () => {
    const directory = path.join(root, 'https-through-passthrough')
    await cp(path.join(FIXTURES, 'scenarios', 'passthrough'), directory, {recursive: true})
    await writeFile(path.join(directory, 'routing.gwctl-test.yaml'), `kind: RoutingTests
tests:
- name: curl https://app.example.com/
  request: {sni: app.example.com, port: 443, protocol: https, path: /}
  expect: {backend: passthrough/app:443, status: 200}
`)
    const outcome = await runRoutingTests({paths: [directory], cwd: root, now: NOW})
    assert.deepEqual(summarize(outcome.report!), ['passed: curl https://app.example.com/'])
    assert.deepEqual(outcome.report!.results[0].checks.map((check) => `${check.key} ${check.outcome}`), ['backend passed', 'status not-checkable'])
  })

  it('settles each test\'s Gateway, and refuses unknown Gateways, ports and protocols with their positions', async () => {
    const directory = path.join(root, 'bad-gateway')
    await mkdir(directory)
    await writeFile(path.join(directory, 'manifests.yaml'), HTTP_MANIFESTS)
    await writeFile(path.join(directory, 'routing.gwctl-test.yaml'), `kind: RoutingTests
tests:
- name: typo in the Gateway
  request: {gateway: site/wbe, port: 80}
  expect: {status: 404}
- name: no such port
  request: {port: 8080}
  expect: {status: 404}
- name: no TLS here
  request: {port: 80, protocol: tls}
  expect: {refused: closed}
`)
    const outcome = await runRoutingTests({paths: [directory], cwd: root, now: NOW})
    assert.deepEqual(outcome.problems?.map((problem) => `${problem.line}:${problem.column} ${problem.message} (${problem.hint ?? ''})`), [
      '4:22 test \'typo in the Gateway\': no Gateway site/wbe in the manifests (did you mean \'site/web\'?)',
      '7:19 test \'no such port\': no Gateway listens on port 8080 (listener ports: 80, 5432)',
      '10:33 test \'no TLS here\': protocol tls reaches no listener of Gateway site/web on port 80 (HTTP) ()',
    ])
  })

  it('of several Gateways on a port, a test takes the one defined next to it; elsewhere it must name one', async () => {
    const tree = path.join(root, 'tree')
    for (const name of ['passthrough', 'multi-sni']) await cp(path.join(FIXTURES, 'scenarios', name), path.join(tree, name), {recursive: true})
    const near = await runRoutingTests({paths: [tree], cwd: root, now: NOW})
    assert.equal(near.report?.summary.failed, 0, JSON.stringify(near.problems ?? near.report?.results.filter((result) => result.status === 'failed')))
    await writeFile(path.join(tree, 'top.gwctl-test.yaml'), 'kind: RoutingTests\ntests:\n- name: which one?\n  request: {sni: app.example.com, port: 443}\n  expect: {refused: closed}\n')
    const far = await runRoutingTests({paths: [tree], cwd: root, now: NOW})
    assert.match(far.problems?.[0].message ?? '', /port 443 is served by 2 Gateways \(multi-sni\/sni-router, passthrough\/tls-passthrough\)|port 443 is served by 2 Gateways \(passthrough\/tls-passthrough, multi-sni\/sni-router\)/)
    const narrowed = await runRoutingTests({paths: [tree], cwd: root, now: NOW, gateway: {namespace: 'passthrough', name: 'tls-passthrough'}})
    assert.deepEqual(narrowed.report?.results.map((result) => result.name), ['app.example.com is passed through to the app Service', 'an unknown name is refused', 'a client without SNI is refused (TLSRoutes route by SNI only)', 'which one?'])
  })

  it('runs every test through any executor: started once, closed after the last test, its tolerance applied', async () => {
    const events: string[] = []
    const outcome = await runRoutingTests({
      paths: [path.join(FIXTURES, 'scenarios', 'weighted-canary')], cwd: root, now: NOW,
      createExecutor: async ({tests}) => {
        events.push(`start ${tests.length}`)
        return {
          name: 'sampled', tolerance: 5,
          execute: async (test: RoutingTest) => {
            events.push(`run ${test.request.gateway?.name}`)
            return test.request.sni === 'api.example.com'
              ? {backends: {'weighted-canary/api-stable:8443': 93, 'weighted-canary/api-canary:8443': 7}, listener: 'tls', route: 'TLSRoute weighted-canary/api', trace: ['sampled 100 connections']}
              : {refused: 'unrecognized_name', trace: []}
          },
          close: async () => {
            events.push('close')
          },
        }
      },
    })
    assert.deepEqual(events, ['start 2', 'run tls-passthrough', 'run tls-passthrough', 'close'])
    assert.equal(outcome.report?.executor, 'sampled')
    assert.equal(outcome.report?.summary.passed, 2)
  })

  it('--init: a wildcard hostname is tested with a name it covers; a RegularExpression match is left out and counted', async () => {
    const wildcard = path.join(root, 'init-wildcard')
    await cp(path.join(FIXTURES, 'scenarios', 'wildcard'), wildcard, {recursive: true})
    await rm(path.join(wildcard, 'routing.gwctl-test.yaml'))
    await initTestFile({paths: [wildcard], cwd: root, now: NOW})
    const text = await readFile(path.join(wildcard, 'routing.gwctl-test.yaml'), 'utf8')
    assert.match(text, /request: \{gateway: wildcard\/gateway, port: 443, sni: gwctl-test\.apps\.example\.com\}\n {2}expect: \{listener: tls, route: TLSRoute wildcard\/apps-wildcard, backend: wildcard\/app-router:8443\}/)
    assert.equal((await runRoutingTests({paths: [wildcard], cwd: root, now: NOW})).report?.summary.failed, 0)

    const regex = path.join(root, 'init-regex')
    await mkdir(regex)
    await writeFile(path.join(regex, 'manifests.yaml'), HTTP_MANIFESTS.replace('[{path: {type: PathPrefix, value: /old}}]', '[{path: {type: RegularExpression, value: "/old/[0-9]+"}}]'))
    const written = await initTestFile({paths: [regex], cwd: root, now: NOW})
    assert.equal(written.leftOut, 1)
    assert.match(await readFile(path.join(regex, 'routing.gwctl-test.yaml'), 'utf8'), /^# 1 RegularExpression match has no test: write one by hand\.$/m)
  })

  it('--init writes a file that passes, refuses to overwrite it, and --update keeps names, comments and hand-written tests', async () => {
    const directory = path.join(root, 'init')
    await mkdir(directory)
    await writeFile(path.join(directory, 'manifests.yaml'), HTTP_MANIFESTS)
    const written = await initTestFile({paths: [directory], cwd: root, now: NOW})
    assert.equal(written.file, path.join('init', 'routing.gwctl-test.yaml'))
    const file = path.join(directory, 'routing.gwctl-test.yaml')
    const generated = await readFile(file, 'utf8')
    assert.match(generated, /\n- name: www\.example\.com \/old \(listener http, port 80\)\n {2}request: \{gateway: site\/web, port: 80, host: www\.example\.com, path: \/old\}\n {2}expect: \{listener: http, route: HTTPRoute site\/www, status: 301, redirect: https:\/\/www\.example\.com\/old\}/)
    assert.match(generated, /route: GRPCRoute site\/rpc, backend: site\/rpc:9000/)
    assert.match(generated, /route: TCPRoute site\/db, backend: site\/db:5432/)
    const first = await runRoutingTests({paths: [directory], cwd: root, now: NOW})
    assert.equal(first.report?.summary.failed, 0)
    assert.equal(first.report?.summary.passed, written.tests)
    await assert.rejects(initTestFile({paths: [directory], cwd: root, now: NOW}), /the test file exists/)

    await writeFile(file, `${generated}# hand-written: keep me
- name: my own
  request: {host: www.example.com, port: 80, path: /x}
  expect:
    backend: site/app:8080 # the app
`)
    await writeFile(path.join(directory, 'manifests.yaml'), HTTP_MANIFESTS.replace('backendRefs: [{name: app, port: 8080}]', 'backendRefs: [{name: app, port: 8080, weight: 1}, {name: rpc, port: 9000, weight: 3}]'))
    const changed = await runRoutingTests({paths: [directory], cwd: root, now: NOW})
    assert.ok((changed.report?.summary.failed ?? 0) >= 2)
    const updated = await updateTestFiles({paths: [directory], cwd: root, now: NOW})
    assert.deepEqual(updated.files, [{file: path.join('init', 'routing.gwctl-test.yaml'), changed: 2, added: 0}])
    const text = await readFile(file, 'utf8')
    assert.match(text, /# hand-written: keep me\n- name: my own\n/)
    assert.match(text, /\n {4}backends: \{site\/app:8080: 25, site\/rpc:9000: 75\} # the app\n/)
    assert.match(text, /^# Written by gwctl test --init/)
    const after = await runRoutingTests({paths: [directory], cwd: root, now: NOW})
    assert.equal(after.report?.summary.failed, 0)
    const again = await updateTestFiles({paths: [directory], cwd: root, now: NOW})
    assert.deepEqual(again.files, [{file: path.join('init', 'routing.gwctl-test.yaml'), changed: 0, added: 0}])
    assert.equal(await readFile(file, 'utf8'), text, 'nothing to change: the file is left byte for byte')
  })
})
