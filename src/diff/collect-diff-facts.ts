/**
 * One side of a diff, read from an Analysis (src/pipeline/analyze.ts): the
 * engine's routing table (src/gatewayapi/routing-table.ts) with the
 * certificate each terminating listener presents, every status condition
 * the engine computed (per object, listener, route parent and policy
 * ancestor), the objects of the input, and the reported findings. Names on
 * the old side go through the `--map-namespace` renamer, so both sides
 * speak of the same objects. Pure: the certificate reader is passed in.
 */
import type {Analysis} from '../pipeline/analyze.js'
import type {CertificateBinding} from '../gatewayapi/binding.js'
import type {Condition} from '../gatewayapi/conditions.js'
import {gatewayListeners} from '../gatewayapi/decide.js'
import {listRoutingTable, type RoutingTableRow} from '../gatewayapi/routing-table.js'
import {isClusterScoped} from '../manifests/cluster-scoped.js'
import {describeMatch} from '../resolve/render-table.js'
import type {ParentReference} from '../model/types.js'
import type {DiffCertificate, DiffConditionState, DiffFinding, DiffResourceRef, DiffRowKey, DiffRowState} from './diff-report.js'

export interface DiffRow extends DiffRowKey {
  state: DiffRowState
}

export interface DiffCondition {
  resource: DiffResourceRef
  scope?: string
  type: string
  state: DiffConditionState
}

export interface DiffFacts {
  rows: DiffRow[]
  conditions: DiffCondition[]
  resources: DiffResourceRef[]
  findings: DiffFinding[]
}

export interface CollectOptions {
  /** Namespace and cluster-scoped names as the other side writes them (`--map-namespace`); identity when absent. */
  rename?: (name: string) => string
  /** What a listener certificate holds (subject, SANs, expiry); the Secret's name only when absent. */
  readCertificate?: (certificate: CertificateBinding) => DiffCertificate
}

export function collectDiffFacts(analysis: Pick<Analysis, 'binding' | 'objects' | 'findings'>, options: CollectOptions = {}): DiffFacts {
  const rename = options.rename ?? ((name: string) => name)
  return {
    rows: collectRows(analysis, rename, options.readCertificate),
    conditions: collectConditions(analysis, rename),
    resources: collectResources(analysis, rename),
    findings: analysis.findings.map((finding) => ({
      ruleId: finding.ruleId, severity: finding.severity, message: finding.message,
      ...(finding.resource === undefined ? {} : {resource: renameResource({kind: finding.resource.kind, namespace: finding.resource.namespace, name: finding.resource.name}, rename)}),
      ...(finding.field === undefined ? {} : {field: finding.field}),
      file: finding.file, line: finding.line, column: finding.column,
    })),
  }
}

function renameResource(resource: DiffResourceRef, rename: (name: string) => string): DiffResourceRef {
  return resource.namespace === undefined
    ? {kind: resource.kind, name: rename(resource.name)}
    : {kind: resource.kind, namespace: rename(resource.namespace), name: resource.name}
}

/** An HTTPRoute match as a row key (worded as `gwctl resolve --table` words it); `rule N` for a rule without matches. */
export function describeRowMatch(row: Pick<RoutingTableRow, 'match' | 'rule'>): string | undefined {
  if (row.match === undefined) return row.rule === undefined ? undefined : `rule ${row.rule}`
  return describeMatch(row.match)
}

function describeShadow(row: RoutingTableRow, rename: (name: string) => string): string | undefined {
  const shadow = row.shadowedBy
  if (shadow === undefined) return undefined
  const who = shadow.route !== undefined
    ? `${shadow.route.kind} ${rename(shadow.route.namespace)}/${shadow.route.name}${shadow.route.rule === undefined ? '' : ` rule ${shadow.route.rule}`}`
    : `listener ${shadow.listener ?? '?'}`
  return `${who}: ${shadow.why}`
}

