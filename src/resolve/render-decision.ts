/**
 * `gwctl resolve` output: a Decision as the JSON of DESIGN.md (matched,
 * sni, port, gateway, listener, mode, route, backends with weights as
 * percentages, certificate, trace), and as a short text tree. A forwarded
 * HTTP request adds what the backends receive (`request`: method, Host,
 * rewritten path, headers after the route's filters), the response header
 * operations and the mirrors; a backend with filters of its own carries
 * its own.
 */
import {Chalk} from 'chalk'
import {describeClientCertificate, type BackendFailure, type ClientCertificateDecision, type Decision, type TraceStep} from '../gatewayapi/decide.js'
import {forwardRequest, type ForwardedRequest, type ForwardPlan, type HeaderOperations} from '../gatewayapi/http-filters.js'
import type {HttpRequest} from '../gatewayapi/http-match.js'
import {summarizeCertificate, type CertificateSummary} from './describe-certificate.js'

export interface MirrorJson {
  kind: string
  namespace: string
  name: string
  port?: number
  /** Share of requests mirrored. */
  percent: number
  valid?: false
  why?: string
  request: ForwardedRequest
}

/** What a backend receives (additive to the DESIGN.md contract). */
export interface ForwardJson {
  request?: ForwardedRequest
  responseHeaders?: HeaderOperations
  mirrors?: MirrorJson[]
}

export interface BackendJson extends ForwardJson {
  kind: string
  namespace: string
  name: string
  port?: number
  weight: number
  valid?: false
  why?: string
  failure?: BackendFailure
  /** Set when the gateway speaks HTTP/2 to this backend (GRPCRoute, appProtocol kubernetes.io/h2c). */
  httpVersion?: 'HTTP/2'
}

/** The request asked about, for the forwarded request (`search`: its `?…` as written, or ''). */
export interface AskedRequest {
  request: HttpRequest
  search: string
}

export interface DecisionJson extends ForwardJson {
  matched: boolean
  transport: string
  sni?: string
  host?: string
  port: number
  gateway?: {namespace: string; name: string}
  listener?: string
  mode?: string
  route?: {kind: string; namespace: string; name: string}
  rule?: number
  backends: BackendJson[]
  certificate?: CertificateSummary
  /** Client-certificate validation of the listener (Gateway spec.tls.frontend). */
  clientCertificate?: ClientCertificateDecision
  status?: number
  redirect?: {statusCode: number; location: string}
  grpcStatus?: number
  reason: string
  trace: TraceStep[]
}

function toForwardJson(plan: ForwardPlan, asked: AskedRequest): ForwardJson {
  const {set, add, remove} = plan.responseHeaders
  return {
    request: forwardRequest(plan, asked.request, asked.search),
    ...(set.length + add.length + remove.length === 0 ? {} : {responseHeaders: plan.responseHeaders}),
    ...(plan.mirrors.length === 0 ? {} : {mirrors: plan.mirrors.map((mirror) => ({
      kind: mirror.backend.ref.kind, namespace: mirror.backend.ref.namespace, name: mirror.backend.ref.name, port: mirror.backend.ref.port, percent: mirror.percent,
      ...(mirror.backend.valid ? {} : {valid: false as const, why: mirror.backend.message}),
      request: forwardRequest(mirror, asked.request, asked.search),
    }))}),
  }
}

/**
 * Keys in contract order; optional ones only when they apply. `asked`:
 * the HTTP request of the query, for what is forwarded.
 */
export function toDecisionJson(decision: Decision, now: Date, asked?: AskedRequest): DecisionJson {
  const {gateway, listener, route, rule, certificate} = decision
  const forwarded = asked !== undefined && decision.forward !== undefined
  const ownFilters = (index: number) => rule !== undefined && (rule.rule.backendFilters[rule.backends.indexOf(decision.backends[index].binding)] ?? []).length > 0
  const routeKind = route?.route.kind
  return {
    matched: decision.matched,
    ...(decision.sni === undefined ? {} : {sni: decision.sni}),
    ...(decision.host === undefined ? {} : {host: decision.host}),
    port: decision.port,
    transport: decision.transport,
    ...(gateway === undefined ? {} : {gateway: {namespace: gateway.gateway.meta.namespace, name: gateway.gateway.meta.name}}),
    ...(listener === undefined ? {} : {listener: listener.spec.name}),
    ...(decision.mode === undefined ? {} : {mode: decision.mode}),
    ...(route === undefined ? {} : {route: {kind: route.route.kind, namespace: route.route.meta.namespace, name: route.route.meta.name}}),
    ...(rule !== undefined && (routeKind === 'HTTPRoute' || routeKind === 'GRPCRoute') ? {rule: rule.rule.index} : {}),
    backends: decision.backends.map((backend, index) => ({
      kind: backend.kind, namespace: backend.namespace, name: backend.name, port: backend.port, weight: backend.percent,
      ...(backend.valid ? {} : {valid: false as const, why: backend.why, failure: backend.failure}),
      ...(backend.httpVersion === 'HTTP/2' ? {httpVersion: 'HTTP/2' as const} : {}),
      ...(forwarded && backend.forward !== undefined && ownFilters(index) ? toForwardJson(backend.forward, asked) : {}),
    })),
    ...(forwarded ? toForwardJson(decision.forward!, asked) : {}),
    ...(certificate === undefined ? {} : {certificate: summarizeCertificate(certificate, decision.sni, now)}),
    ...(decision.clientValidation === undefined ? {} : {clientCertificate: describeClientCertificate(decision.clientValidation)}),
    ...(decision.httpStatus === undefined ? {} : {status: decision.httpStatus}),
    ...(decision.redirect === undefined ? {} : {redirect: decision.redirect}),
    ...(decision.grpcStatus === undefined ? {} : {grpcStatus: decision.grpcStatus}),
    reason: decision.reason,
    trace: decision.trace,
  }
}

