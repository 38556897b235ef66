import {strict as assert} from 'node:assert'
import {formatReport, OUTPUT_FORMATS} from '../../../src/lint/format/format-report.js'
import type {OutputFormat} from '../../../src/lint/format/format-report.js'
import {formatGithub} from '../../../src/lint/format/github.js'
import {formatJson} from '../../../src/lint/format/json.js'
import {formatJunit} from '../../../src/lint/format/junit.js'
import {formatSarif} from '../../../src/lint/format/sarif.js'
import {formatStylish} from '../../../src/lint/format/stylish.js'
import type {LintReport} from '../../../src/lint/report.js'
import {SAMPLE_REPORT} from './sample-report.js'

describe('formatReport', () => {
  it('offers the five formats, stylish (the default) first', () => {
    assert.deepEqual([...OUTPUT_FORMATS], ['stylish', 'json', 'sarif', 'junit', 'github'])
  })

  const formatters: Record<OutputFormat, typeof formatJson> = {
    stylish: formatStylish,
    json: formatJson,
    sarif: formatSarif,
    junit: formatJunit,
    github: formatGithub,
  }
  for (const format of OUTPUT_FORMATS) {
    for (const color of [false, true]) {
      it(`-o ${format} with color ${color} is formatted by its formatter`, () => {
        assert.equal(formatReport(SAMPLE_REPORT, format, {color}), formatters[format](SAMPLE_REPORT, {color}))
      })
    }
  }

  it('only stylish is affected by colour', () => {
    const differs = OUTPUT_FORMATS.filter(
      (format) => formatReport(SAMPLE_REPORT, format, {color: true}) !== formatReport(SAMPLE_REPORT, format, {color: false}),
    )
    assert.deepEqual(differs, ['stylish'])
  })

  it('leaves the report untouched (formatters are pure)', () => {
    const report: LintReport = structuredClone(SAMPLE_REPORT)
    for (const format of OUTPUT_FORMATS) formatReport(report, format, {color: true})
    assert.deepEqual(report, SAMPLE_REPORT)
  })
})
