/**
 * `npm run bench`: the lint benchmark (bench/lint.ts), then, when present,
 * the certs benchmark (bench/certs.ts, `runCertsBench()`), from one run.
 * Prints each table; `--json-out FILE` writes `{"lint": ..., "certs": ...}`
 * for the README to quote.
 *
 *   npm run bench -- [--rounds N] [--json-out FILE] [--skip-build] [--keep]
 */
import {existsSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {formatLintBench, parseBenchArgs, runLintBench} from './lint.js'

const args = parseBenchArgs(process.argv.slice(2))
const log = (line: string) => console.error(line)
const lint = await runLintBench({rounds: args.rounds, startupRounds: 21, build: args.build, keep: args.keep, log})
console.log(formatLintBench(lint))

let certs: unknown
const certsBench = fileURLToPath(new URL('certs.ts', import.meta.url))
if (existsSync(certsBench)) {
  log('running the certs benchmark (bench/certs.ts) ...')
  const {runCertsBench} = await import('./certs.js') as {runCertsBench: (rounds?: number) => {gwctlMs: number; opensslMs: number; ratio: number; rounds: number}}
  const result = runCertsBench()
  certs = result
  console.log(`\ncerts benchmark — gwctl certs create (CA + leaf + Secret) ${result.gwctlMs.toFixed(0)} ms, openssl sequence ${result.opensslMs.toFixed(0)} ms, openssl/gwctl ${result.ratio.toFixed(2)} (median of ${result.rounds})`)
}
if (args.jsonOut !== undefined) writeFileSync(args.jsonOut, `${JSON.stringify({lint, ...(certs === undefined ? {} : {certs})}, null, 2)}\n`)
