import {strict as assert} from 'node:assert'
import type {Finding} from '../../../src/findings/finding.js'
import {formatStylish} from '../../../src/lint/format/stylish.js'
import type {LintReport} from '../../../src/lint/report.js'
import {EMPTY_REPORT, SAMPLE_REPORT, SUPPRESSED_REPORT} from './sample-report.js'

const ESC = '\u001b'
const [UNDERLINE, NO_UNDERLINE] = [`${ESC}[4m`, `${ESC}[24m`]
const [DIM, NO_DIM] = [`${ESC}[2m`, `${ESC}[22m`]
const [BOLD, NO_BOLD] = [`${ESC}[1m`, `${ESC}[22m`]
const [RED, YELLOW, BLUE, GREEN, NO_COLOR] = [`${ESC}[31m`, `${ESC}[33m`, `${ESC}[34m`, `${ESC}[32m`, `${ESC}[39m`]

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'rule-a',
    severity: 'error',
    category: 'semantic',
    message: 'message',
    file: 'a.yaml',
    line: 1,
    column: 1,
    ...overrides,
  }
}

function reportOf(findings: Finding[], files = 1, resources = 0): LintReport {
  const resourceList = Array.from({length: resources}, (_, index) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: `svc-${index}`, namespace: 'default'},
    file: 'a.yaml',
  }))
  return {...EMPTY_REPORT, files, findings, resources: resourceList}
}

