import {strict as assert} from 'node:assert'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {findConfigFile, loadConfig} from '../../src/config/load-config.js'
import {UserError} from '../../src/errors/user-error.js'

describe('loadConfig: which .gwctl.yaml a command uses', () => {
  let root: string

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gwctl-config-'))
    const files: Record<string, string> = {
      'outer/.gwctl.yaml': 'channel: standard\n',
      'outer/repo/.git/HEAD': 'ref: refs/heads/main\n',
      'outer/repo/deep/er/.keep': '',
      'outer/repo-with-config/.git': 'gitdir: /elsewhere\n',
      'outer/repo-with-config/.gwctl.yaml': 'output: json\n',
      'outer/repo-with-config/sub/.keep': '',
      'outer/plain/sub/.keep': '',
      'outer/dir-named-like-it/.gwctl.yaml/.keep': '',
      'ci/strict.yaml': 'fail-on: warning\nexclude: [vendor]\n',
      'broken/.gwctl.yaml': 'chanel: standard\n',
    }
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, name)), {recursive: true})
      await writeFile(path.join(root, name), text)
    }
  })

  after(async () => {
    await rm(root, {recursive: true, force: true})
  })

  const searches: Array<{name: string; start: string; expected: string | undefined}> = [
    {name: 'in the working directory', start: 'outer', expected: 'outer/.gwctl.yaml'},
    {name: 'in a parent', start: 'outer/plain/sub', expected: 'outer/.gwctl.yaml'},
    {name: 'not above a directory holding .git (a repository root)', start: 'outer/repo/deep/er', expected: undefined},
    {name: 'in the repository root itself (checked before stopping; .git may be a file, as in worktrees)', start: 'outer/repo-with-config/sub', expected: 'outer/repo-with-config/.gwctl.yaml'},
    {name: 'a directory named .gwctl.yaml is not a config file', start: 'outer/dir-named-like-it', expected: 'outer/.gwctl.yaml'},
  ]
  for (const {name, start, expected} of searches) {
    it(`finds it ${name}`, async () => {
      const found = await findConfigFile(path.join(root, start))
      assert.equal(found, expected === undefined ? undefined : path.join(root, expected))
    })
  }

  it('names a file above the working directory by its absolute path, and keeps its directory for relative globs', async () => {
    const config = await loadConfig({cwd: path.join(root, 'outer/plain/sub')})
    assert.equal(config?.file, path.join(root, 'outer/.gwctl.yaml'))
    assert.equal(config?.directory, path.join(root, 'outer'))
    assert.equal(config?.channel, 'standard')
  })

  it('names a file in the working directory relatively', async () => {
    const config = await loadConfig({cwd: path.join(root, 'outer')})
    assert.equal(config?.file, '.gwctl.yaml')
  })

  it('--config FILE is used instead of searching, relative to the working directory', async () => {
    const config = await loadConfig({cwd: path.join(root, 'outer'), file: '../ci/strict.yaml'})
    assert.equal(config?.failOn, 'warning')
    assert.equal(config?.channel, undefined, 'the .gwctl.yaml found by searching is not read')
    assert.equal(config?.directory, path.join(root, 'ci'))
  })

  it('--no-config reads nothing, even a broken file', async () => {
    assert.equal(await loadConfig({cwd: path.join(root, 'broken'), disabled: true}), undefined)
  })

  it('no file found: no config', async () => {
    assert.equal(await loadConfig({cwd: path.join(root, 'outer/repo/deep')}), undefined)
  })

  const failures: Array<{name: string; cwd: string; file?: string; where: string; message: RegExp}> = [
    {name: 'an invalid file found by searching', cwd: 'broken', where: '.gwctl.yaml:1:1', message: /unknown key 'chanel'/},
    {name: '--config naming a missing file', cwd: 'outer', file: 'nope.yaml', where: 'nope.yaml', message: /^cannot read the config file: no such file$/},
    {name: '--config naming a directory', cwd: 'outer', file: 'plain', where: 'plain', message: /^cannot read the config file: is a directory$/},
  ]
  for (const {name, cwd, file, where, message} of failures) {
    it(`exit 2 for ${name}`, async () => {
      await assert.rejects(loadConfig({cwd: path.join(root, cwd), file}), (error: unknown) => {
        assert.ok(error instanceof UserError)
        assert.equal(error.file, where)
        assert.match(error.message, message)
        return true
      })
    })
  }
})
