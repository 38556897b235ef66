import {strict as assert} from 'node:assert'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {describeReadError, readFileBounded, readStreamBounded} from '../../src/manifests/read-input.js'

describe('readFileBounded / readStreamBounded', () => {
  let root: string
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gwctl-read-'))
    await writeFile(path.join(root, 'ten.txt'), '0123456789')
  })
  after(async () => rm(root, {recursive: true, force: true}))

  it('reads a file at the limit', async () => {
    assert.equal((await readFileBounded(path.join(root, 'ten.txt'), 10))?.toString(), '0123456789')
  })

  it('gives up on a file over the limit', async () => {
    assert.equal(await readFileBounded(path.join(root, 'ten.txt'), 9), undefined)
  })

  it('gives up on an endless device after limit + 1 bytes', async () => {
    assert.equal(await readFileBounded('/dev/zero', 1024), undefined)
  })

  it('throws the file system error of a missing file', async () => {
    await assert.rejects(readFileBounded(path.join(root, 'missing'), 10), {code: 'ENOENT'})
  })

  it('reads a stream of strings and buffers at the limit, and gives up past it', async () => {
    assert.equal((await readStreamBounded(Readable.from(['01234', Buffer.from('56789')]), 10))?.toString(), '0123456789')
    assert.equal(await readStreamBounded(Readable.from(['01234', '56789', 'x']), 10), undefined)
  })
})

describe('describeReadError', () => {
  const CASES: Array<[error: unknown, reason: string]> = [
    [Object.assign(new Error('ENOENT: no such file'), {code: 'ENOENT'}), 'no such file or directory'],
    [Object.assign(new Error('EACCES: permission denied, open x'), {code: 'EACCES'}), 'permission denied'],
    [Object.assign(new Error('EPERM: operation not permitted'), {code: 'EPERM'}), 'permission denied'],
    [Object.assign(new Error('ENOTDIR: not a directory'), {code: 'ENOTDIR'}), 'a part of the path is not a directory'],
    [Object.assign(new Error('ELOOP: too many symbolic links'), {code: 'ELOOP'}), 'too many levels of symbolic links'],
    [Object.assign(new Error('ESOMETHING: odd\nsecond line'), {code: 'ESOMETHING'}), 'ESOMETHING: odd (ESOMETHING)'],
    [new Error('plain failure'), 'plain failure'],
    ['a string', 'a string'],
  ]
  for (const [error, reason] of CASES) {
    it(reason, () => assert.equal(describeReadError(error), reason))
  }
})
