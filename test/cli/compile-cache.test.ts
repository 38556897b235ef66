import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const DRIVER = fileURLToPath(new URL('../support/require-with-code-cache.ts', import.meta.url))
const SOURCE = `module.exports = {
  answer: 42,
  importPlatform: () => __gwctlLoaderImport('node:os').then((os) => typeof os.platform()),
  changeFlags: () => require('node:v8').setFlagsFromString('--max-semi-space-size=32'),
}
`

interface DriverResult {
  cache: string
  answer: number
  sameModule: boolean
  imported: string
  file: string
}

describe('cli/compile-cache (child processes)', function () {
  this.timeout(60_000)
  let work: string
  let bundle: string
  let cacheDir: string

  function run(options: {buildId?: string; slot?: string; nodeOptions?: string[]; directory?: string; setFlags?: boolean} = {}): DriverResult {
    const args = [...(options.nodeOptions ?? []), '--import', 'tsx', DRIVER, bundle, options.directory ?? cacheDir, options.buildId ?? 'b1', options.slot ?? 'lint', ...(options.setFlags ? ['set-flags'] : [])]
    const stdout = execFileSync(process.execPath, args, {encoding: 'utf8'})
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as DriverResult
  }

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'gwctl-compile-cache-'))
    bundle = path.join(work, 'bundle.cjs')
    writeFileSync(bundle, SOURCE)
    cacheDir = path.join(work, 'cache', 'compile-cache')
  })
  afterEach(() => rmSync(work, {recursive: true, force: true}))

  it('writes a cache on the first run and uses it on the next; the module is the one require() returns; import() goes through the importer', () => {
    const first = run()
    assert.deepEqual({...first, file: undefined}, {cache: 'missing', answer: 42, sameModule: true, imported: 'string', file: undefined})
    const file = path.join(cacheDir, first.file)
    assert.ok(existsSync(file), `${file} written`)
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700, 'the cache directory is the user\'s alone')
    assert.equal(statSync(file).mode & 0o777, 0o600)
    const written = statSync(file).mtimeMs
    assert.equal(run().cache, 'used')
    assert.equal(statSync(file).mtimeMs, written, 'a used cache is not rewritten')
  })

  it('keeps one file per slot and per set of node options, so they never overwrite each other', () => {
    run()
    assert.equal(run({slot: 'resolve'}).cache, 'missing')
    assert.equal(run({nodeOptions: ['--max-old-space-size=300']}).cache, 'missing')
    assert.equal(run({nodeOptions: ['--max-old-space-size=300']}).cache, 'used')
    assert.equal(run().cache, 'used')
    assert.equal(readdirSync(cacheDir).filter((name) => name.endsWith('.v8')).length, 3)
  })

  it('a run that changes V8 flags (serve) writes its cache before the change, so the next run can use it', () => {
    assert.equal(run({slot: 'serve', setFlags: true}).cache, 'missing')
    assert.equal(run({slot: 'serve', setFlags: true}).cache, 'used')
  })

  it('rejects a corrupt or foreign cache, runs correctly anyway, and replaces it', () => {
    const file = path.join(cacheDir, run().file)
    writeFileSync(file, Buffer.alloc(4096, 7))
    assert.deepEqual({...run(), file: undefined}, {cache: 'rejected', answer: 42, sameModule: true, imported: 'string', file: undefined})
    assert.equal(run().cache, 'used')
  })

  it('a new build never reads the old build\'s cache; caches of other builds unused for 30 days are removed', () => {
    const own = run().file
    const oldFile = path.join(cacheDir, own.replace(/^b1-/, 'b0-'))
    const recentFile = path.join(cacheDir, own.replace(/^b1-/, 'b9-'))
    writeFileSync(oldFile, 'x')
    writeFileSync(recentFile, 'x')
    const longAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000)
    utimesSync(oldFile, longAgo, longAgo)
    writeFileSync(bundle, SOURCE.replace('42', '43'))
    const result = run({buildId: 'b2'})
    assert.equal(result.cache, 'missing')
    assert.equal(result.answer, 43)
    assert.ok(!existsSync(oldFile), 'stale cache of another build removed')
    assert.ok(existsSync(recentFile), 'recent cache of another build kept (another install may use it)')
    assert.ok(existsSync(path.join(cacheDir, own)), 'the previous build\'s recent cache is kept')
  })

  it('without a directory (GWCTL_COMPILE_CACHE=0) nothing is read or written', () => {
    assert.equal(run({directory: '-'}).cache, 'off')
    assert.ok(!existsSync(cacheDir))
  })

  it('an unwritable cache directory only costs time', () => {
    mkdirSync(path.dirname(cacheDir), {recursive: true})
    writeFileSync(cacheDir, 'not a directory')
    assert.deepEqual({...run(), file: undefined}, {cache: 'missing', answer: 42, sameModule: true, imported: 'string', file: undefined})
  })
})
