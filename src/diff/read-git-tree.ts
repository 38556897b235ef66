/**
 * `gwctl diff --git REF [PATHS...]`: the manifest files the paths name, as
 * they are at a git commit, read through git (`git ls-tree`, `git cat-file
 * --batch`) into memory, never checked out. Paths are taken as lint takes
 * them in the working tree: a file is read whatever its extension; a
 * directory is walked for *.yaml, *.yml and *.json files, skipping hidden
 * entries, node_modules, dist and gwctl test files (*.gwctl-test.yaml); a path with glob syntax that names no
 * entry is matched as a glob with the same filters; excluded paths are left
 * out; files in walk order (path segments in code-unit order), each once.
 * A walked or globbed file that holds no Kubernetes object is skipped by the
 * caller, as lint skips it. Symbolic links and submodules at the ref are not
 * followed. A ref that is not a commit, a path outside the repository, or
 * a working directory outside one is a user error.
 */
import {execFile, spawn} from 'node:child_process'
import {realpath} from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import {isDynamicPattern} from 'tinyglobby'
import {UserError} from '../errors/user-error.js'
import {formatDisplayPath} from '../manifests/display-path.js'
import type {ExcludeMatcher} from '../manifests/exclude-paths.js'
import {formatBytes, MAX_FILE_BYTES} from '../manifests/limits.js'
import {isRoutingTestFile, ROUTING_TEST_SKIP_REASON} from '../manifests/routing-test-file.js'

export interface GitFile {
  /** Path as findings name it: relative to the working directory, as the working-tree copy would be. */
  display: string
  /** Found by walking a directory or expanding a glob (else named). */
  found: boolean
  bytes: Buffer
}

export interface GitTreeRead {
  /** The commit REF names (full id). */
  commit: string
  files: GitFile[]
  /** Paths (as given) that name nothing at the ref. */
  missing: string[]
  /** Entries left out, and why (symbolic links, submodules, excluded named paths). */
  skipped: Array<{file: string; reason: string}>
}

interface TreeEntry {
  mode: string
  type: string
  object: string
  size: number
  /** Path from the repository root, `/`-separated. */
  path: string
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])
const SKIPPED_DIRECTORIES = ['node_modules', 'dist']

function runGit(args: readonly string[], cwd: string): Promise<{code: number; stdout: Buffer; stderr: string}> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], {cwd, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024}, (error, stdout, stderr) => {
      if (error !== null && typeof (error as NodeJS.ErrnoException).code === 'string') {
        reject(new UserError('usage', `--git: cannot run git: ${error.message.split('\n')[0]}`, {hint: 'install git, or compare two directories: gwctl diff OLD NEW'}))
        return
      }
      resolve({code: error === null ? 0 : Number((error as {code?: number}).code ?? 1), stdout, stderr: stderr.toString('utf8')})
    })
  })
}

/** The repository's top directory, seen from `cwd`. */
export async function findRepositoryRoot(cwd: string): Promise<string> {
  const result = await runGit(['rev-parse', '--show-toplevel'], cwd)
  if (result.code !== 0) throw new UserError('usage', `--git: ${formatDisplayPath(cwd, process.cwd())} is not inside a git repository`, {hint: 'run gwctl diff --git from the repository, or compare two directories: gwctl diff OLD NEW'})
  return result.stdout.toString('utf8').trim()
}

async function resolveCommit(ref: string, root: string): Promise<string> {
  if (ref.startsWith('-')) throw new UserError('usage', `--git '${ref}' is not a git ref`)
  const result = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], root)
  if (result.code !== 0) throw new UserError('usage', `--git ${ref}: no such commit, branch or tag in this repository`, {hint: 'e.g. --git main, --git HEAD~1, --git origin/main (fetch it first in a shallow clone)'})
  return result.stdout.toString('utf8').trim()
}

async function listTree(commit: string, root: string): Promise<TreeEntry[]> {
  const result = await runGit(['ls-tree', '-r', '-z', '--long', '--full-tree', commit], root)
  if (result.code !== 0) throw new UserError('input', `--git: git ls-tree failed: ${result.stderr.trim().split('\n')[0]}`)
  return result.stdout.toString('utf8').split('\0').filter(Boolean).map((line) => {
    const tab = line.indexOf('\t')
    const [mode, type, object, size] = line.slice(0, tab).split(/\s+/)
    return {mode, type, object, size: size === '-' ? 0 : Number(size), path: line.slice(tab + 1)}
  })
}

/** The bytes of blobs, by object id, through one `git cat-file --batch`. */
function readBlobs(objects: readonly string[], root: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {cwd: root, stdio: ['pipe', 'pipe', 'pipe']})
    const chunks: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8') })
    child.on('error', (error) => reject(new UserError('usage', `--git: cannot run git: ${error.message}`)))
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new UserError('input', `--git: git cat-file failed: ${stderr.trim().split('\n')[0]}`))
        return
      }
      const output = Buffer.concat(chunks)
      const blobs = new Map<string, Buffer>()
      let offset = 0
      while (offset < output.length) {
        const newline = output.indexOf(10, offset)
        const [object, , size] = output.subarray(offset, newline).toString('utf8').split(' ')
        const length = Number(size)
        blobs.set(object, output.subarray(newline + 1, newline + 1 + length))
        offset = newline + 1 + length + 1
      }
      resolve(blobs)
    })
    child.stdin.end(objects.map((object) => `${object}\n`).join(''))
  })
}

