/**
 * Loading, the first stage of every command: paths, directories, globs,
 * `-` (stdin) and `-f/--filename` values to the objects they hold and the
 * `input` findings about them. Files are read a few at a time ahead of the
 * parser but parsed in input order, so the result is the same on every run.
 * A file found by walking a directory or expanding a glob that holds no
 * Kubernetes object (package.json, a Helm values.yaml) is skipped, not an
 * error; a file named explicitly is always checked. `fatal` is set when
 * some input could not be used (see makesInputUnusable: missing,
 * unreadable, not text, too large, or a document that cannot be read as an
 * object): the command exits 2, since its findings cover only part of the
 * input.
 */
import type {Finding} from '../findings/finding.js'
import {decodeText} from './decode-text.js'
import {createExcludeMatcher} from './exclude-paths.js'
import {expandInputs, type InputTarget} from './expand-inputs.js'
import {splitFilenameFlag} from './filename-flag.js'
import {createInputFinding, makesInputUnusable} from './input-rules.js'
import {formatBytes, MAX_FILE_BYTES} from './limits.js'
import {parseManifestText} from './parse-manifest-text.js'
import {describeReadError, readFileBounded, readStreamBounded} from './read-input.js'
import type {LoadResult, SourceObject} from './source.js'

export interface LoadOptions {
  /** Namespace of objects without metadata.namespace (`-n/--namespace`); `default` when absent. */
  defaultNamespace?: string
  /** Directory relative paths and globs start from, and file names are shown relative to; process.cwd() when absent. */
  cwd?: string
  /** What `-` reads; process.stdin when absent. */
  stdin?: NodeJS.ReadableStream | string
  /** `-f/--filename` values, each possibly a comma-separated list as kubectl takes them; read after `inputs`. */
  filenames?: readonly string[]
  /** How `-` is named in findings (`--stdin-filename`); `<stdin>` when absent. */
  stdinFilename?: string
  /** Glob patterns of paths to leave out (`--exclude`, config `exclude:`), relative to `cwd` (see exclude-paths.ts). */
  exclude?: readonly string[]
  /** Called with each object as soon as it is parsed (see parseManifestText). */
  visit?: (object: SourceObject) => void
}

/** Files read at once ahead of the parser. */
const READ_AHEAD = 16

type ReadText = {text: string; finding?: undefined} | {text?: undefined; finding: Finding}

export async function loadManifests(inputs: readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const named = [...inputs, ...(opts.filenames ?? []).flatMap(value => splitFilenameFlag(value))]
  const cwd = opts.cwd ?? process.cwd()
  const expanded = await expandInputs(named.length > 0 ? named : ['.'], cwd, {
    exclude: createExcludeMatcher(opts.exclude ?? [], cwd), stdinName: opts.stdinFilename,
  })
  const result: LoadResult = {objects: [], findings: [...expanded.findings], files: 0, skipped: [...expanded.skipped], fatal: expanded.fatal}
  /** Per directory or glob: how many of the files it yielded were skipped. */
  const skippedFound = new Map<string, number>()
  const {targets} = expanded
  const reads = new Map<number, Promise<ReadText>>()
  const startRead = (index: number): void => {
    if (index < targets.length) reads.set(index, readTarget(targets[index], opts))
  }
  for (let index = 0; index < READ_AHEAD; index++) startRead(index)
  for (let index = 0; index < targets.length; index++) {
    const read = await reads.get(index)!
    reads.delete(index)
    startRead(index + READ_AHEAD)
    const target = targets[index]
    if (read.finding) {
      result.findings.push(read.finding)
      result.fatal = true
      continue
    }
    const parsed = parseManifestText(read.text, target.display, {defaultNamespace: opts.defaultNamespace, visit: opts.visit})
    if (target.origin === 'found' && !parsed.mentionsKinds) {
      skippedFound.set(target.from, (skippedFound.get(target.from) ?? 0) + 1)
      result.skipped.push({file: target.display, reason: /\S/.test(read.text) ? 'no apiVersion or kind in any document' : 'empty file'})
      continue
    }
    result.files++
    for (const object of parsed.objects) result.objects.push(object)
    for (const finding of parsed.findings) {
      result.findings.push(finding)
      if (makesInputUnusable(finding)) result.fatal = true
    }
  }
  for (const [from, skipped] of skippedFound) {
    if (skipped < expanded.foundCounts.get(from)!) continue
    result.findings.push(createInputFinding('input-unreadable',
      `no Kubernetes manifest here: ${skipped === 1 ? 'the one file found holds' : `none of the ${skipped} files found holds`} an object with apiVersion and kind`,
      from, {line: 1, column: 1}))
    result.fatal = true
  }
  return result
}

/** Never rejects: a failure is the finding that says why. */
async function readTarget(target: InputTarget, opts: LoadOptions): Promise<ReadText> {
  const tooLarge = (): ReadText => ({finding: createInputFinding('input-too-large',
    `larger than the ${formatBytes(MAX_FILE_BYTES)} limit for one input: split it into several files`, target.display, {line: 1, column: 1})})
  try {
    const stdin = opts.stdin ?? process.stdin
    if (target.kind === 'stdin' && typeof stdin === 'string') return stdin.length > MAX_FILE_BYTES ? tooLarge() : {text: stdin}
    const bytes = target.kind === 'file'
      ? await readFileBounded(target.path, MAX_FILE_BYTES)
      : await readStreamBounded(stdin as NodeJS.ReadableStream, MAX_FILE_BYTES)
    if (bytes === undefined) return tooLarge()
    return decodeText(bytes, target.display)
  } catch (error) {
    return {finding: createInputFinding('input-unreadable', `cannot read: ${describeReadError(error)}`, target.display, {line: 1, column: 1})}
  }
}
