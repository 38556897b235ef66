/**
 * oclif.manifest.json is generated and committed (help and start-up read it
 * instead of importing every command). This snapshot test fails when a
 * command, its flags or its arguments change without `npm run manifest`:
 * each command class under src/commands is compared with its manifest entry.
 */
import {strict as assert} from 'node:assert'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {REPO_ROOT} from '../support/fixture-expectations.js'

interface ManifestCommand {
  id: string
  summary?: string
  description?: string
  exitCodes?: Record<string, string>
  flags: Record<string, {char?: string; options?: string[]; default?: unknown; multiple?: boolean; hidden?: boolean}>
  args: Record<string, unknown>
}

interface CommandClass {
  enableJsonFlag?: boolean
  summary?: string
  description?: string
  exitCodes?: Record<string, string>
  flags?: Record<string, {char?: string; options?: string[]; default?: unknown; multiple?: boolean; hidden?: boolean}>
  args?: Record<string, unknown>
}

const COMMANDS = join(REPO_ROOT, 'src', 'commands')

function listCommandFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return listCommandFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

describe('oclif.manifest.json matches the commands (regenerate with npm run manifest)', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
  const files = listCommandFiles(COMMANDS)
  const ids = files.map((file) => relative(COMMANDS, file).replace(/\.ts$/, '').split('/').join(':'))

  it('lists exactly the commands of src/commands', () => {
    assert.deepEqual(Object.keys(manifest.commands).sort(), [...ids].sort())
  })

  for (const [index, file] of files.entries()) {
    const id = ids[index]
    it(`${id}: summary, description, exit codes, flags and arguments`, async () => {
      const command = (await import(file) as {default: CommandClass}).default
      const entry = manifest.commands[id]
      assert.ok(entry !== undefined, `${id} is in the manifest`)
      assert.equal(entry.summary, command.summary)
      assert.equal(entry.description, command.description)
      assert.deepEqual(entry.exitCodes, command.exitCodes, 'exit codes (the EXIT CODES section of its help)')
      assert.deepEqual(Object.keys(entry.args).sort(), Object.keys(command.args ?? {}).sort(), 'arguments')
      const flags = command.flags ?? {}
      const written = Object.keys(entry.flags).filter((name) => !(name === 'json' && command.enableJsonFlag === true))
      assert.deepEqual(written.sort(), Object.keys(flags).sort(), 'flag names (oclif adds --json itself with enableJsonFlag)')
      for (const [name, flag] of Object.entries(flags)) {
        const inManifest = entry.flags[name]
        const defaultOf = (value: unknown) => (value === false ? undefined : value)
        assert.equal(inManifest.char, flag.char, `--${name} short form`)
        assert.deepEqual(inManifest.options, flag.options, `--${name} options`)
        if (typeof flag.default !== 'function') assert.deepEqual(defaultOf(inManifest.default), defaultOf(flag.default), `--${name} default`)
        assert.equal(Boolean(inManifest.multiple), Boolean(flag.multiple), `--${name} repeatable`)
        assert.equal(Boolean(inManifest.hidden), Boolean(flag.hidden), `--${name} hidden`)
      }
    })
  }
})
