/**
 * The stub backends of one `gwctl serve --stub-backends` run. `provide`
 * plans the stubs a configuration needs (plan-stubs.ts), starts those not
 * already running (a stub is kept across reloads while its key, kind and
 * certificate names stay the same), adds their addresses to the backend map
 * and stops the ones no longer needed; `rollback` stops what a configuration
 * that was not applied started. TLS stubs get certificates from the local CA
 * of `--stub-ca-dir` (by default a directory created for this run and
 * removed by `stop`). `describe` lists the running stubs for the ready
 * report: `{backend, address, protocol}` each.
 */
import {rmSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Binding} from '../../gatewayapi/binding.js'
import type {CertificateNeed} from '../../gatewayapi/certificate-needs.js'
import type {BackendAddress} from '../backend-map.js'
import {planStubBackends, type PlannedStub, type StubProtocol} from './plan-stubs.js'
import type {StubCertificateIssuer} from './stub-certificates.js'
import {STUB_HOST, StubServer} from './stub-server.js'

export interface StubListing {
  /** NS/NAME:PORT */
  backend: string
  /** 127.0.0.1:PORT */
  address: string
  protocol: StubProtocol
  /** `tls` stubs: the names their certificate covers. */
  dnsNames?: string[]
}

export interface StubBackendsOptions {
  /** Local CA directory for TLS stubs; default: a new temporary directory, removed by `stop`. */
  caDir?: string
  now?: () => Date
}

interface RunningStub {
  identity: string
  server: StubServer
  listings: StubListing[]
}

export class StubBackends {
  private running = new Map<string, RunningStub>()
  /** Stubs started by the last `provide`, not yet committed. */
  private readonly pending = new Set<RunningStub>()
  private proposed?: {stubs: Map<string, RunningStub>; skipped: string[]}
  private issuer?: Promise<StubCertificateIssuer>
  private temporaryCaDir?: string
  private skippedLines: string[] = []

  constructor(private readonly options: StubBackendsOptions = {}) {}

  /**
   * Start (or keep) a stub for every referenced Service port `map` lacks and
   * add their addresses to `map`; `commit` once the configuration is applied,
   * `rollback` when it is refused.
   */
  async provide(binding: Binding, map: Map<string, BackendAddress>): Promise<void> {
    const plan = planStubBackends(binding, (key) => map.has(key))
    const next = new Map<string, RunningStub>()
    try {
      for (const stub of plan.stubs) {
        const identity = this.identify(stub)
        const reused = this.running.get(stub.key)
        if (reused !== undefined && reused.identity === identity.text) {
          next.set(stub.key, reused)
          continue
        }
        const started = await this.start(stub, identity)
        this.pending.add(started)
        next.set(stub.key, started)
      }
    } catch (error) {
      await this.rollback()
      throw error
    }
    for (const [key, stub] of next) map.set(key, {host: STUB_HOST, port: stub.server.port})
    this.proposed = {stubs: next, skipped: plan.skipped.map(({key, why}) => `no stub backend for ${key}: ${why}`)}
  }

  /** The provided configuration is served: its stubs are the running ones; the others stop. */
  async commit(): Promise<void> {
    if (this.proposed === undefined) return
    const {stubs, skipped} = this.proposed
    const stale = [...this.running].filter(([key, stub]) => stubs.get(key) !== stub).map(([, stub]) => stub)
    this.running = stubs
    this.skippedLines = skipped
    this.proposed = undefined
    this.pending.clear()
    await Promise.all(stale.map((stub) => stub.server.close()))
  }

  /** The provided configuration is refused: stop the stubs started for it. */
  async rollback(): Promise<void> {
    const started = [...this.pending]
    this.pending.clear()
    this.proposed = undefined
    await Promise.all(started.map((stub) => stub.server.close()))
  }

  describe(): StubListing[] {
    return [...this.running.values()].flatMap((stub) => stub.listings)
  }

