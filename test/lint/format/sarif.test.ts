import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {Ajv} from 'ajv'
import ajvFormats from 'ajv-formats'
import type {Finding, RuleMeta} from '../../../src/findings/finding.js'
import {buildLintReport} from '../../../src/lint/build-report.js'
import {FINGERPRINT_KEY, formatSarif} from '../../../src/lint/format/sarif.js'
import type {LintReport, SuppressedFinding} from '../../../src/lint/report.js'
import {analyzeTexts} from '../../../src/pipeline/analyze.js'
import {listRules} from '../../../src/pipeline/rule-catalogue.js'
import {checkGithubSarif} from '../../support/check-github-sarif.js'
import {EMPTY_REPORT, SAMPLE_REPORT, SAMPLE_RULES} from './sample-report.js'

/**
 * The official OASIS SARIF 2.1.0 schema (draft-07), vendored from
 * https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json
 */
function loadSarifSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>
}

const CWD = '/work/repo'

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

type Json = Record<string, any>

function logOf(report: LintReport, options: {cwd?: string} = {cwd: CWD}): Json {
  return JSON.parse(formatSarif(report, {color: false, ...options}))
}

function resultsOf(report: LintReport, cwd: string = CWD): Json[] {
  return logOf(report, {cwd}).runs[0].results
}

function withoutFingerprints(results: Json[]): Json[] {
  return results.map(({partialFingerprints: _fingerprints, ...rest}) => rest)
}

