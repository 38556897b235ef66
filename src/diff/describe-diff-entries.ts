/**
 * The words `gwctl diff` uses in text and markdown for each entry of a
 * DiffReport: the summary sentence, a routing row's place and what it does,
 * a condition's status, a finding's location. One wording for both formats.
 */
import {describeResourceKey} from './collect-diff-facts.js'
import type {ConditionChange, DiffCertificate, DiffConditionState, DiffFinding, DiffReport, DiffRowState, RouteChange, RowAspect} from './diff-report.js'

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/** `traffic changes: 1 route removed, 1 added; 2 conditions flip; findings: 1 appeared, 0 fixed`. */
export function describeSummary(report: DiffReport): string {
  const {routes, resources, conditions, findings} = report.summary
  const parts: string[] = []
  if (report.summary.trafficChanged) {
    const counts = [routes.removed > 0 ? `${routes.removed} removed` : '', routes.added > 0 ? `${routes.added} added` : '', routes.changed > 0 ? `${routes.changed} changed` : ''].filter(Boolean)
    parts.push(`traffic changes: routing rows ${counts.join(', ')}`)
  } else {
    parts.push('no traffic change')
  }
  if (resources.added + resources.removed > 0) parts.push(`objects: ${resources.added} added, ${resources.removed} removed`)
  parts.push(conditions === 0 ? 'no condition flips' : `${plural(conditions, 'condition')} ${conditions === 1 ? 'flips' : 'flip'}`)
  parts.push(findings.appeared + findings.fixed === 0 ? 'no finding appears or is fixed' : `findings: ${findings.appeared} appeared, ${findings.fixed} fixed`)
  const rejected = report.new.blockingErrors > 0 ? `; the new configuration has ${plural(report.new.blockingErrors, 'error')} the API server would reject` : ''
  return `${parts.join('; ')}${rejected}`
}

export function describeRowPlace(change: RouteChange): string {
  return `${change.port} ${change.gateway.namespace}/${change.gateway.name} listener ${change.listener}`
}

export function describeRowRoute(change: RouteChange): string {
  if (change.route === undefined) return '(no route)'
  return `${change.route.kind} ${change.route.namespace}/${change.route.name}${change.match === undefined ? '' : ` ${change.match}`}`
}

export function describeBackends(state: DiffRowState): string {
  if (state.backends.length === 0) return 'no backend'
  return state.backends.map((backend) => `${backend.backend} ${backend.share}%${backend.valid ? '' : ' (invalid)'}${backend.kind === 'Service' ? '' : ` [${backend.kind}]`}`).join(', ')
}

export function describeCertificate(certificate: DiffCertificate | undefined): string {
  if (certificate === undefined) return 'none'
  const details = [
    certificate.subject ?? '',
    (certificate.subjectAltNames ?? []).join(' '),
    certificate.notAfter === undefined ? '' : `expires ${certificate.notAfter}`,
    certificate.note ?? '',
  ].filter(Boolean)
  return details.length === 0 ? certificate.secret : `${certificate.secret} (${details.join(', ')})`
}

function describeProtocol(state: DiffRowState): string {
  return state.mode === undefined ? state.protocol : `${state.protocol}/${state.mode}`
}

/** What a row does: `→ NS/NAME:PORT 100%`, with its protocol, readiness, certificate and shadowing. */
export function describeRowState(state: DiffRowState): string {
  return [
    `[${describeProtocol(state)}]`,
    state.ready ? '' : '(listener not ready)',
    `→ ${describeBackends(state)}`,
    state.certificate === undefined ? '' : `certificate ${describeCertificate(state.certificate)}`,
    state.shadowedBy === undefined ? '' : `(shadowed by ${state.shadowedBy})`,
  ].filter(Boolean).join(' ')
}

/** One changed aspect of a row: its name, and the old and new values. */
export function describeAspect(change: RouteChange, aspect: RowAspect): {name: string; old: string; new: string} {
  const old = change.old!
  const next = change.new!
  switch (aspect) {
    case 'protocol': return {name: 'protocol', old: describeProtocol(old), new: describeProtocol(next)}
    case 'ready': return {name: 'listener', old: old.ready ? 'ready' : 'not ready', new: next.ready ? 'ready' : 'not ready'}
    case 'backends': return {name: 'backends', old: describeBackends(old), new: describeBackends(next)}
    case 'certificate': return {name: 'certificate', old: describeCertificate(old.certificate), new: describeCertificate(next.certificate)}
    case 'shadowed': return {name: 'shadowed by', old: old.shadowedBy ?? 'nothing (receives traffic)', new: next.shadowedBy ?? 'nothing (receives traffic)'}
  }
}

export function describeConditionState(state: DiffConditionState | undefined): string {
  return state === undefined ? 'not set' : `${state.status} (${state.reason})`
}

export function describeConditionSubject(change: ConditionChange): string {
  return `${describeResourceKey(change.resource)}${change.scope === undefined ? '' : ` ${change.scope}`}`
}

export function describeFindingLocation(finding: DiffFinding): string {
  return `${finding.file}:${finding.line}:${finding.column}`
}

export function describeFindingSubject(finding: DiffFinding): string {
  return finding.resource === undefined ? '' : describeResourceKey(finding.resource)
}
