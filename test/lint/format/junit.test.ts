import {strict as assert} from 'node:assert'
import type {Finding} from '../../../src/findings/finding.js'
import {formatJunit} from '../../../src/lint/format/junit.js'
import type {FailOn, LintReport, ReportResource, SuppressedFinding} from '../../../src/lint/report.js'
import {EMPTY_REPORT, SAMPLE_REPORT} from './sample-report.js'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

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

/** The <properties> block of a suite: counts of reported and suppressed findings, and the fail-on level. */
function properties(counts: {errors?: number; warnings?: number; infos?: number; suppressed?: number}, failOn = 'error'): string[] {
  return [
    '    <properties>',
    `      <property name="errors" value="${counts.errors ?? 0}"/>`,
    `      <property name="warnings" value="${counts.warnings ?? 0}"/>`,
    `      <property name="infos" value="${counts.infos ?? 0}"/>`,
    `      <property name="suppressed" value="${counts.suppressed ?? 0}"/>`,
    `      <property name="fail-on" value="${failOn}"/>`,
    '    </properties>',
  ]
}

function service(name: string, file = 'a.yaml'): ReportResource {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: 'default'}, file}
}

describe('formatJunit', () => {
  const cases: Array<{name: string; report: LintReport; expected: string[]}> = [
    {
      name: 'sample report, --fail-on error: a suite per file, a case per finding and per clean object; only errors fail',
      report: SAMPLE_REPORT,
      expected: [
        XML_DECLARATION,
        '<testsuites name="gwctl lint" tests="8" failures="2" errors="0" skipped="0">',
        '  <testsuite name="&lt;stdin&gt;" tests="2" failures="0" errors="0" skipped="0">',
        ...properties({infos: 1}),
        '    <testcase name="input-empty-document (line 1, column 1)" classname="&lt;stdin&gt;" file="&lt;stdin&gt;">',
        '      <system-out>info input-empty-document (input)',
        'at &lt;stdin&gt;:1:1',
        'document 2 is empty',
        '(below --fail-on error: not a failure)</system-out>',
        '    </testcase>',
        '    <testcase name="Secret default/piped" classname="&lt;stdin&gt;" file="&lt;stdin&gt;"/>',
        '  </testsuite>',
        '  <testsuite name="manifests/bad file,v1:a.yaml" tests="1" failures="1" errors="0" skipped="0">',
        ...properties({errors: 1}),
        '    <testcase name="input-yaml-syntax (line 3, column 7)" classname="manifests/bad file,v1:a" file="manifests/bad file,v1:a.yaml">',
        '      <failure message="Nested mappings are not allowed in compact mappings" type="error">error input-yaml-syntax (input)',
        'at manifests/bad file,v1:a.yaml:3:7',
        'Nested mappings are not allowed in compact mappings</failure>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="manifests/gateway.yaml" tests="2" failures="0" errors="0" skipped="0">',
        ...properties({warnings: 1}),
        '    <testcase name="passthrough-certificate-refs (Gateway default/gw spec.listeners[1].tls.certificateRefs)" classname="manifests/gateway" file="manifests/gateway.yaml">',
        '      <system-out>warning passthrough-certificate-refs (practice)',
        'at manifests/gateway.yaml:14:9',
        'resource: Gateway default/gw (gateway.networking.k8s.io/v1)',
        'field: spec.listeners[1].tls.certificateRefs',
        "Passthrough listener 'tls' has certificateRefs: they are ignored",
        '(below --fail-on error: not a failure)</system-out>',
        '    </testcase>',
        '    <testcase name="GatewayClass example" classname="manifests/gateway" file="manifests/gateway.yaml"/>',
        '  </testsuite>',
        '  <testsuite name="manifests/route.yaml" tests="3" failures="1" errors="0" skipped="0">',
        ...properties({errors: 1, warnings: 1}),
        '    <testcase name="listener-route-kind (TLSRoute default/api spec.parentRefs[0])" classname="manifests/route" file="manifests/route.yaml">',
        '      <failure message="TLSRoute cannot attach to HTTPS listener &apos;https&apos; (Terminate): it accepts HTTPRoute, GRPCRoute" type="error">error listener-route-kind (semantic)',
        'at manifests/route.yaml:9:5',
        'resource: TLSRoute default/api (gateway.networking.k8s.io/v1alpha2)',
        'field: spec.parentRefs[0]',
        "TLSRoute cannot attach to HTTPS listener 'https' (Terminate): it accepts HTTPRoute, GRPCRoute</failure>",
        '    </testcase>',
        '    <testcase name="route-hostname-not-covered (TLSRoute default/api spec.hostnames[1])" classname="manifests/route" file="manifests/route.yaml">',
        '      <system-out>warning route-hostname-not-covered (semantic)',
        'at manifests/route.yaml:12:7',
        'resource: TLSRoute default/api (gateway.networking.k8s.io/v1alpha2)',
        'field: spec.hostnames[1]',
        'hostname "a.example.com" &lt;b&gt; &amp; 100% covered: no,&#13;',
        "not by 'tls'\t\\u0007",
        '(below --fail-on error: not a failure)</system-out>',
        '    </testcase>',
        '    <testcase name="Service default/api" classname="manifests/route" file="manifests/route.yaml"/>',
        '  </testsuite>',
        '</testsuites>',
      ],
    },
    {
      name: 'empty report: an empty testsuites element',
      report: EMPTY_REPORT,
      expected: [XML_DECLARATION, '<testsuites name="gwctl lint" tests="0" failures="0" errors="0" skipped="0"/>'],
    },
    {
      name: 'clean run: every object is a passing test',
      report: {...EMPTY_REPORT, files: 2, resources: [service('b', 'z.yaml'), service('a')]},
      expected: [
        XML_DECLARATION,
        '<testsuites name="gwctl lint" tests="2" failures="0" errors="0" skipped="0">',
        '  <testsuite name="a.yaml" tests="1" failures="0" errors="0" skipped="0">',
        ...properties({}),
        '    <testcase name="Service default/a" classname="a" file="a.yaml"/>',
        '  </testsuite>',
        '  <testsuite name="z.yaml" tests="1" failures="0" errors="0" skipped="0">',
        ...properties({}),
        '    <testcase name="Service default/b" classname="z" file="z.yaml"/>',
        '  </testsuite>',
        '</testsuites>',
      ],
    },
    {
      name: 'an object with only an info finding is not also listed as clean; the same name in another file is',
      report: {
        ...EMPTY_REPORT,
        files: 2,
        findings: [
          finding({severity: 'info', resource: {apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'a'}}),
        ],
        resources: [service('a'), service('a', 'b.yaml')],
      },
      expected: [
        XML_DECLARATION,
        '<testsuites name="gwctl lint" tests="2" failures="0" errors="0" skipped="0">',
        '  <testsuite name="a.yaml" tests="1" failures="0" errors="0" skipped="0">',
        ...properties({infos: 1}),
        '    <testcase name="rule-a (Service default/a)" classname="a" file="a.yaml">',
        '      <system-out>info rule-a (semantic)',
        'at a.yaml:1:1',
        'resource: Service default/a (v1)',
        'message',
        '(below --fail-on error: not a failure)</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="b.yaml" tests="1" failures="0" errors="0" skipped="0">',
        ...properties({}),
        '    <testcase name="Service default/a" classname="b" file="b.yaml"/>',
        '  </testsuite>',
        '</testsuites>',
      ],
    },
    {
      name: 'characters XML 1.0 cannot carry are written as \\uXXXX text; ]]> needs no CDATA care',
      report: {
        ...EMPTY_REPORT,
        files: 1,
        findings: [finding({message: 'nul\u0000 esc\u001b lone\ud800 pair\ud83d\ude00 fffe\ufffe end]]>', ruleId: 'r&"<x>'})],
      },
      expected: [
        XML_DECLARATION,
        '<testsuites name="gwctl lint" tests="1" failures="1" errors="0" skipped="0">',
        '  <testsuite name="a.yaml" tests="1" failures="1" errors="0" skipped="0">',
        ...properties({errors: 1}),
        '    <testcase name="r&amp;&quot;&lt;x&gt; (line 1, column 1)" classname="a" file="a.yaml">',
        '      <failure message="nul\\u0000 esc\\u001b lone\\ud800 pair\ud83d\ude00 fffe\\ufffe end]]&gt;" type="error">error r&amp;"&lt;x&gt; (semantic)',
        'at a.yaml:1:1',
        'nul\\u0000 esc\\u001b lone\\ud800 pair\ud83d\ude00 fffe\\ufffe end]]&gt;</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
      ],
    },
  ]
  for (const {name, report, expected} of cases) {
    it(name, () => {
      assert.equal(formatJunit(report, {color: true}), expected.join('\n'))
    })
  }

  describe('--fail-on decides what is a <failure>', () => {
    const report: LintReport = {
      ...EMPTY_REPORT,
      files: 1,
      findings: [finding({severity: 'error', line: 1}), finding({severity: 'warning', line: 2}), finding({severity: 'info', line: 3})],
    }
    const cases: Array<{failOn: FailOn; failures: number; note: string}> = [
      {failOn: 'error', failures: 1, note: '(below --fail-on error: not a failure)'},
      {failOn: 'warning', failures: 2, note: '(below --fail-on warning: not a failure)'},
      {failOn: 'info', failures: 3, note: ''},
      {failOn: 'none', failures: 0, note: '(--fail-on none: not a failure)'},
    ]
    for (const {failOn, failures, note} of cases) {
      it(`--fail-on ${failOn}: ${failures} failures, the rest passing with the details in <system-out>`, () => {
        const xml = formatJunit(report, {color: false, failOn})
        assert.equal(count(xml, '<failure '), failures)
        assert.equal(count(xml, '<system-out>'), 3 - failures)
        assert.ok(xml.includes(`<testsuites name="gwctl lint" tests="3" failures="${failures}" errors="0" skipped="0">`))
        assert.ok(xml.includes(`<property name="fail-on" value="${failOn}"/>`))
        if (note !== '') assert.ok(xml.includes(`${note}</system-out>`))
        assertConsistent(xml)
      })
    }
  })

  it('suppressed findings are <skipped> cases with the justification, counted; their object is not also listed as clean', () => {
    const suppressed: SuppressedFinding[] = [
      {...finding({ruleId: 'rule-b', line: 4, resource: {apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'a'}}), suppression: {kind: 'annotation', justification: 'legacy port, see TICKET-1'}},
      {...finding({ruleId: 'rule-c', severity: 'warning', line: 2}), suppression: {kind: 'config', justification: '.gwctl.yaml: rule-c is off'}},
    ]
    const report: LintReport = {...EMPTY_REPORT, files: 1, findings: [finding({line: 3})], suppressed, resources: [service('a')]}
    assert.equal(formatJunit(report, {color: false}), [
      XML_DECLARATION,
      '<testsuites name="gwctl lint" tests="3" failures="1" errors="0" skipped="2">',
      '  <testsuite name="a.yaml" tests="3" failures="1" errors="0" skipped="2">',
      ...properties({errors: 1, suppressed: 2}),
      '    <testcase name="rule-c (line 2, column 1)" classname="a" file="a.yaml">',
      '      <skipped message="suppressed: .gwctl.yaml: rule-c is off">warning rule-c (semantic)',
      'at a.yaml:2:1',
      'message</skipped>',
      '    </testcase>',
      '    <testcase name="rule-a (line 3, column 1)" classname="a" file="a.yaml">',
      '      <failure message="message" type="error">error rule-a (semantic)',
      'at a.yaml:3:1',
      'message</failure>',
      '    </testcase>',
      '    <testcase name="rule-b (Service default/a)" classname="a" file="a.yaml">',
      '      <skipped message="suppressed: legacy port, see TICKET-1">error rule-b (semantic)',
      'at a.yaml:4:1',
      'resource: Service default/a (v1)',
      'message</skipped>',
      '    </testcase>',
      '  </testsuite>',
      '</testsuites>',
    ].join('\n'))
  })

  describe('testcase names are unique in the whole report; only repeated names are qualified', () => {
    const route = {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace: 'default', name: 'web'}
    const cases: Array<{name: string; report: LintReport; names: string[]}> = [
      {
        name: 'the same rule, object and field on several lines: by line, then by line and column, then numbered',
        report: {
          ...EMPTY_REPORT,
          files: 1,
          findings: [
            finding({resource: route, field: 'spec', line: 3, column: 1, message: 'one'}),
            finding({resource: route, field: 'spec', line: 3, column: 5, message: 'two'}),
            finding({resource: route, field: 'spec', line: 7, column: 1, message: 'three'}),
            finding({resource: route, field: 'spec', line: 7, column: 1, message: 'four'}),
            finding({resource: route, field: 'spec.rules', line: 9, column: 1}),
          ],
        },
        names: [
          'rule-a (HTTPRoute default/web spec) [line 3, column 1]',
          'rule-a (HTTPRoute default/web spec) [line 3, column 5]',
          'rule-a (HTTPRoute default/web spec) [line 7]',
          'rule-a (HTTPRoute default/web spec) [line 7, #2]',
          'rule-a (HTTPRoute default/web spec.rules)',
        ],
      },
      {
        name: 'the same finding name in two files, and the same clean object in two files: by file',
        report: {
          ...EMPTY_REPORT,
          files: 2,
          findings: [finding({file: 'a.yaml'}), finding({file: 'b.yaml'})],
          resources: [service('x', 'a.yaml'), service('x', 'b.yaml')],
        },
        names: ['rule-a (line 1, column 1) [a.yaml]', 'Service default/x [a.yaml]', 'rule-a (line 1, column 1) [b.yaml]', 'Service default/x [b.yaml]'],
      },
      {
        name: 'the same object twice in one file, both clean: numbered',
        report: {...EMPTY_REPORT, files: 1, resources: [service('x'), service('x')]},
        names: ['Service default/x', 'Service default/x [#2]'],
      },
    ]
    for (const {name, report, names} of cases) {
      it(name, () => {
        const xml = formatJunit(report, {color: false})
        assert.deepEqual(listCaseNames(xml), names)
        assertConsistent(xml)
      })
    }
  })

  it('every report above: counts agree with the cases, every case has name, classname and file, names are unique', () => {
    for (const report of [SAMPLE_REPORT, EMPTY_REPORT, ...cases.map((testCase) => testCase.report)]) {
      for (const failOn of ['error', 'warning', 'info', 'none'] as const) assertConsistent(formatJunit(report, {color: false, failOn}))
    }
  })
})

