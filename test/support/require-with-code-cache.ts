/**
 * Test driver for src/cli/compile-cache.ts, run in a child process (the
 * cache is written at exit): `node --import tsx THIS FILE CACHE_DIR|- BUILD_ID SLOT`
 * requires FILE through the code cache (then, with a fifth argument
 * `set-flags`, changes a V8 flag through FILE's exports) and prints one JSON line:
 * {cache, answer, sameModule, imported, file} (file: the cache file's name).
 */
import {createRequire} from 'node:module'
import {cacheFileName, readNodeOptions, requireWithCodeCache} from '../../src/cli/compile-cache.js'

const [file, directory, buildId, slot, action] = process.argv.slice(2)
const loaded = requireWithCodeCache(file, {directory: directory === '-' ? undefined : directory, buildId, slot, importer: (specifier) => import(specifier)})
const exports = loaded.exports as {answer: number; importPlatform: () => Promise<string>; changeFlags: () => void}
if (action === 'set-flags') exports.changeFlags()
const imported = await exports.importPlatform()
const sameModule = createRequire(import.meta.url)(file) === loaded.exports
console.log(JSON.stringify({cache: loaded.cache, answer: exports.answer, sameModule, imported, file: cacheFileName({buildId, slot}, readNodeOptions())}))