function collectRows(analysis: Pick<Analysis, 'binding'>, rename: (name: string) => string, readCertificate: CollectOptions['readCertificate']): DiffRow[] {
  const certificates = new Map<string, CertificateBinding>()
  for (const gateway of analysis.binding.gateways) {
    for (const listener of gatewayListeners(gateway)) {
      const key = `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}/${listener.spec.name}`
      const certificate = listener.certificates.find((entry) => entry.usable || entry.missing)
      if (certificate !== undefined && !certificates.has(key)) certificates.set(key, certificate)
    }
  }
  const certificateOf = (row: RoutingTableRow): DiffCertificate | undefined => {
    if (row.certificate === undefined) return undefined
    const binding = certificates.get(`${row.gateway.namespace}/${row.gateway.name}/${row.listener}`)
    const read: DiffCertificate = binding !== undefined && readCertificate !== undefined ? readCertificate(binding) : {secret: row.certificate}
    const slash = read.secret.indexOf('/')
    return {...read, secret: `${rename(read.secret.slice(0, slash))}${read.secret.slice(slash)}`}
  }
  return listRoutingTable(analysis.binding).map((row) => {
    const match = describeRowMatch(row)
    const shadowedBy = describeShadow(row, rename)
    const certificate = certificateOf(row)
    return {
      port: row.port,
      gateway: {namespace: rename(row.gateway.namespace), name: row.gateway.name},
      listener: row.listener,
      hostname: row.hostname,
      ...(row.route === undefined ? {} : {route: {kind: row.route.kind, namespace: rename(row.route.namespace), name: row.route.name}}),
      ...(match === undefined ? {} : {match}),
      state: {
        protocol: row.protocol,
        ...(row.mode === undefined ? {} : {mode: row.mode}),
        ready: row.ready,
        backends: row.backends.map((backend) => ({
          kind: backend.kind,
          backend: `${rename(backend.namespace)}/${backend.name}${backend.port === undefined ? '' : `:${backend.port}`}`,
          share: backend.weight,
          valid: backend.valid,
        })),
        ...(certificate === undefined ? {} : {certificate}),
        ...(shadowedBy === undefined ? {} : {shadowedBy}),
      },
    }
  })
}

function describeParent(ref: ParentReference, rename: (name: string) => string): string {
  return `parent ${ref.kind} ${rename(ref.namespace)}/${ref.name}${ref.sectionName === undefined ? '' : `/${ref.sectionName}`}${ref.port === undefined ? '' : `:${ref.port}`}`
}

function collectConditions(analysis: Pick<Analysis, 'binding'>, rename: (name: string) => string): DiffCondition[] {
  const out: DiffCondition[] = []
  const add = (resource: DiffResourceRef, scope: string | undefined, conditions: readonly Condition[]): void => {
    for (const condition of conditions) {
      out.push({
        resource: renameResource(resource, rename), ...(scope === undefined ? {} : {scope}), type: condition.type,
        state: {status: condition.status, reason: condition.reason, message: condition.message},
      })
    }
  }
  const {binding} = analysis
  for (const entry of binding.gatewayClasses) add({kind: 'GatewayClass', name: entry.gatewayClass.meta.name}, undefined, entry.conditions)
  for (const gateway of binding.gateways) {
    const resource = {kind: 'Gateway', namespace: gateway.gateway.meta.namespace, name: gateway.gateway.meta.name}
    add(resource, undefined, gateway.conditions)
    for (const listener of gateway.listeners) add(resource, `listener ${listener.spec.name}`, listener.conditions)
  }
  for (const listenerSet of binding.listenerSets) {
    const resource = {kind: 'ListenerSet', namespace: listenerSet.listenerSet.meta.namespace, name: listenerSet.listenerSet.meta.name}
    add(resource, undefined, listenerSet.conditions)
    for (const listener of listenerSet.listeners) add(resource, `listener ${listener.spec.name}`, listener.conditions)
  }
  for (const route of binding.routes) {
    const resource = {kind: route.route.kind, namespace: route.route.meta.namespace, name: route.route.meta.name}
    for (const parent of route.parents) add(resource, describeParent(parent.ref, rename), parent.conditions)
  }
  for (const policy of binding.policies) {
    const resource = {kind: policy.policy.meta.kind, namespace: policy.policy.meta.namespace, name: policy.policy.meta.name}
    for (const gateway of policy.ancestors) add(resource, `ancestor Gateway ${rename(gateway.gateway.meta.namespace)}/${gateway.gateway.meta.name}`, policy.conditions)
  }
  return out
}

function collectResources(analysis: Pick<Analysis, 'objects'>, rename: (name: string) => string): DiffResourceRef[] {
  const seen = new Map<string, DiffResourceRef>()
  for (const object of analysis.objects) {
    if (object.name === '') continue
    const resource = renameResource(isClusterScoped(object.apiVersion, object.kind)
      ? {kind: object.kind, name: object.name}
      : {kind: object.kind, namespace: object.namespace, name: object.name}, rename)
    seen.set(describeResourceKey(resource), resource)
  }
  return [...seen.values()]
}

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export function describeResourceKey(resource: DiffResourceRef): string {
  return resource.namespace === undefined ? `${resource.kind} ${resource.name}` : `${resource.kind} ${resource.namespace}/${resource.name}`
}
