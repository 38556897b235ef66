/**
 * Every `smoke` entry of test/expectations (scenarios and broken variants)
 * through the very path `gwctl resolve` takes: analyzeManifests (as the
 * command calls it) → compileRoutingTable → buildQueries → RoutingTable.decide
 * → toDecisionJson, compared with the entry's `expect` (format:
 * test/expectations/README.md). serve checks the same entries with curl and
 * openssl (test/e2e/serve-scenarios.test.ts); here the decision itself is
 * pinned, in-process and fast.
 */
import {strict as assert} from 'node:assert'
import {compileRoutingTable} from '../../src/gatewayapi/decide.js'
import {analyzeManifests, isBroken} from '../../src/pipeline/analyze.js'
import {buildQueries, type ResolveRequest} from '../../src/resolve/build-queries.js'
import {renderDecisionText, toDecisionJson, type DecisionJson} from '../../src/resolve/render-decision.js'
import {readBrokenExpectations, readScenarioExpectations, type SmokeExpectation} from '../support/fixture-expectations.js'

const NOW = new Date('2026-01-01T00:00:00Z')

interface FixtureSet {
  label: string
  dir: string
  smoke: SmokeExpectation[]
}

const sets: FixtureSet[] = [
  ...readScenarioExpectations().map((entry) => ({label: `scenario ${entry.scenario}`, dir: entry.dir, smoke: entry.smoke})),
  ...readBrokenExpectations().filter((entry) => (entry.smoke ?? []).length > 0)
    .map((entry) => ({label: `broken ${entry.variant}`, dir: entry.dir, smoke: entry.smoke ?? []})),
]

/** The flags a user would give `gwctl resolve` for this connection. */
function toRequest(entry: SmokeExpectation): ResolveRequest {
  return {
    sni: entry.plaintext === true ? undefined : entry.sni ?? '',
    port: entry.port,
    host: entry.host,
    path: entry.path,
    headers: [],
  }
}

function describeEntry(entry: SmokeExpectation): string {
  const client = entry.plaintext === true ? 'plaintext' : `SNI ${entry.sni === '' ? '(none)' : entry.sni}`
  const request = entry.host === undefined ? '' : ` Host ${entry.host}${entry.path ?? ''}`
  const verdict = entry.expect.matched
    ? `→ ${entry.expect.route === undefined ? 'matched' : `${entry.expect.route.kind} ${entry.expect.route.namespace}/${entry.expect.route.name}`}`
    : `→ no match${entry.expect.httpStatus === undefined ? '' : ` (${entry.expect.httpStatus})`}`
  return `${client} :${entry.port}${request} ${verdict}`
}

function checkAnswer(answer: DecisionJson, entry: SmokeExpectation, label: string): void {
  const {expect} = entry
  const where = `${label}: ${describeEntry(entry)}`
  assert.equal(answer.matched, expect.matched, `${where}: matched (reason: ${answer.reason})`)
  if (expect.gateway !== undefined) assert.deepEqual(answer.gateway, expect.gateway, `${where}: gateway`)
  if (expect.listener !== undefined) assert.equal(answer.listener, expect.listener, `${where}: listener`)
  if (expect.mode !== undefined) assert.equal(answer.mode, expect.mode, `${where}: mode`)
  if (expect.certificate !== undefined) assert.equal(answer.certificate?.secret, expect.certificate.secret, `${where}: certificate Secret`)
  if (expect.route !== undefined) assert.deepEqual(answer.route, expect.route, `${where}: route`)
  if (expect.backends !== undefined) {
    assert.deepEqual(answer.backends.map(({namespace, name, port, weight}) => ({namespace, name, port, weight})), expect.backends,
      `${where}: backends with weights as percentages of the rule (§5.4)`)
  }
  if (expect.redirect !== undefined) {
    assert.equal(answer.status, expect.redirect.statusCode, `${where}: redirect status code`)
    assert.equal(answer.redirect?.statusCode, expect.redirect.statusCode, `${where}: redirect`)
    if (expect.redirect.location !== undefined) assert.equal(answer.redirect?.location, expect.redirect.location, `${where}: redirect Location`)
  }
  if (expect.httpStatus !== undefined) assert.equal(answer.status, expect.httpStatus, `${where}: HTTP status the gateway answers itself (§1.5)`)
  checkText(answer, entry, where)
}

