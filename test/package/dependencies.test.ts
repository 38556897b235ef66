/**
 * package.json declares what the code uses, and the installed package needs
 * only its runtime dependencies: the CLI is one bundle (scripts/build-cli.ts
 * checks it loads nothing else from node_modules), so a runtime dependency is
 * an oclif plugin package.json names or a package a file under dist/ other
 * than the bundle imports. Every devDependency is used by the sources, tests,
 * benchmarks or scripts (imported, run as a binary, or @types of either);
 * every package those import is declared. The licence is in LICENSE.
 */
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {isBuiltin} from 'node:module'
import {join, relative} from 'node:path'
import ts from 'typescript'
import {REPO_ROOT} from '../support/fixture-expectations.js'

interface PackageJson {
  license?: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  scripts?: Record<string, string>
  oclif?: {plugins?: string[]}
  bin?: string | Record<string, string>
}

const pjson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson

function listFiles(directory: string, pattern: RegExp): string[] {
  if (!existsSync(directory)) return []
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name)
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : listFiles(path, pattern)
    return pattern.test(name) ? [path] : []
  })
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** The string arguments of `require.resolve(...)` calls (TypeScript's pre-processor skips them). */
function readRequireResolves(file: string, text: string): string[] {
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.getText() === 'require.resolve' && node.arguments[0] !== undefined && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text)
    }
    ts.forEachChild(node, visit)
  }
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true))
  return found
}

/** Packages the files import (static and dynamic imports, require: TypeScript's pre-processor; require.resolve), with one file each for messages. */
function readImports(files: readonly string[]): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const specifiers = [...ts.preProcessFile(text, true, true).importedFiles.map((entry) => entry.fileName), ...readRequireResolves(file, text)]
    for (const specifier of specifiers) {
      if (specifier.startsWith('.') || isBuiltin(specifier)) continue
      const name = packageOf(specifier)
      if (!found.has(name)) found.set(name, relative(REPO_ROOT, file))
    }
  }
  return found
}

/** Binaries each declared package provides. */
function readBinaries(name: string): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as PackageJson
  if (manifest.bin === undefined) return []
  return typeof manifest.bin === 'string' ? [name.split('/').at(-1)!] : Object.keys(manifest.bin)
}

const SOURCES = ['src', 'test', 'bench', 'scripts', 'bin'].flatMap((directory) => listFiles(join(REPO_ROOT, directory), /\.(ts|js|mjs|cjs)$/))

describe('package.json dependencies', () => {
  it('runtime dependencies are exactly the oclif plugins and what dist/ loads besides the bundle', function () {
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'gwctl.cjs'))) this.skip()
    const loaders = listFiles(join(REPO_ROOT, 'dist'), /\.(js|mjs|cjs)$/).filter((file) => !file.endsWith('gwctl.cjs'))
    const expected = new Set([...(pjson.oclif?.plugins ?? []), ...readImports([...loaders, join(REPO_ROOT, 'bin', 'run.js')]).keys()])
    assert.deepEqual(Object.keys(pjson.dependencies ?? {}).sort(), [...expected].sort())
  })

  it('every devDependency is imported or run by the sources, tests, benchmarks or scripts', () => {
    const imported = readImports(SOURCES)
    const commands = [...Object.values(pjson.scripts ?? {}), readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8'), readFileSync(join(REPO_ROOT, '.mocharc.json'), 'utf8'), readFileSync(join(REPO_ROOT, 'bin', 'dev.js'), 'utf8')].join('\n')
    const runs = (name: string) => readBinaries(name).some((binary) => new RegExp(`(^|[\\s"=/])${binary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s"])`, 'm').test(commands))
    const used = (name: string): boolean => {
      if (name.startsWith('@types/')) {
        const typed = name.slice('@types/'.length)
        return typed === 'node' || used(typed)
      }
      return imported.has(name) || runs(name) || new RegExp(`import=${name}\\b`).test(commands)
    }
    const unused = Object.keys(pjson.devDependencies ?? {}).filter((name) => !used(name))
    assert.deepEqual(unused, [], 'devDependencies nothing uses')
  })

  it('every package the code imports is declared (not borrowed from another package\'s dependencies)', () => {
    const declared = new Set([...Object.keys(pjson.dependencies ?? {}), ...Object.keys(pjson.devDependencies ?? {})])
    const undeclared = [...readImports(SOURCES)].filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (${file})`)
    assert.deepEqual(undeclared, [])
  })

  it('the package is Apache-2.0 and ships the licence text', () => {
    assert.equal(pjson.license, 'Apache-2.0')
    const license = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8')
    assert.match(license, /^\s+Apache License\n\s+Version 2\.0, January 2004\n\s+http:\/\/www\.apache\.org\/licenses\//)
    assert.match(license, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/)
    assert.match(license, /END OF TERMS AND CONDITIONS/)
    assert.match(license, /Copyright \d{4} gwctl authors/)
  })
})
