import {strict as assert} from 'node:assert'
import type {Finding, Severity} from '../../src/findings/finding.js'
import {describeSuppressed, exitCodeFor, FAIL_ON_LEVELS, sortFindings, summarizeReport} from '../../src/lint/report.js'
import type {FailOn, LintReport} from '../../src/lint/report.js'
import {EMPTY_REPORT, SAMPLE_REPORT, SUPPRESSED_REPORT} from './format/sample-report.js'

function findingAt(severity: Severity, file = 'a.yaml', line = 1, column = 1, ruleId = 'rule'): Finding {
  return {ruleId, severity, category: 'semantic', message: `${severity} at ${line}:${column}`, file, line, column}
}

function reportWith(severities: Severity[]): LintReport {
  return {...EMPTY_REPORT, files: 1, findings: severities.map((severity) => findingAt(severity))}
}

describe('lint report', () => {
  describe('sortFindings', () => {
    const cases: Array<{name: string; input: Finding[]; expected: string[]}> = [
      {name: 'empty', input: [], expected: []},
      {
        name: 'file, then line, then column, then ruleId',
        input: [
          findingAt('error', 'b.yaml', 1, 1, 'x'),
          findingAt('error', 'a.yaml', 10, 1, 'x'),
          findingAt('error', 'a.yaml', 2, 9, 'x'),
          findingAt('error', 'a.yaml', 2, 3, 'z'),
          findingAt('error', 'a.yaml', 2, 3, 'y'),
        ],
        expected: ['a.yaml:2:3:y', 'a.yaml:2:3:z', 'a.yaml:2:9:x', 'a.yaml:10:1:x', 'b.yaml:1:1:x'],
      },
      {
        name: '<stdin> sorts before relative paths',
        input: [findingAt('info', 'manifests/a.yaml'), findingAt('info', '<stdin>')],
        expected: ['<stdin>:1:1:rule', 'manifests/a.yaml:1:1:rule'],
      },
    ]
    for (const {name, input, expected} of cases) {
      it(name, () => {
        const snapshot = [...input]
        const sorted = sortFindings(input)
        assert.deepEqual(
          sorted.map((finding) => `${finding.file}:${finding.line}:${finding.column}:${finding.ruleId}`),
          expected,
        )
        assert.deepEqual(input, snapshot, 'input left unsorted')
      })
    }
  })

  describe('summarizeReport', () => {
    const cases: Array<{name: string; report: LintReport; expected: ReturnType<typeof summarizeReport>}> = [
      {name: 'empty report', report: EMPTY_REPORT, expected: {files: 0, resources: 0, errors: 0, warnings: 0, infos: 0, suppressed: 0, skipped: 0}},
      {name: 'sample report', report: SAMPLE_REPORT, expected: {files: 4, resources: 5, errors: 2, warnings: 2, infos: 1, suppressed: 0, skipped: 0}},
      {name: 'suppressed findings are counted apart from the severities', report: SUPPRESSED_REPORT, expected: {files: 4, resources: 5, errors: 1, warnings: 2, infos: 1, suppressed: 2, skipped: 0}},
      {
        name: 'skipped files',
        report: {...EMPTY_REPORT, skipped: [{file: 'package.json', reason: 'no apiVersion or kind in any document'}]},
        expected: {files: 0, resources: 0, errors: 0, warnings: 0, infos: 0, suppressed: 0, skipped: 1},
      },
      {
        name: 'only infos',
        report: reportWith(['info', 'info', 'info']),
        expected: {files: 1, resources: 0, errors: 0, warnings: 0, infos: 3, suppressed: 0, skipped: 0},
      },
    ]
    for (const {name, report, expected} of cases) {
      it(name, () => {
        const summary = summarizeReport(report)
        assert.deepEqual(summary, expected)
        assert.deepEqual(Object.keys(summary), ['files', 'resources', 'errors', 'warnings', 'infos', 'suppressed', 'skipped'])
      })
    }
  })

  describe('describeSuppressed', () => {
    const config = {kind: 'config' as const, justification: '.gwctl.yaml: rules.rule is off'}
    const annotation = {kind: 'annotation' as const, justification: 'why'}
    const cases: Array<{name: string; kinds: Array<typeof config | typeof annotation>; expected: string}> = [
      {name: 'nothing suppressed', kinds: [], expected: ''},
      {name: 'only by the config file', kinds: [config], expected: '1 suppressed by .gwctl.yaml'},
      {name: 'only by annotations', kinds: [annotation, annotation], expected: '2 suppressed by gwctl/ignore'},
      {name: 'both', kinds: [annotation, config, annotation], expected: '3 suppressed: 2 by gwctl/ignore, 1 by .gwctl.yaml'},
    ]
    for (const {name, kinds, expected} of cases) {
      it(name, () => {
        assert.equal(describeSuppressed({suppressed: kinds.map((suppression) => ({...findingAt('error'), suppression}))}), expected)
      })
    }
  })

  describe('exitCodeFor', () => {
    const reports: Record<string, LintReport> = {
      'no findings': reportWith([]),
      'infos only': reportWith(['info', 'info']),
      'warnings and infos': reportWith(['info', 'warning']),
      'an error among others': reportWith(['warning', 'error', 'info']),
    }
    const expected: Record<string, Record<FailOn, 0 | 1>> = {
      'no findings': {error: 0, warning: 0, info: 0, none: 0},
      'infos only': {error: 0, warning: 0, info: 1, none: 0},
      'warnings and infos': {error: 0, warning: 1, info: 1, none: 0},
      'an error among others': {error: 1, warning: 1, info: 1, none: 0},
    }
    it('covers every --fail-on level', () => {
      assert.deepEqual([...FAIL_ON_LEVELS], ['error', 'warning', 'info', 'none'])
    })
    for (const [name, report] of Object.entries(reports)) {
      for (const failOn of FAIL_ON_LEVELS) {
        it(`${name} with --fail-on ${failOn} exits ${expected[name][failOn]}`, () => {
          assert.equal(exitCodeFor(report, failOn), expected[name][failOn])
        })
      }
    }
  })
})