const TLS_ROUTE = {apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', namespace: 'default', name: 'api'}

const SMALL_RULE: RuleMeta = {
  id: 'listener-route-kind',
  category: 'semantic',
  defaultSeverity: 'error',
  description: 'The route kind is accepted by the listener.',
  why: 'The route gets no traffic.',
  fix: 'Use a TLS listener.',
  example: {text: 'A TLSRoute on an HTTPS listener.'},
  source: 'DESIGN.md',
}

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
      {rules: [SMALL_RULE], tool: {version: '1.2.3', informationUri: 'https://example.org/gwctl'}},
    )
    const [fingerprint] = resultsOf(report).map((result) => result.partialFingerprints[FINGERPRINT_KEY])
    assert.match(fingerprint, /^[0-9a-f]{64}:1$/)
    const expected = `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "gwctl",
          "version": "1.2.3",
          "semanticVersion": "1.2.3",
          "informationUri": "https://example.org/gwctl",
          "rules": [
            {
              "id": "listener-route-kind",
              "shortDescription": {
                "text": "The route kind is accepted by the listener."
              },
              "fullDescription": {
                "text": "The route kind is accepted by the listener. The route gets no traffic."
              },
              "help": {
                "text": "The route kind is accepted by the listener.\\n\\nWhy it matters:\\n  The route gets no traffic.\\n\\nHow to fix:\\n  Use a TLS listener.\\n\\nExample:\\n  A TLSRoute on an HTTPS listener.\\n\\nSource: DESIGN.md",
                "markdown": "The route kind is accepted by the listener.\\n\\n**Why it matters.** The route gets no traffic.\\n\\n**How to fix.** Use a TLS listener.\\n\\n**Example.**\\n\\nA TLSRoute on an HTTPS listener.\\n\\nSource: DESIGN.md."
              },
              "defaultConfiguration": {
                "level": "error"
              },
              "properties": {
                "category": "semantic",
                "tags": [
                  "semantic"
                ],
                "source": "DESIGN.md"
              }
            }
          ]
        }
      },
      "originalUriBaseIds": {
        "%SRCROOT%": {
          "uri": "file:///work/repo/"
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
                  "uri": "manifests/route.yaml",
                  "uriBaseId": "%SRCROOT%"
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
          "partialFingerprints": {
            "gwctlFingerprint/v1": "${fingerprint}"
          },
          "properties": {
            "category": "semantic",
            "field": "spec.parentRefs[0]"
          }
        }
      ]
    }
  ]
}`
    assert.equal(formatSarif(report, {color: false, cwd: CWD}), expected)
  })

  it('renders an empty report with every rule and no results', () => {
    const log = logOf(EMPTY_REPORT)
    assert.deepEqual(log.runs[0].results, [])
    assert.equal(log.runs[0].tool.driver.informationUri, undefined)
    assert.deepEqual(
      log.runs[0].tool.driver.rules.map((rule: {id: string}) => rule.id),
      SAMPLE_RULES.map((rule) => rule.id),
    )
  })

  it('renders the sample report: sorted results, special characters kept, every result located, stdin included', () => {
    const routeLocation = (line: number, column: number) => [
      {
        physicalLocation: {artifactLocation: {uri: 'manifests/route.yaml', uriBaseId: '%SRCROOT%'}, region: {startLine: line, startColumn: column}},
        logicalLocations: [{name: 'api', fullyQualifiedName: 'TLSRoute/default/api', kind: 'resource'}],
      },
    ]
    assert.deepEqual(withoutFingerprints(resultsOf(SAMPLE_REPORT, CWD)), [
      {
        ruleId: 'input-empty-document',
        ruleIndex: 1,
        level: 'note',
        message: {text: 'document 2 is empty'},
        locations: [{physicalLocation: {artifactLocation: {uri: '%3Cstdin%3E', uriBaseId: '%SRCROOT%'}, region: {startLine: 1, startColumn: 1}}}],
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
              artifactLocation: {uri: 'manifests/bad%20file%2Cv1%3Aa.yaml', uriBaseId: '%SRCROOT%'},
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
            physicalLocation: {artifactLocation: {uri: 'manifests/gateway.yaml', uriBaseId: '%SRCROOT%'}, region: {startLine: 14, startColumn: 9}},
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
    const stdinLocation = (uri: string) => [{physicalLocation: {artifactLocation: {uri, uriBaseId: '%SRCROOT%'}, region: {startLine: 2, startColumn: 1}}}]
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
        name: 'standard input is a location: <stdin>, or the --stdin-filename name',
        report: reportOf([finding({file: '<stdin>', line: 2}), finding({file: 'deploy/gateway.yaml', line: 2})]),
        expected: [{locations: stdinLocation('%3Cstdin%3E')}, {locations: stdinLocation('deploy/gateway.yaml')}],
      },
      {
        name: 'cluster-scoped resource: Kind/name',
        report: reportOf([
          finding({resource: {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'gc'}}),
        ]),
        expected: [{locations: [{
          physicalLocation: {artifactLocation: {uri: 'a.yaml', uriBaseId: '%SRCROOT%'}, region: {startLine: 1, startColumn: 1}},
          logicalLocations: [{name: 'gc', fullyQualifiedName: 'GatewayClass/gc', kind: 'resource'}],
        }]}],
      },
      {
        name: 'ruleIndex points into the deduplicated rule list; a rule missing from it comes from the catalogue; an unknown one gets none',
        report: reportOf([finding({ruleId: 'b', line: 1}), finding({ruleId: 'a', line: 2}), finding({ruleId: 'schema-enum', line: 3}), finding({ruleId: 'zz', line: 4})], {
          rules: [
            {...SMALL_RULE, id: 'a'},
            {...SMALL_RULE, id: 'a', description: 'A again.'},
            {...SMALL_RULE, id: 'b'},
          ],
        }),
        expected: [
          {ruleId: 'b', ruleIndex: 1},
          {ruleId: 'a', ruleIndex: 0},
          {ruleId: 'schema-enum', ruleIndex: 2},
          {ruleId: 'zz', ruleIndex: undefined},
        ],
      },
      {
        name: 'a finding without a position is located at 1:1 (GitHub needs startLine ≥ 1)',
        report: reportOf([finding({line: 0, column: 0}), finding({line: 4, column: 0})]),
        expected: [
          {locations: [{physicalLocation: {artifactLocation: {uri: 'a.yaml', uriBaseId: '%SRCROOT%'}, region: {startLine: 1, startColumn: 1}}}]},
          {locations: [{physicalLocation: {artifactLocation: {uri: 'a.yaml', uriBaseId: '%SRCROOT%'}, region: {startLine: 4, startColumn: 1}}}]},
        ],
      },
    ]
    for (const {name, report, expected} of cases) {
      it(name, () => {
        const results = resultsOf(report, CWD)
        assert.equal(results.length, expected.length)
        results.forEach((result, index) => {
          for (const [key, value] of Object.entries(expected[index])) assert.deepEqual(result[key], value, `${index}.${key}`)
        })
      })
    }
  })

  describe('artifact locations', () => {
    const cases: Array<{file: string; cwd?: string; location: Record<string, string>}> = [
      {file: 'manifests/route.yaml', location: {uri: 'manifests/route.yaml', uriBaseId: '%SRCROOT%'}},
      {file: './manifests/route.yaml', location: {uri: 'manifests/route.yaml', uriBaseId: '%SRCROOT%'}},
      {file: 'manifests\\windows\\route.yaml', location: {uri: 'manifests/windows/route.yaml', uriBaseId: '%SRCROOT%'}},
      {file: '../shared/seed.yaml', location: {uri: '../shared/seed.yaml', uriBaseId: '%SRCROOT%'}},
      {file: 'dir with space/a#b?c%.yaml', location: {uri: 'dir%20with%20space/a%23b%3Fc%25.yaml', uriBaseId: '%SRCROOT%'}},
      {file: 'c:odd.yaml', location: {uri: 'c%3Aodd.yaml', uriBaseId: '%SRCROOT%'}},
      {file: 'ünïcode/ルート.yaml', location: {uri: '%C3%BCn%C3%AFcode/%E3%83%AB%E3%83%BC%E3%83%88.yaml', uriBaseId: '%SRCROOT%'}},
      {file: '/work/repo/deploy/gw.yaml', location: {uri: 'deploy/gw.yaml', uriBaseId: '%SRCROOT%'}},
      {file: '/work/repository/gw.yaml', location: {uri: 'file:///work/repository/gw.yaml'}},
      {file: '/abs/path/route.yaml', location: {uri: 'file:///abs/path/route.yaml'}},
      {file: 'C:\\work\\route.yaml', location: {uri: 'file:///C:/work/route.yaml'}},
      {file: 'C:\\work\\repo\\gw.yaml', cwd: 'C:\\work\\repo', location: {uri: 'gw.yaml', uriBaseId: '%SRCROOT%'}},
    ]
    for (const {file, cwd = CWD, location} of cases) {
      it(`${file} in ${cwd} → ${JSON.stringify(location)}`, () => {
        const [result] = resultsOf(reportOf([finding({file})]), cwd)
        assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, location)
      })
    }

    it('%SRCROOT% is the working directory as a file URI ending in /', () => {
      const cases: Array<[string, string]> = [['/work/repo', 'file:///work/repo/'], ['/work/repo/', 'file:///work/repo/'], ['/', 'file:///'], ['/a b', 'file:///a%20b/'], ['C:\\work', 'file:///C:/work/']]
      for (const [cwd, uri] of cases) assert.deepEqual(logOf(EMPTY_REPORT, {cwd}).runs[0].originalUriBaseIds, {'%SRCROOT%': {uri}}, cwd)
    })

    it('without a working directory: relative URIs and no base id', () => {
      const log = logOf(reportOf([finding({file: 'manifests/route.yaml'})]), {})
      assert.equal(log.runs[0].originalUriBaseIds, undefined)
      assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, {uri: 'manifests/route.yaml'})
    })
  })

  describe('rule metadata', () => {
    const log = logOf({...EMPTY_REPORT, rules: listRules()})
    const descriptors: Json[] = log.runs[0].tool.driver.rules

    it('every catalogue rule: summary, full description, help as text and Markdown, level, tags', () => {
      assert.equal(descriptors.length, listRules().length)
      for (const [index, rule] of listRules().entries()) {
        const descriptor = descriptors[index]
        assert.equal(descriptor.id, rule.id)
        assert.equal(descriptor.shortDescription.text, rule.description)
        assert.equal(descriptor.fullDescription.text, `${rule.description} ${rule.why}`)
        assert.ok(descriptor.help.text.includes(rule.fix) && descriptor.help.markdown.includes(`**How to fix.** ${rule.fix}`), rule.id)
        assert.equal(descriptor.defaultConfiguration.level, {error: 'error', warning: 'warning', info: 'note'}[rule.defaultSeverity])
        assert.equal(descriptor.properties.tags[0], rule.category)
      }
    })

    it('certificate rules are tagged security, with a security-severity from their level', () => {
      const expired = descriptors.find((rule) => rule.id === 'certificate-expired')!
      assert.deepEqual(expired.properties.tags, ['certificate', 'security'])
      assert.equal(expired.properties['security-severity'], '7.5')
      assert.equal(descriptors.find((rule) => rule.id === 'certificate-expiring')!.properties['security-severity'], '5.0')
      const route = descriptors.find((rule) => rule.id === 'listener-route-kind')!
      assert.deepEqual(route.properties.tags, ['semantic'])
      assert.equal(route.properties['security-severity'], undefined)
    })

    it('a YAML example is a fenced yaml block in the Markdown help', () => {
      const markdown: string = descriptors.find((rule) => rule.id === 'backend-port-not-found')!.help.markdown
      assert.match(markdown, /\*\*Example\.\*\*\n\n```yaml\napiVersion: v1\nkind: Service\n[\s\S]*\n```\n/)
    })
  })

  describe('suppressed findings', () => {
    const suppressed: SuppressedFinding[] = [
      {...finding({ruleId: 'listener-route-kind', line: 5, resource: TLS_ROUTE}), suppression: {kind: 'annotation', justification: 'migrating to a TLS listener'}},
      {...finding({ruleId: 'input-yaml-syntax', line: 2}), suppression: {kind: 'config', justification: '.gwctl.yaml turns input-yaml-syntax off'}},
    ]
    const results = resultsOf(reportOf([finding({line: 3})], {suppressed}), CWD)

    it('are results, sorted with the others, with suppressions: inSource for annotations, external for .gwctl.yaml', () => {
      assert.deepEqual(results.map((result) => [result.ruleId, result.locations[0].physicalLocation.region.startLine, result.suppressions]), [
        ['input-yaml-syntax', 2, [{kind: 'external', justification: '.gwctl.yaml turns input-yaml-syntax off'}]],
        ['input-yaml-syntax', 3, undefined],
        ['listener-route-kind', 5, [{kind: 'inSource', justification: 'migrating to a TLS listener'}]],
      ])
    })

    it('have rule metadata and fingerprints like every result', () => {
      assert.ok(results.every((result) => result.ruleIndex !== undefined && typeof result.partialFingerprints[FINGERPRINT_KEY] === 'string'))
    })
  })

  describe('partialFingerprints', () => {
    const MANIFEST = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  gatewayClassName: example
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: missing-cert
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: api
spec:
  parentRefs:
  - name: gw
  hostnames:
  - api.example.com
  rules:
  - backendRefs:
    - name: api
      port: 8443
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  ports:
  - port: 8443
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  ports:
  - port: 9443
`
    async function fingerprintsOf(text: string): Promise<Array<[string, number, string]>> {
      const analysis = await analyzeTexts([{file: 'deploy/gw.yaml', text}], {now: new Date('2025-06-01T00:00:00Z')})
      const report = buildLintReport(analysis, {version: '0.1.0'}, new Date('2025-06-01T00:00:00Z'))
      return resultsOf(report, CWD).map((result) => [result.ruleId, result.locations[0].physicalLocation.region.startLine, result.partialFingerprints[FINGERPRINT_KEY]])
    }

    it('stay the same when unrelated lines are inserted above (positions in messages included)', async () => {
      const before = await fingerprintsOf(MANIFEST)
      const after = await fingerprintsOf(`# Rendered by helm\n\n${MANIFEST.replace('spec:\n  gatewayClassName', 'spec:\n  # the class\n  gatewayClassName')}`)
      assert.ok(before.length >= 3, `findings: ${before.map(([id]) => id).join(', ')}`)
      assert.ok(before.some(([id]) => id === 'input-duplicate-object'), 'a message naming a file:line is covered')
      assert.notDeepEqual(after.map(([, line]) => line), before.map(([, line]) => line), 'the lines did move')
      assert.deepEqual(after.map(([id, , print]) => [id, print]), before.map(([id, , print]) => [id, print]))
    })

    it('differ for different objects, fields and rules; equal ones are numbered', () => {
      const results = resultsOf(reportOf([
        finding({line: 1, message: 'same'}),
        finding({line: 9, message: 'same'}),
        finding({line: 2, message: 'same', field: 'spec'}),
        finding({line: 3, message: 'same', resource: TLS_ROUTE}),
        finding({line: 4, message: 'same', resource: {...TLS_ROUTE, name: 'other'}}),
        finding({line: 5, message: 'same', ruleId: 'input-empty-document'}),
        finding({line: 6, message: 'same', file: 'b.yaml'}),
      ]), CWD)
      const prints = results.map((result) => result.partialFingerprints[FINGERPRINT_KEY] as string)
      const hashes = prints.map((print) => print.split(':')[0])
      assert.equal(new Set(prints).size, prints.length, 'every fingerprint is unique')
      const lines = results.map((result) => result.locations[0].physicalLocation.region.startLine)
      const first = lines.indexOf(1)
      const second = lines.indexOf(9)
      assert.equal(hashes[first], hashes[second])
      assert.deepEqual([prints[first].split(':')[1], prints[second].split(':')[1]], ['1', '2'])
      assert.equal(new Set(hashes).size, prints.length - 1)
    })

    it('remove line and column references from the message', () => {
      const [a, b] = [3, 30].map((line) => resultsOf(reportOf([finding({message: `defined again at a.yaml:${line}:2 (line ${line}, column 2)`})]), CWD)[0].partialFingerprints[FINGERPRINT_KEY])
      assert.equal(a, b)
    })
  })

  describe('validates against the official SARIF 2.1.0 JSON Schema and GitHub code scanning constraints', () => {
    const ajv = new Ajv({allErrors: true})
    ajvFormats.default(ajv)
    const validate = ajv.compile(loadSarifSchema())
    const reports: Record<string, LintReport> = {
      'sample report': SAMPLE_REPORT,
      'empty report': EMPTY_REPORT,
      'odd paths, missing positions, unknown rule': reportOf([
        finding({file: 'C:\\work\\route.yaml', line: 0, column: 0}),
        finding({file: 'dir with space/a#b?c%.yaml', ruleId: 'input-empty-document', severity: 'info'}),
        finding({file: '/abs/x.yaml', resource: {apiVersion: 'v1', kind: 'Namespace', name: 'ns'}}),
        finding({file: '<stdin>'}),
      ], {rules: SAMPLE_RULES}),
      'suppressed findings': reportOf([], {
        suppressed: [{...finding({}), suppression: {kind: 'annotation', justification: 'accepted'}}, {...finding({line: 2}), suppression: {kind: 'config', justification: 'off'}}],
      }),
      'the whole catalogue': {...EMPTY_REPORT, rules: listRules()},
    }
    it('rejects an invalid log (the validator is live)', () => {
      assert.equal(validate({version: '2.1.0', runs: [{tool: {driver: {name: 'x'}}, results: [{level: 'info'}]}]}), false)
      assert.notDeepEqual(checkGithubSarif({version: '2.1.0', runs: [{tool: {driver: {name: 'x', rules: [{id: 'a'}, {id: 'a'}]}}, results: [{ruleId: 'a', level: 'error', message: {text: 'm'}}]}]}), [])
    })
    for (const [name, report] of Object.entries(reports)) {
      it(name, () => {
        const log = logOf(report)
        const valid = validate(log)
        assert.equal(valid, true, JSON.stringify(validate.errors, null, 2))
        assert.deepEqual(checkGithubSarif(log), [])
      })
    }
    it('a lint of real broken manifests from standard input', async () => {
      const analysis = await analyzeTexts([{file: '<stdin>', text: 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  hostname: x\n'}])
      const log = logOf(buildLintReport(analysis, {version: '0.1.0'}, new Date()))
      assert.ok(log.runs[0].results.length > 0)
      assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2))
      assert.deepEqual(checkGithubSarif(log), [])
    })
  })
})
