import assert from 'node:assert/strict'
import {hasFirstLine, readBackendBanner, readBackendHeader} from '../../../src/testing/live/backend-identity.js'

describe('testing/live/backend-identity', () => {
  const banners: Array<{bytes: string; backend: string | undefined}> = [
    {bytes: 'gwctl-stub-backend web/api:80\n', backend: 'web/api:80'},
    {bytes: 'gwctl-stub-backend web/api:80\r\nprobe', backend: 'web/api:80'},
    {bytes: 'gwctl-stub-backend web/api:80\ngwctl-live-probe\n', backend: 'web/api:80'},
    {bytes: 'gwctl-stub-backend web/api:80', backend: undefined},
    {bytes: '+OK redis\n', backend: undefined},
    {bytes: 'hello gwctl-stub-backend web/api:80\n', backend: undefined},
  ]
  for (const {bytes, backend} of banners) {
    it(`banner ${JSON.stringify(bytes)} → ${backend}`, () => {
      assert.equal(readBackendBanner(Buffer.from(bytes)), backend)
    })
  }

  it('knows when a first line is complete', () => {
    assert.equal(hasFirstLine(Buffer.from('gwctl-stub')), false)
    assert.equal(hasFirstLine(Buffer.from('x\n')), true)
    assert.equal(hasFirstLine(Buffer.alloc(512, 0x41)), true)
  })

  it('reads the identity header case-insensitively, first value, trimmed', () => {
    assert.equal(readBackendHeader({'x-gwctl-backend': ' web/api:80 '}, 'x-gwctl-backend'), 'web/api:80')
    assert.equal(readBackendHeader({'x-served-by': ['a/b:1', 'c/d:2']}, 'X-Served-By'), 'a/b:1')
    assert.equal(readBackendHeader({'x-served-by': ''}, 'x-served-by'), undefined)
    assert.equal(readBackendHeader({}, 'x-gwctl-backend'), undefined)
  })
})
