/**
 * Which test files `gwctl test` runs and which paths hold the manifests:
 * every `*.gwctl-test.yaml` (`.yml`) found by walking the PATHS as the
 * manifest loader walks them (hidden entries, node_modules, dist and
 * excluded paths skipped), a PATH that is itself a test file, and each
 * `--tests FILE|DIR` (a named file is read whatever its name). PATHS that
 * are test files are not manifests; when every PATH is one, the manifests
 * are the directories holding them. Files come sorted, each once.
 */
import {readdir, realpath, stat} from 'node:fs/promises'
import path from 'node:path'
import {UserError} from '../errors/user-error.js'
import {createExcludeMatcher} from '../manifests/exclude-paths.js'
import {isRoutingTestFile} from '../manifests/routing-test-file.js'

export interface FoundTestFiles {
  /** Absolute paths of the test files, sorted, each once. */
  testFiles: string[]
  /** The manifest inputs: PATHS that are not test files (or the test files' directories). */
  manifestPaths: string[]
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist'])

async function walk(directory: string, exclude: ReturnType<typeof createExcludeMatcher>, found: string[], seen: Set<string>): Promise<void> {
  const real = await realpath(directory)
  if (seen.has(real)) return
  seen.add(real)
  const entries = await readdir(directory, {withFileTypes: true})
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue
    const entryPath = path.join(directory, entry.name)
    if (exclude?.(entryPath) !== undefined) continue
    const stats = entry.isSymbolicLink() ? await stat(entryPath).catch(() => undefined) : entry
    if (stats?.isDirectory()) await walk(entryPath, exclude, found, seen)
    else if (stats?.isFile() && isRoutingTestFile(entry.name)) found.push(entryPath)
  }
}

async function statPath(file: string, what: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(file)
  } catch (error) {
    throw new UserError('input', `${what} cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`, {file})
  }
}

export async function findTestFiles(paths: readonly string[], tests: readonly string[], options: {cwd: string; exclude?: readonly string[]}): Promise<FoundTestFiles> {
  const exclude = createExcludeMatcher(options.exclude ?? [], options.cwd)
  const found: string[] = []
  const manifestPaths: string[] = []
  const testDirectories: string[] = []
  for (const input of paths.length === 0 ? ['.'] : paths) {
    if (input === '-') {
      manifestPaths.push(input)
      continue
    }
    const absolute = path.resolve(options.cwd, input)
    if (isRoutingTestFile(absolute)) {
      await statPath(input, 'test file')
      found.push(absolute)
      testDirectories.push(path.dirname(input))
      continue
    }
    manifestPaths.push(input)
    const stats = await stat(absolute).catch(() => undefined)
    if (stats?.isDirectory()) await walk(absolute, exclude, found, new Set())
  }
  for (const input of tests) {
    const absolute = path.resolve(options.cwd, input)
    const stats = await statPath(input, '--tests')
    if (stats.isDirectory()) {
      const before = found.length
      await walk(absolute, exclude, found, new Set())
      if (found.length === before) throw new UserError('usage', `--tests ${input}: the directory holds no *.gwctl-test.yaml file`)
    } else {
      found.push(absolute)
    }
  }
  const unique = [...new Set(found)].sort()
  return {testFiles: unique, manifestPaths: manifestPaths.length > 0 ? manifestPaths : [...new Set(testDirectories)]}
}
