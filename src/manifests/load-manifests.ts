/**
 * Loading, the first stage of every command: paths, directories, globs,
 * `-` (stdin) and `-f/--filename` values to the objects they hold and the
 * `input` findings about them. Files are read a few at a time ahead of the
 * parser but parsed in input order, so the result is the same on every run.
 * `fatal` is set when an input is unusable as a whole (missing, unreadable,
 * empty of manifests, too large, not text): the command exits 2.
 */
import type {Finding} from '../findings/finding.js'
import {decodeText} from './decode-text.js'
import {expandInputs, type InputTarget} from './expand-inputs.js'
import {splitFilenameFlag} from './filename-flag.js'
import {createInputFinding} from './input-rules.js'
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
  /**
   * Globs of paths to leave out of what directories and globs expand to
   * (`--exclude`, `.gwctl.yaml` `exclude:`); relative ones are taken from
   * `cwd`, absolute ones as they are (see exclude-patterns.ts).
   */
  exclude?: readonly string[]
  /** Called with each object as soon as it is parsed (see parseManifestText). */
  visit?: (object: SourceObject) => void
}

/** Files read at once ahead of the parser. */
const READ_AHEAD = 16

type ReadText = {text: string; finding?: undefined} | {text?: undefined; finding: Finding}

export async function loadManifests(inputs: readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const named = [...inputs, ...(opts.filenames ?? []).flatMap(value => splitFilenameFlag(value))]
  const expanded = await expandInputs(named.length > 0 ? named : ['.'], opts.cwd ?? process.cwd(), {exclude: opts.exclude})
  const result: LoadResult = {objects: [], findings: [...expanded.findings], files: 0, fatal: expanded.fatal}
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
    if (read.finding) {
      result.findings.push(read.finding)
      result.fatal = true
      continue
    }
    result.files++
    const parsed = parseManifestText(read.text, targets[index].display, {defaultNamespace: opts.defaultNamespace, visit: opts.visit})
    for (const object of parsed.objects) result.objects.push(object)
    for (const finding of parsed.findings) result.findings.push(finding)
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
