/**
 * The shared material beside the repository (`../shared`: the Gateway API
 * CRD bundle, the reference how-tos). CI has it; a fresh clone may not, so a
 * test that reads it calls skipWithoutShared in a `before` hook: absent, the
 * suite is skipped with one printed line saying what is missing and why.
 */
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {REPO_ROOT} from './fixture-expectations.js'

export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared')

/** `../shared/<parts>` as an absolute path. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts)
}

/** Skip the calling suite (from a `before` hook) when `path` is absent, printing why. */
export function skipWithoutShared(context: Mocha.Context, path: string, what: string): void {
  if (existsSync(path)) return
  console.log(`    skipped: ${what} needs ${path}, which is absent (a clone without ../shared beside it)`)
  // Skipped on purpose, not failed: the material is not the project's, and a user who clones the
  // project alone must still get a green `npm test` (CI has ../shared and runs these suites).
  context.skip()
}
