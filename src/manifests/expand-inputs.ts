/**
 * The paths a user gives, to the files to read, in order. A path that exists
 * is taken as it is: a file (of any extension, as kubectl reads it), or a
 * directory walked recursively for *.yaml, *.yml and *.json files, skipping
 * hidden entries, node_modules and dist. A path that does not exist but has
 * glob syntax (`manifests/**\/*.yaml`) is expanded with the same filters.
 * `-` is stdin. Files come in walk order (names sorted per directory,
 * code-unit order), inputs in the order given, and each file once however
 * often it is named (symbolic links resolved). Each target says whether it
 * was named or found (by a walk or a glob): loading skips a found file that
 * holds no Kubernetes object. Excluded paths (see exclude-paths.ts) are left
 * out of walks and globs, and a named path that is excluded is listed as
 * skipped. gwctl test files (`*.gwctl-test.yaml`, routing-test-file.ts) are
 * not manifests: walks and globs leave them out silently (they sit next to
 * the manifests by design), and one named as an input is listed as skipped. A path that yields nothing is an `input-unreadable` finding and
 * makes the load fatal.
 */
import {readdir, realpath, stat} from 'node:fs/promises'
import path from 'node:path'
import {glob, isDynamicPattern} from 'tinyglobby'
import type {Finding} from '../findings/finding.js'
import {formatDisplayPath, STDIN_NAME} from './display-path.js'
import type {ExcludeMatcher} from './exclude-paths.js'
import {isRoutingTestFile, ROUTING_TEST_SKIP_REASON} from './routing-test-file.js'
import {createInputFinding} from './input-rules.js'
import {describeReadError} from './read-input.js'
import type {SkippedFile} from './source.js'

/** How a file came to be read: named by the user, or found in a directory or by a glob (`from`, as the user wrote it). */
export type TargetOrigin = {origin: 'named'} | {origin: 'found'; from: string}

export type InputTarget = TargetOrigin & (
  | {kind: 'stdin'; display: string}
  | {kind: 'file'; path: string; display: string})

export interface ExpandOptions {
  /** Paths to leave out. */
  exclude?: ExcludeMatcher
  /** How stdin is named in findings; `<stdin>` when absent. */
  stdinName?: string
}

export interface ExpandedInputs {
  targets: InputTarget[]
  findings: Finding[]
  /** Named paths left out because an exclude pattern matches them. */
  skipped: SkippedFile[]
  /** Per directory or glob (as written): the files it yielded, those an earlier input already took included. */
  foundCounts: Map<string, number>
  fatal: boolean
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])
const MANIFEST_FILES = '*.yaml, *.yml or *.json'
/** Directory names no walk or glob enters unless the path names them. */
const SKIPPED_DIRECTORIES = ['node_modules', 'dist']
const URL_PATTERN = /^[a-z][a-z\d+.-]*:\/\//i

interface Expansion {
  cwd: string
  options: ExpandOptions
  targets: InputTarget[]
  findings: Finding[]
  skipped: SkippedFile[]
  foundCounts: Map<string, number>
  /** Real paths of the files taken so far, and `-`. */
  seen: Set<string>
}

interface FoundFile {
  path: string
  realPath: string
}

export async function expandInputs(inputs: readonly string[], cwd: string, options: ExpandOptions = {}): Promise<ExpandedInputs> {
  const expansion: Expansion = {cwd, options, targets: [], findings: [], skipped: [], foundCounts: new Map(), seen: new Set()}
  for (const input of inputs) await expandInput(expansion, input)
  const {targets, findings, skipped, foundCounts} = expansion
  return {targets, findings, skipped, foundCounts, fatal: findings.length > 0}
}

async function expandInput(expansion: Expansion, input: string): Promise<void> {
  if (input === '-') {
    if (!expansion.seen.has('-')) expansion.targets.push({kind: 'stdin', display: expansion.options.stdinName ?? STDIN_NAME, origin: 'named'})
    expansion.seen.add('-')
    return
  }
  if (URL_PATTERN.test(input)) {
    fail(expansion, input, 'URLs are not fetched: download the file and name it instead')
    return
  }
  const absolute = path.resolve(expansion.cwd, input)
  const display = formatDisplayPath(absolute, expansion.cwd)
  const excludedBy = expansion.options.exclude?.(absolute)
  if (excludedBy !== undefined) {
    expansion.skipped.push({file: display, reason: `excluded by the pattern ${JSON.stringify(excludedBy)}`})
    return
  }
  let stats
  try {
    stats = await stat(absolute)
  } catch (error) {
    if (isNotFound(error) && isDynamicPattern(input)) await expandGlob(expansion, input)
    else fail(expansion, display, `cannot read: ${describeReadError(error)}`)
    return
  }
  if (!stats.isDirectory()) {
    if (isRoutingTestFile(absolute)) {
      expansion.skipped.push({file: display, reason: ROUTING_TEST_SKIP_REASON})
      return
    }
    addFiles(expansion, [{path: absolute, realPath: await resolveRealPath(absolute)}], {origin: 'named'})
    return
  }
  const found: FoundFile[] = []
  await walkDirectory(expansion, absolute, await resolveRealPath(absolute), new Set(), found)
  if (found.length === 0 && !expansion.findings.some(finding => finding.file === display)) {
    const skipped = ['hidden entries', ...SKIPPED_DIRECTORIES, 'gwctl test files (*.gwctl-test.yaml)', ...(expansion.options.exclude ? ['excluded paths'] : [])]
    fail(expansion, display, `directory has no ${MANIFEST_FILES} files (${skipped.slice(0, -1).join(', ')} and ${skipped.at(-1)} are skipped)`)
  }
  addFiles(expansion, found, {origin: 'found', from: display})
}

