/**
 * `--exclude GLOB` (and `exclude:` of the config file): which paths loading
 * leaves out. A pattern is matched against the path relative to the working
 * directory (an absolute pattern is made relative to it first) and against
 * each of its parent directories, so `charts` or `charts/**` leaves out
 * everything under charts/. A pattern without a `/` matches a file or
 * directory name at any depth (`values.yaml`, `*.json`), as in .gitignore.
 * Globs are picomatch's (`*`, `**`, `?`, `[...]`, `{a,b}`); a leading `./`
 * and a trailing `/` are ignored.
 */
import path from 'node:path'
import picomatch from 'picomatch'
import {UserError} from '../errors/user-error.js'

/** The pattern (as written) that excludes an absolute path, or undefined. */
export type ExcludeMatcher = (absolutePath: string) => string | undefined

interface CompiledPattern {
  written: string
  /** Match file and directory names at any depth, rather than whole relative paths. */
  anyDepth: boolean
  test: (candidate: string) => boolean
}

export function createExcludeMatcher(patterns: readonly string[], cwd: string): ExcludeMatcher | undefined {
  if (patterns.length === 0) return undefined
  const compiled = patterns.map(pattern => compilePattern(pattern, cwd))
  return (absolutePath) => {
    const relative = path.relative(cwd, absolutePath)
    if (relative === '') return undefined
    const segments = relative.split(path.sep)
    const prefixes = segments.map((_, index) => segments.slice(0, index + 1).join('/'))
    for (const pattern of compiled) {
      const candidates = pattern.anyDepth ? segments.filter(segment => segment !== '..' && segment !== '.') : prefixes
      if (candidates.some(candidate => pattern.test(candidate))) return pattern.written
    }
    return undefined
  }
}

function compilePattern(written: string, cwd: string): CompiledPattern {
  let pattern = written.trim()
  if (path.isAbsolute(pattern)) pattern = path.relative(cwd, pattern).split(path.sep).join('/')
  while (pattern.startsWith('./')) pattern = pattern.slice(2)
  while (pattern.length > 1 && pattern.endsWith('/')) pattern = pattern.slice(0, -1)
  if (pattern === '' || pattern === '.') {
    throw new UserError('usage', `exclude pattern ${JSON.stringify(written)} names no path`, {hint: 'e.g. --exclude charts/ or --exclude "**/values.yaml"'})
  }
  return {written, anyDepth: !pattern.includes('/'), test: picomatch(pattern, {dot: true})}
}
