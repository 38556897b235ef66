/**
 * Where gwctl keeps its compile cache: oclif's cache directory for the CLI
 * (`GWCTL_CACHE_DIR`, else ~/Library/Caches/gwctl on macOS, else
 * `$XDG_CACHE_HOME/gwctl`, `%LOCALAPPDATA%\gwctl` on Windows or
 * ~/.cache/gwctl), subdirectory `compile-cache`. `GWCTL_COMPILE_CACHE=0`
 * (or `false`, `off`) turns the cache off. Pure: environment and platform are
 * passed in.
 */
import path from 'node:path'

export interface CacheEnvironment {
  env: Readonly<Record<string, string | undefined>>
  platform: string
  /** os.homedir(), used when HOME is unset; undefined when it cannot be told. */
  homedir: string | undefined
}

const OFF = new Set(['0', 'false', 'off', 'no'])

export function resolveCompileCacheDirectory({env, platform, homedir}: CacheEnvironment): string | undefined {
  if (OFF.has((env.GWCTL_COMPILE_CACHE ?? '').trim().toLowerCase())) return undefined
  const join = platform === 'win32' ? path.win32.join : path.posix.join
  const cacheDir = env.GWCTL_CACHE_DIR || cacheHome(env, platform, homedir, join)
  return cacheDir === undefined ? undefined : join(cacheDir, 'compile-cache')
}

function cacheHome(env: CacheEnvironment['env'], platform: string, homedir: string | undefined, join: (...parts: string[]) => string): string | undefined {
  const home = env.HOME || homedir
  if (platform === 'darwin') return home === undefined ? undefined : join(home, 'Library', 'Caches', 'gwctl')
  const base = env.XDG_CACHE_HOME || (platform === 'win32' ? env.LOCALAPPDATA : undefined) || (home === undefined ? undefined : join(home, '.cache'))
  return base === undefined ? undefined : join(base, 'gwctl')
}
