/**
 * The fixture sets through the whole lint pipeline (load → schema/CEL →
 * bind → findings → report): every scenario lints clean with the status of
 * its expectations, every broken variant yields exactly its intended
 * findings at the right file:line:column — in all five output formats —
 * and the status its mistake shows (test/expectations/README.md).
 */
import {strict as assert} from 'node:assert'
import {analyzeManifests} from '../../src/pipeline/analyze.js'
import {buildLintReport} from '../../src/lint/build-report.js'
import type {Finding} from '../../src/findings/finding.js'
import {formatReport} from '../../src/lint/format/format-report.js'
import type {LintReport} from '../../src/lint/report.js'
import {
  assertStatusExpectation, readBrokenExpectations, readScenarioExpectations, type FindingExpectation,
} from '../support/fixture-expectations.js'

const NOW = new Date('2026-06-01T00:00:00Z')

async function lintDirectory(dir: string): Promise<LintReport> {
  const analysis = await analyzeManifests(['.'], {cwd: dir, now: NOW})
  return buildLintReport(analysis, {version: 'test'}, NOW)
}

function describeFinding(finding: Finding): string {
  return `${finding.ruleId} ${finding.file}:${finding.line}:${finding.column} (${finding.message})`
}

/** Where each format says a finding is: a set of `ruleId@file:line:column`. */
const LOCATORS: Record<string, (text: string) => Set<string>> = {
  json(text) {
    const parsed = JSON.parse(text) as {findings: Finding[]}
    return new Set(parsed.findings.map((finding) => `${finding.ruleId}@${finding.file}:${finding.line}:${finding.column}`))
  },
  sarif(text) {
    const parsed = JSON.parse(text) as {runs: Array<{results: Array<{ruleId: string; locations: Array<{physicalLocation: {artifactLocation: {uri: string}; region: {startLine: number; startColumn: number}}}>}>}>}
    return new Set(parsed.runs[0].results.map((result) => {
      const {artifactLocation, region} = result.locations[0].physicalLocation
      return `${result.ruleId}@${decodeURIComponent(artifactLocation.uri)}:${region.startLine}:${region.startColumn}`
    }))
  },
  junit(text) {
    const out = new Set<string>()
    for (const match of text.matchAll(/<testcase name="([\w-]+) [^"]*"[^>]*>\s*<failure[^>]*>[^<]*?at ([^\s:]+):(\d+):(\d+)/g)) {
      out.add(`${match[1]}@${match[2]}:${match[3]}:${match[4]}`)
    }
    for (const match of text.matchAll(/<testcase name="([\w-]+) [^"]*"[^>]*>\s*<system-out>[^<]*?at ([^\s:]+):(\d+):(\d+)/g)) {
      out.add(`${match[1]}@${match[2]}:${match[3]}:${match[4]}`)
    }
    return out
  },
  github(text) {
    return new Set([...text.matchAll(/^::\w+ file=([^,]+),line=(\d+),col=(\d+),title=([\w-]+)::/gm)].map((match) => `${match[4]}@${match[1]}:${match[2]}:${match[3]}`))
  },
  stylish(text) {
    const out = new Set<string>()
    let file = ''
    for (const line of text.split('\n')) {
      const entry = /^\s+(\d+):(\d+)\s+\w+\s+.*\s([\w-]+)$/.exec(line)
      if (entry !== null) out.add(`${entry[3]}@${file}:${entry[1]}:${entry[2]}`)
      else if (line !== '' && !line.startsWith(' ')) file = line.trim()
    }
    return out
  },
}

describe('fixtures: lint', function () {
  this.timeout(60_000)

  describe('scenarios lint clean, with the status a conformant controller would set', () => {
    for (const scenario of readScenarioExpectations()) {
      it(scenario.scenario, async () => {
        const report = await lintDirectory(scenario.dir)
        if (scenario.lint.clean) assert.deepEqual(report.findings.map(describeFinding), [], 'no finding expected')
        if (scenario.lint.files !== undefined) assert.equal(report.files, scenario.lint.files, 'files')
        if (scenario.lint.resources !== undefined) assert.equal(report.resources.length, scenario.lint.resources, 'resources')
        for (const expectation of scenario.status) assertStatusExpectation(report.resources, expectation)
      })
    }
  })

  describe('broken variants yield their intended findings, in every output format', () => {
    for (const variant of readBrokenExpectations()) {
      it(`${variant.variant}: ${variant.findings.map((finding) => finding.ruleId).join(', ')}`, async () => {
        const report = await lintDirectory(variant.dir)
        const matches = (finding: Finding, expected: FindingExpectation) => finding.ruleId === expected.ruleId && finding.file === expected.file
          && finding.line === expected.line && finding.column === expected.column
        for (const expected of variant.findings) {
          const found = report.findings.find((finding) => matches(finding, expected))
          assert.ok(found !== undefined, `expected ${expected.ruleId} at ${expected.file}:${expected.line}:${expected.column}; got ${report.findings.map(describeFinding).join('; ')}`)
          assert.equal(found.severity, expected.severity, `${expected.ruleId} severity`)
          assert.equal(found.category, expected.category, `${expected.ruleId} category`)
          if (expected.field !== undefined) assert.equal(found.field, expected.field, `${expected.ruleId} field`)
          if (expected.resource !== undefined) {
            assert.equal(found.resource?.kind, expected.resource.kind)
            assert.equal(found.resource?.name, expected.resource.name)
            if (expected.resource.namespace !== undefined) assert.equal(found.resource?.namespace, expected.resource.namespace)
          }
        }
        const unexpected = report.findings.filter((finding) => !variant.findings.some((expected) => matches(finding, expected)) && !(variant.mayAlso ?? []).includes(finding.ruleId))
        assert.deepEqual(unexpected.map(describeFinding), [], 'findings beyond the one mistake')
        for (const expectation of variant.status) assertStatusExpectation(report.resources, expectation)

        for (const [format, locate] of Object.entries(LOCATORS)) {
          const located = locate(formatReport(report, format as Parameters<typeof formatReport>[1], {color: false}))
          for (const expected of variant.findings) {
            const key = `${expected.ruleId}@${expected.file}:${expected.line}:${expected.column}`
            assert.ok(located.has(key), `${format}: ${key} not found in ${[...located].join(', ')}`)
          }
        }
      })
    }
  })
})