/** The text output of the same answer says the same: chosen listener, route and backends with their shares. */
function checkText(answer: DecisionJson, entry: SmokeExpectation, where: string): void {
  const text = renderDecisionText(answer, false)
  const {expect} = entry
  if (expect.listener !== undefined) assert.match(text, new RegExp(`✔ listener '${expect.listener}' `), `${where}: text names the listener`)
  if (expect.route !== undefined) assert.match(text, new RegExp(`✔ ${expect.route.kind} ${expect.route.namespace}/${expect.route.name}:`), `${where}: text names the route`)
  for (const backend of expect.matched ? expect.backends ?? [] : []) {
    if (backend.weight > 0) assert.ok(text.includes(`${backend.namespace}/${backend.name}:${backend.port} (${backend.weight}%)`), `${where}: text names backend ${backend.name} with ${backend.weight}%:\n${text}`)
  }
  assert.ok(text.includes(expect.matched ? `→ ${answer.reason}` : `✗ ${answer.reason}`), `${where}: text verdict`)
}

describe('resolve: every smoke expectation of the fixture sets, as gwctl resolve decides it', function () {
  this.timeout(60_000)
  it('has smoke entries to check', () => {
    assert.ok(sets.reduce((sum, set) => sum + set.smoke.length, 0) >= 40, 'at least 40 smoke entries across the fixture sets')
  })

  for (const set of sets) {
    describe(set.label, () => {
      let answersFor: (entry: SmokeExpectation) => DecisionJson[]
      before(async () => {
        // The same options `gwctl resolve` passes (src/commands/resolve.ts).
        const analysis = await analyzeManifests([set.dir], {defaultNamespace: 'default', checkCertificates: false})
        assert.equal(isBroken(analysis), false, `${set.label}: resolve refuses the set (input or schema error)`)
        const table = compileRoutingTable(analysis.binding)
        answersFor = (entry) => buildQueries(table, toRequest(entry))
          // A plaintext smoke connection speaks HTTP/TCP/UDP, a TLS one speaks TLS.
          .filter((query) => (entry.plaintext === true) === (query.transport !== 'tls'))
          .flatMap((query) => table.decide(query))
          .map((decision) => toDecisionJson(decision, NOW))
      })

      for (const [index, entry] of set.smoke.entries()) {
        it(`smoke ${index}: ${describeEntry(entry)}`, () => {
          const answers = answersFor(entry)
          const {expect} = entry
          const candidates = expect.gateway === undefined
            ? answers
            : answers.filter((answer) => answer.gateway?.namespace === expect.gateway!.namespace && answer.gateway.name === expect.gateway!.name)
          if (expect.matched) {
            const matched = candidates.filter((answer) => answer.matched)
            assert.equal(matched.length, 1, `${set.label}: ${describeEntry(entry)}: exactly one matching answer; got ${JSON.stringify(answers.map((answer) => answer.reason))}`)
            checkAnswer(matched[0], entry, set.label)
            return
          }
          assert.ok(answers.every((answer) => !answer.matched), `${set.label}: ${describeEntry(entry)}: no answer may match; got ${JSON.stringify(answers.filter((answer) => answer.matched).map((answer) => answer.reason))}`)
          if (expect.listener === undefined && expect.httpStatus === undefined && expect.certificate === undefined) {
            // Refused before any listener took it, or no route on the listener: no backend receives it.
            for (const answer of answers) assert.equal(answer.status, undefined, `${set.label}: ${describeEntry(entry)}: refused, no HTTP answer (${answer.reason})`)
            return
          }
          const onListener = candidates.filter((answer) => expect.listener === undefined || answer.listener === expect.listener)
          assert.equal(onListener.length, 1, `${set.label}: ${describeEntry(entry)}: one answer on listener ${expect.listener}; got ${JSON.stringify(answers.map((answer) => answer.reason))}`)
          checkAnswer(onListener[0], entry, set.label)
        })
      }
    })
  }
})
