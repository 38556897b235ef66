/**
 * StubBackends across configuration generations: provide fills the backend
 * map with running stubs (not the mapped keys), commit keeps a stub whose
 * key and kind are unchanged and stops the ones no longer referenced,
 * rollback stops what a refused configuration started, the per-run CA
 * directory exists only while TLS stubs may need it and is removed by stop,
 * and a --stub-ca-dir CA is created once and reused.
 */
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import type {BackendAddress} from '../../../src/serve/backend-map.js'
import {StubBackends} from '../../../src/serve/stub-backends/stub-backends.js'
import {bindDocuments, gateway, route, services} from '../../gatewayapi/decide-support.js'

const LISTENERS = ['{name: http, protocol: HTTP, port: 80}', '{name: pass, protocol: TLS, port: 8443, tls: {mode: Passthrough}}']

function configuration(backends: string[], passthrough = false) {
  return bindDocuments([
    gateway('gw', LISTENERS),
    ...services('default', [...backends, 'app:443']),
    route('HTTPRoute', 'r', {parentRefs: '[{name: gw, sectionName: http}]', rules: `[{backendRefs: [${backends.map((name) => `{name: ${name}, port: 80}`).join(', ')}]}]`}),
    ...passthrough ? [route('TLSRoute', 't', {parentRefs: '[{name: gw, sectionName: pass}]', hostnames: ['app.example.com'], rules: '[{backendRefs: [{name: app, port: 443}]}]'})] : [],
  ])
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port}, () => {
      socket.destroy()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}

describe('StubBackends: provide, commit, rollback, stop', function () {
  this.timeout(30_000)

  it('fills the map, keeps unchanged stubs across generations and stops the ones no longer referenced', async () => {
    const stubs = new StubBackends()
    try {
      const first = new Map<string, BackendAddress>([['default/mapped:80', {host: '127.0.0.1', port: 9}]])
      await stubs.provide(configuration(['web', 'api', 'mapped']), first)
      await stubs.commit()
      assert.deepEqual(stubs.describe().map((stub) => [stub.backend, stub.protocol]), [['default/api:80', 'http'], ['default/web:80', 'http']])
      assert.deepEqual(first.get('default/mapped:80'), {host: '127.0.0.1', port: 9}, 'a mapped backend keeps its address')
      const web = first.get('default/web:80')!
      const api = first.get('default/api:80')!
      assert.ok(await accepts(api.port))

      const second = new Map<string, BackendAddress>()
      await stubs.provide(configuration(['web', 'new']), second)
      assert.ok(await accepts(api.port), 'the old generation keeps its stubs until the new one is committed')
      await stubs.commit()
      assert.deepEqual(second.get('default/web:80'), web, 'an unchanged stub is kept, at the same address')
      assert.equal(await accepts(api.port), false, 'a stub no longer referenced is stopped')
      assert.ok(await accepts(second.get('default/new:80')!.port))
    } finally {
      await stubs.stop()
    }
  })

  it('rollback stops what a refused configuration started, and keeps the running ones', async () => {
    const stubs = new StubBackends()
    try {
      const first = new Map<string, BackendAddress>()
      await stubs.provide(configuration(['web']), first)
      await stubs.commit()
      const refused = new Map<string, BackendAddress>()
      await stubs.provide(configuration(['web', 'other']), refused)
      await stubs.rollback()
      assert.equal(await accepts(refused.get('default/other:80')!.port), false)
      assert.ok(await accepts(first.get('default/web:80')!.port))
      assert.deepEqual(stubs.describe().map((stub) => stub.backend), ['default/web:80'])
    } finally {
      await stubs.stop()
    }
  })

  it('TLS stubs: the per-run CA directory is created for them and removed by stop; their ports close', async () => {
    const stubs = new StubBackends()
    const map = new Map<string, BackendAddress>()
    await stubs.provide(configuration(['web'], true), map)
    await stubs.commit()
    const report = await stubs.report()
    assert.ok(report.stubCa !== undefined && existsSync(report.stubCa))
    assert.deepEqual(report.stubs.find((stub) => stub.protocol === 'tls'), {backend: 'default/app:443', address: `127.0.0.1:${map.get('default/app:443')!.port}`, protocol: 'tls', dnsNames: ['app.example.com']})
    await stubs.stop()
    assert.equal(existsSync(dirname(report.stubCa)), false, 'the per-run CA directory is gone')
    assert.equal(await accepts(map.get('default/app:443')!.port), false)
  })

  it('--stub-ca-dir: the CA is created once, reused by the next run, and kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-stub-ca-test-'))
    try {
      const caDir = join(dir, 'ca')
      const runs: string[] = []
      for (let run = 0; run < 2; run++) {
        const stubs = new StubBackends({caDir})
        await stubs.provide(configuration([], true), new Map())
        await stubs.commit()
        const {stubCa} = await stubs.report()
        assert.equal(stubCa, join(caDir, 'ca.crt'))
        runs.push(readFileSync(stubCa!, 'utf8'))
        await stubs.stop()
      }
      assert.equal(runs[0], runs[1], 'the same CA both times')
      assert.ok(existsSync(join(caDir, 'ca.key')))
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