describe('formatStylish', () => {
  const SKIPPED = [
    {file: 'package.json', reason: 'no apiVersion or kind in any document'},
    {file: 'charts/app/values.yaml', reason: 'excluded by the pattern "charts"'},
  ]
  const cases: Array<{name: string; report: LintReport; color: boolean; verbose?: boolean; expected: string[]}> = [
    {
      name: 'sample report without colour: grouped by file, aligned, escaped, summary',
      report: SAMPLE_REPORT,
      color: false,
      expected: [
        '<stdin>',
        '  1:1  info  document 2 is empty  input-empty-document',
        '',
        'manifests/bad file,v1:a.yaml',
        '  3:7  error  Nested mappings are not allowed in compact mappings  input-yaml-syntax',
        '',
        'manifests/gateway.yaml',
        "  14:9  warning  Passthrough listener 'tls' has certificateRefs: they are ignored  passthrough-certificate-refs",
        '',
        'manifests/route.yaml',
        "   9:5  error    TLSRoute cannot attach to HTTPS listener 'https' (Terminate): it accepts HTTPRoute, GRPCRoute  listener-route-kind",
        `  12:7  warning  hostname "a.example.com" <b> & 100% covered: no,\\r\\nnot by 'tls'\\t\\u0007                       route-hostname-not-covered`,
        '',
        '✖ 5 problems (2 errors, 2 warnings, 1 info)',
      ],
    },
    {
      name: 'colours: underlined file, dim position and ruleId, coloured severity, red bold summary',
      report: reportOf([
        finding({severity: 'warning', line: 10, column: 12, ruleId: 'rule-b', message: 'careful'}),
        finding({severity: 'error', line: 2, column: 3, message: 'broken'}),
        finding({severity: 'info', line: 4, column: 1, ruleId: 'rule-c', message: 'fyi'}),
      ]),
      color: true,
      expected: [
        `${UNDERLINE}a.yaml${NO_UNDERLINE}`,
        `  ${DIM} 2:3 ${NO_DIM}  ${RED}error${NO_COLOR}    broken   ${DIM}rule-a${NO_DIM}`,
        `  ${DIM} 4:1 ${NO_DIM}  ${BLUE}info${NO_COLOR}     fyi      ${DIM}rule-c${NO_DIM}`,
        `  ${DIM}10:12${NO_DIM}  ${YELLOW}warning${NO_COLOR}  careful  ${DIM}rule-b${NO_DIM}`,
        '',
        `${RED}${BOLD}✖ 3 problems (1 error, 1 warning, 1 info)${NO_BOLD}${NO_COLOR}`,
      ],
    },
    {
      name: 'the same report without colour has no escape sequences',
      report: reportOf([
        finding({severity: 'warning', line: 10, column: 12, ruleId: 'rule-b', message: 'careful'}),
        finding({severity: 'error', line: 2, column: 3, message: 'broken'}),
        finding({severity: 'info', line: 4, column: 1, ruleId: 'rule-c', message: 'fyi'}),
      ]),
      color: false,
      expected: [
        'a.yaml',
        '   2:3   error    broken   rule-a',
        '   4:1   info     fyi      rule-c',
        '  10:12  warning  careful  rule-b',
        '',
        '✖ 3 problems (1 error, 1 warning, 1 info)',
      ],
    },
    {
      name: 'warnings only: yellow summary',
      report: reportOf([finding({severity: 'warning', message: 'careful'})]),
      color: true,
      expected: [
        `${UNDERLINE}a.yaml${NO_UNDERLINE}`,
        `  ${DIM}1:1${NO_DIM}  ${YELLOW}warning${NO_COLOR}  careful  ${DIM}rule-a${NO_DIM}`,
        '',
        `${YELLOW}${BOLD}✖ 1 problem (0 errors, 1 warning, 0 infos)${NO_BOLD}${NO_COLOR}`,
      ],
    },
    {
      name: 'infos only: an informational summary, not a cross',
      report: reportOf([finding({severity: 'info', message: 'fyi'}), finding({severity: 'info', line: 2, message: 'fyi'})]),
      color: false,
      expected: ['a.yaml', '  1:1  info  fyi  rule-a', '  2:1  info  fyi  rule-a', '', 'ℹ 2 problems (0 errors, 0 warnings, 2 infos)'],
    },
    {
      name: 'terminal escapes and bidi overrides from manifests are shown, not sent',
      report: reportOf([finding({file: 'x\u001b[2J.yaml', message: 'name "\u001b[31mred\u202e" is odd'})]),
      color: false,
      expected: [
        'x\\u001b[2J.yaml',
        '  1:1  error  name "\\u001b[31mred\\u202e" is odd  rule-a',
        '',
        '✖ 1 problem (1 error, 0 warnings, 0 infos)',
      ],
    },
    {name: 'empty report: one "no problems" line', report: EMPTY_REPORT, color: false, expected: ['✔ No problems (0 files, 0 resources)']},
    {name: 'clean run, singular nouns', report: reportOf([], 1, 1), color: false, expected: ['✔ No problems (1 file, 1 resource)']},
    {
      name: 'suppressed findings are not listed, only counted after the summary, by source',
      report: SUPPRESSED_REPORT,
      color: false,
      expected: [
        '<stdin>',
        '  1:1  info  document 2 is empty  input-empty-document',
        '',
        'manifests/bad file,v1:a.yaml',
        '  3:7  error  Nested mappings are not allowed in compact mappings  input-yaml-syntax',
        '',
        'manifests/gateway.yaml',
        "  14:9  warning  Passthrough listener 'tls' has certificateRefs: they are ignored  passthrough-certificate-refs",
        '',
        'manifests/route.yaml',
        `  12:7  warning  hostname "a.example.com" <b> & 100% covered: no,\\r\\nnot by 'tls'\\t\\u0007  route-hostname-not-covered`,
        '',
        '✖ 4 problems (1 error, 2 warnings, 1 info); 2 suppressed: 1 by gwctl/ignore, 1 by .gwctl.yaml',
      ],
    },
    {
      name: 'suppressed count in colour: dim, after the coloured summary',
      report: {...reportOf([finding({severity: 'warning', message: 'careful'})]), suppressed: [{...finding({ruleId: 'rule-z'}), suppression: {kind: 'annotation', justification: ''}}]},
      color: true,
      expected: [
        `${UNDERLINE}a.yaml${NO_UNDERLINE}`,
        `  ${DIM}1:1${NO_DIM}  ${YELLOW}warning${NO_COLOR}  careful  ${DIM}rule-a${NO_DIM}`,
        '',
        `${YELLOW}${BOLD}✖ 1 problem (0 errors, 1 warning, 0 infos)${NO_BOLD}${NO_COLOR}${DIM}; 1 suppressed by gwctl/ignore${NO_DIM}`,
      ],
    },
    {
      name: 'everything suppressed: a clean line that still says how much was silenced',
      report: {...reportOf([], 2, 3), suppressed: SUPPRESSED_REPORT.suppressed},
      color: false,
      expected: ['✔ No problems (2 files, 3 resources; 2 suppressed: 1 by gwctl/ignore, 1 by .gwctl.yaml)'],
    },
    {
      name: 'clean run in colour',
      report: reportOf([], 3, 12),
      color: true,
      expected: [`${GREEN}✔ No problems (3 files, 12 resources)${NO_COLOR}`],
    },
    {
      name: 'skipped files are counted in a clean summary, with a pointer to -v',
      report: {...reportOf([], 2, 3), skipped: SKIPPED},
      color: false,
      expected: ['✔ No problems (2 files, 3 resources; 2 files skipped, -v lists them)'],
    },
    {
      name: 'skipped files are counted after the problems',
      report: {...reportOf([finding({message: 'broken'})]), skipped: SKIPPED.slice(0, 1)},
      color: false,
      expected: ['a.yaml', '  1:1  error  broken  rule-a', '', '✖ 1 problem (1 error, 0 warnings, 0 infos); 1 file skipped, -v lists them'],
    },
    {
      name: 'verbose: the skipped files and why, before the summary',
      report: {...reportOf([finding({message: 'broken'})]), skipped: SKIPPED},
      color: false,
      verbose: true,
      expected: [
        'a.yaml',
        '  1:1  error  broken  rule-a',
        '',
        'Skipped files:',
        '  package.json            no apiVersion or kind in any document',
        '  charts/app/values.yaml  excluded by the pattern "charts"',
        '',
        '✖ 1 problem (1 error, 0 warnings, 0 infos); 2 files skipped',
      ],
    },
    {
      name: 'verbose clean run in colour',
      report: {...reportOf([], 1, 1), skipped: SKIPPED.slice(0, 1)},
      color: true,
      verbose: true,
      expected: [
        `${UNDERLINE}Skipped files:${NO_UNDERLINE}`,
        `  package.json  ${DIM}no apiVersion or kind in any document${NO_DIM}`,
        '',
        `${GREEN}✔ No problems (1 file, 1 resource; 1 file skipped)${NO_COLOR}`,
      ],
    },
    {name: 'verbose without skipped files changes nothing', report: reportOf([], 1, 1), color: false, verbose: true, expected: ['✔ No problems (1 file, 1 resource)']},
  ]
  for (const {name, report, color, verbose, expected} of cases) {
    it(name, () => {
      assert.equal(formatStylish(report, {color, verbose}), expected.join('\n'))
    })
  }
})
