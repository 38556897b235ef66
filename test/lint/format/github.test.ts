import {strict as assert} from 'node:assert'
import type {Finding} from '../../../src/findings/finding.js'
import {formatGithub} from '../../../src/lint/format/github.js'
import type {LintReport} from '../../../src/lint/report.js'
import {EMPTY_REPORT, SAMPLE_REPORT, SUPPRESSED_REPORT} from './sample-report.js'

function reportOf(findings: Array<Partial<Finding>>): LintReport {
  return {
    ...EMPTY_REPORT,
    files: 1,
    findings: findings.map((overrides) => ({
      ruleId: 'rule-a',
      severity: 'error',
      category: 'semantic',
      message: 'message',
      file: 'a.yaml',
      line: 1,
      column: 1,
      ...overrides,
    })),
  }
}

describe('formatGithub', () => {
  const cases: Array<{name: string; report: LintReport; expected: string[]}> = [
    {
      name: 'sample report: sorted, one command per finding, stdin without file',
      report: SAMPLE_REPORT,
      expected: [
        '::notice title=input-empty-document::document 2 is empty',
        '::error file=manifests/bad file%2Cv1%3Aa.yaml,line=3,col=7,title=input-yaml-syntax::Nested mappings are not allowed in compact mappings',
        "::warning file=manifests/gateway.yaml,line=14,col=9,title=passthrough-certificate-refs::Passthrough listener 'tls' has certificateRefs: they are ignored",
        "::error file=manifests/route.yaml,line=9,col=5,title=listener-route-kind::TLSRoute cannot attach to HTTPS listener 'https' (Terminate): it accepts HTTPRoute, GRPCRoute",
        `::warning file=manifests/route.yaml,line=12,col=7,title=route-hostname-not-covered::hostname "a.example.com" <b> & 100%25 covered: no,%0D%0Anot by 'tls'\t\u0007`,
      ],
    },
    {
      name: 'data escapes %, CR and LF only; ":" and "," stay',
      report: reportOf([{message: '50% done: a, b\r\nnext %0A line'}]),
      expected: ['::error file=a.yaml,line=1,col=1,title=rule-a::50%25 done: a, b%0D%0Anext %250A line'],
    },
    {
      name: 'properties escape %, CR, LF, ":" and ","',
      report: reportOf([{file: 'C:\\dir\\100%,x\n.yaml', ruleId: 'odd:rule,id'}]),
      expected: ['::error file=C%3A\\dir\\100%25%2Cx%0A.yaml,line=1,col=1,title=odd%3Arule%2Cid::message'],
    },
    {
      name: 'severities map to error, warning, notice',
      report: reportOf([
        {severity: 'info', line: 3},
        {severity: 'warning', line: 2},
        {severity: 'error', line: 1},
      ]),
      expected: [
        '::error file=a.yaml,line=1,col=1,title=rule-a::message',
        '::warning file=a.yaml,line=2,col=1,title=rule-a::message',
        '::notice file=a.yaml,line=3,col=1,title=rule-a::message',
      ],
    },
    {
      name: 'a finding without a position annotates the file only',
      report: reportOf([{file: 'missing.yaml', line: 0, column: 0, ruleId: 'input-unreadable', message: 'no such file'}]),
      expected: ['::error file=missing.yaml,title=input-unreadable::no such file'],
    },
    {name: 'empty report prints nothing', report: EMPTY_REPORT, expected: []},
    {
      name: 'suppressed findings are not annotated; one notice without a file counts them',
      report: SUPPRESSED_REPORT,
      expected: [
        '::notice title=input-empty-document::document 2 is empty',
        '::error file=manifests/bad file%2Cv1%3Aa.yaml,line=3,col=7,title=input-yaml-syntax::Nested mappings are not allowed in compact mappings',
        "::warning file=manifests/gateway.yaml,line=14,col=9,title=passthrough-certificate-refs::Passthrough listener 'tls' has certificateRefs: they are ignored",
        `::warning file=manifests/route.yaml,line=12,col=7,title=route-hostname-not-covered::hostname "a.example.com" <b> & 100%25 covered: no,%0D%0Anot by 'tls'\t\u0007`,
        '::notice title=gwctl suppressed findings::2 suppressed: 1 by gwctl/ignore, 1 by .gwctl.yaml; gwctl lint -o json lists them with their justification',
      ],
    },
    {
      name: 'a run with every finding suppressed still says so',
      report: {...EMPTY_REPORT, suppressed: SUPPRESSED_REPORT.suppressed.slice(1)},
      expected: ['::notice title=gwctl suppressed findings::1 suppressed by .gwctl.yaml; gwctl lint -o json lists them with their justification'],
    },
  ]
  for (const {name, report, expected} of cases) {
    it(name, () => {
      assert.equal(formatGithub(report, {color: true}), expected.join('\n'))
    })
  }
})
