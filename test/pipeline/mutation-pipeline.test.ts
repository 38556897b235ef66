/**
 * The mutation test of the foundation issue carried through every stage
 * (issue 3, "Bad input"): 1,000 seeded broken manifests — deleted keys,
 * swapped types, random bytes, deep nesting, long strings, duplicate keys,
 * bad indentation — and mutated fixture sets go through loading, schema and
 * CEL validation, binding, certificate checks, status projection and the
 * decision function. Nothing may throw; every finding has a position.
 */
import {strict as assert} from 'node:assert'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseAllDocuments, stringify} from 'yaml'
import {compileRoutingTable} from '../../src/gatewayapi/decide.js'
import {projectStatus} from '../../src/gatewayapi/status.js'
import {listRoutingTable} from '../../src/gatewayapi/routing-table.js'
import {analyzeTexts} from '../../src/pipeline/analyze.js'
import {FIXTURES} from '../support/fixture-expectations.js'
import {mutateManifests, VALID_MANIFESTS} from '../support/mutate-manifests.js'

/** A fixture scenario as one `kind: List` document (the mutator takes single documents; the loader flattens Lists). */
function readScenario(name: string): string {
  const dir = join(FIXTURES, 'scenarios', name)
  const items = readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((document) => document.toJS() as unknown))
    .filter((item) => item !== null)
  return stringify({apiVersion: 'v1', kind: 'List', items}, {lineWidth: 0})
}

describe('the whole pipeline on mutated manifests', function () {
  this.timeout(180_000)
  const bases: Record<string, string> = {...VALID_MANIFESTS}
  for (const scenario of ['mixed-modes', 'mixed-modes-same-port', 'cross-namespace', 'https-termination', 'wildcard']) bases[`scenario-${scenario}`] = readScenario(scenario)
  const cases = mutateManifests({seed: 11, count: 1000, bases})

  it(`never throws and positions every finding (${cases.length} cases)`, async () => {
    const rules = new Set<string>()
    for (const testCase of cases) {
      const file = `${testCase.name}.yaml`
      let analysis
      try {
        analysis = await analyzeTexts([{file, text: testCase.text}], {now: new Date('2026-06-01T00:00:00Z')})
      } catch (error) {
        assert.fail(`${testCase.name}: the pipeline threw ${(error as Error).stack}`)
      }
      for (const finding of analysis.findings) {
        rules.add(finding.ruleId)
        const where = `${testCase.name}: ${finding.ruleId} at ${finding.line}:${finding.column}`
        assert.equal(finding.file, file, where)
        assert.ok(Number.isInteger(finding.line) && finding.line >= 1, where)
        assert.ok(Number.isInteger(finding.column) && finding.column >= 1, where)
        assert.ok(finding.message.length > 0 && !finding.message.includes('\n'), where)
      }
      assert.doesNotThrow(() => JSON.stringify([...projectStatus(analysis.binding, {now: new Date(0)})]), testCase.name)
      const table = compileRoutingTable(analysis.binding)
      assert.doesNotThrow(() => {
        for (const port of table.ports()) {
          table.decide({port, transport: 'tls', sni: 'app.example.com'})
          table.decide({port, transport: 'tls', sni: ''})
          table.decide({port, transport: 'http', host: 'www.example.com', request: {method: 'GET', path: '/x', query: [], headers: []}})
          table.decide({port, transport: 'tcp'})
        }
        listRoutingTable(analysis.binding)
      }, testCase.name)
    }
    for (const category of ['input-yaml-syntax', 'schema-type', 'schema-required']) {
      assert.ok(rules.has(category), `the mutations reach ${category} (seen: ${[...rules].sort().join(', ')})`)
    }
  })
})
