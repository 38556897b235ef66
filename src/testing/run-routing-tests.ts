/**
 * `gwctl test`, the service: find the test files (find-test-files.ts), read
 * and validate them (read-test-file.ts), analyze the manifests once (the
 * pipeline lint, resolve and serve share), settle each test's Gateway
 * (check-routing-tests.ts), then run every test through one executor and
 * compare what it observed with what the test expects
 * (compare-observation.ts). The executor is any TestExecutor: offline (the
 * engine) by default; `createExecutor` plugs in another (live, target),
 * started once before the first test and closed after the last, also on
 * failure.
 *
 * Bad input is never a failed test: a malformed test file, an unknown
 * Gateway or port, or unreadable manifests come back as `problems` (exit
 * 2). Manifests the API server would reject (schema errors) fail the tests
 * that touch the rejected objects, with those errors as the cause, since the
 * routing they describe cannot be applied (one broken set does not fail the
 * tests of another loaded with it). A failed test carries the findings
 * about the objects its observation or expectation names (its Gateway, the
 * routes in its trace, the Services it expects): the cause, in lint's words.
 */
import {access, readFile} from 'node:fs/promises'
import path from 'node:path'
import {suggestName} from '../errors/suggest-name.js'
import {UserError} from '../errors/user-error.js'
import {gatewayListeners} from '../gatewayapi/decide.js'
import type {Finding} from '../findings/finding.js'
import {formatDisplayPath} from '../manifests/display-path.js'
import type {Analysis, AnalyzeOptions} from '../pipeline/analyze.js'
import {compareObservation, type ComparedTest, type ExpectationCheck} from './compare-observation.js'
import {settleTestGateways} from './check-routing-tests.js'
import {findTestFiles} from './find-test-files.js'
import type {TestFileProblem} from './read-test-file.js'
import type {RoutingTest, TestExecutor, TestObservation} from './routing-test.js'

/** A started executor: how it answers, its share tolerance, and how to stop it. */
export interface ExecutorHandle {
  /** `offline`, `live`, `target`: named in reports. */
  name: string
  execute: TestExecutor
  /** Percentage points weighted shares may differ by (0: exact). */
  tolerance?: number
  close?: () => Promise<void>
  /** What the executor set up (serve processes and their listeners, target addresses), for the report's header. */
  describe?: () => string[]
}

export interface ExecutorContext {
  analysis: Analysis
  /** The manifest paths the tests are written for (PATHS without the test files). */
  manifestPaths: readonly string[]
  tests: readonly RoutingTest[]
  now: Date
  /** The directory test locations (and so clientCertificate paths, relative to their test file) are relative to. */
  cwd: string
}

export type ExecutorFactory = (context: ExecutorContext) => Promise<ExecutorHandle>

export interface RunTestsOptions extends AnalyzeOptions {
  paths: readonly string[]
  /** `--tests FILE|DIR` values. */
  tests?: readonly string[]
  cwd: string
  now?: Date
  /** `--gateway`: tests that name no Gateway test this one; tests of other Gateways are left out. */
  gateway?: {namespace: string; name: string}
  createExecutor?: ExecutorFactory
}

export interface TestCause {
  ruleId: string
  severity: string
  message: string
  file: string
  line: number
  column: number
}

export type TestStatus = 'passed' | 'failed' | 'not-checkable'

export interface TestResult {
  name: string
  file: string
  line: number
  column: number
  status: TestStatus
  request: RoutingTest['request']
  expect: RoutingTest['expect']
  checks: ExpectationCheck[]
  observed: Omit<TestObservation, 'trace'>
  trace: string[]
  /** Findings about what the test touches (failed tests only). */
  causes: TestCause[]
}

export interface TestReport {
  version: 1
  executor: string
  /** What a live or target executor ran against (serve commands and listener addresses, target addresses). */
  executorDetails?: string[]
  summary: {files: number; tests: number; passed: number; failed: number; notCheckable: number}
  results: TestResult[]
}

export type RunTestsOutcome = {problems: TestFileProblem[]; report?: undefined} | {problems?: undefined; report: TestReport}

export interface LoadedTests {
  testFiles: string[]
  tests: RoutingTest[]
  positions: Array<Record<string, {line: number; column: number}>>
  problems: TestFileProblem[]
  manifestPaths: string[]
}

/** Find and read the test files (no manifests yet). */
export async function loadTestFiles(options: {paths: readonly string[]; tests?: readonly string[]; cwd: string; exclude?: readonly string[]; defaultNamespace?: string}): Promise<LoadedTests> {
  const found = await findTestFiles(options.paths, options.tests ?? [], {cwd: options.cwd, exclude: options.exclude})
  const {readTestFile} = await import('./read-test-file.js')
  const loaded: LoadedTests = {testFiles: [], tests: [], positions: [], problems: [], manifestPaths: found.manifestPaths}
  for (const file of found.testFiles) {
    const display = formatDisplayPath(file, options.cwd)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new UserError('input', `cannot read the test file: ${(error as Error).message}`, {file: display})
    }
    const read = readTestFile(text, display, {defaultNamespace: options.defaultNamespace})
    loaded.testFiles.push(display)
    loaded.tests.push(...read.tests)
    loaded.positions.push(...read.positions)
    loaded.problems.push(...read.problems)
  }
  return loaded
}

