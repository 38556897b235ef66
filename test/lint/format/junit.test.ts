import {strict as assert} from 'node:assert'
import type {Finding} from '../../../src/findings/finding.js'
import {formatJunit} from '../../../src/lint/format/junit.js'
import type {LintReport, ReportResource} from '../../../src/lint/report.js'
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

function service(name: string, file = 'a.yaml'): ReportResource {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: 'default'}, file}
}

describe('formatJunit', () => {
  const cases: Array<{name: string; report: LintReport; expected: string[]}> = [
    {
      name: 'sample report: a suite per file, a case per finding and per clean object, escaped',
      report: SAMPLE_REPORT,
      expected: [
        XML_DECLARATION,
        '<testsuites name="gwctl lint" tests="8" failures="4" errors="0">',
        '  <testsuite name="&lt;stdin&gt;" tests="2" failures="0" errors="0">',
        '    <testcase name="input-empty-document (line 1, column 1)" classname="&lt;stdin&gt;" file="&lt;stdin&gt;">',
        '      <system-out>info input-empty-document (input)',
        'at &lt;stdin&gt;:1:1',
        'document 2 is empty</system-out>',
        '    </testcase>',
        '    <testcase name="Secret default/piped" classname="&lt;stdin&gt;" file="&lt;stdin&gt;"/>',
        '  </testsuite>',
        '  <testsuite name="manifests/bad file,v1:a.yaml" tests="1" failures="1" errors="0">',
        '    <testcase name="input-yaml-syntax (line 3, column 7)" classname="manifests/bad file,v1:a" file="manifests/bad file,v1:a.yaml">',
        '      <failure message="Nested mappings are not allowed in compact mappings" type="error">error input-yaml-syntax (input)',
        'at manifests/bad file,v1:a.yaml:3:7',
        'Nested mappings are not allowed in compact mappings</failure>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="manifests/gateway.yaml" tests="2" failures="1" errors="0">',
        '    <testcase name="passthrough-certificate-refs (Gateway default/gw spec.listeners[1].tls.certificateRefs)" classname="manifests/gateway" file="manifests/gateway.yaml">',
        '      <failure message="Passthrough listener &apos;tls&apos; has certificateRefs: they are ignored" type="warning">warning passthrough-certificate-refs (practice)',
        'at manifests/gateway.yaml:14:9',
        'resource: Gateway default/gw (gateway.networking.k8s.io/v1)',
        'field: spec.listeners[1].tls.certificateRefs',
        "Passthrough listener 'tls' has certificateRefs: they are ignored</failure>",
        '    </testcase>',
        '    <testcase name="GatewayClass example" classname="manifests/gateway" file="manifests/gateway.yaml"/>',
        '  </testsuite>',
        '  <testsuite name="manifests/route.yaml" tests="3" failures="2" errors="0">',
        '    <testcase name="listener-route-kind (TLSRoute default/api spec.parentRefs[0])" classname="manifests/route" file="manifests/route.yaml">',
        '      <failure message="TLSRoute cannot attach to HTTPS listener &apos;https&apos; (Terminate): it accepts HTTPRoute, GRPCRoute" type="error">error listener-route-kind (semantic)',
        'at manifests/route.yaml:9:5',
        'resource: TLSRoute default/api (gateway.networking.k8s.io/v1alpha2)',
        'field: spec.parentRefs[0]',
        "TLSRoute cannot attach to HTTPS listener 'https' (Terminate): it accepts HTTPRoute, GRPCRoute</failure>",
        '    </testcase>',
        '    <testcase name="route-hostname-not-covered (TLSRoute default/api spec.hostnames[1])" classname="manifests/route" file="manifests/route.yaml">',
        '      <failure message="hostname &quot;a.example.com&quot; &lt;b&gt; &amp; 100% covered: no,&#13;&#10;not by &apos;tls&apos;&#9;\\u0007" type="warning">warning route-hostname-not-covered (semantic)',
        'at manifests/route.yaml:12:7',
        'resource: TLSRoute default/api (gateway.networking.k8s.io/v1alpha2)',
        'field: spec.hostnames[1]',
        'hostname "a.example.com" &lt;b&gt; &amp; 100% covered: no,&#13;',
        "not by 'tls'\t\\u0007</failure>",
        '    </testcase>',
        '    <testcase name="Service default/api" classname="manifests/route" file="manifests/route.yaml"/>',
        '  </testsuite>',
        '</testsuites>',
      ],
    },
    {
      name: 'empty report: an empty testsuites element',
      report: EMPTY_REPORT,
      expected: [XML_DECLARATION, '<testsuites name="gwctl lint" tests="0" failures="0" errors="0"/>'],
    },
    {
      name: 'clean run: every object is a passing test',
      report: {...EMPTY_REPORT, files: 2, resources: [service('b', 'z.yaml'), service('a')]},
      expected: [
        XML_DECLARATION,
        '<testsuites name="gwctl lint" tests="2" failures="0" errors="0">',
        '  <testsuite name="a.yaml" tests="1" failures="0" errors="0">',
        '    <testcase name="Service default/a" classname="a" file="a.yaml"/>',
        '  </testsuite>',
        '  <testsuite name="z.yaml" tests="1" failures="0" errors="0">',
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
        '<testsuites name="gwctl lint" tests="2" failures="0" errors="0">',
        '  <testsuite name="a.yaml" tests="1" failures="0" errors="0">',
        '    <testcase name="rule-a (Service default/a)" classname="a" file="a.yaml">',
        '      <system-out>info rule-a (semantic)',
        'at a.yaml:1:1',
        'resource: Service default/a (v1)',
        'message</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="b.yaml" tests="1" failures="0" errors="0">',
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
        '<testsuites name="gwctl lint" tests="1" failures="1" errors="0">',
        '  <testsuite name="a.yaml" tests="1" failures="1" errors="0">',
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
})
