/**
 * `npm run build` (after `tsc`, which only type-checks): the CLI as it runs
 * and is published, built with esbuild into dist/:
 *   - dist/cli/gwctl.cjs: one CommonJS bundle of @oclif/core's `execute`,
 *     every module oclif loads by path (the commands under src/commands, the
 *     hooks and helpClass named in package.json) and all they import. One
 *     file, so bin/run.js compiles it with a V8 code cache
 *     (src/cli/compile-cache.ts) instead of resolving and compiling hundreds
 *     of modules on every start. It sits two levels below the package root,
 *     like the modules it bundles, so `new URL('../../schemas/',
 *     import.meta.url)` finds schemas/ from it as from src/. The CEL
 *     expressions of every schema are parsed here and their ASTs compiled
 *     in (src/schema/parsed-cel.ts), so no run parses them;
 *   - the files oclif loads by path (dist/commands/**, hooks, helpClass),
 *     each a small ES module re-exporting its module from the bundle, so
 *     oclif.manifest.json, help and `oclif manifest` work as before;
 *   - dist/cli/start.js: what bin/run.js runs (src/cli/start.ts), with the
 *     bundle's build id compiled in;
 *   - dist/THIRD-PARTY-NOTICES.txt: name, version, licence and licence text
 *     of every package the bundle contains.
 * The bundled packages are therefore devDependencies: the installed package
 * loads nothing from node_modules but the oclif plugins package.json names.
 *
 * Dynamic `import()` of a computed specifier in bundled packages (oclif
 * loading plugins, hooks and commands by path; esbuild bundles those of a
 * string literal) is rewritten to `__gwctlImport()`: code compiled with
 * vm.Script cannot call import() on Node 20 without an experimental flag, so
 * the loader hands in an importer; required normally, the bundle imports
 * itself (see the banner).
 *
 *   tsx scripts/build-cli.ts
 */
import {createHash} from 'node:crypto'
import {isBuiltin} from 'node:module'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import * as esbuild from 'esbuild'
import {parse} from '@bufbuild/cel'
import {isTransitionRule, listCelExpressions} from '../src/schema/cel-rules.js'
import {encodeParsedExpression} from '../src/schema/parsed-cel.js'
import type {CelRuleSpec} from '../src/schema/schema-node.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = path.join(ROOT, 'dist')
const BUNDLE = path.join(DIST, 'cli', 'gwctl.cjs')
const START = path.join(DIST, 'cli', 'start.js')
const NOTICES = path.join(DIST, 'THIRD-PARTY-NOTICES.txt')
/** Loaded only by oclif in development mode (bin/dev.js), never by the built CLI. */
const EXTERNAL = ['typescript', 'tsx', 'ts-node']
/** import() of a computed specifier: esbuild bundles those of a string literal, and leaves these. */
const DYNAMIC_IMPORT = /(?<![\w$.])import\((?!\s*['"`)])/g
const BANNER = [
  'var __gwctlModuleUrl = require("node:url").pathToFileURL(__filename).href;',
  'var __gwctlImport = typeof __gwctlLoaderImport === "function" ? __gwctlLoaderImport : (specifier) => import(specifier);',
].join('\n')

interface OclifConfig {
  commands?: string
  hooks?: Record<string, string | string[] | {target: string} | Array<{target: string}>>
  helpClass?: string
  plugins?: string[]
}

interface LoadedModule {
  /** Path under dist/ oclif loads, e.g. `commands/certs/create.js`. */
  distPath: string
  source: string
  exports: string[]
}

function listFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const file = path.join(directory, name)
    return statSync(file).isDirectory() ? listFiles(file) : [file]
  })
}

