/**
 * `gwctl test --init` and `gwctl test --update`, the services. init writes
 * a new test file from today's routing table (generate-tests.ts) and never
 * overwrites one without force (with it, the replaced file's backendHeader
 * is kept); update rewrites the expectations of the
 * test files found (write-test-file.ts), after an intended change, and
 * appends tests for the parts of the routing table no test exercises yet
 * (a listener, route, rule and match; a client without SNI, an unrouted
 * name per port) — to the test file next to the Gateway (in the directory
 * tree that defines it), else to the first file. Both refuse manifests the API server would
 * reject: the routing they describe is not today's.
 */
import {readFile, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {UserError} from '../errors/user-error.js'
import {formatDisplayPath} from '../manifests/display-path.js'
import type {Analysis, AnalyzeOptions} from '../pipeline/analyze.js'
import type {TestFileProblem} from './read-test-file.js'
import type {RoutingTest} from './routing-test.js'
import {loadTestFiles} from './run-routing-tests.js'

export const DEFAULT_TEST_FILE = 'routing.gwctl-test.yaml'

export interface MaintainOptions extends AnalyzeOptions {
  paths: readonly string[]
  tests?: readonly string[]
  cwd: string
  now?: Date
  gateway?: {namespace: string; name: string}
  force?: boolean
}

async function analyzeUsable(paths: readonly string[], options: MaintainOptions, now: Date): Promise<Analysis> {
  const {analyzeManifests, assertUsable} = await import('../pipeline/analyze.js')
  const analysis = await analyzeManifests(paths, {...options, now, checkCertificates: false})
  assertUsable(analysis)
  return analysis
}

async function isDirectory(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isDirectory() ?? false
}

/** Where --init writes: --tests FILE (or DIR/routing.gwctl-test.yaml), else next to the first PATH. */
async function chooseInitFile(options: MaintainOptions): Promise<string> {
  if ((options.tests ?? []).length > 1) throw new UserError('usage', '--init writes one test file: give --tests once')
  const named = options.tests?.[0]
  if (named !== undefined) {
    const absolute = path.resolve(options.cwd, named)
    return (await isDirectory(absolute)) ? path.join(absolute, DEFAULT_TEST_FILE) : absolute
  }
  const first = options.paths.find((entry) => entry !== '-')
  if (first === undefined) return path.join(options.cwd, DEFAULT_TEST_FILE)
  const absolute = path.resolve(options.cwd, first)
  return path.join((await isDirectory(absolute)) ? absolute : path.dirname(absolute), DEFAULT_TEST_FILE)
}

export async function initTestFile(options: MaintainOptions): Promise<{file: string; tests: number; leftOut: number}> {
  const now = options.now ?? new Date()
  const file = await chooseInitFile(options)
  const display = formatDisplayPath(file, options.cwd)
  const existing = (await stat(file).catch(() => undefined)) === undefined ? undefined : await readFile(file, 'utf8')
  if (!options.force && existing !== undefined) {
    throw new UserError('exists', 'the test file exists', {file: display, hint: 'use --update to rewrite its expectations, or --force to overwrite it'})
  }
  const analysis = await analyzeUsable(options.paths, options, now)
  const {generateTests} = await import('./generate-tests.js')
  const {renderTestFile} = await import('./write-test-file.js')
  const {tests, leftOut} = await generateTests(analysis, {now, gateway: options.gateway})
  if (tests.length === 0) throw new UserError('input', 'the manifests hold no Gateway listener to write tests for', {hint: 'gwctl resolve --table shows the routing table'})
  const header = [
    `Written by gwctl test --init on ${now.toISOString().slice(0, 10)} from the routing table of the manifests in: ${options.paths.length === 0 ? '.' : options.paths.join(' ')}`,
    'Each expectation states today\'s routing: review it against the intended one before committing.',
    ...(leftOut > 0 ? [`${leftOut} RegularExpression match${leftOut === 1 ? ' has' : 'es have'} no test: write one by hand.`] : []),
  ]
  await writeFile(file, renderTestFile(tests, header, {backendHeader: existing === undefined ? undefined : await readBackendHeaderSetting(existing)}))
  return {file: display, tests: tests.length, leftOut}
}

/**
 * The `backendHeader` of the test file --init --force replaces, when it is a
 * valid one: kept, since it says how the real backends name themselves,
 * which the routing table does not.
 */
async function readBackendHeaderSetting(text: string): Promise<string | undefined> {
  const [{parseDocument}, {HEADER_NAME_PATTERN}] = await Promise.all([import('yaml'), import('./routing-tests-schema.js')])
  const value: unknown = parseDocument(text).get('backendHeader')
  return typeof value === 'string' && new RegExp(HEADER_NAME_PATTERN).test(value) ? value : undefined
}

export interface UpdatedFile {
  file: string
  changed: number
  added: number
}

export async function updateTestFiles(options: MaintainOptions): Promise<{problems: TestFileProblem[]; files?: undefined} | {problems?: undefined; files: UpdatedFile[]}> {
  const now = options.now ?? new Date()
  const loaded = await loadTestFiles(options)
  if (loaded.problems.length > 0) return {problems: loaded.problems}
  if (loaded.testFiles.length === 0) throw new UserError('usage', 'no test file (*.gwctl-test.yaml) to update', {hint: 'gwctl test --init writes one'})
  const analysis = await analyzeUsable(loaded.manifestPaths, options, now)
  const [{settleTestGateways}, {createOfflineExecutor, describeCoverage}, {expectationOf, generateTests}, {mergeExpectation, rewriteTestFile}] = await Promise.all([
    import('./check-routing-tests.js'), import('./offline-executor.js'), import('./generate-tests.js'), import('./write-test-file.js'),
  ])
  const settled = settleTestGateways(loaded.tests, loaded.positions, analysis, {cwd: options.cwd})
  if (settled.problems.length > 0) return {problems: settled.problems}
  const execute = createOfflineExecutor(analysis, now, options.cwd)
  const coverageOf = (test: Pick<RoutingTest, 'request'>) => describeCoverage(analysis, {...test, name: '', expect: {}, location: {file: '', line: 0, column: 0}})
  const covered = new Set(settled.tests.map(coverageOf))
  const generated = (await generateTests(analysis, {now, gateway: options.gateway})).tests.filter((test) => !covered.has(coverageOf(test)))
  const files: UpdatedFile[] = []
  for (const file of loaded.testFiles) {
    const updates = []
    for (const test of settled.tests.filter((entry) => entry.location.file === file)) {
      const index = loaded.tests.filter((entry) => entry.location.file === file).findIndex((entry) => entry.location === test.location)
      const observation = await execute(test)
      updates.push({index, expect: mergeExpectation(test.expect, expectationOf(observation), observation)})
    }
    const home = generated.filter((test) => chooseHome(test.request.gateway!, loaded.testFiles, analysis, options.cwd) === file)
    const absolute = path.resolve(options.cwd, file)
    const text = await readFile(absolute, 'utf8')
    const rewritten = rewriteTestFile(text, updates, home)
    if (rewritten.text !== text) await writeFile(absolute, rewritten.text)
    files.push({file, changed: rewritten.changed, added: home.length})
  }
  return {files}
}

/** The test file a new test of this Gateway goes to: the first in whose directory tree the Gateway is defined, else the first. */
function chooseHome(gateway: {namespace: string; name: string}, files: readonly string[], analysis: Pick<Analysis, 'objects'>, cwd: string): string {
  const defined = analysis.objects.find((object) => object.kind === 'Gateway' && object.namespace === gateway.namespace && object.name === gateway.name)?.file
  if (defined !== undefined) {
    const home = files.find((file) => !path.relative(path.dirname(path.resolve(cwd, file)), path.resolve(cwd, defined)).startsWith('..'))
    if (home !== undefined) return home
  }
  return files[0]
}
