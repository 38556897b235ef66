/**
 * The lint benchmark (issues 2 and 3, "Speed"), in one run:
 *   1. builds (unless --skip-build) and lays out the CLI as installed, with
 *      its oclif.manifest.json (prepare-cli-copy.ts);
 *   2. writes the generated manifest set at 1× (10,000 routes, 2,000
 *      Gateways × 4 listeners, Services, Secrets, ReferenceGrants) and 2×;
 *   3. times whole processes, median of --rounds after a warm-up, stdout to
 *      /dev/null: `node bin/run.js lint DIR -o json` against the bare parse
 *      reference `node bench/parse-yaml-reference.mjs DIR` (node start-up +
 *      import yaml + read every file + parseAllDocuments), at 1× and 2×;
 *   4. times binding alone (buildSnapshot + bind) at 1× and 2× in fresh
 *      processes;
 * then prints a table and, with --json-out FILE, writes the figures as JSON.
 * Targets: lint ≤ 4× bare parse; lint and binding at 2× ≤ 2.2× of 1×.
 * (Start-up is bench/start-up.ts.)
 *
 *   node --import tsx bench/lint.ts [--rounds N] [--json-out FILE] [--skip-build] [--keep]
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {createDomainCertificates} from './create-domain-certificates.js'
import {generateManifestSet, type ManifestSetSummary} from './generate-manifest-set.js'
import {timeProcesses, type ProcessTiming} from './measure-process.js'
import {prepareCliCopy, type CliCopy} from './prepare-cli-copy.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DOMAINS = 8

export interface LintBenchOptions {
  /** Rounds per whole-process lint/parse measurement (median). */
  rounds: number
  build: boolean
  /** The CLI laid out as installed; made (and removed) here when absent. */
  cli?: CliCopy
  keep: boolean
  log: (line: string) => void
}

export interface Figure {
  label: string
  /** Wall-clock, median. */
  ms: number
  /** CPU time (user + sys), median. */
  cpuMs: number
  how: string
}

export interface Ratio {
  label: string
  /** Of the wall-clock medians. */
  value: number
  /** Of the CPU-time medians. */
  cpuValue: number
  target: number
  /** The target holds on wall-clock time. */
  met: boolean
  cpuMet: boolean
}

export interface LintBenchResult {
  date: string
  node: string
  cpus: number
  rounds: number
  sets: {scale: number; files: number; megabytes: number; objects: number; counts: Record<string, number>}[]
  figures: Record<string, Figure>
  ratios: Record<string, Ratio>
}

