/**
 * compareDiffFacts (pure): routing rows keyed by port, listener, hostname,
 * route and match and compared on what traffic sees; conditions compared on
 * status and reason for objects on both sides; findings paired by rule,
 * object and field; `trafficChanged` from routing rows only.
 */
import {strict as assert} from 'node:assert'
import type {DiffCondition, DiffFacts, DiffRow} from '../../src/diff/collect-diff-facts.js'
import {compareDiffFacts} from '../../src/diff/compare-diff-facts.js'
import type {DiffFinding, DiffRowState} from '../../src/diff/diff-report.js'

const STATE: DiffRowState = {protocol: 'HTTPS', mode: 'Terminate', ready: true, backends: [{kind: 'Service', backend: 'web/api:80', share: 100, valid: true}], certificate: {secret: 'web/tls', subject: 'CN=shop', subjectAltNames: ['DNS:shop.example.com'], notAfter: '2125-01-01T00:00:00Z'}}

function row(overrides: Partial<DiffRow> = {}, state: Partial<DiffRowState> = {}): DiffRow {
  return {port: 443, gateway: {namespace: 'web', name: 'gw'}, listener: 'https', hostname: 'shop.example.com', route: {kind: 'HTTPRoute', namespace: 'web', name: 'shop'}, match: 'PathPrefix /', ...overrides, state: {...STATE, ...state}}
}

function condition(type: string, status: string, reason: string, scope?: string): DiffCondition {
  return {resource: {kind: 'Gateway', namespace: 'web', name: 'gw'}, ...(scope === undefined ? {} : {scope}), type, state: {status, reason, message: `${type} ${reason}`}}
}

function finding(ruleId: string, field?: string, message = 'm'): DiffFinding {
  return {ruleId, severity: 'error', message, resource: {kind: 'Gateway', namespace: 'web', name: 'gw'}, ...(field === undefined ? {} : {field}), file: 'gw.yaml', line: 1, column: 1}
}

function facts(partial: Partial<DiffFacts>): DiffFacts {
  return {rows: [], conditions: [], resources: [{kind: 'Gateway', namespace: 'web', name: 'gw'}], findings: [], ...partial}
}

const SUMMARY = {source: 's', files: 1, resources: 1, blockingErrors: 0, skipped: []}
const compare = (old: Partial<DiffFacts>, next: Partial<DiffFacts>) => compareDiffFacts({facts: facts(old), summary: SUMMARY}, {facts: facts(next), summary: SUMMARY})

