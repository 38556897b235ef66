/**
 * What bin/run.js runs (built to dist/cli/start.js by scripts/build-cli.ts,
 * which compiles in GWCTL_BUILD_ID and GWCTL_COMMAND_WORDS): answers
 * `--version` without oclif when it can (version-request.ts), otherwise
 * requires the CLI bundle dist/cli/gwctl.cjs with the V8 code cache
 * (compile-cache.ts, one cache file per command) and hands argv to oclif's
 * `execute`, so every command, flag, help text and hook works as oclif
 * defines it. Imports only node: modules (and is-wsl for --version), to stay cheap.
 */
import {existsSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {resolveCompileCacheDirectory} from './cache-directory.js'
import {requireWithCodeCache} from './compile-cache.js'
import {formatUserAgent, hasInitHook, isVersionRequest, type OclifPackageJson} from './version-request.js'

declare const GWCTL_BUILD_ID: string
declare const GWCTL_COMMAND_WORDS: readonly string[]

interface Bundle {
  execute: (options: {dir: string}) => Promise<unknown>
}

function readJson(file: string): OclifPackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OclifPackageJson
  } catch {
    return undefined
  }
}

/** A plugin's package.json, found as Node would: node_modules of the package root and its parents. */
function readPluginPackageJson(root: string, name: string): OclifPackageJson | undefined {
  for (let directory = root; ; directory = path.dirname(directory)) {
    const file = path.join(directory, 'node_modules', name, 'package.json')
    if (existsSync(file)) return readJson(file)
    if (path.dirname(directory) === directory) return undefined
  }
}

function homeDirectory(): string | undefined {
  try {
    return os.homedir()
  } catch {
    return undefined
  }
}

/** The cache file of this run: the command's first word, or `other`. */
function chooseSlot(argv: readonly string[]): string {
  const word = argv.find((arg) => !arg.startsWith('-'))
  return word !== undefined && GWCTL_COMMAND_WORDS.includes(word) ? word : 'other'
}

export async function start(binUrl: string): Promise<void> {
  const argv = process.argv.slice(2)
  const root = path.dirname(path.dirname(fileURLToPath(binUrl)))
  const pjson = readJson(path.join(root, 'package.json'))
  if (pjson !== undefined && process.env.DEBUG === undefined && isVersionRequest(argv, pjson) && !hasInitHook(pjson, (name) => readPluginPackageJson(root, name))) {
    const {default: isWsl} = await import('is-wsl')
    process.stdout.write(`${formatUserAgent(pjson, {platform: isWsl ? 'wsl' : os.platform(), arch: os.arch(), nodeVersion: process.version})}\n`)
    return
  }
  const bundle = requireWithCodeCache(fileURLToPath(new URL('gwctl.cjs', import.meta.url)), {
    directory: resolveCompileCacheDirectory({env: process.env, platform: process.platform, homedir: homeDirectory()}),
    buildId: GWCTL_BUILD_ID,
    slot: chooseSlot(argv),
    importer: (specifier) => import(specifier),
  })
  await (bundle.exports as Bundle).execute({dir: binUrl})
}
