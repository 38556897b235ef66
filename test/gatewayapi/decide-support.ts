/**
 * Test support for the decision function: small in-memory manifests →
 * parseManifestText → buildSnapshot → bind → compileRoutingTable, the same
 * path the commands take (minus schema validation), and compact views of a
 * Decision and its trace for table-driven assertions.
 */
import {strict as assert} from 'node:assert'
import {bind} from '../../src/gatewayapi/bind.js'
import type {Binding, EngineFeatures} from '../../src/gatewayapi/binding.js'
import {compileRoutingTable, type ConnectionQuery, type Decision, type RoutingTable, type TraceStep} from '../../src/gatewayapi/decide.js'
import type {HttpRequest} from '../../src/gatewayapi/http-match.js'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'
import {buildSnapshot} from '../../src/model/build-snapshot.js'

export function bindDocuments(documents: readonly string[], features?: Partial<EngineFeatures>): Binding {
  const {objects, findings} = parseManifestText(documents.join('\n---\n'), 'test.yaml')
  assert.deepEqual(findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.line}: ${finding.message}`), [], 'the test manifests parse')
  return bind(buildSnapshot(objects), {features})
}

export function compileDocuments(documents: readonly string[], features?: Partial<EngineFeatures>): RoutingTable {
  return compileRoutingTable(bindDocuments(documents, features))
}

/** A Gateway in namespace `default` (unless `namespace` is given) with listeners written as YAML flow maps. */
export function gateway(name: string, listeners: readonly string[], extra = '', namespace = 'default'): string {
  return [
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: Gateway',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'spec:',
    '  gatewayClassName: test',
    ...(extra === '' ? [] : [`  ${extra}`]),
    '  listeners:',
    ...listeners.map((listener) => `  - ${listener}`),
  ].join('\n')
}

export interface RouteOptions {
  namespace?: string
  created?: string
  parentRefs?: string
  hostnames?: readonly string[]
  apiVersion?: string
  /** YAML of `spec.rules` as a flow sequence. */
  rules: string
}

export function route(kind: string, name: string, options: RouteOptions): string {
  return [
    `apiVersion: ${options.apiVersion ?? 'gateway.networking.k8s.io/v1'}`,
    `kind: ${kind}`,
    `metadata: {name: ${name}, namespace: ${options.namespace ?? 'default'}${options.created === undefined ? '' : `, creationTimestamp: "${options.created}"`}}`,
    'spec:',
    `  parentRefs: ${options.parentRefs ?? '[{name: gw, namespace: default}]'}`,
    ...(options.hostnames === undefined ? [] : [`  hostnames: [${options.hostnames.map((hostname) => JSON.stringify(hostname)).join(', ')}]`]),
    `  rules: ${options.rules}`,
  ].join('\n')
}

/** Services with one port each, `name` or `name:port` (default port 80). */
export function services(namespace: string, names: readonly string[]): string[] {
  return names.map((entry) => {
    const [name, port = '80'] = entry.split(':')
    return `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {ports: [{port: ${port}}]}`
  })
}

const pem = (label: string) => `-----BEGIN ${label}-----\nMAA=\n-----END ${label}-----\n`

/** A kubernetes.io/tls Secret that passes the engine's structural check (a minimal DER SEQUENCE in each PEM block). */
export function tlsSecret(name: string, namespace = 'default'): string {
  const base64 = (text: string) => Buffer.from(text).toString('base64')
  return [
    'apiVersion: v1',
    'kind: Secret',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'type: kubernetes.io/tls',
    'data:',
    `  tls.crt: ${base64(pem('CERTIFICATE'))}`,
    `  tls.key: ${base64(pem('PRIVATE KEY'))}`,
  ].join('\n')
}

export function request(path = '/', extra: Partial<HttpRequest> = {}): HttpRequest {
  return {method: 'GET', path, query: [], headers: [], ...extra}
}

/** The one decision for a query that names its Gateway (or a configuration with one Gateway on the port). */
export function decideOne(table: RoutingTable, query: ConnectionQuery): Decision {
  const decisions = table.decide(query)
  assert.equal(decisions.length, 1, `one decision for ${JSON.stringify(query)}; got ${decisions.length}`)
  return decisions[0]
}

export interface DecisionView {
  matched: boolean
  listener?: string
  route?: string
  rule?: number
  backends: string[]
  httpStatus?: number
  certificate?: string
}

/** `Kind ns/name`, backends as `ns/name:port=percent%` (with ` invalid` when the ref does not resolve). */
export function viewDecision(decision: Decision): DecisionView {
  const view: DecisionView = {
    matched: decision.matched,
    backends: decision.backends.map((backend) => `${backend.namespace}/${backend.name}:${backend.port}=${backend.percent}%${backend.valid ? '' : ' invalid'}`),
  }
  if (decision.listener !== undefined) view.listener = decision.listener.spec.name
  if (decision.route !== undefined) view.route = `${decision.route.route.kind} ${decision.route.route.meta.namespace}/${decision.route.route.meta.name}`
  if (decision.rule !== undefined && (decision.route?.route.kind === 'HTTPRoute' || decision.route?.route.kind === 'GRPCRoute')) view.rule = decision.rule.rule.index
  if (decision.httpStatus !== undefined) view.httpStatus = decision.httpStatus
  if (decision.certificate !== undefined) view.certificate = `${decision.certificate.ref.namespace}/${decision.certificate.ref.name}`
  return view
}

export interface TraceExpectation {
  step?: TraceStep['step']
  /** Substring of the trace candidate, e.g. `listener 'exact'` or `TLSRoute default/app`. */
  candidate: string
  result: TraceStep['result']
  why: RegExp
}

function formatTrace(trace: readonly TraceStep[]): string {
  return trace.map((step) => `  ${step.step} ${step.result} ${step.candidate}: ${step.why}`).join('\n')
}

/** Every expected step is in the trace (with its result and reason); `absent` candidates are not. */
export function assertTrace(decision: Decision, expected: readonly TraceExpectation[], label: string): void {
  for (const entry of expected) {
    const candidates = decision.trace.filter((step) => step.candidate.includes(entry.candidate) && step.result === entry.result
      && (entry.step === undefined || step.step === entry.step))
    assert.ok(candidates.length > 0, `${label}: trace has ${entry.result} ${entry.candidate}; trace:\n${formatTrace(decision.trace)}`)
    assert.ok(candidates.some((step) => entry.why.test(step.why)),
      `${label}: why ${entry.candidate} was ${entry.result}: expected ${entry.why}, got ${candidates.map((step) => `"${step.why}"`).join(' and ')}`)
  }
}

/** The one trace entry for a candidate, e.g. to check that a route is never both chosen and lost. */
export function traceResults(decision: Decision, candidate: string): Array<TraceStep['result']> {
  return decision.trace.filter((step) => step.candidate.includes(candidate)).map((step) => step.result)
}