/** `./dist/x/y.js` from package.json → its source `src/x/y.ts`. */
function sourceOf(distReference: string): {distPath: string; source: string} {
  const distPath = path.posix.normalize(distReference).replace(/^dist\//, '')
  if (distPath === path.posix.normalize(distReference) || !distPath.endsWith('.js')) {
    throw new Error(`package.json oclif: ${distReference} is not a .js file under ./dist`)
  }
  const source = path.join(ROOT, 'src', distPath.replace(/\.js$/, '.ts'))
  if (!existsSync(source)) throw new Error(`package.json oclif: ${distReference} has no source ${path.relative(ROOT, source)}`)
  return {distPath, source}
}

/** `./dist/commands` from package.json → `commands`. */
function commandsDirectory(oclif: OclifConfig): string {
  const directory = path.posix.normalize(oclif.commands ?? '').replace(/\/$/, '')
  if (!directory.startsWith('dist/')) throw new Error(`package.json oclif.commands must be a directory under ./dist (it is ${oclif.commands})`)
  return directory.slice('dist/'.length)
}

/** Every module oclif loads by path: commands, hooks, the help class. */
function listLoadedModules(oclif: OclifConfig): Array<{distPath: string; source: string}> {
  const commandsDir = commandsDirectory(oclif)
  const commands = listFiles(path.join(ROOT, 'src', commandsDir))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => sourceOf(`dist/${path.relative(path.join(ROOT, 'src'), file).split(path.sep).join('/').replace(/\.ts$/, '.js')}`))
  const hooks = Object.values(oclif.hooks ?? {})
    .flatMap((hook) => (Array.isArray(hook) ? hook : [hook]))
    .map((hook) => sourceOf(typeof hook === 'string' ? hook : hook.target))
  const help = oclif.helpClass === undefined ? [] : [sourceOf(oclif.helpClass)]
  const unique = new Map([...commands, ...hooks, ...help].map((entry) => [entry.distPath, entry]))
  return [...unique.values()].sort((a, b) => a.distPath.localeCompare(b.distPath))
}

/** The names each module exports (esbuild reads them without bundling). */
async function readExports(modules: Array<{distPath: string; source: string}>): Promise<LoadedModule[]> {
  const result = await esbuild.build({
    entryPoints: modules.map((entry) => entry.source), bundle: false, write: false, format: 'esm', platform: 'node',
    outdir: path.join(ROOT, '.esbuild-exports'), outbase: ROOT, metafile: true, logLevel: 'silent',
  })
  const byEntry = new Map(Object.values(result.metafile.outputs).flatMap((output) => (output.entryPoint === undefined ? [] : [[path.resolve(ROOT, output.entryPoint), output.exports] as const])))
  return modules.map((entry) => ({...entry, exports: byEntry.get(entry.source) ?? []}))
}

/**
 * The bundle's entry: oclif's `execute`, and each module oclif loads by path
 * as a function importing it, so a module (and the node: modules it needs:
 * http, tls, crypto ...) is evaluated only when oclif asks for it.
 */
function renderBundleEntry(modules: readonly LoadedModule[]): string {
  const lines = [`export {execute} from '@oclif/core/execute'`, 'export const modules = {']
  for (const entry of modules) lines.push(`  ${JSON.stringify(entry.distPath)}: () => import(${JSON.stringify(entry.source)}),`)
  lines.push('}')
  return lines.join('\n')
}

/**
 * Edits to bundled packages, each found exactly or the build fails:
 * oclif sorts commands with localeCompare on every start, and loading ICU's
 * collator for that costs more than the sort of a few ASCII command ids;
 * fdir looks for its optional picomatch with a runtime require, which would
 * search node_modules on every start: it gets the bundled picomatch.
 */
