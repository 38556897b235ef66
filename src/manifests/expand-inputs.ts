/**
 * The paths a user gives, to the files to read, in order. A path that exists
 * is taken as it is: a file (of any extension, as kubectl reads it), or a
 * directory walked recursively for *.yaml, *.yml and *.json files, skipping
 * hidden entries and node_modules. A path that does not exist but has glob
 * syntax (`manifests/**\/*.yaml`) is expanded with the same filters. `-` is
 * stdin. Files come in walk order (names sorted per directory, code-unit
 * order), inputs in the order given, and each file once however often it is
 * named (symbolic links resolved). A path that yields nothing is an
 * `input-unreadable` finding and makes the load fatal. `exclude` globs (see
 * exclude-patterns.ts) drop what directories and globs expand to; a path
 * named explicitly is always read.
 */
import {readdir, realpath, stat} from 'node:fs/promises'
import path from 'node:path'
import {glob, isDynamicPattern} from 'tinyglobby'
import type {Finding} from '../findings/finding.js'
import {formatDisplayPath, STDIN_NAME} from './display-path.js'
import {createInputFinding} from './input-rules.js'
import {compileExcludePatterns, type ExcludePredicate} from './exclude-patterns.js'
import {describeReadError} from './read-input.js'

export type InputTarget =
  | {kind: 'stdin'; display: string}
  | {kind: 'file'; path: string; display: string}

export interface ExpandedInputs {
  targets: InputTarget[]
  findings: Finding[]
  fatal: boolean
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])
const MANIFEST_FILES = '*.yaml, *.yml or *.json'
const URL_PATTERN = /^[a-z][a-z\d+.-]*:\/\//i

interface Expansion {
  cwd: string
  targets: InputTarget[]
  findings: Finding[]
  /** Real paths of the files taken so far, and `-`. */
  seen: Set<string>
  isExcluded: ExcludePredicate
}

interface FoundFile {
  path: string
  realPath: string
}

export interface ExpandOptions {
  /** Globs of paths to leave out; relative ones are taken from `cwd`. */
  exclude?: readonly string[]
}

export async function expandInputs(inputs: readonly string[], cwd: string, options: ExpandOptions = {}): Promise<ExpandedInputs> {
  const expansion: Expansion = {cwd, targets: [], findings: [], seen: new Set(), isExcluded: compileExcludePatterns(options.exclude ?? [], cwd)}
  for (const input of inputs) await expandInput(expansion, input)
  return {targets: expansion.targets, findings: expansion.findings, fatal: expansion.findings.length > 0}
}

async function expandInput(expansion: Expansion, input: string): Promise<void> {
  if (input === '-') {
    if (!expansion.seen.has('-')) expansion.targets.push({kind: 'stdin', display: STDIN_NAME})
    expansion.seen.add('-')
    return
  }
  if (URL_PATTERN.test(input)) {
    fail(expansion, input, 'URLs are not fetched: download the file and name it instead')
    return
  }
  const absolute = path.resolve(expansion.cwd, input)
  const display = formatDisplayPath(absolute, expansion.cwd)
  let stats
  try {
    stats = await stat(absolute)
  } catch (error) {
    if (isNotFound(error) && isDynamicPattern(input)) await expandGlob(expansion, input)
    else fail(expansion, display, `cannot read: ${describeReadError(error)}`)
    return
  }
  if (!stats.isDirectory()) {
    addFiles(expansion, [{path: absolute, realPath: await resolveRealPath(absolute)}])
    return
  }
  const found: FoundFile[] = []
  await walkDirectory(expansion, absolute, await resolveRealPath(absolute), new Set(), found)
  if (found.length === 0 && !expansion.findings.some(finding => finding.file === display)) {
    fail(expansion, display, `directory has no ${MANIFEST_FILES} files (hidden entries, node_modules and excluded paths are skipped)`)
  }
  addFiles(expansion, found)
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
    if (expansion.isExcluded(entryPath, directory)) continue
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
    else if (isFile && hasManifestExtension(entry.name)) found.push({path: entryPath, realPath})
  }
}

async function expandGlob(expansion: Expansion, pattern: string): Promise<void> {
  const {base, rest} = splitGlobBase(pattern)
  let matches: string[]
  try {
    matches = await glob(rest, {
      cwd: path.resolve(expansion.cwd, base), absolute: true, dot: false, onlyFiles: true, followSymbolicLinks: true,
      expandDirectories: false, ignore: rest.includes('node_modules') ? [] : ['**/node_modules/**'],
    })
  } catch (error) {
    fail(expansion, pattern, `cannot expand the pattern: ${describeReadError(error)}`)
    return
  }
  const root = path.resolve(expansion.cwd, base)
  const files = matches.filter(match => hasManifestExtension(match) && !expansion.isExcluded(match, root)).sort(compareWalkOrder)
  if (files.length === 0) {
    fail(expansion, pattern, `no ${MANIFEST_FILES} file matches this pattern (excluded paths left out)`)
    return
  }
  const found: FoundFile[] = []
  for (const file of files) found.push({path: file, realPath: await resolveRealPath(file)})
  addFiles(expansion, found)
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

function addFiles(expansion: Expansion, files: readonly FoundFile[]): void {
  for (const file of files) {
    if (expansion.seen.has(file.realPath)) continue
    expansion.seen.add(file.realPath)
    expansion.targets.push({kind: 'file', path: file.path, display: formatDisplayPath(file.path, expansion.cwd)})
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
  return name.startsWith('.') || name === 'node_modules'
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
