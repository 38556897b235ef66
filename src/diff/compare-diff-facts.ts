/**
 * The diff of two sides (collect-diff-facts.ts): routing rows keyed by
 * port → Gateway/listener → hostname → route → match, compared on what
 * traffic sees (protocol and mode, readiness, backends and their shares,
 * the certificate's Secret, subject, SANs and expiry, shadowing); status
 * conditions keyed by object, scope and type, compared on status and reason,
 * for objects present on both sides; findings keyed by rule, object and
 * field (message, for findings about no object), paired in order. Pure and
 * deterministic: every list comes out sorted.
 */
import type {DiffCondition, DiffFacts, DiffRow} from './collect-diff-facts.js'
import {describeResourceKey} from './collect-diff-facts.js'
import {
  DIFF_REPORT_VERSION, type ConditionChange, type DiffFinding, type DiffReport, type DiffResourceRef, type DiffRowState, type DiffSideSummary, type RouteChange, type RowAspect,
} from './diff-report.js'

export interface DiffSide {
  facts: DiffFacts
  summary: DiffSideSummary
}

export function compareDiffFacts(old: DiffSide, next: DiffSide): DiffReport {
  const routes = compareRows(old.facts.rows, next.facts.rows)
  const resources = compareResources(old.facts.resources, next.facts.resources)
  const newKeys = new Set(next.facts.resources.map(describeResourceKey))
  const present = new Set(old.facts.resources.map(describeResourceKey).filter((key) => newKeys.has(key)))
  const conditions = compareConditions(old.facts.conditions, next.facts.conditions, present)
  const findings = compareFindingLists(old.facts.findings, next.facts.findings)
  const count = (change: RouteChange['change']): number => routes.filter((entry) => entry.change === change).length
  return {
    version: DIFF_REPORT_VERSION,
    old: old.summary,
    new: next.summary,
    summary: {
      trafficChanged: routes.length > 0,
      routes: {added: count('added'), removed: count('removed'), changed: count('changed')},
      resources: {added: resources.added.length, removed: resources.removed.length},
      conditions: conditions.length,
      findings: {appeared: findings.appeared.length, fixed: findings.fixed.length},
    },
    routes,
    resources,
    conditions,
    findings,
  }
}

/** The same value: states are built with their keys in one order, so their JSON texts compare. */
function isSameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function describeRowKey(row: DiffRow | RouteChange): string {
  const route = row.route === undefined ? '' : `${row.route.kind} ${row.route.namespace}/${row.route.name}`
  return [row.gateway.namespace, row.gateway.name, row.listener, row.hostname, route, row.match ?? ''].join('\u0000')
}

/** Rows by key; a key seen again (the same match in two rules) gets its occurrence number. */
function indexRows(rows: readonly DiffRow[]): Map<string, DiffRow> {
  const index = new Map<string, DiffRow>()
  for (const row of rows) {
    const base = `${row.port}\u0000${describeRowKey(row)}`
    let key = base
    for (let occurrence = 2; index.has(key); occurrence++) key = `${base}\u0000${occurrence}`
    index.set(key, row)
  }
  return index
}

function diffAspects(old: DiffRowState, next: DiffRowState): RowAspect[] {
  const aspects: RowAspect[] = []
  if (old.protocol !== next.protocol || old.mode !== next.mode) aspects.push('protocol')
  if (old.ready !== next.ready) aspects.push('ready')
  const backends = (state: DiffRowState) => [...state.backends].sort((a, b) => compareText(a.backend, b.backend))
  if (!isSameJson(backends(old), backends(next))) aspects.push('backends')
  if (!isSameJson(old.certificate, next.certificate)) aspects.push('certificate')
  if (old.shadowedBy !== next.shadowedBy) aspects.push('shadowed')
  return aspects
}

function keyOf(row: DiffRow): Omit<RouteChange, 'change'> {
  const {state: _state, ...key} = row
  return key
}

