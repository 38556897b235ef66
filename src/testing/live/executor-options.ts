/**
 * The options of the live and target executors, as `gwctl test` wires its
 * flags into them (`--live`, `--stub-backends`, `--backend`, `--backends`,
 * `--target`, `--target-map`, `--ca-file`, `--backend-header`), and how they
 * settle into what every probe shares: the trust anchors a client uses
 * (`--ca-file` PEMs; else the manifests' ca.crt files and Secrets' ca.crt;
 * else Node's default CA store, as for a public gateway), the header naming
 * a backend, the sampling tolerance and the time bound of one exchange.
 */
import {readFile} from 'node:fs/promises'
import {UserError} from '../../errors/user-error.js'
import {DEFAULT_BACKEND_HEADER} from './backend-identity.js'
import type {RoutingTest} from '../routing-test.js'
import type {ManifestFacts, ManifestPipeline} from './manifest-facts.js'
import {DEFAULT_CONFIDENCE, DEFAULT_TOLERANCE_PERCENT} from './weighted-sample.js'

/** What both executors take. */
export interface ProbeOptions {
  /** The manifests the tests are written for (the PATHS of `gwctl test`). */
  paths: string[]
  /** Namespace default, GatewayClasses, channel, exclude, implementation, cwd: as for every command. */
  pipeline?: ManifestPipeline
  /** CA certificate files (PEM) the client trusts instead of the manifests' CAs (`--ca-file`, repeatable). */
  caFiles?: string[]
  /** Response header (gRPC initial metadata) in which a backend names itself; default `x-gwctl-backend`. */
  backendHeader?: string
  /** Weighted expectations: ± percentage points each share is checked within; default 5. */
  tolerancePercent?: number
  /** Weighted expectations: confidence of that check; default 0.99. */
  confidence?: number
  /** Bound on one exchange (connect, handshake, answer); default 10 s. */
  timeoutMs?: number
  /** Parallel connections of a weighted sample; default 8. */
  sampleConcurrency?: number
  /** Clock for certificate validity; default the system clock. */
  now?: () => Date
}

/** `gwctl test --live`: the tests as traffic through a `gwctl serve` of the same manifests. */
export interface LiveExecutorOptions extends ProbeOptions {
  /** `--stub-backends`: serve starts an echo backend for every Service port no mapping names. */
  stubBackends?: boolean
  /** `--stub-ca-dir`: the local CA of the TLS stubs (created if absent), passed to serve; default: one per serve run. */
  stubCaDir?: string
  /** `--backend NS/NAME:PORT=HOST:PORT` values, passed to serve. */
  backendFlags?: string[]
  /** `--backends FILE`, passed to serve. */
  backendsFile?: string
  /** Further serve flags the run shares (`--namespace`, `--gateway-class`, `--config`, `--implementation`, ...). */
  serveArgs?: string[]
  /** The CLI whose serve to run; default this package's bin/run.js. */
  cliPath?: string
  /** The tests of the run: serve starts only for the Gateways they address; absent, for every Gateway. */
  tests?: readonly RoutingTest[]
  /** Wait for serve's access-log line of a connection; default 5 s. */
  accessLogTimeoutMs?: number
}

/** `gwctl test --target`: the tests against a real gateway. */
export interface TargetExecutorOptions extends ProbeOptions {
  /** `--target HOST[:PORT]` values: one for every Gateway, or one per Gateway in the manifests' order. */
  targets?: string[]
  /** `--target-map NS/GATEWAY[:LISTENER_PORT]=HOST[:PORT]` values. */
  targetMap?: string[]
}

export interface SettledProbeOptions {
  trust: {ca?: string[]; description: string}
  backendHeader: string
  tolerancePercent: number
  confidence: number
  timeoutMs: number
  sampleConcurrency: number
  now: () => Date
}

export async function settleProbeOptions(options: ProbeOptions, facts: ManifestFacts): Promise<SettledProbeOptions> {
  return {
    trust: await settleTrust(options.caFiles, facts),
    backendHeader: (options.backendHeader ?? DEFAULT_BACKEND_HEADER).toLowerCase(),
    tolerancePercent: options.tolerancePercent ?? DEFAULT_TOLERANCE_PERCENT,
    confidence: options.confidence ?? DEFAULT_CONFIDENCE,
    timeoutMs: options.timeoutMs ?? 10_000,
    sampleConcurrency: options.sampleConcurrency ?? 8,
    now: options.now ?? (() => new Date()),
  }
}

async function settleTrust(caFiles: string[] | undefined, facts: ManifestFacts): Promise<SettledProbeOptions['trust']> {
  if (caFiles !== undefined && caFiles.length > 0) {
    const ca: string[] = []
    for (const file of caFiles) {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (error) {
        throw new UserError('input', `cannot read the CA file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {file})
      }
      if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UserError('input', 'holds no PEM certificate', {file})
      ca.push(text)
    }
    return {ca, description: `CA ${caFiles.join(', ')}`}
  }
  if (facts.caCertificates.length > 0) return {ca: facts.caCertificates, description: `the manifests' CA (${facts.caSources.join(', ')})`}
  return {description: "Node's default CA store (no CA file given, none next to the manifests)"}
}
