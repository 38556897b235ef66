/**
 * The "bare parse" reference of the lint benchmark, run as its own plain
 * node process (JavaScript, so no tsx loader inflates its start-up): import
 * `yaml`, list DIR recursively, read every *.yaml file and run yaml's
 * parseAllDocuments on it (CST, documents and nodes with source ranges; no
 * toJS, no validation, nothing printed). With `--to-js`, also convert every
 * document to plain values, the least any linter must do.
 *
 *   node bench/parse-yaml-reference.mjs DIR [--to-js]
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {parseAllDocuments} from 'yaml'

const [directory, mode] = process.argv.slice(2)
let documents = 0
for (const entry of readdirSync(directory, {recursive: true, withFileTypes: true})) {
  if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue
  const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8')
  for (const document of parseAllDocuments(text)) {
    if (mode === '--to-js') document.toJS()
    documents++
  }
}
if (documents === 0) process.exitCode = 1
