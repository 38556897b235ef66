/**
 * `gwctl resolve` output: a Decision as the JSON of DESIGN.md (matched,
 * sni, port, gateway, listener, mode, route, backends with weights as
 * percentages, certificate, trace), and as a short text tree.
 */
import {Chalk} from 'chalk'
import {describeClientCertificate, type BackendFailure, type ClientCertificateDecision, type Decision, type TraceStep} from '../gatewayapi/decide.js'
import {summarizeCertificate, type CertificateSummary} from './describe-certificate.js'

export interface DecisionJson {
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
  backends: Array<{kind: string; namespace: string; name: string; port?: number; weight: number; valid?: false; why?: string; failure?: BackendFailure}>
  certificate?: CertificateSummary
  /** Client-certificate validation of the listener (Gateway spec.tls.frontend). */
  clientCertificate?: ClientCertificateDecision
  status?: number
  redirect?: {statusCode: number; location: string}
  grpcStatus?: number
  reason: string
  trace: TraceStep[]
}

/** Keys in contract order; optional ones only when they apply. */
export function toDecisionJson(decision: Decision, now: Date): DecisionJson {
  const {gateway, listener, route, rule, certificate} = decision
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
    backends: decision.backends.map((backend) => ({
      kind: backend.kind, namespace: backend.namespace, name: backend.name, port: backend.port, weight: backend.percent,
      ...(backend.valid ? {} : {valid: false as const, why: backend.why, failure: backend.failure}),
    })),
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