describe('compareDiffFacts', () => {
  const rowCases: Array<{name: string; old: DiffRow[]; new: DiffRow[]; expect: Array<[string, string, string[]?]>}> = [
    {name: 'the same rows: nothing', old: [row()], new: [row()], expect: []},
    {name: 'a new match is an added row', old: [row()], new: [row(), row({match: 'PathPrefix /api'})], expect: [['added', 'PathPrefix /api']]},
    {name: 'a hostname gone is a removed row', old: [row(), row({hostname: 'www.example.com'})], new: [row()], expect: [['removed', 'PathPrefix /']]},
    {name: 'shares change', old: [row()], new: [row({}, {backends: [{kind: 'Service', backend: 'web/api:80', share: 90, valid: true}, {kind: 'Service', backend: 'web/api-v2:80', share: 10, valid: true}]})], expect: [['changed', 'PathPrefix /', ['backends']]]},
    {name: 'backends listed in another order are the same', old: [row({}, {backends: [{kind: 'Service', backend: 'a/a:1', share: 50, valid: true}, {kind: 'Service', backend: 'b/b:1', share: 50, valid: true}]})], new: [row({}, {backends: [{kind: 'Service', backend: 'b/b:1', share: 50, valid: true}, {kind: 'Service', backend: 'a/a:1', share: 50, valid: true}]})], expect: []},
    {name: 'a backend becoming invalid', old: [row()], new: [row({}, {backends: [{kind: 'Service', backend: 'web/api:80', share: 100, valid: false}]})], expect: [['changed', 'PathPrefix /', ['backends']]]},
    {name: 'certificate expiry and readiness', old: [row()], new: [row({}, {ready: false, certificate: {...STATE.certificate!, notAfter: '2024-01-01T00:00:00Z'}})], expect: [['changed', 'PathPrefix /', ['ready', 'certificate']]]},
    {name: 'shadowed', old: [row()], new: [row({}, {shadowedBy: 'HTTPRoute web/other: older'})], expect: [['changed', 'PathPrefix /', ['shadowed']]]},
    {name: 'mode changes', old: [row()], new: [row({}, {mode: 'Passthrough'})], expect: [['changed', 'PathPrefix /', ['protocol']]]},
    {name: 'the same port on another listener is another row', old: [row()], new: [row({listener: 'https-2'})], expect: [['removed', 'PathPrefix /'], ['added', 'PathPrefix /']]},
    {name: 'the same match twice: occurrences are paired in order', old: [row(), row()], new: [row(), row(), row()], expect: [['added', 'PathPrefix /']]},
  ]
  for (const entry of rowCases) {
    it(`routing rows: ${entry.name}`, () => {
      const report = compare({rows: entry.old}, {rows: entry.new})
      assert.deepEqual(report.routes.map((change) => [change.change, change.match!, ...(change.aspects === undefined ? [] : [change.aspects])]), entry.expect)
      assert.equal(report.summary.trafficChanged, entry.expect.length > 0)
    })
  }

  it('sorts rows by port, then key; removed before added at one key', () => {
    const report = compare({rows: [row({port: 8443}), row({hostname: 'b.example.com'})]}, {rows: [row({port: 80}), row({hostname: 'a.example.com'})]})
    assert.deepEqual(report.routes.map((change) => `${change.change} ${change.port} ${change.hostname}`), ['added 80 shop.example.com', 'added 443 a.example.com', 'removed 443 b.example.com', 'removed 8443 shop.example.com'])
  })

  it('conditions: a flip of status or reason counts, a message alone does not; a scope on one side is set or unset', () => {
    const report = compare(
      {conditions: [condition('Accepted', 'True', 'Accepted'), condition('Programmed', 'True', 'Programmed'), condition('Accepted', 'True', 'Accepted', 'listener a')]},
      {conditions: [{...condition('Accepted', 'True', 'Accepted'), state: {status: 'True', reason: 'Accepted', message: 'other words'}}, condition('Programmed', 'False', 'Invalid'), condition('Accepted', 'True', 'Accepted', 'listener b')]},
    )
    assert.deepEqual(report.conditions.map((change) => [change.scope ?? '', change.type, change.old?.reason ?? null, change.new?.reason ?? null]), [
      ['', 'Programmed', 'Programmed', 'Invalid'],
      ['listener a', 'Accepted', 'Accepted', null],
      ['listener b', 'Accepted', null, 'Accepted'],
    ])
    assert.equal(report.summary.trafficChanged, false, 'conditions alone are no traffic change')
  })

  it('conditions of an object on one side only are not listed: the object is', () => {
    const route = {resource: {kind: 'HTTPRoute', namespace: 'web', name: 'new'}, type: 'Accepted', state: {status: 'True', reason: 'Accepted', message: ''}}
    const report = compare({}, {conditions: [route], resources: [{kind: 'Gateway', namespace: 'web', name: 'gw'}, route.resource]})
    assert.deepEqual(report.conditions, [])
    assert.deepEqual(report.resources, {added: [route.resource], removed: []})
  })

  it('findings: paired by rule, object and field whatever the message and location; the rest appear or are fixed', () => {
    const report = compare(
      {findings: [finding('a', 'spec.x'), finding('b'), finding('c', undefined, 'one'), finding('c', undefined, 'two')]},
      {findings: [{...finding('a', 'spec.x', 'reworded'), line: 9}, finding('b', 'spec.y'), finding('c')]},
    )
    assert.deepEqual(report.findings.appeared.map((entry) => `${entry.ruleId} ${entry.field ?? ''}`), ['b spec.y'])
    assert.deepEqual(report.findings.fixed.map((entry) => `${entry.ruleId} ${entry.field ?? ''} ${entry.message}`), ['b  m', 'c  two'])
    assert.deepEqual(report.summary.findings, {appeared: 1, fixed: 2})
    assert.equal(report.summary.trafficChanged, false)
  })

  it('findings about no object are told apart by their message', () => {
    const bare = (message: string): DiffFinding => ({ruleId: 'input-x', severity: 'warning', message, file: 'f', line: 1, column: 1})
    const report = compare({findings: [bare('one')]}, {findings: [bare('two')]})
    assert.deepEqual([report.findings.appeared.map((entry) => entry.message), report.findings.fixed.map((entry) => entry.message)], [['two'], ['one']])
  })
})
