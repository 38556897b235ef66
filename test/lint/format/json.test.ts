import {strict as assert} from 'node:assert'
import {formatJson} from '../../../src/lint/format/json.js'
import type {LintReport} from '../../../src/lint/report.js'
import {EMPTY_REPORT, SAMPLE_REPORT, SUPPRESSED_REPORT} from './sample-report.js'

const ROUTE = {apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', namespace: 'default', name: 'api'}

describe('formatJson', () => {
  const cases: Array<{name: string; report: LintReport; expected: string}> = [
    {
      name: 'empty report',
      report: EMPTY_REPORT,
      expected: `{
  "version": 1,
  "summary": {
    "files": 0,
    "resources": 0,
    "errors": 0,
    "warnings": 0,
    "infos": 0,
    "suppressed": 0,
    "skipped": 0
  },
  "findings": [],
  "suppressed": [],
  "resources": [],
  "skipped": []
}`,
    },
    {
      name: 'a finding on <stdin> without resource or field, a cluster-scoped resource without status',
      report: {
        ...EMPTY_REPORT,
        files: 1,
        findings: [
          {ruleId: 'input-empty-document', severity: 'info', category: 'input', message: 'empty', file: '<stdin>', line: 4, column: 1},
        ],
        resources: [{apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: {name: 'gc'}, file: '<stdin>'}],
      },
      expected: `{
  "version": 1,
  "summary": {
    "files": 1,
    "resources": 1,
    "errors": 0,
    "warnings": 0,
    "infos": 1,
    "suppressed": 0,
    "skipped": 0
  },
  "findings": [
    {
      "ruleId": "input-empty-document",
      "severity": "info",
      "category": "input",
      "message": "empty",
      "file": "<stdin>",
      "line": 4,
      "column": 1
    }
  ],
  "suppressed": [],
  "resources": [
    {
      "apiVersion": "gateway.networking.k8s.io/v1",
      "kind": "GatewayClass",
      "metadata": {
        "name": "gc"
      }
    }
  ],
  "skipped": []
}`,
    },
    {
      name: 'key order is the contract even when the input objects list keys differently; status passes through',
      report: {
        ...EMPTY_REPORT,
        files: 1,
        findings: [
          {
            column: 5,
            line: 9,
            file: 'r.yaml',
            field: 'spec.parentRefs[0]',
            resource: {name: 'api', namespace: 'default', kind: 'TLSRoute', apiVersion: ROUTE.apiVersion},
            message: 'say "hi"\n',
            category: 'semantic',
            severity: 'error',
            ruleId: 'listener-route-kind',
          },
        ],
        resources: [
          {
            file: 'r.yaml',
            status: {parents: [{controllerName: 'gwctl', conditions: []}]},
            metadata: {namespace: 'default', name: 'api'},
            kind: 'TLSRoute',
            apiVersion: ROUTE.apiVersion,
          },
        ],
      },
      expected: `{
  "version": 1,
  "summary": {
    "files": 1,
    "resources": 1,
    "errors": 1,
    "warnings": 0,
    "infos": 0,
    "suppressed": 0,
    "skipped": 0
  },
  "findings": [
    {
      "ruleId": "listener-route-kind",
      "severity": "error",
      "category": "semantic",
      "message": "say \\"hi\\"\\n",
      "resource": {
        "apiVersion": "gateway.networking.k8s.io/v1alpha2",
        "kind": "TLSRoute",
        "namespace": "default",
        "name": "api"
      },
      "field": "spec.parentRefs[0]",
      "file": "r.yaml",
      "line": 9,
      "column": 5
    }
  ],
  "suppressed": [],
  "resources": [
    {
      "apiVersion": "gateway.networking.k8s.io/v1alpha2",
      "kind": "TLSRoute",
      "metadata": {
        "name": "api",
        "namespace": "default"
      },
      "status": {
        "parents": [
          {
            "controllerName": "gwctl",
            "conditions": []
          }
        ]
      }
    }
  ],
  "skipped": []
}`,
    },
    {
      name: 'sample report: sorted findings, special characters, resources in input order',
      report: SAMPLE_REPORT,
      expected: JSON.stringify(
        {
          version: 1,
          summary: {files: 4, resources: 5, errors: 2, warnings: 2, infos: 1, suppressed: 0, skipped: 0},
          findings: [
            {
              ruleId: 'input-empty-document',
              severity: 'info',
              category: 'input',
              message: 'document 2 is empty',
              file: '<stdin>',
              line: 1,
              column: 1,
            },
            {
              ruleId: 'input-yaml-syntax',
              severity: 'error',
              category: 'input',
              message: 'Nested mappings are not allowed in compact mappings',
              file: 'manifests/bad file,v1:a.yaml',
              line: 3,
              column: 7,
            },
            {
              ruleId: 'passthrough-certificate-refs',
              severity: 'warning',
              category: 'practice',
              message: "Passthrough listener 'tls' has certificateRefs: they are ignored",
              resource: {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'default', name: 'gw'},
              field: 'spec.listeners[1].tls.certificateRefs',
              file: 'manifests/gateway.yaml',
              line: 14,
              column: 9,
            },
            {
              ruleId: 'listener-route-kind',
              severity: 'error',
              category: 'semantic',
              message: "TLSRoute cannot attach to HTTPS listener 'https' (Terminate): it accepts HTTPRoute, GRPCRoute",
              resource: ROUTE,
              field: 'spec.parentRefs[0]',
              file: 'manifests/route.yaml',
              line: 9,
              column: 5,
            },
            {
              ruleId: 'route-hostname-not-covered',
              severity: 'warning',
              category: 'semantic',
              message: 'hostname "a.example.com" <b> & 100% covered: no,\r\nnot by \'tls\'\t\u0007',
              resource: ROUTE,
              field: 'spec.hostnames[1]',
              file: 'manifests/route.yaml',
              line: 12,
              column: 7,
            },
          ],
          suppressed: [],
          resources: [
            {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: {name: 'example'}},
            {
              apiVersion: 'gateway.networking.k8s.io/v1',
              kind: 'Gateway',
              metadata: {name: 'gw', namespace: 'default'},
              status: {
                conditions: [{type: 'Accepted', status: 'True', reason: 'Accepted'}],
                listeners: [{name: 'tls', attachedRoutes: 0}],
              },
            },
            {
              apiVersion: 'gateway.networking.k8s.io/v1alpha2',
              kind: 'TLSRoute',
              metadata: {name: 'api', namespace: 'default'},
              status: {parents: []},
            },
            {apiVersion: 'v1', kind: 'Service', metadata: {name: 'api', namespace: 'default'}},
            {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'piped', namespace: 'default'}},
          ],
          skipped: [],
        },
        null,
        2,
      ),
    },
    {
      name: 'skipped files: counted in the summary after the other keys, listed after the resources',
      report: {...EMPTY_REPORT, files: 1, skipped: [{file: 'package.json', reason: 'no apiVersion or kind in any document'}, {file: 'charts/values.yaml', reason: 'excluded by the pattern "charts"'}]},
      expected: `{
  "version": 1,
  "summary": {
    "files": 1,
    "resources": 0,
    "errors": 0,
    "warnings": 0,
    "infos": 0,
    "suppressed": 0,
    "skipped": 2
  },
  "findings": [],
  "suppressed": [],
  "resources": [],
  "skipped": [
    {
      "file": "package.json",
      "reason": "no apiVersion or kind in any document"
    },
    {
      "file": "charts/values.yaml",
      "reason": "excluded by the pattern \\"charts\\""
    }
  ]
}`,
    },
  ]
  for (const {name, report, expected} of cases) {
    it(name, () => {
      assert.equal(formatJson(report, {color: true}), expected)
    })
  }

  it('suppressed findings: counted in the summary (after the other keys) and listed sorted, each with its suppression', () => {
    const document = JSON.parse(formatJson(SUPPRESSED_REPORT, {color: false})) as Record<string, unknown> & {summary: Record<string, number>; suppressed: Array<Record<string, unknown>>}
    assert.deepEqual(Object.keys(document), ['version', 'summary', 'findings', 'suppressed', 'resources', 'skipped'])
    assert.deepEqual(document.summary, {files: 4, resources: 5, errors: 1, warnings: 2, infos: 1, suppressed: 2, skipped: 0})
    assert.deepEqual(document.suppressed, [
      {
        ruleId: 'input-empty-document', severity: 'info', category: 'input', message: 'document 3 is empty', file: 'manifests/gateway.yaml', line: 20, column: 1,
        suppression: {kind: 'config', justification: '.gwctl.yaml: rules.input-empty-document is off'},
      },
      {
        ruleId: 'listener-route-kind', severity: 'error', category: 'semantic',
        message: "TLSRoute cannot attach to HTTPS listener 'https' (Terminate): it accepts HTTPRoute, GRPCRoute",
        resource: ROUTE, field: 'spec.parentRefs[0]', file: 'manifests/route.yaml', line: 9, column: 5,
        suppression: {kind: 'annotation', justification: 'moved to the TLS listener in the next release'},
      },
    ])
    assert.deepEqual(Object.keys(document.suppressed[1]), ['ruleId', 'severity', 'category', 'message', 'resource', 'field', 'file', 'line', 'column', 'suppression'])
  })
})