  /** Why some backends got no stub (one line each), for the start-up warnings. */
  describeSkipped(): string[] {
    return this.skippedLines
  }

  /** The CA file TLS stub certificates chain to, when a TLS stub runs. */
  async caFile(): Promise<string | undefined> {
    if (!this.describe().some((listing) => listing.protocol === 'tls')) return undefined
    return (await this.issuerFor()).caFile
  }

  /** The ready report's `stubs` and `stubCa` fields. */
  async report(): Promise<{stubs: StubListing[]; stubCa?: string}> {
    const stubCa = await this.caFile()
    return stubCa === undefined ? {stubs: this.describe()} : {stubs: this.describe(), stubCa}
  }

  /** Stop every stub; remove the per-run CA directory. */
  async stop(): Promise<void> {
    const all = [...this.running.values(), ...this.pending]
    this.running.clear()
    this.pending.clear()
    await Promise.all(all.map((stub) => stub.server.close()))
    if (this.temporaryCaDir !== undefined) await rm(this.temporaryCaDir, {recursive: true, force: true})
    this.temporaryCaDir = undefined
  }

  private identify(stub: PlannedStub): {text: string; need?: CertificateNeed} {
    if (stub.protocol !== 'tls') return {text: `${stub.protocol}/${stub.datagrams}`}
    const [namespace, rest] = stub.key.split('/')
    const name = rest.slice(0, rest.lastIndexOf(':'))
    const need = stub.certificate ?? {namespace, secretName: `${name}-tls`, hostnames: [], reason: `backend ${stub.key}`}
    return {text: `tls/${stub.datagrams}/${[...need.hostnames].sort().join(',')}`, need}
  }

  private async start(stub: PlannedStub, identity: {text: string; need?: CertificateNeed}): Promise<RunningStub> {
    let dnsNames: string[] | undefined
    let tls
    if (identity.need !== undefined) {
      const [namespace, rest] = stub.key.split('/')
      const certificate = await (await this.issuerFor()).issue(identity.need, {namespace, name: rest.slice(0, rest.lastIndexOf(':'))})
      tls = certificate.tls
      dnsNames = [...certificate.dnsNames, ...certificate.ipAddresses]
    }
    const stream = stub.protocol !== 'udp'
    const server = await StubServer.start({key: stub.key, stream, datagrams: stub.datagrams, tls})
    const listings: StubListing[] = []
    if (stream) listings.push({backend: stub.key, address: server.address, protocol: stub.protocol, ...(dnsNames === undefined ? {} : {dnsNames})})
    if (stub.datagrams) listings.push({backend: stub.key, address: server.address, protocol: 'udp'})
    return {identity: identity.text, server, listings}
  }

  private issuerFor(): Promise<StubCertificateIssuer> {
    this.issuer ??= (async () => {
      const {StubCertificateIssuer} = await import('./stub-certificates.js')
      let dir = this.options.caDir
      if (dir === undefined) {
        const created = await mkdtemp(join(tmpdir(), 'gwctl-stub-ca-'))
        dir = created
        this.temporaryCaDir = created
        // However the process ends (a drain timeout included), the per-run CA goes with it.
        process.once('exit', () => rmSync(created, {recursive: true, force: true}))
      }
      return new StubCertificateIssuer(dir, this.options.now ?? (() => new Date()))
    })()
    return this.issuer
  }
}

/** The text lines of the ready report for the stubs (after the listener lines). */
export function formatStubLines(stubs: readonly StubListing[], caFile: string | undefined): string[] {
  const lines = stubs.map((stub) => `stub ${stub.backend} ${stub.protocol} on ${stub.address}${stub.dnsNames === undefined ? '' : ` certificate for ${stub.dnsNames.join(', ')}`}`)
  if (caFile !== undefined) lines.push(`stub-ca ${caFile} (TLS stub certificates chain to it: curl --cacert ${caFile}, openssl s_client -CAfile ${caFile})`)
  return lines
}
