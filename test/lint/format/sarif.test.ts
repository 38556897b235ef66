import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {Ajv} from 'ajv'
import ajvFormats from 'ajv-formats'
import type {Finding} from '../../../src/findings/finding.js'
import {formatSarif} from '../../../src/lint/format/sarif.js'
import type {LintReport} from '../../../src/lint/report.js'
import {EMPTY_REPORT, SAMPLE_REPORT, SAMPLE_RULES} from './sample-report.js'

/** The official OASIS SARIF 2.1.0 schema (draft-07), as shipped in a devDependency. */
function loadSarifSchema(): Record<string, unknown> {
  const require = createRequire(import.meta.url)
  const packageJson = require.resolve('@datadog/datadog-ci-plugin-sarif/package.json')
  const schemaPath = join(dirname(packageJson), 'dist', 'json-schema', 'sarif-schema-2.1.0.json')
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>
}

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'input-yaml-syntax',
    severity: 'error',
    category: 'input',
    message: 'bad',
    file: 'a.yaml',
    line: 1,
    column: 1,
    ...overrides,
  }
}

function reportOf(findings: Finding[], overrides: Partial<LintReport> = {}): LintReport {
  return {...EMPTY_REPORT, files: 1, findings, rules: SAMPLE_RULES.slice(0, 1), ...overrides}
}

function resultsOf(report: LintReport): Array<Record<string, unknown>> {
  const log = JSON.parse(formatSarif(report, {color: false}))
  return log.runs[0].results
}