export function runBuild(log: (line: string) => void): void {
  log('building (npm run build) ...')
  const result = spawnSync('npm', ['run', 'build'], {cwd: ROOT, encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`)
}

function measureBinding(directory: string, rounds: number): {medianMs: number; minMs: number; cpuMs: number; routes: number; listeners: number} {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench', 'measure-binding.ts'), directory, String(rounds)], {cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024})
  if (result.status !== 0) throw new Error(`measure-binding failed: ${result.stderr}`)
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!)
}

function ratio(label: string, numerator: Figure, denominator: Figure, target: number): Ratio {
  const value = numerator.ms / denominator.ms
  const cpuValue = numerator.cpuMs / denominator.cpuMs
  return {label, value, cpuValue, target, met: value <= target, cpuMet: cpuValue <= target}
}

export async function runLintBench(options: LintBenchOptions): Promise<LintBenchResult> {
  const {log} = options
  if (options.build) runBuild(log)
  const cli = options.cli ?? prepareCliCopy(ROOT)
  const work = mkdtempSync(path.join(tmpdir(), 'gwctl-lint-bench-'))
  try {
    log('making certificates ...')
    const certificates = await createDomainCertificates(DOMAINS)
    const sets: Array<{scale: number; directory: string; summary: ManifestSetSummary}> = []
    for (const scale of [1, 2]) {
      const directory = path.join(work, `set-${scale}x`)
      const summary = await generateManifestSet(directory, scale, certificates)
      sets.push({scale, directory, summary})
      log(`set ${scale}×: ${summary.objects} objects in ${summary.files} files, ${(summary.bytes / 1024 / 1024).toFixed(1)} MiB (${Object.entries(summary.counts).map(([kind, count]) => `${count} ${kind}`).join(', ')})`)
    }

    const figures: Record<string, Figure> = {}
    const put = (key: string, timing: ProcessTiming, how: string) => {
      figures[key] = {label: timing.label, ms: timing.medianMs, cpuMs: timing.cpuMs, how}
    }

    const reference = path.join(ROOT, 'bench', 'parse-yaml-reference.mjs')
    for (const {scale, directory} of sets) {
      log(`timing lint and parse at ${scale}× ...`)
      const [lint, parse, parseToJs] = timeProcesses([
        {label: `gwctl lint -o json (${scale}×)`, command: process.execPath, args: [cli.bin, 'lint', directory, '-o', 'json'], okCodes: [0, 1]},
        {label: `yaml parseAllDocuments (${scale}×)`, command: process.execPath, args: [reference, directory], cwd: ROOT},
        {label: `yaml parseAllDocuments + toJS (${scale}×)`, command: process.execPath, args: [reference, directory, '--to-js'], cwd: ROOT},
      ], options.rounds)
      put(`lint${scale}x`, lint, `whole process, median of ${options.rounds}`)
      put(`parse${scale}x`, parse, `whole process: node + import yaml + read files + parseAllDocuments, median of ${options.rounds}`)
      put(`parseToJs${scale}x`, parseToJs, `as parse, plus toJS of every document, median of ${options.rounds}`)
      log(`timing binding at ${scale}× ...`)
      const binding = measureBinding(directory, Math.max(options.rounds, 9))
      figures[`bind${scale}x`] = {label: `buildSnapshot + bind (${scale}×: ${binding.routes} routes, ${binding.listeners} listeners)`, ms: binding.medianMs, cpuMs: binding.cpuMs, how: `in-process, median of ${Math.max(options.rounds, 9)} after a warm-up, each from a collected heap`}
    }

    const ratios: Record<string, Ratio> = {
      lintVsParse: ratio('lint / bare parse (1×)', figures.lint1x, figures.parse1x, 4),
      lintVsParse2x: ratio('lint / bare parse (2×)', figures.lint2x, figures.parse2x, 4),
      lintGrowth: ratio('lint 2× / 1×', figures.lint2x, figures.lint1x, 2.2),
      bindGrowth: ratio('binding 2× / 1×', figures.bind2x, figures.bind1x, 2.2),
    }
    return {
      date: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      rounds: options.rounds,
      sets: sets.map(({scale, summary}) => ({scale, files: summary.files, megabytes: Number((summary.bytes / 1024 / 1024).toFixed(2)), objects: summary.objects, counts: summary.counts})),
      figures,
      ratios,
    }
  } finally {
    if (options.keep) log(`kept ${work} and ${cli.directory}`)
    else {
      rmSync(work, {recursive: true, force: true})
      if (options.cli === undefined) rmSync(cli.directory, {recursive: true, force: true})
    }
  }
}

export function formatLintBench(result: LintBenchResult): string {
  const lines = [`lint benchmark — node ${result.node}, ${result.cpus} CPUs, ${result.date}`]
  for (const set of result.sets) lines.push(`  set ${set.scale}×: ${set.objects} objects, ${set.files} files, ${set.megabytes} MiB`)
  lines.push('', `  ${'figure (medians)'.padEnd(62)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)}`)
  for (const figure of Object.values(result.figures)) {
    lines.push(`  ${figure.label.padEnd(62)} ${figure.ms.toFixed(0).padStart(8)} ${figure.cpuMs.toFixed(0).padStart(8)}`)
  }
  lines.push('', `  ${'ratio'.padEnd(62)} ${'wall'.padStart(8)} ${'CPU'.padStart(8)}  target`)
  for (const entry of Object.values(result.ratios)) {
    const verdict = entry.met && entry.cpuMet ? 'ok' : entry.met || entry.cpuMet ? `ok on ${entry.met ? 'wall' : 'CPU'} only` : 'MISSED'
    lines.push(`  ${entry.label.padEnd(62)} ${entry.value.toFixed(2).padStart(8)} ${entry.cpuValue.toFixed(2).padStart(8)}  ≤ ${entry.target}  ${verdict}`)
  }
  return lines.join('\n')
}

export interface BenchArgs {
  jsonOut?: string
  rounds: number
  startupRounds: number
  build: boolean
  keep: boolean
  /** Run only these benchmarks (default all). */
  only?: Array<'startup' | 'lint' | 'certs'>
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const parsed: BenchArgs = {rounds: 3, startupRounds: 31, build: true, keep: false}
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]
    if (arg === '--json-out') parsed.jsonOut = argv[++index]
    else if (arg.startsWith('--json-out=')) parsed.jsonOut = arg.slice('--json-out='.length)
    else if (arg === '--rounds') parsed.rounds = Number(argv[++index])
    else if (arg === '--startup-rounds') parsed.startupRounds = Number(argv[++index])
    else if (arg === '--only') parsed.only = argv[++index].split(',').map((name) => {
      if (name !== 'startup' && name !== 'lint' && name !== 'certs') throw new Error(`--only takes startup, lint and certs (comma-separated), not ${name}`)
      return name
    })
    else if (arg === '--skip-build') parsed.build = false
    else if (arg === '--keep') parsed.keep = true
    else throw new Error(`unknown argument ${arg} (use --rounds N, --startup-rounds N, --only startup,lint,certs, --json-out FILE, --skip-build, --keep)`)
  }
  if (!Number.isInteger(parsed.rounds) || parsed.rounds < 1) throw new Error('--rounds takes a positive integer')
  if (!Number.isInteger(parsed.startupRounds) || parsed.startupRounds < 1) throw new Error('--startup-rounds takes a positive integer')
  return parsed
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseBenchArgs(process.argv.slice(2))
  const result = await runLintBench({rounds: args.rounds, build: args.build, keep: args.keep, log: (line) => console.error(line)})
  console.log(formatLintBench(result))
  if (args.jsonOut !== undefined) writeFileSync(args.jsonOut, `${JSON.stringify({lint: result}, null, 2)}\n`)
}

