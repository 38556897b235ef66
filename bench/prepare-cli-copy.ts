/**
 * The CLI as `npm install` lays it out, for timing: a temp directory with the
 * package's `files` (bin, dist, schemas, package.json) and a symlink to the
 * checkout's node_modules, plus an oclif.manifest.json generated there by
 * `oclif manifest` (the published package ships one; without it oclif
 * imports every command to list them). The checkout itself is left alone, so
 * others' `bin/dev.js` keeps running src/.
 */
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

export interface CliCopy {
  directory: string
  bin: string
}

export function prepareCliCopy(root: string): CliCopy {
  if (!existsSync(path.join(root, 'dist', 'commands', 'lint.js'))) throw new Error('dist/ is missing: run npm run build first')
  const directory = mkdtempSync(path.join(tmpdir(), 'gwctl-cli-'))
  for (const entry of ['bin', 'dist', 'schemas', 'package.json']) cpSync(path.join(root, entry), path.join(directory, entry), {recursive: true})
  symlinkSync(path.join(root, 'node_modules'), path.join(directory, 'node_modules'), 'dir')
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'oclif', 'bin', 'run.js'), 'manifest'], {
    cwd: directory, encoding: 'utf8', env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'},
  })
  if (result.status !== 0 || !existsSync(path.join(directory, 'oclif.manifest.json'))) {
    throw new Error(`oclif manifest failed: ${result.stderr || result.error?.message}`)
  }
  return {directory, bin: path.join(directory, 'bin', 'run.js')}
}
