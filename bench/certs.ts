/**
 * Whole-process time of an ECDSA P-256 CA + leaf + kubernetes.io/tls Secret:
 * `gwctl certs create` (two invocations: the CA, then the leaf and its Secret)
 * against the openssl sequence the how-to guides use (ecparam, req -x509,
 * ecparam, req, x509 -req with a SAN extension file, then kubectl create
 * secret tls --dry-run=client -o yaml, or base64 by hand when kubectl is
 * absent). Both run in the same process, interleaved round by round, from
 * fresh temp directories; prints the medians and their ratio. Needs the
 * built CLI (`npm run build`). Importable: `runCertsBench(rounds)`.
 *
 *   node --import tsx bench/certs.ts [rounds]
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')

export interface CertsBenchResult {
  rounds: number
  gwctlMs: number
  opensslMs: number
  /** opensslMs / gwctlMs: above 1 means gwctl is faster. */
  ratio: number
  secretTool: 'kubectl' | 'base64'
  manifestPresent: boolean
}

type Step = [command: string, args: string[], stdoutFile?: string]

function runSteps(steps: Step[], cwd: string): number {
  const start = performance.now()
  for (const [command, args, stdoutFile] of steps) {
    const result = spawnSync(command, args, {cwd, encoding: 'utf8'})
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`)
    if (stdoutFile !== undefined) writeFileSync(join(cwd, stdoutFile), result.stdout, {mode: 0o600})
  }
  return performance.now() - start
}

function gwctlSteps(): Step[] {
  return [
    ['node', [BIN, 'certs', 'create', 'ca', '--ca']],
    ['node', [BIN, 'certs', 'create', 'app', '--dns', 'app.example.com', '--issuer-cert', 'ca.crt', '--issuer-key', 'ca.key', '--secret', 'app-tls']],
  ]
}

function opensslSteps(kubectl: boolean): Step[] {
  const secret: Step[] = kubectl
    ? [['kubectl', ['create', 'secret', 'tls', 'app-tls', '--cert', 'app.crt', '--key', 'app.key', '--dry-run=client', '-o', 'yaml'], 'app-tls.secret.yaml']]
    : [['base64', ['-w0', 'app.crt'], 'app.crt.b64'], ['base64', ['-w0', 'app.key'], 'app.key.b64']]
  return [
    ['openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']],
    ['openssl', ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=ca', '-days', '3650', '-out', 'ca.crt']],
    ['openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'app.key']],
    ['openssl', ['req', '-new', '-key', 'app.key', '-subj', '/CN=app.example.com', '-out', 'app.csr']],
    ['openssl', ['x509', '-req', '-in', 'app.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '365', '-extfile', 'san.ext', '-out', 'app.crt']],
    ...secret,
  ]
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export function runCertsBench(rounds = 7): CertsBenchResult {
  if (!existsSync(join(ROOT, 'dist', 'commands', 'certs', 'create.js'))) throw new Error('dist/ is missing: run npm run build first')
  const kubectl = spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'}).status === 0
  const gwctl: number[] = []
  const openssl: number[] = []
  for (let round = 0; round <= rounds; round++) {
    const gwctlDir = mkdtempSync(join(tmpdir(), 'gwctl-bench-'))
    const opensslDir = mkdtempSync(join(tmpdir(), 'openssl-bench-'))
    writeFileSync(join(opensslDir, 'san.ext'), 'subjectAltName=DNS:app.example.com\nextendedKeyUsage=serverAuth\n')
    try {
      const gwctlMs = runSteps(gwctlSteps(), gwctlDir)
      const opensslMs = runSteps(opensslSteps(kubectl), opensslDir)
      if (round > 0) {
        gwctl.push(gwctlMs)
        openssl.push(opensslMs)
      }
    } finally {
      rmSync(gwctlDir, {recursive: true, force: true})
      rmSync(opensslDir, {recursive: true, force: true})
    }
  }
  const gwctlMs = median(gwctl)
  const opensslMs = median(openssl)
  return {rounds, gwctlMs, opensslMs, ratio: opensslMs / gwctlMs, secretTool: kubectl ? 'kubectl' : 'base64', manifestPresent: existsSync(join(ROOT, 'oclif.manifest.json'))}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rounds = Number(process.argv[2] ?? 7)
  const result = runCertsBench(rounds)
  console.log(`ECDSA P-256 CA + leaf + TLS Secret, whole processes, median of ${result.rounds} rounds (after one warm-up)`)
  console.log(`  gwctl certs create (2 runs${result.manifestPresent ? '' : ', no oclif.manifest.json: commands loaded from dist/'}): ${result.gwctlMs.toFixed(0)} ms`)
  console.log(`  openssl x5 + ${result.secretTool === 'kubectl' ? 'kubectl create secret tls --dry-run' : 'base64 x2'}: ${result.opensslMs.toFixed(0)} ms`)
  console.log(`  ratio openssl/gwctl: ${result.ratio.toFixed(2)} (${result.ratio >= 1 ? 'gwctl faster' : 'openssl faster'})`)
}