function hasManifestExtension(name: string): boolean {
  return MANIFEST_EXTENSIONS.has(path.posix.extname(name).toLowerCase())
}

/** Walk order: path segments compared one by one, in code-unit order. */
function compareWalkOrder(a: string, b: string): number {
  const left = a.split('/')
  const right = b.split('/')
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return left[index] < right[index] ? -1 : 1
  }
  return left.length - right.length
}

/** Below a walked directory: no hidden entry, node_modules or dist, a manifest extension, not a gwctl test file. */
function isWalked(below: string): boolean {
  const segments = below.split('/')
  return segments.every((segment) => !segment.startsWith('.') && !SKIPPED_DIRECTORIES.includes(segment)) && hasManifestExtension(below) && !isRoutingTestFile(below)
}

export interface GitTreeOptions {
  /** Directory the paths are relative to, and findings name files from. */
  cwd: string
  exclude?: ExcludeMatcher
}

export async function readGitTree(ref: string, inputs: readonly string[], options: GitTreeOptions): Promise<GitTreeRead> {
  // git names the top directory by its real path: paths are taken from the working directory's real path too.
  const cwd = await realpath(options.cwd)
  const root = await findRepositoryRoot(cwd)
  const named = inputs.length === 0 ? ['.'] : inputs
  const relatives = await Promise.all(named.map(async (input) => {
    if (input === '-') throw new UserError('usage', '--git reads the paths at a git ref: - (stdin) has no version there')
    const relative = path.relative(root, path.isAbsolute(input) ? await realpath(input).catch(() => input) : path.resolve(cwd, input)).split(path.sep).join('/')
    if (relative === '..' || relative.startsWith('../') || path.isAbsolute(relative)) {
      throw new UserError('usage', `--git: ${input} is outside the git repository ${root}`, {hint: 'name paths inside the repository'})
    }
    return {input, relative}
  }))
  const commit = await resolveCommit(ref, root)
  const entries = await listTree(commit, root)
  const absolute = (entry: TreeEntry) => path.join(root, ...entry.path.split('/'))
  const excluded = (entry: TreeEntry) => options.exclude?.(absolute(entry)) !== undefined
  const chosen = new Map<string, {entry: TreeEntry; found: boolean}>()
  const skipped: GitTreeRead['skipped'] = []
  const missing: string[] = []
  const take = (list: TreeEntry[], found: boolean) => {
    for (const entry of list.sort((a, b) => compareWalkOrder(a.path, b.path))) {
      if (entry.type === 'commit') skipped.push({file: formatDisplayPath(absolute(entry), cwd), reason: 'a git submodule: not read at a ref'})
      else if (entry.mode === '120000') skipped.push({file: formatDisplayPath(absolute(entry), cwd), reason: 'a symbolic link: not followed at a git ref'})
      else if (!chosen.has(entry.path)) chosen.set(entry.path, {entry, found})
    }
  }
  for (const {input, relative} of relatives) {
    if (relative !== '' && options.exclude?.(path.join(root, relative)) !== undefined) {
      skipped.push({file: formatDisplayPath(path.join(root, relative), cwd), reason: 'excluded'})
      continue
    }
    const exact = entries.find((entry) => entry.path === relative)
    if (exact !== undefined) {
      if (isRoutingTestFile(exact.path)) skipped.push({file: formatDisplayPath(absolute(exact), cwd), reason: ROUTING_TEST_SKIP_REASON})
      else take([exact], false)
      continue
    }
    const prefix = relative === '' ? '' : `${relative}/`
    const inside = entries.filter((entry) => entry.path.startsWith(prefix))
    if (inside.length > 0) {
      take(inside.filter((entry) => isWalked(entry.path.slice(prefix.length)) && !excluded(entry)), true)
      continue
    }
    if (isDynamicPattern(input)) {
      const matches = picomatch(input.split(path.sep).join('/'), {dot: false})
      const mentioned = SKIPPED_DIRECTORIES.filter((name) => input.includes(name))
      const globbed = entries.filter((entry) => {
        const fromCwd = path.relative(cwd, absolute(entry)).split(path.sep).join('/')
        const segments = entry.path.split('/')
        return matches(fromCwd) && hasManifestExtension(entry.path) && !isRoutingTestFile(entry.path) && !excluded(entry)
          && segments.every((segment) => !SKIPPED_DIRECTORIES.includes(segment) || mentioned.includes(segment))
      })
      if (globbed.length > 0) {
        take(globbed, true)
        continue
      }
    }
    missing.push(input)
  }
  const tooLarge = [...chosen.values()].find(({entry}) => entry.size > MAX_FILE_BYTES)
  if (tooLarge !== undefined) {
    throw new UserError('input', `larger than the ${formatBytes(MAX_FILE_BYTES)} limit for one input: split it into several files`, {file: `${formatDisplayPath(absolute(tooLarge.entry), cwd)} (at ${ref})`})
  }
  const blobs = chosen.size === 0 ? new Map<string, Buffer>() : await readBlobs([...new Set([...chosen.values()].map(({entry}) => entry.object))], root)
  const files = [...chosen.values()].map(({entry, found}) => ({display: formatDisplayPath(absolute(entry), cwd), found, bytes: blobs.get(entry.object) ?? Buffer.alloc(0)}))
  return {commit, files, missing, skipped}
}
