import {strict as assert} from 'node:assert'
import {INPUT_RULES} from '../../src/manifests/input-rules.js'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'
import type {SourceObject} from '../../src/manifests/source.js'
import {mutateManifests, VALID_MANIFESTS, type MutatedManifest} from '../support/mutate-manifests.js'

const INPUT_RULE_IDS = new Set(INPUT_RULES.map(rule => rule.id))

/** A few paths into the object: existing ones (from its own keys) and missing ones. */
function listProbePaths(object: SourceObject): Array<Array<string | number>> {
  const paths: Array<Array<string | number>> = [[], ['metadata', 'name'], ['spec', 'listeners', 0, 'tls', 'certificateRefs', 3], ['no', 'such', 1]]
  for (const [key, value] of Object.entries(object.object)) {
    paths.push([key])
    if (value && typeof value === 'object') for (const inner of Object.keys(value).slice(0, 3)) paths.push([key, Array.isArray(value) ? Number(inner) : inner])
  }
  return paths
}

function checkCase(testCase: MutatedManifest, rulesSeen: Set<string>): {findings: number; objects: number} {
  const file = `${testCase.name}.yaml`
  let result
  try {
    result = parseManifestText(testCase.text, file)
  } catch (error) {
    assert.fail(`${testCase.name}: parseManifestText threw ${String(error)}`)
  }
  const lines = testCase.text.split(/\r\n|\r|\n/).length
  for (const finding of result.findings) {
    const where = `${testCase.name}: ${finding.ruleId} at ${finding.line}:${finding.column}`
    rulesSeen.add(finding.ruleId)
    assert.equal(finding.file, file, where)
    assert.equal(finding.category, 'input', where)
    assert.ok(INPUT_RULE_IDS.has(finding.ruleId), where)
    assert.ok(Number.isInteger(finding.line) && finding.line >= 1 && finding.line <= lines, where)
    assert.ok(Number.isInteger(finding.column) && finding.column >= 1, where)
    assert.match(finding.message, /^[^\n]{1,300}$/, where)
  }
  for (const object of result.objects) {
    assert.ok(object.kind !== '' && object.apiVersion !== '', testCase.name)
    assert.doesNotThrow(() => JSON.stringify(object.object), testCase.name)
    for (const path of listProbePaths(object)) {
      for (const target of ['key', 'value'] as const) {
        const position = object.locate(path, target)
        const where = `${testCase.name}: locate ${JSON.stringify(path)} ${target} = ${position.line}:${position.column}`
        assert.ok(Number.isInteger(position.line) && position.line >= 1 && position.line <= lines, where)
        assert.ok(Number.isInteger(position.column) && position.column >= 1, where)
      }
    }
  }
  return {findings: result.findings.length, objects: result.objects.length}
}

describe('parseManifestText on mutated manifests', () => {
  const cases = mutateManifests({seed: 7, count: 1200})

  it('generates the same cases from the same seed', () => {
    const again = mutateManifests({seed: 7, count: 50})
    assert.deepEqual(again.map(testCase => testCase.text), cases.slice(0, 50).map(testCase => testCase.text))
    assert.notDeepEqual(mutateManifests({seed: 8, count: 50}).map(testCase => testCase.text), again.map(testCase => testCase.text))
  })

  it('loads every valid base manifest cleanly', () => {
    for (const [name, text] of Object.entries(VALID_MANIFESTS)) {
      const result = parseManifestText(text, `${name}.yaml`)
      assert.deepEqual(result.findings, [], name)
      assert.equal(result.objects.length, 1, name)
    }
  })

  it('never throws, and puts every finding and every located field at a real line and column', () => {
    const totals = {findings: 0, objects: 0, withFindings: 0}
    const rulesSeen = new Set<string>()
    for (const testCase of cases) {
      const counts = checkCase(testCase, rulesSeen)
      totals.findings += counts.findings
      totals.objects += counts.objects
      if (counts.findings > 0) totals.withFindings++
    }
    assert.ok(totals.withFindings > cases.length / 5, `only ${totals.withFindings} of ${cases.length} cases had findings`)
    assert.ok(totals.objects > cases.length / 2, `only ${totals.objects} objects loaded from ${cases.length} cases`)
    for (const ruleId of ['input-yaml-syntax', 'input-duplicate-key', 'input-too-deep', 'input-missing-kind', 'input-binary']) {
      assert.ok(rulesSeen.has(ruleId), `no case produced ${ruleId}`)
    }
  })
})
