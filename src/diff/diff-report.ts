/**
 * What `gwctl diff` reports, and the shape of `gwctl diff -o json`
 * (version 1, documented in docs/output-contracts.md): routing rows added,
 * removed or changed (what traffic sees), status conditions that flip, and
 * findings that appear or are fixed. Plain data: renderers print it, the
 * command's exit status reads `summary.trafficChanged`.
 */
import type {Severity} from '../findings/finding.js'

export const DIFF_REPORT_VERSION = 1

/** A backend of a routing row: `NS/NAME:PORT` and its share of the row's traffic in percent. */
export interface DiffBackend {
  kind: string
  backend: string
  share: number
  valid: boolean
}

/** The certificate a terminating listener presents (undefined fields: not known, see `note`). */
export interface DiffCertificate {
  secret: string
  subject?: string
  subjectAltNames?: string[]
  notAfter?: string
  note?: string
}

/** What a routing row does with the traffic it takes. */
export interface DiffRowState {
  protocol: string
  mode?: string
  /** The listener is accepted and programmed. */
  ready: boolean
  backends: DiffBackend[]
  certificate?: DiffCertificate
  /** Who takes this row's traffic instead (the row never receives any), or undefined. */
  shadowedBy?: string
}

/** Which parts of a changed row differ. */
export type RowAspect = 'protocol' | 'ready' | 'backends' | 'certificate' | 'shadowed'

export interface DiffRouteRef {
  kind: string
  namespace: string
  name: string
}

/** A routing row's identity: port → Gateway/listener → hostname → route (and match). */
export interface DiffRowKey {
  port: number
  gateway: {namespace: string; name: string}
  listener: string
  hostname: string
  /** Undefined: a listener with no route attached. */
  route?: DiffRouteRef
  /** HTTPRoute match (`PathPrefix /api GET headers x-canary`), or `rule N` for a rule without matches (GRPCRoute). */
  match?: string
}

export interface RouteChange extends DiffRowKey {
  change: 'added' | 'removed' | 'changed'
  old?: DiffRowState
  new?: DiffRowState
  /** For `changed`: what differs. */
  aspects?: RowAspect[]
}

export interface DiffResourceRef {
  kind: string
  namespace?: string
  name: string
}

/** A condition as compared: status and reason (messages are shown, not compared). */
export interface DiffConditionState {
  status: string
  reason: string
  message: string
}

export interface ConditionChange {
  resource: DiffResourceRef
  /** Where the condition sits: `listener NAME`, `parent Gateway NS/NAME[/SECTION][:PORT]`, `ancestor Gateway NS/NAME`; undefined: the object's own conditions. */
  scope?: string
  type: string
  /** Undefined: the condition is not set on that side (the parent or listener went away or is new). */
  old?: DiffConditionState
  new?: DiffConditionState
}

export interface DiffFinding {
  ruleId: string
  severity: Severity
  message: string
  resource?: DiffResourceRef
  field?: string
  file: string
  line: number
  column: number
}

export interface DiffSideSummary {
  /** What was read: the paths given, or `git REF: PATHS`. */
  source: string
  files: number
  resources: number
  /** Errors of category input or schema: the API server would reject this set. */
  blockingErrors: number
  /** Files left out, and why: found but holding no Kubernetes object, excluded, a gwctl test file, a symbolic link or submodule at a git ref. */
  skipped: Array<{file: string; reason: string}>
}

export interface DiffReport {
  version: typeof DIFF_REPORT_VERSION
  old: DiffSideSummary
  new: DiffSideSummary
  summary: {
    /** Routing rows were added, removed or changed: what `--exit-code` reports. */
    trafficChanged: boolean
    routes: {added: number; removed: number; changed: number}
    resources: {added: number; removed: number}
    conditions: number
    findings: {appeared: number; fixed: number}
  }
  routes: RouteChange[]
  /** Gateway API objects present on one side only. */
  resources: {added: DiffResourceRef[]; removed: DiffResourceRef[]}
  conditions: ConditionChange[]
  findings: {appeared: DiffFinding[]; fixed: DiffFinding[]}
}
