/**
 * e2e: every fixture scenario's smoke entries (test/expectations/scenarios)
 * as routing tests through the live executor — the built `gwctl serve` with
 * backends answering per the stub contract — and the observations agree
 * with the documented answers: listener and route (serve's access log), the
 * backend that named itself, the listener Secret's certificate, redirects,
 * the gateway's own statuses, refusals. Scenarios that need `certs create
 * --for` first (cert-manager) get it, into a temporary directory served with
 * them. Build first (`npm run build`).
 */
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import {analyzeManifests} from '../../../src/pipeline/analyze.js'
import {runGwctl} from '../../support/run-cli.js'
import {startLiveExecutor, type RunningExecutor} from '../../../src/testing/live/live-executor.js'
import type {TestRequest} from '../../../src/testing/routing-test.js'
import {startPlainBackend, startTlsBackendFromDirectory, type ContractBackend} from './contract-backends.js'
import {routingTest, SCENARIOS} from './routing-tests.js'

interface SmokeEntry {
  sni?: string
  plaintext?: boolean
  port: number
  host?: string
  path?: string
  expect: {
    matched: boolean
    gateway?: {namespace: string; name: string}
    listener?: string
    mode?: string
    certificate?: {secret: string}
    route?: {kind: string; namespace: string; name: string}
    backends?: Array<{namespace: string; name: string; port: number; weight: number}>
    redirect?: {statusCode: number; location: string}
    httpStatus?: number
  }
}

const EXPECTATIONS = new URL('../../expectations/scenarios/', import.meta.url).pathname
const scenarios = readdirSync(EXPECTATIONS).filter((file) => file.endsWith('.yaml')).map((file) => file.slice(0, -5)).sort()

describe('e2e: live executor over every fixture scenario', function () {
  this.timeout(120_000)
  for (const scenario of scenarios) {
    describe(scenario, () => {
      const expectations = parse(readFileSync(join(EXPECTATIONS, `${scenario}.yaml`), 'utf8')) as {smoke?: SmokeEntry[]; requires?: string[]}
      const dir = join(SCENARIOS, scenario)
      let executor: RunningExecutor | undefined
      const backends: ContractBackend[] = []
      const listenerPorts = new Set<number>()

      const paths = [dir]
      let issued: string | undefined

      before(async () => {
        if (expectations.requires?.includes('certs-create-for')) {
          issued = mkdtempSync(join(tmpdir(), `gwctl-live-${scenario}-`))
          const created = await runGwctl(['certs', 'create', '--for', dir, '--out-dir', issued])
          assert.equal(created.exitCode, 0, created.stderr)
          paths.push(issued)
        }
        const analysis = await analyzeManifests([dir])
        for (const gateway of analysis.binding.gateways) for (const listener of gateway.listeners) if (listener.spec.port !== undefined) listenerPorts.add(listener.spec.port)
        for (const route of analysis.binding.routes) {
          const passthrough = route.route.kind === 'TLSRoute' && route.parents.some((parent) => parent.attachments.some(({listener}) => listener.mode === 'Passthrough'))
          for (const rule of route.rules) {
            for (const backend of rule.backends) {
              const key = `${backend.ref.namespace}/${backend.ref.name}:${backend.ref.port}`
              if (backends.some((entry) => entry.key === key)) continue
              const tlsDir = join(dir, 'backend-tls')
              backends.push(passthrough && existsSync(tlsDir) ? await startTlsBackendFromDirectory(key, tlsDir) : await startPlainBackend(key))
            }
          }
        }
        executor = await startLiveExecutor({paths, backendFlags: backends.map((backend) => backend.flag)})
      })
      after(async () => {
        await executor?.close()
        for (const backend of backends) await backend.close()
        if (issued !== undefined) rmSync(issued, {recursive: true, force: true})
      })

      for (const [index, entry] of (expectations.smoke ?? []).entries()) {
        it(`smoke ${index}: ${entry.plaintext ? 'plaintext' : `SNI ${entry.sni === '' ? '(none)' : entry.sni}`} :${entry.port}${entry.host === undefined ? '' : ` Host ${entry.host}${entry.path ?? ''}`}`, async () => {
          const request: TestRequest = {port: entry.port, ...(entry.plaintext ? {} : {sni: entry.sni ?? ''}), ...(entry.host === undefined ? {} : {host: entry.host}),
            ...(entry.path === undefined ? {} : {path: entry.path}), ...(entry.expect.gateway === undefined ? {} : {gateway: entry.expect.gateway})}
          const test = routingTest(`smoke ${index}`, request, {backend: 'any', listener: 'any', route: 'any'})
          if (!listenerPorts.has(entry.port)) {
            assert.equal(entry.expect.matched, false)
            await assert.rejects(executor!.execute(test), new RegExp(`no Gateway has a listener on port ${entry.port}`))
            return
          }
          const observation = await executor!.execute(test)
          const trace = observation.trace.join('\n')
          const {expect} = entry
          if (expect.redirect !== undefined) {
            assert.equal(observation.status, expect.redirect.statusCode, trace)
            assert.equal(observation.redirect, expect.redirect.location, trace)
          } else if (!expect.matched) {
            if (expect.httpStatus !== undefined) assert.equal(observation.status, expect.httpStatus, trace)
            else assert.ok(observation.refused !== undefined || (observation.status ?? 0) >= 400 || observation.notCheckable !== undefined, trace)
            assert.equal(observation.backend, undefined, trace)
          } else {
            const keys = (expect.backends ?? []).filter((backend) => backend.weight > 0).map((backend) => `${backend.namespace}/${backend.name}:${backend.port}`)
            if (keys.length > 0) assert.ok(keys.includes(observation.backend ?? ''), `answered by ${observation.backend}; expected one of ${keys.join(', ')}\n${trace}`)
            if (observation.status !== undefined) assert.equal(observation.status, 200, trace)
          }
          if (expect.listener !== undefined) assert.equal(observation.listener, expect.listener, trace)
          if (expect.route !== undefined) assert.equal(observation.route, `${expect.route.kind} ${expect.route.namespace}/${expect.route.name}`, trace)
          if (expect.certificate !== undefined) {
            assert.equal(observation.certificate?.secret, expect.certificate.secret, trace)
            if (expect.matched) assert.equal(observation.certificate?.covers, true, trace)
          }
        })
      }
    })
  }
})