const PACKAGE_EDITS = [
  {file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/, find: '.sort((a, b) => a.id.localeCompare(b.id))', replace: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'},
  {file: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/, find: 'let pm = null;', replace: 'import __gwctlPicomatch from "picomatch";\nlet pm = null;'},
  {file: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/, find: '__require.resolve("picomatch");\n\tpm = __require("picomatch");', replace: 'pm = __gwctlPicomatch;'},
  {file: /[\\/]fdir[\\/]dist[\\/]index\.cjs$/, find: 'require.resolve("picomatch");\n\tpm = require("picomatch");', replace: 'pm = require("picomatch");'},
]

/**
 * Loads bundled packages: dynamic import() becomes the importer the banner
 * defines, and PACKAGE_EDITS apply.
 */
const editPackages: esbuild.Plugin = {
  name: 'gwctl-package-edits',
  setup(build) {
    const applied = new Set<number>()
    build.onLoad({filter: /[\\/]node_modules[\\/].*\.[cm]?js$/}, (args) => {
      let contents = readFileSync(args.path, 'utf8')
      PACKAGE_EDITS.forEach((edit, index) => {
        if (!edit.file.test(args.path)) return
        if (!contents.includes(edit.find)) throw new Error(`${args.path}: '${edit.find}' not found (a new version? update PACKAGE_EDITS)`)
        contents = contents.replace(edit.find, edit.replace)
        applied.add(index)
      })
      return {contents: contents.replace(DYNAMIC_IMPORT, '__gwctlImport('), loader: 'js'}
    })
    build.onEnd(() => {
      const missed = PACKAGE_EDITS.filter((_, index) => !applied.has(index))
      if (missed.length > 0) throw new Error(`package edits not applied (file not bundled): ${missed.map((edit) => edit.find).join(', ')}`)
    })
  },
}

/**
 * The bundle as ASCII: esbuild escapes strings, but leaves comments and
 * regular expression literals as written (a few bundled packages have `→` or
 * raw control characters there). `\uXXXX` means the same in both, and an
 * ASCII file is read as latin1 (src/cli/compile-cache.ts) in a millisecond,
 * where decoding UTF-8 into a two-byte string of 3 MiB costs tens.
 */
function escapeNonAscii(code: string): string {
  return code.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Every CEL expression of the schemas (transition rules excepted: they never run), with its AST. */
function parseSchemaExpressions(): Record<string, string> {
  const expressions = new Set<string>()
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit)
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'x-kubernetes-validations' && Array.isArray(child)) {
          for (const rule of child as CelRuleSpec[]) if (!isTransitionRule(rule)) listCelExpressions(rule).forEach((expression) => expressions.add(expression))
        }
        visit(child)
      }
    }
  }
  for (const file of listFiles(path.join(ROOT, 'schemas')).filter((name) => name.endsWith('.json'))) visit(JSON.parse(readFileSync(file, 'utf8')))
  const table: Record<string, string> = {}
  for (const expression of [...expressions].sort()) {
    try {
      table[expression] = encodeParsedExpression(parse(expression))
    } catch {
      // A syntax error is reported when the rule runs, by the same parser.
    }
  }
  return table
}

async function buildBundle(modules: readonly LoadedModule[]): Promise<esbuild.Metafile> {
  const result = await esbuild.build({
    stdin: {contents: renderBundleEntry(modules), resolveDir: ROOT, sourcefile: 'gwctl-bundle-entry.ts', loader: 'ts'},
    outfile: BUNDLE, bundle: true, format: 'cjs', platform: 'node', target: 'node20',
    external: EXTERNAL, define: {'import.meta.url': '__gwctlModuleUrl', GWCTL_PARSED_CEL: JSON.stringify(parseSchemaExpressions())}, banner: {js: BANNER},
    plugins: [editPackages], legalComments: 'none', metafile: true, logLevel: 'warning',
  })
  writeFileSync(BUNDLE, escapeNonAscii(readFileSync(BUNDLE, 'utf8')))
  const external = Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((entry) => entry.external && !isBuiltin(entry.path)).map((entry) => entry.path))
  const unexpected = external.filter((name) => !EXTERNAL.includes(name))
  if (unexpected.length > 0) throw new Error(`dist/cli/gwctl.cjs would load from node_modules: ${[...new Set(unexpected)].join(', ')}`)
  const code = readFileSync(BUNDLE, 'utf8').slice(BANNER.length)
  const left = [...code.matchAll(DYNAMIC_IMPORT)].map((match) => code.slice(Math.max(0, match.index - 60), match.index + 40).replace(/\s+/g, ' '))
  if (left.length > 0) throw new Error(`dist/cli/gwctl.cjs still calls import() (compiled with a code cache it would fail):\n${left.join('\n')}`)
  return result.metafile
}

function renderStub(entry: LoadedModule): string {
  const up = '../'.repeat(entry.distPath.split('/').length - 1)
  const lines = [
    `// Generated by scripts/build-cli.ts: src/${entry.distPath.replace(/\.js$/, '.ts')}, from the bundle.`,
    `import {createRequire} from 'node:module'`,
    `const bundled = await createRequire(import.meta.url)(${JSON.stringify(`${up}cli/gwctl.cjs`)}).modules[${JSON.stringify(entry.distPath)}]()`,
  ]
  for (const name of entry.exports) {
    lines.push(name === 'default' ? 'export default bundled.default' : `export const ${name} = bundled.${name}`)
  }
  return `${lines.join('\n')}\n`
}

