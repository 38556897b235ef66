/**
 * Requires one CommonJS file (the CLI bundle, ASCII: it is read as latin1,
 * which skips decoding UTF-8 into a two-byte string) with a V8 code cache, as
 * Node 22's module.enableCompileCache() would (Node 20 has none): the file is
 * compiled with the bytes V8 produced after an earlier run, so the functions
 * that run needed are neither parsed nor compiled again. The cache of a run
 * is written at exit when there was none or V8 rejected it (other Node
 * version or V8 flags), to a temporary name and renamed, so concurrent runs
 * never read half a file. One cache file per build, Node version and slot
 * (the command): a `--help` run does not stand in for a `lint` run; and per
 * set of node options (see cacheFileName).
 *
 * V8 also rejects a cache made under flags changed at run time (serve
 * enlarges the young generation), so a pending cache is written just before
 * the first v8.setFlagsFromString of the run instead of at exit.
 *
 * The directory is the user's (created 0700); a cache file owned by another
 * user is ignored. Caches of other builds untouched for 30 days are removed
 * when a new one is written. Any failure to read or write only costs time.
 */
import {closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import Module from 'node:module'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'

export interface CompileCacheOptions {
  /** Directory of the cache files; undefined disables the cache. */
  directory: string | undefined
  /** Identifies the file's build: caches of other builds are never read. */
  buildId: string
  /** Which kind of run this is (the command), one cache file each. */
  slot: string
  /** `import()` for the file's code, which cannot call import() itself when compiled by vm.Script. */
  importer: (specifier: string) => Promise<unknown>
}

export type CacheOutcome = 'off' | 'used' | 'missing' | 'rejected'

export interface CachedRequire {
  exports: unknown
  cache: CacheOutcome
}

const STALE_MS = 30 * 24 * 60 * 60 * 1000
/** The parameters the file's code sees: Node's CommonJS wrapper plus the importer. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __gwctlLoaderImport) { '
const WRAPPER_TAIL = '\n})'

/**
 * The cache file of a build, Node version, slot and V8 flag set: V8 rejects a
 * cache made under other flags, so runs with different `node` options or
 * NODE_OPTIONS keep separate files instead of overwriting each other's.
 */
export function cacheFileName(options: Pick<CompileCacheOptions, 'buildId' | 'slot'>, nodeOptions: string): string {
  const flags = nodeOptions.trim() === '' ? '' : `-${hashText(nodeOptions.trim())}`
  return `${options.buildId}-node${process.versions.node}-${process.arch}-${options.slot.replace(/[^a-z0-9-]/gi, '_')}${flags}.v8`
}

/** The node options of this process (command line and NODE_OPTIONS): they decide which V8 flags are set. */
export function readNodeOptions(): string {
  return `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`
}

/** FNV-1a, 32 bits, as hex: enough to tell flag sets apart in a file name. */
function hashText(text: string): string {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}

function readOwnFile(file: string): Buffer | undefined {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const stat = fstatSync(fd)
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined
    return readFileSync(fd)
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function pruneStale(directory: string, buildId: string): void {
  const now = Date.now()
  for (const name of readdirSync(directory)) {
    if (!name.endsWith('.v8') || name.startsWith(`${buildId}-`)) continue
    const file = path.join(directory, name)
    if (now - statSync(file).mtimeMs > STALE_MS) rmSync(file, {force: true})
  }
}

function writeCache(directory: string, file: string, buildId: string, script: vm.Script): void {
  try {
    mkdirSync(directory, {recursive: true, mode: 0o700})
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, script.createCachedData(), {mode: 0o600, flag: 'wx'})
    renameSync(temporary, file)
    pruneStale(directory, buildId)
  } catch {
    // A cache that cannot be written only makes the next start slower.
  }
}

/** Runs `write` once: at exit, or before V8 flags first change, whichever comes first. */
function scheduleWrite(write: () => void): void {
  const setFlags = v8.setFlagsFromString
  const writeOnce = () => {
    process.off('exit', writeOnce)
    v8.setFlagsFromString = setFlags
    write()
  }
  process.once('exit', writeOnce)
  v8.setFlagsFromString = (flags: string) => {
    writeOnce()
    setFlags(flags)
  }
}

/** Require `file` (CommonJS) through the code cache; later `require(file)` calls get the same module. */
export function requireWithCodeCache(file: string, options: CompileCacheOptions): CachedRequire {
  const cacheFile = options.directory === undefined ? undefined : path.join(options.directory, cacheFileName(options, readNodeOptions()))
  const cachedData = cacheFile === undefined ? undefined : readOwnFile(cacheFile)
  const source = readFileSync(file, 'latin1')
  const script = new vm.Script(WRAPPER_HEAD + source + WRAPPER_TAIL, {filename: file, cachedData})
  const cache: CacheOutcome = cacheFile === undefined ? 'off' : cachedData === undefined ? 'missing' : script.cachedDataRejected === true ? 'rejected' : 'used'
  const module = new Module(file)
  module.filename = file
  const requireFromFile = createRequire(file)
  requireFromFile.cache[file] = module
  const wrapper = script.runInThisContext() as (...parameters: unknown[]) => void
  wrapper.call(module.exports, module.exports, requireFromFile, module, file, path.dirname(file), options.importer)
  module.loaded = true
  if (cacheFile !== undefined && options.directory !== undefined && (cache === 'missing' || cache === 'rejected')) {
    scheduleWrite(() => writeCache(options.directory!, cacheFile, options.buildId, script))
  }
  return {exports: module.exports, cache}
}