function compareRouteChanges(a: RouteChange, b: RouteChange): number {
  if (a.port !== b.port) return a.port - b.port
  const byKey = compareText(describeRowKey(a), describeRowKey(b))
  if (byKey !== 0) return byKey
  const order = {removed: 0, changed: 1, added: 2}
  return order[a.change] - order[b.change]
}

function compareRows(oldRows: readonly DiffRow[], newRows: readonly DiffRow[]): RouteChange[] {
  const before = indexRows(oldRows)
  const after = indexRows(newRows)
  const changes: RouteChange[] = []
  for (const [key, row] of before) {
    const now = after.get(key)
    if (now === undefined) {
      changes.push({change: 'removed', ...keyOf(row), old: row.state})
      continue
    }
    const aspects = diffAspects(row.state, now.state)
    if (aspects.length > 0) changes.push({change: 'changed', ...keyOf(row), old: row.state, new: now.state, aspects})
  }
  for (const [key, row] of after) if (!before.has(key)) changes.push({change: 'added', ...keyOf(row), new: row.state})
  return changes.sort(compareRouteChanges)
}

function compareResources(old: readonly DiffResourceRef[], next: readonly DiffResourceRef[]): DiffReport['resources'] {
  const oldKeys = new Set(old.map(describeResourceKey))
  const newKeys = new Set(next.map(describeResourceKey))
  const sort = (list: DiffResourceRef[]) => list.sort((a, b) => compareText(describeResourceKey(a), describeResourceKey(b)))
  return {
    added: sort(next.filter((resource) => !oldKeys.has(describeResourceKey(resource)))),
    removed: sort(old.filter((resource) => !newKeys.has(describeResourceKey(resource)))),
  }
}

function describeConditionKey(condition: Pick<DiffCondition, 'resource' | 'scope' | 'type'>): string {
  return [describeResourceKey(condition.resource), condition.scope ?? '', condition.type].join('\u0000')
}

function compareConditions(old: readonly DiffCondition[], next: readonly DiffCondition[], present: ReadonlySet<string>): ConditionChange[] {
  const index = (list: readonly DiffCondition[]) => new Map(list.filter((entry) => present.has(describeResourceKey(entry.resource))).map((entry) => [describeConditionKey(entry), entry]))
  const before = index(old)
  const after = index(next)
  const changes: ConditionChange[] = []
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(key)
    const is = after.get(key)
    if (was !== undefined && is !== undefined && was.state.status === is.state.status && was.state.reason === is.state.reason) continue
    const {resource, scope, type} = (was ?? is)!
    changes.push({resource, ...(scope === undefined ? {} : {scope}), type, ...(was === undefined ? {} : {old: was.state}), ...(is === undefined ? {} : {new: is.state})})
  }
  return changes.sort((a, b) => compareText(describeConditionKey(a), describeConditionKey(b)))
}

function describeFindingKey(finding: DiffFinding): string {
  const about = finding.resource === undefined ? `\u0000${finding.message}` : describeResourceKey(finding.resource)
  return [finding.ruleId, about, finding.field ?? ''].join('\u0000')
}

function compareFindingLists(old: readonly DiffFinding[], next: readonly DiffFinding[]): DiffReport['findings'] {
  const remaining = new Map<string, DiffFinding[]>()
  for (const finding of old) {
    const key = describeFindingKey(finding)
    remaining.set(key, [...(remaining.get(key) ?? []), finding])
  }
  const appeared: DiffFinding[] = []
  for (const finding of next) {
    const same = remaining.get(describeFindingKey(finding))
    if (same !== undefined && same.length > 0) same.shift()
    else appeared.push(finding)
  }
  const fixed = [...remaining.values()].flat()
  const sort = (list: DiffFinding[]) => list.sort((a, b) => compareText(describeFindingKey(a), describeFindingKey(b)))
  return {appeared: sort(appeared), fixed: sort(fixed)}
}