function count(text: string, needle: string): number {
  return text.split(needle).length - 1
}

function unescapeXml(text: string): string {
  return text.replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')
}

function listCaseNames(xml: string): string[] {
  return [...xml.matchAll(/<testcase name="([^"]*)"/g)].map((match) => unescapeXml(match[1]))
}

/** The structure GitLab and Jenkins read: counts on testsuites and each testsuite agree with its testcases. */
function assertConsistent(xml: string): void {
  const attribute = (tag: string, name: string) => Number(new RegExp(`${name}="(\\d+)"`).exec(tag)?.[1])
  const root = /<testsuites [^>]*>/.exec(xml)![0]
  const suites = [...xml.matchAll(/<testsuite (?:[^>"]|"[^"]*")*>([\s\S]*?)<\/testsuite>/g)]
  const totals = {tests: 0, failures: 0, skipped: 0}
  for (const [whole, body] of suites) {
    const tag = /^<testsuite (?:[^>"]|"[^"]*")*>/.exec(whole)![0]
    const cases = [...body.matchAll(/<testcase ((?:[^>"]|"[^"]*")*?)(\/>|>([\s\S]*?)<\/testcase>)/g)]
    const failures = cases.filter((match) => (match[3] ?? '').includes('<failure ')).length
    const skipped = cases.filter((match) => (match[3] ?? '').includes('<skipped ')).length
    assert.equal(attribute(tag, 'tests'), cases.length, tag)
    assert.equal(attribute(tag, 'failures'), failures, tag)
    assert.equal(attribute(tag, 'skipped'), skipped, tag)
    for (const [, attributes] of cases) assert.match(attributes, /^name="[^"]+" classname="[^"]+" file="[^"]+"$/)
    totals.tests += cases.length
    totals.failures += failures
    totals.skipped += skipped
  }
  assert.equal(attribute(root, 'tests'), totals.tests, root)
  assert.equal(attribute(root, 'failures'), totals.failures, root)
  assert.equal(attribute(root, 'skipped'), totals.skipped, root)
  const names = listCaseNames(xml)
  assert.equal(new Set(names).size, names.length, `repeated names: ${names.join(' | ')}`)
}