export async function runRoutingTests(options: RunTestsOptions): Promise<RunTestsOutcome> {
  const now = options.now ?? new Date()
  const loaded = await loadTestFiles({...options})
  if (loaded.problems.length > 0) return {problems: loaded.problems}
  if (loaded.testFiles.length === 0) {
    throw new UserError('usage', `no test file (*.gwctl-test.yaml) in ${options.paths.length === 0 ? 'the current directory' : options.paths.join(', ')}`,
      {hint: 'gwctl test --init writes one from today\'s routing table; --tests names one elsewhere'})
  }
  const {analyzeManifests, assertUsable} = await import('../pipeline/analyze.js')
  const analysis = await analyzeManifests(loaded.manifestPaths, {...options, now, cwd: options.cwd, checkCertificates: true})
  if (analysis.fatal) assertUsable(analysis)
  const chosen = narrowToGateway(loaded, options.gateway, analysis, options.cwd)
  const settled = settleTestGateways(chosen.tests, chosen.positions, analysis, {cwd: options.cwd})
  const problems = [...settled.problems, ...(await checkClientCertificateFiles(settled.tests, loaded, options.cwd))]
  if (problems.length > 0) return {problems}

  const factory = options.createExecutor ?? (async ({analysis: analyzed, now: clock, cwd}: ExecutorContext): Promise<ExecutorHandle> => {
    const {createOfflineExecutor} = await import('./offline-executor.js')
    return {name: 'offline', execute: createOfflineExecutor(analyzed, clock, cwd), tolerance: 0}
  })
  const executor = await factory({analysis, manifestPaths: loaded.manifestPaths, tests: settled.tests, now, cwd: options.cwd})
  const results: TestResult[] = []
  const executorDetails = executor.describe?.() ?? []
  try {
    for (const test of settled.tests) {
      const observation = await executor.execute(test)
      const compared = compareObservation(test.expect, observation, {now, tolerance: executor.tolerance})
      results.push(buildResult(test, observation, withRejection(noteUnknownNames(compared, test, analysis), test, observation, analysis), analysis))
    }
  } finally {
    await executor.close?.()
  }
  const count = (status: TestStatus) => results.filter((result) => result.status === status).length
  return {report: {
    version: 1,
    executor: executor.name,
    ...(executorDetails.length === 0 ? {} : {executorDetails}),
    summary: {files: loaded.testFiles.length, tests: results.length, passed: count('passed'), failed: count('failed'), notCheckable: count('not-checkable')},
    results,
  }}
}

/**
 * `--gateway`: the tests of that Gateway — those naming it, and those naming
 * none that settle on it or on no Gateway by themselves (they are given it).
 */
function narrowToGateway(loaded: LoadedTests, gateway: RunTestsOptions['gateway'], analysis: Analysis, cwd: string): Pick<LoadedTests, 'tests' | 'positions'> {
  if (gateway === undefined) return loaded
  const same = (named: {namespace: string; name: string}) => named.namespace === gateway.namespace && named.name === gateway.name
  const tests: RoutingTest[] = []
  const positions: LoadedTests['positions'] = []
  loaded.tests.forEach((test, index) => {
    const named = test.request.gateway ?? settleTestGateways([test], [loaded.positions[index]], analysis, {cwd}).tests[0]?.request.gateway
    if (named !== undefined && !same(named)) return
    tests.push({...test, request: {...test.request, gateway}})
    positions.push(loaded.positions[index])
  })
  return {tests, positions}
}

/**
 * A failed check whose expected listener, route, backend Service or Secret
 * is nowhere in the manifests says so, with the closest name that is: most
 * often a typo in the test, else the object is missing.
 */
