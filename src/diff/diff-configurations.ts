/**
 * The `gwctl diff` service: reads two configurations (two sets of paths, or
 * the same paths at a git commit and in the working tree), runs each
 * through the pipeline (src/pipeline/analyze.ts) with the same options, and
 * compares what the engine makes of them (compare-diff-facts.ts). Input
 * that cannot be read (a missing path, a file that is not YAML or not
 * text) is a user error naming the file; input the API server would reject
 * is compared all the same, and counted in the side's `blockingErrors`.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {isDynamicPattern} from 'tinyglobby'
import {UserError} from '../errors/user-error.js'
import type {CertificateBinding} from '../gatewayapi/binding.js'
import {decodeText} from '../manifests/decode-text.js'
import {createExcludeMatcher} from '../manifests/exclude-paths.js'
import {parseManifestText} from '../manifests/parse-manifest-text.js'
import {analyzeManifests, analyzeTexts, type Analysis, type AnalyzeOptions} from '../pipeline/analyze.js'
import {collectDiffFacts} from './collect-diff-facts.js'
import {compareDiffFacts, type DiffSide} from './compare-diff-facts.js'
import type {DiffCertificate, DiffReport} from './diff-report.js'
import {createRenamer, type NamespaceRename} from './namespace-renames.js'
import {readGitTree} from './read-git-tree.js'

export type DiffSources =
  | {kind: 'paths'; old: readonly string[]; new: readonly string[]}
  | {kind: 'git'; ref: string; paths: readonly string[]}

export interface DiffOptions extends Omit<AnalyzeOptions, 'filenames' | 'stdin' | 'stdinFilename'> {
  /** `--map-namespace`: names of the old side as the new side writes them. */
  renames?: readonly NamespaceRename[]
}

export async function diffConfigurations(sources: DiffSources, options: DiffOptions = {}): Promise<DiffReport> {
  const cwd = options.cwd ?? process.cwd()
  const now = options.now ?? new Date()
  const analyzeOptions: AnalyzeOptions = {...options, cwd, now}
  let old: {analysis: Analysis; source: string; skipped?: Array<{file: string; reason: string}>}
  let next: {analysis: Analysis; source: string}
  if (sources.kind === 'paths') {
    old = {analysis: await analyzePaths(sources.old, analyzeOptions, 'old'), source: sources.old.join(' ')}
    next = {analysis: await analyzePaths(sources.new, analyzeOptions, 'new'), source: sources.new.join(' ')}
  } else {
    const paths = sources.paths.length === 0 ? ['.'] : sources.paths
    const tree = await readGitTree(sources.ref, paths, {cwd, exclude: createExcludeMatcher(options.exclude ?? [], cwd)})
    const present = paths.filter((input) => existsSync(path.resolve(cwd, input)) || isDynamicPattern(input))
    const absent = tree.missing.filter((input) => !present.includes(input))
    if (absent.length > 0) throw new UserError('input', `no such file or directory, in the working tree or at ${sources.ref}`, {file: absent[0]})
    const skipped = [...tree.skipped]
    const atRef = tree.files.flatMap((file) => {
      const decoded = decodeText(file.bytes, file.display)
      if (decoded.finding !== undefined) throw new UserError('input', decoded.finding.message, {file: `${file.display}:${decoded.finding.line}:${decoded.finding.column} (at ${sources.ref})`})
      if (file.found && !parseManifestText(decoded.text, file.display).mentionsKinds) {
        skipped.push({file: file.display, reason: /\S/.test(decoded.text) ? 'no apiVersion or kind in any document' : 'empty file'})
        return []
      }
      return [{file: file.display, text: decoded.text}]
    })
    old = {analysis: await analyzeTexts(atRef, analyzeOptions), source: `git ${sources.ref} (${tree.commit.slice(0, 12)}): ${paths.join(' ')}`, skipped}
    assertReadable(old.analysis, ` (at ${sources.ref})`)
    next = {analysis: present.length === 0 ? await analyzeTexts([], analyzeOptions) : await analyzeManifests(present, analyzeOptions), source: `working tree: ${paths.join(' ')}`}
    assertReadable(next.analysis, '')
  }
  const readCertificate = await loadCertificateReader([old.analysis, next.analysis], now)
  const side = (entry: {analysis: Analysis; source: string; skipped?: Array<{file: string; reason: string}>}, rename?: (name: string) => string): DiffSide => {
    const facts = collectDiffFacts(entry.analysis, {rename, readCertificate})
    return {facts, summary: {
      source: entry.source, files: entry.analysis.files, resources: facts.resources.length, blockingErrors: entry.analysis.blocking.length,
      skipped: (entry.skipped ?? entry.analysis.skipped).map(({file, reason}) => ({file, reason})),
    }}
  }
  return compareDiffFacts(side(old, createRenamer(options.renames ?? [])), side(next))
}

async function analyzePaths(paths: readonly string[], options: AnalyzeOptions, which: 'old' | 'new'): Promise<Analysis> {
  if (paths.includes('-')) throw new UserError('usage', `gwctl diff reads two configurations from paths: - (stdin) cannot be the ${which} one`)
  const analysis = await analyzeManifests(paths, options)
  assertReadable(analysis, '')
  return analysis
}

/** Input that could not be read makes the comparison meaningless: the first such problem, as a user error. */
function assertReadable(analysis: Analysis, where: string): void {
  if (!analysis.fatal) return
  const first = analysis.findings.find((finding) => finding.category === 'input' && finding.severity === 'error') ?? analysis.blocking[0]
  if (first === undefined) throw new UserError('input', `the input cannot be read${where}`)
  throw new UserError('input', `${first.message} [${first.ruleId}]`, {file: `${first.file}:${first.line}:${first.column}${where}`})
}

/**
 * What each listener certificate holds, read only when some listener has
 * one (X.509 parsing is loaded lazily, as lint does).
 */
async function loadCertificateReader(analyses: readonly Analysis[], now: Date): Promise<((certificate: CertificateBinding) => DiffCertificate) | undefined> {
  const needed = analyses.some((analysis) => analysis.binding.gateways.some((gateway) => gateway.listeners.some((listener) => listener.certificates.length > 0)
    || gateway.listenerSets.some((listenerSet) => listenerSet.listeners.some((listener) => listener.certificates.length > 0))))
  if (!needed) return undefined
  const {summarizeCertificate} = await import('../resolve/describe-certificate.js')
  return (certificate) => {
    const summary = summarizeCertificate(certificate, undefined, now)
    return {
      secret: summary.secret,
      ...(summary.subject === undefined ? {} : {subject: summary.subject}),
      ...(summary.subjectAltNames === undefined ? {} : {subjectAltNames: summary.subjectAltNames}),
      ...(summary.notAfter === undefined ? {} : {notAfter: summary.notAfter.replace(/\.000Z$/, 'Z')}),
      ...(summary.note === undefined ? {} : {note: summary.note}),
    }
  }
}
