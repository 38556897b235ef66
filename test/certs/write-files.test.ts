import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
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
})