function noteUnknownNames(compared: ComparedTest, test: RoutingTest, analysis: Analysis): ComparedTest {
  const objects = (kinds: readonly string[]) => analysis.objects.filter((object) => kinds.includes(object.kind))
  const gateway = analysis.binding.gateways.find((entry) => entry.gateway.meta.namespace === test.request.gateway?.namespace && entry.gateway.meta.name === test.request.gateway?.name)
  const known: Record<string, {what: string; names: string[]; read: (expected: unknown) => string[]}> = {
    listener: {what: 'listener', names: gateway === undefined ? [] : gatewayListeners(gateway).map((listener) => listener.spec.name), read: (expected) => [String(expected)]},
    route: {what: 'route', names: objects(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']).map((object) => `${object.kind} ${object.namespace}/${object.name}`), read: (expected) => [String(expected)]},
    backend: {what: 'Service', names: objects(['Service']).map((object) => `${object.namespace}/${object.name}`), read: (expected) => [String(expected).slice(0, String(expected).lastIndexOf(':'))]},
    backends: {what: 'Service', names: objects(['Service']).map((object) => `${object.namespace}/${object.name}`), read: (expected) => Object.keys(expected as object).map((entry) => entry.slice(0, entry.lastIndexOf(':')))},
    'certificate.secret': {what: 'Secret', names: objects(['Secret']).map((object) => `${object.namespace}/${object.name}`), read: (expected) => [String(expected)]},
  }
  return {...compared, checks: compared.checks.map((check) => {
    const names = known[check.key]
    if (check.outcome !== 'failed' || names === undefined) return check
    const unknown = names.read(check.expected).filter((name) => !names.names.includes(name))
    if (unknown.length === 0) return check
    const suggestion = suggestName(unknown[0], names.names)
    const where = check.key === 'listener' ? ` on Gateway ${test.request.gateway?.namespace}/${test.request.gateway?.name}` : ''
    const note = `no ${names.what} ${unknown[0]}${where} in the manifests${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`
    return {...check, note: check.note === undefined ? note : `${check.note}; ${note}`}
  })}
}

/**
 * Manifests the API server would reject fail a test that touches them (its
 * Gateway, a route of its trace or expectation, ...): the routing they
 * describe cannot be applied.
 */
function withRejection(compared: ComparedTest, test: RoutingTest, observation: TestObservation, analysis: Analysis): ComparedTest {
  const touches = createTouchCheck(test, observation)
  const rejected = analysis.blocking.filter((finding) => finding.resource === undefined || touches(finding))
  if (rejected.length === 0) return compared
  const [first] = rejected
  return {verdict: 'failed', checks: [
    {key: 'manifests', expected: 'accepted by the API server', actual: `${rejected.length} rejected`, outcome: 'failed',
      note: `${first.file}:${first.line}:${first.column}: ${first.message} [${first.ruleId}]${rejected.length > 1 ? ` (and ${rejected.length - 1} more)` : ''}`},
    ...compared.checks,
  ]}
}

function buildResult(test: RoutingTest, observation: TestObservation, compared: ComparedTest, analysis: Analysis): TestResult {
  const {trace, ...observed} = observation
  if (observed.notCheckable !== undefined && Object.keys(observed.notCheckable).length === 0) delete observed.notCheckable
  return {
    name: test.name, file: test.location.file, line: test.location.line, column: test.location.column,
    status: compared.verdict, request: test.request, expect: test.expect, checks: compared.checks, observed, trace,
    causes: compared.verdict === 'failed' ? findCauses(test, observation, analysis) : [],
  }
}

/**
 * Whether a finding is about what a test touches: its Gateway, any object
 * its trace or expectation names (`Kind ns/name`), the Services it expects
 * traffic at, the Secret it expects.
 */
function createTouchCheck(test: RoutingTest, observation: TestObservation): (finding: Finding) => boolean {
  const gateway = test.request.gateway
  const text = [...observation.trace, test.expect.route ?? '', observation.route ?? ''].join('\n')
  const services = [test.expect.backend, ...Object.keys(test.expect.backends ?? {})].filter((entry) => entry !== undefined).map((entry) => entry.slice(0, entry.lastIndexOf(':')))
  const secret = test.expect.certificate?.secret
  return (finding) => {
    const resource = finding.resource
    if (resource === undefined) return false
    const id = `${resource.namespace ?? ''}/${resource.name}`
    if (resource.kind === 'Gateway' && gateway !== undefined && id === `${gateway.namespace}/${gateway.name}`) return true
    if (resource.kind === 'Service' && services.includes(id)) return true
    if (resource.kind === 'Secret' && secret === id) return true
    return text.includes(`${resource.kind} ${id}`)
  }
}

/** Findings (errors and warnings) about what a test touches: the cause of its failure, in lint's words. */
export function findCauses(test: RoutingTest, observation: TestObservation, analysis: Pick<Analysis, 'findings' | 'blocking'>): TestCause[] {
  const touches = createTouchCheck(test, observation)
  const relevant = (finding: Finding): boolean => (finding.severity === 'error' || finding.severity === 'warning') && touches(finding)
  const seen = new Set<string>()
  return [...analysis.blocking, ...analysis.findings].filter(relevant).flatMap((finding) => {
    const key = `${finding.file}:${finding.line}:${finding.column}:${finding.ruleId}`
    if (seen.has(key)) return []
    seen.add(key)
    return [{ruleId: finding.ruleId, severity: finding.severity, message: finding.message, file: finding.file, line: finding.line, column: finding.column}]
  })
}

/** Client-certificate files are relative to the test file and must be readable. */
async function checkClientCertificateFiles(tests: readonly RoutingTest[], loaded: LoadedTests, cwd: string): Promise<TestFileProblem[]> {
  const problems: TestFileProblem[] = []
  for (const test of tests) {
    const files = test.request.clientCertificate
    if (files === undefined) continue
    const index = loaded.tests.findIndex((entry) => entry.location === test.location)
    for (const key of ['certificate', 'key'] as const) {
      const file = path.resolve(cwd, path.dirname(test.location.file), files[key])
      try {
        await access(file)
      } catch {
        const position = loaded.positions[index]?.[`request.clientCertificate.${key}`] ?? test.location
        problems.push({file: test.location.file, line: position.line, column: position.column, message: `test '${test.name}': clientCertificate.${key} ${files[key]} cannot be read (paths are relative to the test file)`})
      }
    }
  }
  return problems
}