const MARKS: Record<TraceStep['result'], string> = {chosen: '✔', lost: '↓', skipped: '✗'}

export function renderDecisionText(json: DecisionJson, color: boolean): string {
  const chalk = new Chalk({level: color ? 1 : 0})
  const paint = (result: TraceStep['result'], text: string) => (result === 'chosen' ? chalk.green(text) : result === 'lost' ? chalk.yellow(text) : chalk.dim(text))
  const what = json.transport === 'tls'
    ? (json.sni === '' ? 'TLS without SNI' : `SNI ${json.sni}`) + (json.host !== undefined && json.host !== json.sni ? `, Host ${json.host}` : '')
    : json.transport === 'http' ? `HTTP Host ${json.host || '(none)'}` : json.transport.toUpperCase()
  const gateway = json.gateway === undefined ? '' : ` on Gateway ${json.gateway.namespace}/${json.gateway.name}`
  const lines = [`${chalk.bold(`${what} → port ${json.port}`)}${gateway}`]
  for (const step of json.trace) {
    lines.push(`  ${paint(step.result, `${MARKS[step.result]} ${step.candidate}`)}: ${step.why}`)
  }
  if (json.certificate !== undefined) {
    const certificate = json.certificate
    const details = [
      certificate.subject === undefined ? '' : `subject ${certificate.subject}`,
      certificate.subjectAltNames === undefined ? '' : `SANs ${certificate.subjectAltNames.join(', ') || '(none)'}`,
      certificate.notAfter === undefined ? '' : `expires ${certificate.notAfter.slice(0, 10)} (${certificate.daysLeft} days)`,
      certificate.coversSni === undefined ? '' : certificate.coversSni ? `covers ${json.sni}` : chalk.red(`does NOT cover ${json.sni}`),
      certificate.note ?? '',
    ].filter(Boolean).join('; ')
    lines.push(`  certificate ${certificate.secret}${certificate.certManagerCertificate === undefined ? '' : ` (cert-manager Certificate ${certificate.certManagerCertificate})`}: ${details}`)
  }
  if (json.clientCertificate !== undefined) lines.push(`  ${describeClientCertificateLine(json.clientCertificate, chalk)}`)
  // What the rule's filters forward, unless every backend has filters of its own (then each says what it gets).
  const common = json.backends.length > 0 && json.backends.every((backend) => backend.request !== undefined) ? [] : renderForward(json)
  lines.push(...common.map((line) => `  ${line}`))
  for (const backend of json.backends) {
    const own = renderForward(backend).filter((line) => !common.includes(line))
    lines.push(...own.map((line) => `  ${backend.namespace}/${backend.name}:${backend.port ?? '?'} ${line}`))
    if (backend.httpVersion !== undefined) lines.push(`  ${backend.namespace}/${backend.name}:${backend.port ?? '?'} is spoken to over ${backend.httpVersion}`)
  }
  const verdict = json.matched ? chalk.green(`→ ${json.reason}`) : chalk.red(`✗ ${json.reason}`)
  lines.push(`  ${verdict}${json.status === undefined ? '' : ` [HTTP ${json.status}]`}`)
  return lines.join('\n')
}

function describeClientCertificateLine(client: ClientCertificateDecision, chalk: InstanceType<typeof Chalk>): string {
  const valid = client.caRefs.filter((ref) => ref.valid).map((ref) => `${ref.kind} ${ref.namespace}/${ref.name}`)
  const demand = client.required
    ? 'required (AllowValidOnly)'
    : chalk.yellow('requested, but connections without a valid one are accepted (AllowInsecureFallback)')
  const anchors = valid.length === 0 ? chalk.red('no valid CA: the listener takes no traffic') : `verified against ${valid.join(', ')}`
  return `client certificate: ${demand}; ${anchors} (${client.source})`
}

function renderRequest(request: ForwardedRequest): string {
  const headers = request.headers.map(({name, value}) => `${name}: ${value}`).join(', ')
  return `${request.method} ${request.host ?? '(no Host)'} ${request.path}${headers === '' ? '' : ` [${headers}]`}`
}

function renderOperations(operations: HeaderOperations): string {
  return [
    ...operations.set.map(({name, value}) => `set ${name}: ${value}`),
    ...operations.add.map(({name, value}) => `add ${name}: ${value}`),
    ...operations.remove.map((name) => `remove ${name}`),
  ].join('; ')
}

/** The forwarded request, response header operations and mirrors, one line each. */
function renderForward(forward: ForwardJson): string[] {
  if (forward.request === undefined) return []
  const lines = [`request forwarded: ${renderRequest(forward.request)}`]
  if (forward.responseHeaders !== undefined) lines.push(`response headers: ${renderOperations(forward.responseHeaders)}`)
  for (const mirror of forward.mirrors ?? []) {
    const name = `${mirror.kind} ${mirror.namespace}/${mirror.name}:${mirror.port ?? '?'}`
    lines.push(mirror.valid === false
      ? `mirror ${name}: not mirrored, ${mirror.why ?? 'invalid'}`
      : `mirror ${name} (${mirror.percent}% of requests): ${renderRequest(mirror.request)}`)
  }
  return lines
}
