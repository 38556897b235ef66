/**
 * Reads the machine-readable expectations of the fixture sets
 * (test/expectations/README.md) and checks computed status against them.
 * Shared by the lint, resolve and serve tests.
 */
import {strict as assert} from 'node:assert'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const FIXTURES = join(REPO_ROOT, 'fixtures')
const EXPECTATIONS = join(REPO_ROOT, 'test', 'expectations')

export interface ResourceKey {kind: string; namespace?: string; name: string}

export interface StatusExpectation {
  resource: ResourceKey
  listener?: string
  parent?: number
  parentCount?: number
  condition?: string
  status?: string
  reason?: string
  absent?: boolean
  attachedRoutes?: number
  supportedKinds?: string[]
}

export interface SmokeExpectation {
  sni?: string
  plaintext?: boolean
  port: number
  host?: string
  path?: string
  expect: {
    matched: boolean
    gateway?: {namespace: string; name: string}
    listener?: string
    mode?: string
    certificate?: {secret: string}
    route?: {kind: string; namespace: string; name: string}
    backends?: Array<{namespace: string; name: string; port: number; weight: number}>
    redirect?: {statusCode: number; location?: string}
    httpStatus?: number
  }
}

export interface FindingExpectation {
  ruleId: string
  severity: string
  category: string
  file: string
  line: number
  column: number
  field?: string
  resource?: ResourceKey
}

export interface ScenarioExpectations {
  scenario: string
  dir: string
  certsCreateFor: Array<{secret: string; dnsNames?: string[]}>
  requires?: string[]
  lint: {clean: boolean; files?: number; resources?: number}
  status: StatusExpectation[]
  smoke: SmokeExpectation[]
}

export interface BrokenExpectations {
  variant: string
  dir: string
  base: string
  mistake: string
  findings: FindingExpectation[]
  mayAlso?: string[]
  status: StatusExpectation[]
  smoke?: SmokeExpectation[]
}

function readAll<T>(kind: 'scenarios' | 'broken', key: 'scenario' | 'variant'): T[] {
  const dir = join(EXPECTATIONS, kind)
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort().map((name) => {
    const data = parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>
    return {status: [], smoke: [], certsCreateFor: [], ...data, dir: join(FIXTURES, kind, String(data[key]))} as T
  })
}

export function readScenarioExpectations(): ScenarioExpectations[] {
  return readAll<ScenarioExpectations>('scenarios', 'scenario')
}

export function readBrokenExpectations(): BrokenExpectations[] {
  return readAll<BrokenExpectations>('broken', 'variant')
}

interface StatusResource {
  kind: string
  metadata: {name: string; namespace?: string}
  status?: {
    conditions?: Array<{type: string; status: string; reason: string}>
    listeners?: Array<{name: string; attachedRoutes: number; supportedKinds: Array<{group: string; kind: string}>; conditions: Array<{type: string; status: string; reason: string}>}>
    parents?: Array<{conditions: Array<{type: string; status: string; reason: string}>}>
  }
}

function describe(expectation: StatusExpectation): string {
  const {resource} = expectation
  const where = expectation.listener === undefined ? (expectation.parent === undefined ? '' : ` parent ${expectation.parent}`) : ` listener ${expectation.listener}`
  return `${resource.kind} ${resource.namespace ?? ''}/${resource.name}${where}`
}

/** Assert one status expectation against the `resources` of `lint -o json` (or the same shape). */
export function assertStatusExpectation(resources: readonly StatusResource[], expectation: StatusExpectation): void {
  const {resource} = expectation
  const found = resources.find((candidate) => candidate.kind === resource.kind && candidate.metadata.name === resource.name
    && (resource.namespace === undefined || candidate.metadata.namespace === resource.namespace))
  assert.ok(found !== undefined, `${describe(expectation)}: resource not found`)
  const status = found.status ?? {}
  if (expectation.parentCount !== undefined) {
    assert.equal((status.parents ?? []).length, expectation.parentCount, `${describe(expectation)}: parent count`)
    return
  }
  let conditions = status.conditions ?? []
  if (expectation.listener !== undefined) {
    const listener = (status.listeners ?? []).find((entry) => entry.name === expectation.listener)
    assert.ok(listener !== undefined, `${describe(expectation)}: listener not in status`)
    if (expectation.attachedRoutes !== undefined) assert.equal(listener.attachedRoutes, expectation.attachedRoutes, `${describe(expectation)}: attachedRoutes`)
    if (expectation.supportedKinds !== undefined) {
      assert.deepEqual(listener.supportedKinds.filter((kind) => kind.group === 'gateway.networking.k8s.io').map((kind) => kind.kind), expectation.supportedKinds, `${describe(expectation)}: supportedKinds`)
    }
    conditions = listener.conditions
  } else if (expectation.parent !== undefined) {
    const parent = (status.parents ?? [])[expectation.parent]
    assert.ok(parent !== undefined, `${describe(expectation)}: no such parent status`)
    conditions = parent.conditions
  }
  if (expectation.condition === undefined) return
  const condition = conditions.find((entry) => entry.type === expectation.condition)
  if (expectation.absent === true) {
    assert.equal(condition, undefined, `${describe(expectation)}: ${expectation.condition} must be absent`)
    return
  }
  assert.ok(condition !== undefined, `${describe(expectation)}: no ${expectation.condition} condition`)
  if (expectation.status !== undefined) assert.equal(condition.status, expectation.status, `${describe(expectation)}: ${expectation.condition} status`)
  if (expectation.reason !== undefined) assert.equal(condition.reason, expectation.reason, `${describe(expectation)}: ${expectation.condition} reason`)
}
