/**
 * The start-up benchmark (issue 9, "Start-up"): whole processes of the CLI as
 * installed (prepare-cli-copy.ts) against `node -e ''` measured in the same
 * run, interleaved, median of --startup-rounds after one warm-up each, stdout
 * to /dev/null:
 *   - `gwctl --version` (target ≤ 2× node -e '');
 *   - `gwctl lint` of one small scenario, fixtures/scenarios/passthrough
 *     (target ≤ 3×), with the compile cache as every run after the first
 *     has it (the warm-up run writes it, into a temporary GWCTL_CACHE_DIR);
 *   - the same with GWCTL_COMPILE_CACHE=0: what a first run (a fresh CI
 *     container) costs;
 *   - `gwctl lint` of fixtures/scenarios/http-to-https-redirect (HTTPRoutes,
 *     a TLS Secret with its certificate checks), for comparison.
 * Wall-clock and CPU (user + sys) medians both; CPU is the steadier one when
 * the machine is shared.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {timeProcesses, type ProcessSpec} from './measure-process.js'

export interface StartupFigure {
  label: string
  ms: number
  cpuMs: number
}

export interface StartupRatio {
  label: string
  value: number
  cpuValue: number
  target?: number
  met?: boolean
  cpuMet?: boolean
}

export interface StartupBenchResult {
  rounds: number
  figures: Record<string, StartupFigure>
  ratios: Record<string, StartupRatio>
}

export function runStartupBench(options: {root: string; bin: string; rounds: number; log: (line: string) => void}): StartupBenchResult {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'gwctl-bench-cache-'))
  try {
    const env = {...process.env, GWCTL_CACHE_DIR: cacheDir}
    const scenario = (name: string) => path.join(options.root, 'fixtures', 'scenarios', name)
    const specs: Array<[string, ProcessSpec]> = [
      ['nodeEmpty', {label: "node -e ''", command: process.execPath, args: ['-e', '']}],
      ['version', {label: 'gwctl --version', command: process.execPath, args: [options.bin, '--version'], env}],
      ['lint', {label: 'gwctl lint passthrough (compile cache)', command: process.execPath, args: [options.bin, 'lint', scenario('passthrough')], env}],
      ['lintNoCache', {label: 'gwctl lint passthrough, GWCTL_COMPILE_CACHE=0', command: process.execPath, args: [options.bin, 'lint', scenario('passthrough')], env: {...env, GWCTL_COMPILE_CACHE: '0'}}],
      ['lintHttps', {label: 'gwctl lint http-to-https-redirect (compile cache)', command: process.execPath, args: [options.bin, 'lint', scenario('http-to-https-redirect')], env, okCodes: [0, 1]}],
    ]
    options.log(`timing start-up (${options.rounds} interleaved rounds) ...`)
    const timings = timeProcesses(specs.map(([, spec]) => spec), options.rounds)
    const figures = Object.fromEntries(specs.map(([key], index) => [key, {label: timings[index].label, ms: timings[index].medianMs, cpuMs: timings[index].cpuMs}]))
    const ratio = (label: string, key: string, target?: number): StartupRatio => {
      const value = figures[key].ms / figures.nodeEmpty.ms
      const cpuValue = figures[key].cpuMs / figures.nodeEmpty.cpuMs
      return {label, value, cpuValue, ...(target === undefined ? {} : {target, met: value <= target, cpuMet: cpuValue <= target})}
    }
    return {
      rounds: options.rounds,
      figures,
      ratios: {
        version: ratio("gwctl --version / node -e ''", 'version', 2),
        lint: ratio("gwctl lint passthrough / node -e ''", 'lint', 3),
        lintNoCache: ratio("gwctl lint passthrough, no compile cache / node -e ''", 'lintNoCache'),
        lintHttps: ratio("gwctl lint http-to-https-redirect / node -e ''", 'lintHttps'),
      },
    }
  } finally {
    rmSync(cacheDir, {recursive: true, force: true})
  }
}

export function formatStartupBench(result: StartupBenchResult): string {
  const lines = [`start-up benchmark — medians of ${result.rounds} interleaved runs`, '', `  ${'figure'.padEnd(62)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)}`]
  for (const figure of Object.values(result.figures)) lines.push(`  ${figure.label.padEnd(62)} ${figure.ms.toFixed(0).padStart(8)} ${figure.cpuMs.toFixed(0).padStart(8)}`)
  lines.push('', `  ${'ratio'.padEnd(62)} ${'wall'.padStart(8)} ${'CPU'.padStart(8)}  target`)
  for (const entry of Object.values(result.ratios)) {
    const verdict = entry.target === undefined ? '' : entry.met && entry.cpuMet ? `≤ ${entry.target}  ok` : entry.met || entry.cpuMet ? `≤ ${entry.target}  ok on ${entry.met ? 'wall' : 'CPU'} only` : `≤ ${entry.target}  MISSED`
    lines.push(`  ${entry.label.padEnd(62)} ${entry.value.toFixed(2).padStart(8)} ${entry.cpuValue.toFixed(2).padStart(8)}  ${verdict}`)
  }
  return lines.join('\n')
}