/** First word of every command id (lint, certs, ...): the code cache keeps one file per command. */
function listCommandWords(modules: readonly LoadedModule[], oclif: OclifConfig): string[] {
  const commandsDir = commandsDirectory(oclif)
  const words = modules.filter((entry) => entry.distPath.startsWith(`${commandsDir}/`)).map((entry) => entry.distPath.slice(commandsDir.length + 1).split('/')[0].replace(/\.js$/, ''))
  return [...new Set(words)].sort()
}

async function buildStart(buildId: string, commandWords: readonly string[]): Promise<esbuild.Metafile> {
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'cli', 'start.ts')], outfile: START, bundle: true, format: 'esm', platform: 'node', target: 'node20',
    define: {GWCTL_BUILD_ID: JSON.stringify(buildId), GWCTL_COMMAND_WORDS: JSON.stringify(commandWords)},
    legalComments: 'none', metafile: true, logLevel: 'warning',
  })
  return result.metafile
}

interface BundledPackage {
  name: string
  version: string
  license: string
  text: string
}

function findPackageRoot(file: string): string | undefined {
  const parts = file.split(/[\\/]/)
  const at = parts.lastIndexOf('node_modules')
  if (at < 0) return undefined
  const length = parts[at + 1]?.startsWith('@') ? at + 3 : at + 2
  return parts.slice(0, length).join('/')
}

function readBundledPackages(metafiles: readonly esbuild.Metafile[]): BundledPackage[] {
  const roots = new Set<string>()
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const root = findPackageRoot(path.resolve(ROOT, input))
      if (root !== undefined) roots.add(root)
    }
  }
  const packages = new Map<string, BundledPackage>()
  for (const root of roots) {
    const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {name: string; version: string; license?: string}
    const licenseFile = readdirSync(root).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name))
    const text = licenseFile === undefined ? `(no licence file; package.json says ${pjson.license ?? 'nothing'})` : readFileSync(path.join(root, licenseFile), 'utf8').trim()
    packages.set(`${pjson.name}@${pjson.version}`, {name: pjson.name, version: pjson.version, license: pjson.license ?? 'UNKNOWN', text})
  }
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name))
}

function renderNotices(packages: readonly BundledPackage[]): string {
  const header = [
    'gwctl bundles the following packages into dist/cli/gwctl.cjs and dist/cli/start.js.',
    'Each is listed with its version, the licence its package.json declares and its licence text.',
    '',
    ...packages.map((entry) => `- ${entry.name} ${entry.version} (${entry.license})`),
  ]
  const texts = packages.map((entry) => `${'='.repeat(78)}\n${entry.name} ${entry.version} (${entry.license})\n${'='.repeat(78)}\n\n${entry.text}\n`)
  return `${header.join('\n')}\n\n${texts.join('\n')}`
}

async function main(): Promise<void> {
  const pjson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {oclif: OclifConfig}
  rmSync(DIST, {recursive: true, force: true})
  const modules = await readExports(listLoadedModules(pjson.oclif))
  const bundleMeta = await buildBundle(modules)
  for (const entry of modules) {
    const file = path.join(DIST, ...entry.distPath.split('/'))
    mkdirSync(path.dirname(file), {recursive: true})
    writeFileSync(file, renderStub(entry))
  }
  const buildId = createHash('sha256').update(readFileSync(BUNDLE)).digest('hex').slice(0, 16)
  const startMeta = await buildStart(buildId, listCommandWords(modules, pjson.oclif))
  writeFileSync(NOTICES, renderNotices(readBundledPackages([bundleMeta, startMeta])))
  const size = statSync(BUNDLE).size
  console.log(`dist/cli/gwctl.cjs ${(size / 1024 / 1024).toFixed(1)} MiB (build ${buildId}), ${modules.length} modules oclif loads by path, dist/cli/start.js`)
}

await main()
