/**
 * Time of whole processes for the benchmarks: each command runs once as a
 * warm-up (file cache), then the commands run round-robin so a slow moment
 * on the machine hits all of them alike. Each run goes through bash's `time`
 * keyword (`time CMD >/dev/null`), which reports the wall-clock time of the
 * command alone (bash's own start-up excluded) and its CPU time (user + sys,
 * from getrusage), both to the millisecond. CPU time is the steadier figure
 * when other work shares the machine. Reports the median of each.
 */
import {spawnSync} from 'node:child_process'

export interface ProcessSpec {
  label: string
  command: string
  args: string[]
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Exit codes that mean the run worked (lint exits 1 on findings). */
  okCodes?: readonly number[]
}

export interface ProcessTiming {
  label: string
  /** Wall-clock, median of the runs. */
  medianMs: number
  minMs: number
  /** CPU (user + sys), median of the runs. */
  cpuMs: number
  runs: number[]
}

interface RunTime {
  wallMs: number
  cpuMs: number
}

/** `time` prints real, user and sys seconds on one line; the command's stderr goes to fd 3. */
const TIMED_RUN = 'exec 3>&2; TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>&3; } 2>&1'

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function runOnce(spec: ProcessSpec): RunTime {
  const result = spawnSync('bash', ['-c', TIMED_RUN, 'bash', spec.command, ...spec.args], {cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  const ok = spec.okCodes ?? [0]
  const times = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(result.stdout ?? '')
  if (result.error !== undefined || !ok.includes(result.status ?? -1) || times === null) {
    throw new Error(`${spec.label}: ${spec.command} ${spec.args.join(' ')} exited ${result.status ?? result.signal}: ${result.error?.message ?? result.stderr.slice(0, 2000)}`)
  }
  return {wallMs: Number(times[1]) * 1000, cpuMs: (Number(times[2]) + Number(times[3])) * 1000}
}

/** Run every spec `rounds` times, interleaved, after one warm-up each. */
export function timeProcesses(specs: readonly ProcessSpec[], rounds: number): ProcessTiming[] {
  for (const spec of specs) runOnce(spec)
  const runs = specs.map(() => [] as RunTime[])
  for (let round = 0; round < rounds; round++) {
    specs.forEach((spec, index) => runs[index].push(runOnce(spec)))
  }
  return specs.map((spec, index) => {
    const wall = runs[index].map((run) => run.wallMs)
    return {label: spec.label, medianMs: median(wall), minMs: Math.min(...wall), cpuMs: median(runs[index].map((run) => run.cpuMs)), runs: wall}
  })
}