const TLS_ROUTE = {apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', namespace: 'default', name: 'api'}

describe('formatSarif', () => {
  it('renders a small report exactly', () => {
    const report = reportOf(
      [
        finding({
          ruleId: 'listener-route-kind',
          category: 'semantic',
          message: 'TLSRoute "api" cannot attach',
          resource: TLS_ROUTE,
          field: 'spec.parentRefs[0]',
          file: './manifests/route.yaml',
          line: 9,
          column: 5,
        }),
      ],
      {
        rules: [
          {
            id: 'listener-route-kind',
            category: 'semantic',
            defaultSeverity: 'error',
            description: 'The route kind is accepted by the listener.',
            source: 'DESIGN.md',
          },
        ],
        tool: {version: '1.2.3', informationUri: 'https://example.org/gwctl'},
      },
    )
    const expected = `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "gwctl",
          "version": "1.2.3",
          "informationUri": "https://example.org/gwctl",
          "rules": [
            {
              "id": "listener-route-kind",
              "shortDescription": {
                "text": "The route kind is accepted by the listener."
              },
              "fullDescription": {
                "text": "The route kind is accepted by the listener. Source: DESIGN.md."
              },
              "defaultConfiguration": {
                "level": "error"
              },
              "properties": {
                "category": "semantic"
              }
            }
          ]
        }
      },
      "columnKind": "utf16CodeUnits",
      "results": [
        {
          "ruleId": "listener-route-kind",
          "ruleIndex": 0,
          "level": "error",
          "message": {
            "text": "TLSRoute \\"api\\" cannot attach"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "manifests/route.yaml"
                },
                "region": {
                  "startLine": 9,
                  "startColumn": 5
                }
              },
              "logicalLocations": [
                {
                  "name": "api",
                  "fullyQualifiedName": "TLSRoute/default/api",
                  "kind": "resource"
                }
              ]
            }
          ],
          "properties": {
            "category": "semantic",
            "field": "spec.parentRefs[0]"
          }
        }
      ]
    }
  ]
}`
    assert.equal(formatSarif(report, {color: false}), expected)
  })

  it('renders an empty report with every rule and no results', () => {
    const log = JSON.parse(formatSarif(EMPTY_REPORT, {color: false}))
    assert.deepEqual(log.runs[0].results, [])
    assert.equal(log.runs[0].tool.driver.informationUri, undefined)
    assert.deepEqual(
      log.runs[0].tool.driver.rules.map((rule: {id: string}) => rule.id),
      SAMPLE_RULES.map((rule) => rule.id),
    )
  })

  it('renders the sample report: sorted results, special characters kept, stdin and resource-less findings', () => {
    const routeLocation = (line: number, column: number) => [
      {
        physicalLocation: {artifactLocation: {uri: 'manifests/route.yaml'}, region: {startLine: line, startColumn: column}},
        logicalLocations: [{name: 'api', fullyQualifiedName: 'TLSRoute/default/api', kind: 'resource'}],
      },
    ]
    assert.deepEqual(resultsOf(SAMPLE_REPORT), [
      {
        ruleId: 'input-empty-document',
        ruleIndex: 1,
        level: 'note',
        message: {text: 'document 2 is empty'},
        properties: {category: 'input'},
      },
      {
        ruleId: 'input-yaml-syntax',
        ruleIndex: 0,
        level: 'error',
        message: {text: 'Nested mappings are not allowed in compact mappings'},
        locations: [
          {
            physicalLocation: {
              artifactLocation: {uri: 'manifests/bad%20file%2Cv1%3Aa.yaml'},
              region: {startLine: 3, startColumn: 7},
            },
          },
        ],
        properties: {category: 'input'},
      },
      {
        ruleId: 'passthrough-certificate-refs',
        ruleIndex: 4,
        level: 'warning',
        message: {text: "Passthrough listener 'tls' has certificateRefs: they are ignored"},
        locations: [
          {
            physicalLocation: {artifactLocation: {uri: 'manifests/gateway.yaml'}, region: {startLine: 14, startColumn: 9}},
            logicalLocations: [{name: 'gw', fullyQualifiedName: 'Gateway/default/gw', kind: 'resource'}],
          },
        ],
        properties: {category: 'practice', field: 'spec.listeners[1].tls.certificateRefs'},
      },
      {
        ruleId: 'listener-route-kind',
        ruleIndex: 2,
        level: 'error',
        message: {text: "TLSRoute cannot attach to HTTPS listener 'https' (Terminate): it accepts HTTPRoute, GRPCRoute"},
        locations: routeLocation(9, 5),
        properties: {category: 'semantic', field: 'spec.parentRefs[0]'},
      },
      {
        ruleId: 'route-hostname-not-covered',
        ruleIndex: 3,
        level: 'warning',
        message: {text: 'hostname "a.example.com" <b> & 100% covered: no,\r\nnot by \'tls\'\t\u0007'},
        locations: routeLocation(12, 7),
        properties: {category: 'semantic', field: 'spec.hostnames[1]'},
      },
    ])
  })

  describe('result fields', () => {
    const cases: Array<{name: string; report: LintReport; expected: Array<Record<string, unknown>>}> = [
      {
        name: 'levels: error, warning, note',
        report: reportOf([
          finding({severity: 'error', line: 1}),
          finding({severity: 'warning', line: 2}),
          finding({severity: 'info', line: 3}),
        ]),
        expected: ['error', 'warning', 'note'].map((level) => ({level})),
      },
      {
        name: 'a finding on <stdin> has no physical location; without a resource, no location at all',
        report: reportOf([
          finding({file: '<stdin>', resource: TLS_ROUTE}),
          finding({file: '<stdin>', line: 2}),
        ]),
        expected: [
          {locations: [{logicalLocations: [{name: 'api', fullyQualifiedName: 'TLSRoute/default/api', kind: 'resource'}]}]},
          {locations: undefined},
        ],
      },
      {
        name: 'cluster-scoped resource: Kind/name',
        report: reportOf([
          finding({resource: {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'gc'}, file: '<stdin>'}),
        ]),
        expected: [{locations: [{logicalLocations: [{name: 'gc', fullyQualifiedName: 'GatewayClass/gc', kind: 'resource'}]}]}],
      },
      {
        name: 'ruleIndex points into the deduplicated rule list; an unknown rule gets none',
        report: reportOf([finding({ruleId: 'b', line: 1}), finding({ruleId: 'a', line: 2}), finding({ruleId: 'zz', line: 3})], {
          rules: [
            {id: 'a', category: 'input', defaultSeverity: 'error', description: 'A.'},
            {id: 'a', category: 'input', defaultSeverity: 'warning', description: 'A again.'},
            {id: 'b', category: 'input', defaultSeverity: 'error', description: 'B.'},
          ],
        }),
        expected: [
          {ruleId: 'b', ruleIndex: 1},
          {ruleId: 'a', ruleIndex: 0},
          {ruleId: 'zz', ruleIndex: undefined},
        ],
      },
      {
        name: 'no region without a line; no startColumn without a column',
        report: reportOf([finding({line: 0, column: 0}), finding({line: 4, column: 0})]),
        expected: [
          {locations: [{physicalLocation: {artifactLocation: {uri: 'a.yaml'}}}]},
          {locations: [{physicalLocation: {artifactLocation: {uri: 'a.yaml'}, region: {startLine: 4}}}]},
        ],
      },
    ]
    for (const {name, report, expected} of cases) {
      it(name, () => {
        const results = resultsOf(report)
        assert.equal(results.length, expected.length)
        results.forEach((result, index) => {
          for (const [key, value] of Object.entries(expected[index])) assert.deepEqual(result[key], value, `${index}.${key}`)
        })
      })
    }
  })

  describe('artifact URIs', () => {
    const cases: Array<{file: string; uri: string}> = [
      {file: 'manifests/route.yaml', uri: 'manifests/route.yaml'},
      {file: './manifests/route.yaml', uri: 'manifests/route.yaml'},
      {file: 'manifests\\windows\\route.yaml', uri: 'manifests/windows/route.yaml'},
      {file: '../shared/seed.yaml', uri: '../shared/seed.yaml'},
      {file: 'dir with space/a#b?c%.yaml', uri: 'dir%20with%20space/a%23b%3Fc%25.yaml'},
      {file: 'c:odd.yaml', uri: 'c%3Aodd.yaml'},
      {file: 'ünïcode/ルート.yaml', uri: '%C3%BCn%C3%AFcode/%E3%83%AB%E3%83%BC%E3%83%88.yaml'},
      {file: '/abs/path/route.yaml', uri: 'file:///abs/path/route.yaml'},
      {file: 'C:\\work\\route.yaml', uri: 'file:///C:/work/route.yaml'},
    ]
    for (const {file, uri} of cases) {
      it(`${file} → ${uri}`, () => {
        const [result] = resultsOf(reportOf([finding({file})]))
        const locations = result.locations as Array<{physicalLocation: {artifactLocation: {uri: string}}}>
        assert.equal(locations[0].physicalLocation.artifactLocation.uri, uri)
      })
    }
  })

  describe('validates against the official SARIF 2.1.0 JSON Schema', () => {
    const ajv = new Ajv({allErrors: true})
    ajvFormats.default(ajv)
    const validate = ajv.compile(loadSarifSchema())
    const reports: Record<string, LintReport> = {
      'sample report': SAMPLE_REPORT,
      'empty report': EMPTY_REPORT,
      'odd paths, missing positions, unknown rule': reportOf([
        finding({file: 'C:\\work\\route.yaml', line: 0, column: 0}),
        finding({file: 'dir with space/a#b?c%.yaml', ruleId: 'not-a-rule', severity: 'info'}),
        finding({file: '/abs/x.yaml', resource: {apiVersion: 'v1', kind: 'Namespace', name: 'ns'}}),
      ]),
    }
    it('rejects an invalid log (the validator is live)', () => {
      assert.equal(validate({version: '2.1.0', runs: [{tool: {driver: {name: 'x'}}, results: [{level: 'info'}]}]}), false)
    })
    for (const [name, report] of Object.entries(reports)) {
      it(name, () => {
        const valid = validate(JSON.parse(formatSarif(report, {color: false})))
        assert.equal(valid, true, JSON.stringify(validate.errors, null, 2))
      })
    }
  })
})