/** Depth first, entries in code-unit order of their names, as `find | sort` and kubectl's walk. */
async function walkDirectory(
  expansion: Expansion, directory: string, realDirectory: string, ancestors: Set<string>, found: FoundFile[],
): Promise<void> {
  let entries
  try {
    entries = await readdir(directory, {withFileTypes: true})
  } catch (error) {
    fail(expansion, formatDisplayPath(directory, expansion.cwd), `cannot read directory: ${describeReadError(error)}`)
    return
  }
  const inside = new Set(ancestors).add(realDirectory)
  for (const entry of entries.sort((a, b) => compareText(a.name, b.name))) {
    if (isSkipped(entry.name)) continue
    const entryPath = path.join(directory, entry.name)
    if (expansion.options.exclude?.(entryPath) !== undefined) continue
    let isDirectory = entry.isDirectory()
    let isFile = entry.isFile()
    let realPath = path.join(realDirectory, entry.name)
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(entryPath)
        isDirectory = target.isDirectory()
        isFile = target.isFile()
        realPath = await realpath(entryPath)
      } catch (error) {
        fail(expansion, formatDisplayPath(entryPath, expansion.cwd), `cannot read: ${describeReadError(error)}`)
        continue
      }
    }
    if (isDirectory && !inside.has(realPath)) await walkDirectory(expansion, entryPath, realPath, inside, found)
    else if (isFile && hasManifestExtension(entry.name) && !isRoutingTestFile(entry.name)) found.push({path: entryPath, realPath})
  }
}

async function expandGlob(expansion: Expansion, pattern: string): Promise<void> {
  const {base, rest} = splitGlobBase(pattern)
  let matches: string[]
  try {
    matches = await glob(rest, {
      cwd: path.resolve(expansion.cwd, base), absolute: true, dot: false, onlyFiles: true, followSymbolicLinks: true,
      expandDirectories: false, ignore: SKIPPED_DIRECTORIES.filter(name => !rest.includes(name)).map(name => `**/${name}/**`),
    })
  } catch (error) {
    fail(expansion, pattern, `cannot expand the pattern: ${describeReadError(error)}`)
    return
  }
  const exclude = expansion.options.exclude
  const files = matches.filter(match => hasManifestExtension(match) && !isRoutingTestFile(match) && exclude?.(match) === undefined).sort(compareWalkOrder)
  if (files.length === 0) {
    fail(expansion, pattern, `no ${MANIFEST_FILES} file matches this pattern${exclude ? ' (excluded paths are skipped)' : ''}`)
    return
  }
  const found: FoundFile[] = []
  for (const file of files) found.push({path: file, realPath: await resolveRealPath(file)})
  addFiles(expansion, found, {origin: 'found', from: pattern})
}

/**
 * The leading directories of a pattern that have no glob syntax, and the
 * rest: `../m/**\/*.yaml` is `../m` and `**\/*.yaml`. Globbing from the base
 * keeps the walk (and the node_modules filter) inside it.
 */
function splitGlobBase(pattern: string): {base: string; rest: string} {
  const segments = pattern.split('/')
  let staticCount = 0
  while (staticCount < segments.length - 1 && !isDynamicPattern(segments[staticCount])) staticCount++
  const base = segments.slice(0, staticCount).join('/')
  return {base: base === '' && pattern.startsWith('/') ? '/' : base || '.', rest: segments.slice(staticCount).join('/')}
}

function addFiles(expansion: Expansion, files: readonly FoundFile[], origin: TargetOrigin): void {
  if (origin.origin === 'found') expansion.foundCounts.set(origin.from, (expansion.foundCounts.get(origin.from) ?? 0) + files.length)
  for (const file of files) {
    if (expansion.seen.has(file.realPath)) continue
    expansion.seen.add(file.realPath)
    expansion.targets.push({kind: 'file', path: file.path, display: formatDisplayPath(file.path, expansion.cwd), ...origin})
  }
}

/** The real path, or the path itself when it cannot be resolved (reading it will then say why). */
async function resolveRealPath(file: string): Promise<string> {
  try {
    return await realpath(file)
  } catch {
    return file
  }
}

function fail(expansion: Expansion, file: string, message: string): void {
  expansion.findings.push(createInputFinding('input-unreadable', message, file, {line: 1, column: 1}))
}

function isSkipped(name: string): boolean {
  return name.startsWith('.') || SKIPPED_DIRECTORIES.includes(name)
}

function hasManifestExtension(name: string): boolean {
  return MANIFEST_EXTENSIONS.has(path.extname(name).toLowerCase())
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR')
}

/** The order of a depth-first walk with sorted entries: compare path segment by segment. */
function compareWalkOrder(a: string, b: string): number {
  const left = a.split(path.sep)
  const right = b.split(path.sep)
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return compareText(left[index], right[index])
  }
  return left.length - right.length
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
