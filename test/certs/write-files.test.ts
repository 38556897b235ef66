import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PRIVATE_MODE, PUBLIC_MODE, writeFilesAtomically} from '../../src/certs/write-files.js'

describe('certs/write-files', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-write-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('writes files with their modes, creating the directory', async () => {
    const files = [
      {path: join(dir, 'out', 'a.crt'), content: 'cert', mode: PUBLIC_MODE},
      {path: join(dir, 'out', 'a.key'), content: 'key', mode: PRIVATE_MODE},
    ]
    await writeFilesAtomically(files, false)
    assert.equal(readFileSync(files[0].path, 'utf8'), 'cert')
    assert.equal(statSync(files[0].path).mode & 0o777, 0o644)
    assert.equal(statSync(files[1].path).mode & 0o777, 0o600)
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['a.crt', 'a.key'], 'no temporary file left behind')
  })

  it('refuses the whole set when any target exists, naming it', async () => {
    writeFileSync(join(dir, 'b.key'), 'old')
    const files = [
      {path: join(dir, 'b.crt'), content: 'cert', mode: PUBLIC_MODE},
      {path: join(dir, 'b.key'), content: 'key', mode: PRIVATE_MODE},
    ]
    await assert.rejects(writeFilesAtomically(files, false), (error: Error & {kind?: string}) => error.kind === 'exists' && error.message.includes('b.key'))
    assert.deepEqual(readdirSync(dir), ['b.key'], 'b.crt was not written either')
    assert.equal(readFileSync(join(dir, 'b.key'), 'utf8'), 'old')
  })

  it('replaces with force, and the replaced key file is 0600', async () => {
    writeFileSync(join(dir, 'c.key'), 'old', {mode: 0o644})
    await writeFilesAtomically([{path: join(dir, 'c.key'), content: 'new', mode: PRIVATE_MODE}], true)
    assert.equal(readFileSync(join(dir, 'c.key'), 'utf8'), 'new')
    assert.equal(statSync(join(dir, 'c.key')).mode & 0o777, 0o600)
  })

  it('names the directory it cannot write into', async () => {
    writeFileSync(join(dir, 'file'), '')
    await assert.rejects(writeFilesAtomically([{path: join(dir, 'file', 'x.crt'), content: '', mode: PUBLIC_MODE}], false), (error: Error & {file?: string}) => error.file === join(dir, 'file'))
  })

  it('a dangling symbolic link at one target refuses the whole set: nothing is written', async () => {
    symlinkSync(join(dir, 'nowhere'), join(dir, 'd.key'))
    const files = [
      {path: join(dir, 'd.crt'), content: 'cert', mode: PUBLIC_MODE},
      {path: join(dir, 'd.key'), content: 'key', mode: PRIVATE_MODE},
    ]
    await assert.rejects(writeFilesAtomically(files, false), (error: Error & {kind?: string}) => error.kind === 'exists' && error.message.includes(`${join(dir, 'd.key')} (a symbolic link to a missing file)`))
    assert.deepEqual(readdirSync(dir), ['d.key'], 'd.crt was not written')
  })

  it('takes back the files already placed when a later one fails', async () => {
    const twice = join(dir, 'e.crt')
    const files = [
      {path: join(dir, 'e.key'), content: 'key', mode: PRIVATE_MODE},
      {path: twice, content: 'first', mode: PUBLIC_MODE},
      {path: twice, content: 'second', mode: PUBLIC_MODE},
    ]
    await assert.rejects(writeFilesAtomically(files, false), (error: Error & {kind?: string}) => error.kind === 'exists')
    assert.deepEqual(readdirSync(dir), [], 'e.key and the first e.crt were removed again, no temporary file left')
  })

  it('with force, a file that cannot be staged leaves the old files untouched', async () => {
    writeFileSync(join(dir, 'f.key'), 'old key')
    const files = [
      {path: join(dir, 'f.key'), content: 'new key', mode: PRIVATE_MODE},
      {path: join(dir, 'f.crt', 'inside'), content: 'cert', mode: PUBLIC_MODE},
    ]
    writeFileSync(join(dir, 'f.crt'), 'a file where a directory is needed')
    await assert.rejects(writeFilesAtomically(files, true))
    assert.equal(readFileSync(join(dir, 'f.key'), 'utf8'), 'old key')
    assert.deepEqual(readdirSync(dir).sort(), ['f.crt', 'f.key'])
  })

  it('with force, refuses a directory in the way before writing anything', async () => {
    mkdirSync(join(dir, 'g.key'))
    const files = [
      {path: join(dir, 'g.crt'), content: 'cert', mode: PUBLIC_MODE},
      {path: join(dir, 'g.key'), content: 'key', mode: PRIVATE_MODE},
    ]
    await assert.rejects(writeFilesAtomically(files, true), (error: Error & {file?: string}) => error.file === join(dir, 'g.key') && /is a directory/.test(error.message))
    assert.deepEqual(readdirSync(dir), ['g.key'])
  })
})
