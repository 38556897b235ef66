/**
 * Reports shared by the format tests: a small run with findings of every
 * severity (out of order, with characters every format must escape, one on
 * `<stdin>`, some without a resource), and an empty run.
 */
import type {Finding, RuleMeta} from '../../../src/findings/finding.js'
import type {LintReport} from '../../../src/lint/report.js'

const TLS_ROUTE = {apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', namespace: 'default', name: 'api'}
const GATEWAY = {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'default', name: 'gw'}

export const SAMPLE_FINDINGS: Finding[] = [
  {
    ruleId: 'route-hostname-not-covered',
    severity: 'warning',
    category: 'semantic',
    message: 'hostname "a.example.com" <b> & 100% covered: no,\r\nnot by \'tls\'\t\u0007',
    resource: TLS_ROUTE,
    field: 'spec.hostnames[1]',
    file: 'manifests/route.yaml',
    line: 12,
    column: 7,
  },
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
    ruleId: 'listener-route-kind',
    severity: 'error',
    category: 'semantic',
    message: "TLSRoute cannot attach to HTTPS listener 'https' (Terminate): it accepts HTTPRoute, GRPCRoute",
    resource: TLS_ROUTE,
    field: 'spec.parentRefs[0]',
    file: 'manifests/route.yaml',
    line: 9,
    column: 5,
  },
  {
    ruleId: 'passthrough-certificate-refs',
    severity: 'warning',
    category: 'practice',
    message: "Passthrough listener 'tls' has certificateRefs: they are ignored",
    resource: GATEWAY,
    field: 'spec.listeners[1].tls.certificateRefs',
    file: 'manifests/gateway.yaml',
    line: 14,
    column: 9,
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
]

export const SAMPLE_RULES: RuleMeta[] = [
  {
    id: 'input-yaml-syntax', category: 'input', defaultSeverity: 'error', description: 'YAML syntax error.',
    why: 'kubectl refuses the file.', fix: 'Fix the indentation.', example: {yaml: 'a:\n b: 1\n  c: 2\n'},
  },
  {
    id: 'input-empty-document', category: 'input', defaultSeverity: 'info', description: 'Document is empty.',
    why: 'An object may be missing.', fix: 'Remove the stray `---`.', example: {yaml: '---\n---\n'},
  },
  {
    id: 'listener-route-kind',
    category: 'semantic',
    defaultSeverity: 'error',
    description: 'The route kind is accepted by the listener it attaches to.',
    why: 'The route gets no traffic.',
    fix: 'Use a TLS listener for a TLSRoute.',
    example: {text: 'A TLSRoute on an HTTPS listener.'},
    source: 'SEMANTICS.md, route kinds per listener protocol',
  },
  {
    id: 'route-hostname-not-covered',
    category: 'semantic',
    defaultSeverity: 'warning',
    description: 'Every route hostname intersects a listener hostname.',
    why: 'The hostname is ignored.',
    fix: 'Remove the hostname.',
    example: {text: 'A route for example.org on a listener for *.example.com.'},
  },
  {
    id: 'passthrough-certificate-refs',
    category: 'practice',
    defaultSeverity: 'warning',
    description: 'Passthrough listeners carry no certificateRefs.',
    why: 'The certificate is never used.',
    fix: 'Remove certificateRefs.',
    example: {text: 'certificateRefs on a Passthrough listener.'},
  },
  {
    id: 'backend-not-found', category: 'semantic', defaultSeverity: 'error', description: 'Every backendRef names a Service.',
    why: 'Requests get 500.', fix: 'Add the Service.', example: {shell: 'gwctl lint --require-refs .\n'},
  },
]

export const SAMPLE_REPORT: LintReport = {
  files: 4,
  findings: SAMPLE_FINDINGS,
  skipped: [],
  suppressed: [],
  resources: [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: {name: 'example'},
      file: 'manifests/gateway.yaml',
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {name: 'gw', namespace: 'default'},
      status: {
        conditions: [{type: 'Accepted', status: 'True', reason: 'Accepted'}],
        listeners: [{name: 'tls', attachedRoutes: 0}],
      },
      file: 'manifests/gateway.yaml',
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      kind: 'TLSRoute',
      metadata: {name: 'api', namespace: 'default'},
      status: {parents: []},
      file: 'manifests/route.yaml',
    },
    {apiVersion: 'v1', kind: 'Service', metadata: {name: 'api', namespace: 'default'}, file: 'manifests/route.yaml'},
    {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'piped', namespace: 'default'}, file: '<stdin>'},
  ],
  rules: SAMPLE_RULES,
  tool: {version: '0.1.0', informationUri: 'https://example.org/gwctl'},
}

/**
 * The sample run after suppressions: the TLSRoute's listener-route-kind
 * error silenced by its gwctl/ignore annotation, and an info turned off in
 * .gwctl.yaml.
 */
export const SUPPRESSED_REPORT: LintReport = {
  ...SAMPLE_REPORT,
  findings: SAMPLE_FINDINGS.filter((finding) => finding.ruleId !== 'listener-route-kind'),
  suppressed: [
    {...SAMPLE_FINDINGS.find((finding) => finding.ruleId === 'listener-route-kind')!, suppression: {kind: 'annotation', justification: 'moved to the TLS listener in the next release'}},
    {
      ruleId: 'input-empty-document', severity: 'info', category: 'input', message: 'document 3 is empty', file: 'manifests/gateway.yaml', line: 20, column: 1,
      suppression: {kind: 'config', justification: '.gwctl.yaml: rules.input-empty-document is off'},
    },
  ],
}

export const EMPTY_REPORT: LintReport = {
  files: 0,
  findings: [],
  skipped: [],
  suppressed: [],
  resources: [],
  rules: SAMPLE_RULES,
  tool: {version: '0.1.0'},
}
