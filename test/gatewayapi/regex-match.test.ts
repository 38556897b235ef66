/**
 * RegularExpression matches in linear time with RE2 semantics (issue 10 §4):
 * the catastrophic pattern of the issue returns at once for any input, RE2
 * syntax that ECMAScript lacks works, and a pattern RE2 cannot compile is a
 * route-regex-unsupported finding at its field, its rule not served.
 */
import {strict as assert} from 'node:assert'
import {compileRegexMatch, regexMatchesWhole} from '../../src/gatewayapi/regex-match.js'
import {analyzeTexts} from '../../src/pipeline/analyze.js'
import {bindDocuments, compileDocuments, decideOne, gateway, request, route, services, viewDecision} from './decide-support.js'

const CATASTROPHIC = '/api/(\\w+/?)+'

const http = (path: string, headers: Array<[string, string]> = []) => ({
  port: 80, transport: 'http' as const, host: 'any.io', request: request(path, {headers}), gateway: {namespace: 'default', name: 'gw'},
})

describe('gatewayapi/regex-match', () => {
  const cases: Array<[string, string, boolean, string]> = [
    [CATASTROPHIC, '/api/abc/def', true, 'the issue pattern matches a well-formed path'],
    [CATASTROPHIC, `/api/${'a'.repeat(27)}!`, false, 'the issue pattern with 33 characters (18 s in serve with backtracking) does not match'],
    [CATASTROPHIC, `/api/${'a'.repeat(10_000)}!`, false, 'a 10k-character input completes'],
    [CATASTROPHIC, `/api/${'ab/'.repeat(3_000)}`, true, 'a 9k-character matching input completes'],
    ['/a.c', '/abc', true, 'whole value'],
    ['/a.c', '/abcd', false, 'anchored at the end'],
    ['/a.c', '/x/abc', false, 'anchored at the start'],
    ['/API/v[0-9]+', '/api/v2', false, 'case-sensitive without a flag'],
    ['(?i)/api/v[0-9]+', '/API/V2', true, 'RE2 inline flags, a syntax error in ECMAScript'],
    ['/caf\\x{e9}', '/café', true, 'RE2 \\x{...} escapes'],
    ['/[[:digit:]]+', '/123', true, 'RE2 POSIX classes'],
    ['/a.b', '/a\nb', false, '`.` does not match a newline'],
  ]
  for (const [pattern, input, expected, why] of cases) {
    it(`${why}: ${JSON.stringify(pattern)} on ${input.length} characters → ${expected}`, () => {
      assert.equal(regexMatchesWhole(pattern, input), expected)
    })
  }

  const rejected: Array<[string, RegExp]> = [
    ['/(a)\\1', /invalid escape sequence/],
    ['/(?!admin).*', /Perl syntax/],
    ['/(?<=x)y', /named capture|Perl syntax/],
    ['/a{1001}', /repeat count/],
    ['/a++', /nested repetition/],
  ]
  for (const [pattern, error] of rejected) {
    it(`RE2 refuses ${pattern}, which ECMAScript compiles`, () => {
      assert.match(compileRegexMatch(pattern).error ?? '', error)
      assert.equal(regexMatchesWhole(pattern, '/aa'), false)
    })
  }
})

describe('RegularExpression matches in resolve and serve decisions', () => {
  const documents = [
    gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
    route('HTTPRoute', 'api', {rules: `[{matches: [{path: {type: RegularExpression, value: "${CATASTROPHIC.replaceAll('\\', '\\\\')}"}}], backendRefs: [{name: api, port: 80}]}]`}),
    route('HTTPRoute', 'header', {hostnames: ['h.io'], rules: '[{matches: [{headers: [{type: RegularExpression, name: x-v, value: "(?i)v[0-9]+"}]}], backendRefs: [{name: api, port: 80}]}]'}),
    ...services('default', ['api']),
  ]
  const table = compileDocuments(documents)

  it('the issue pattern with a 28-character path (12 s in resolve before) answers 404', () => {
    const decision = decideOne(table, http(`/api/${'a'.repeat(22)}!`))
    assert.equal(decision.httpStatus, 404)
  })

  it('the issue pattern with a 10k-character path answers 404, and a matching long path routes', () => {
    assert.equal(decideOne(table, http(`/api/${'a'.repeat(10_000)}!`)).httpStatus, 404)
    assert.equal(viewDecision(decideOne(table, http(`/api/${'seg/'.repeat(2_500)}`))).route, 'HTTPRoute default/api')
  })

  it('header values use RE2 syntax too ((?i) was a compile error, so the rule was dropped)', () => {
    const decision = decideOne(table, {...http('/', [['x-v', 'V12']]), host: 'h.io'})
    assert.equal(viewDecision(decision).route, 'HTTPRoute default/header')
  })

  it('a pattern RE2 cannot compile drops its rule and names the reason', () => {
    const binding = bindDocuments([
      gateway('gw', ['{name: http, port: 80, protocol: HTTP}']),
      route('HTTPRoute', 'lookahead', {rules: '[{matches: [{path: {type: RegularExpression, value: "/(?!admin).*"}}], backendRefs: [{name: api, port: 80}]}]'}),
      ...services('default', ['api']),
    ])
    const [rule] = binding.routes[0].rules
    assert.equal(rule.valid, false)
    assert.match(rule.invalidReason ?? '', /path regular expression '\/\(\?!admin\)\.\*' is not RE2 syntax/)
  })
})

describe('route-regex-unsupported findings', () => {
  it('points at each RegularExpression value RE2 rejects (path, header, query, gRPC method) and says who rejects it', async () => {
    const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  rules:
  - matches:
    - path: {type: RegularExpression, value: "/(a)\\\\1"}
      headers:
      - {type: RegularExpression, name: x-a, value: "(?=x)"}
      queryParams:
      - {type: RegularExpression, name: q, value: "a{2000}"}
  - matches:
    - path: {type: RegularExpression, value: "/ok/[0-9]+"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: rpc, namespace: default}
spec:
  rules:
  - matches:
    - method: {type: RegularExpression, service: "pkg\\\\.(?<!x)S", method: Get}
`
    const analysis = await analyzeTexts([{file: 'routes.yaml', text}], {checkCertificates: false})
    const found = analysis.findings.filter((finding) => finding.ruleId === 'route-regex-unsupported')
    assert.deepEqual(found.map((finding) => [finding.resource.name, finding.field, finding.line, finding.severity]), [
      ['web', 'spec.rules[0].matches[0].path.value', 7, 'error'],
      ['web', 'spec.rules[0].matches[0].headers[0].value', 9, 'error'],
      ['web', 'spec.rules[0].matches[0].queryParams[0].value', 11, 'error'],
      ['rpc', 'spec.rules[0].matches[0].method.service', 21, 'error'],
    ])
    assert.match(found[0].message, /^path regular expression '\/\(a\)\\1' is not RE2 syntax \(invalid escape sequence.*implementations that evaluate RegularExpression matches with RE2 reject it/)
    assert.equal(analysis.findings.filter((finding) => finding.ruleId === 'route-partially-invalid').length, 1, 'rule 0 is dropped, rule 1 served')
  })
})
