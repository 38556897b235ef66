/**
 * `npm run bench`: builds once, lays the CLI out as installed, then in one
 * run the start-up benchmark (bench/start-up.ts), the lint benchmark
 * (bench/lint.ts) and, when present, the certs benchmark (bench/certs.ts,
 * `runCertsBench()`). Prints each table; `--json-out FILE` writes
 * `{"startup": ..., "lint": ..., "certs": ...}` for the README to quote.
 *
 *   npm run bench -- [--only startup,lint,certs] [--startup-rounds N] [--rounds N] [--json-out FILE] [--skip-build] [--keep]
 */
import {existsSync, rmSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {formatLintBench, parseBenchArgs, runBuild, runLintBench} from './lint.js'
import {prepareCliCopy} from './prepare-cli-copy.js'
import {formatStartupBench, runStartupBench} from './start-up.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const args = parseBenchArgs(process.argv.slice(2))
const wants = (name: 'startup' | 'lint' | 'certs') => args.only === undefined || args.only.includes(name)
const log = (line: string) => console.error(line)
const results: Record<string, unknown> = {}

if (args.build) runBuild(log)
const cli = prepareCliCopy(ROOT)
try {
  if (wants('startup')) {
    const startup = runStartupBench({root: ROOT, bin: cli.bin, rounds: args.startupRounds, log})
    results.startup = {date: new Date().toISOString(), node: process.version, ...startup}
    console.log(formatStartupBench(startup))
  }
  if (wants('lint')) {
    const lint = await runLintBench({rounds: args.rounds, build: false, keep: args.keep, cli, log})
    results.lint = lint
    console.log(`\n${formatLintBench(lint)}`)
  }
  const certsBench = fileURLToPath(new URL('certs.ts', import.meta.url))
  if (wants('certs') && existsSync(certsBench)) {
    log('running the certs benchmark (bench/certs.ts) ...')
    const {runCertsBench} = await import('./certs.js') as {runCertsBench: (rounds?: number) => {gwctlMs: number; opensslMs: number; ratio: number; rounds: number}}
    const result = runCertsBench()
    results.certs = result
    console.log(`\ncerts benchmark — gwctl certs create (CA + leaf + Secret) ${result.gwctlMs.toFixed(0)} ms, openssl sequence ${result.opensslMs.toFixed(0)} ms, openssl/gwctl ${result.ratio.toFixed(2)} (median of ${result.rounds})`)
  }
} finally {
  if (args.keep) log(`kept ${cli.directory}`)
  else rmSync(cli.directory, {recursive: true, force: true})
}
if (args.jsonOut !== undefined) writeFileSync(args.jsonOut, `${JSON.stringify(results, null, 2)}\n`)
