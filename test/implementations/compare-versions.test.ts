import {strict as assert} from 'node:assert'
import {compareVersions, normalizeVersion} from '../../src/implementations/compare-versions.js'

describe('compareVersions', () => {
  const ordered: Array<[string, string]> = [
    ['v1.8.0', 'v1.9.0'],
    ['2.7.0-pre-release', '2.7.0'],
    ['2.6.0', '2.7.0-pre-release'],
    ['3.7', '3.7.10'],
    ['1.35.2-gke.1751000', '1.36.2-gke.2154000'],
    ['main', '0.1.0'],
    ['2.2.0-beta.3', '2.2.0-rc.1'],
  ]
  for (const [older, newer] of ordered) {
    it(`${older} < ${newer}`, () => {
      assert.ok(compareVersions(older, newer) < 0)
      assert.ok(compareVersions(newer, older) > 0)
    })
  }
  it('v1.2.0 equals 1.2.0', () => assert.equal(compareVersions('v1.2.0', '1.2.0'), 0))
  it('strips v and a word prefix', () => {
    assert.equal(normalizeVersion('v2.1.0'), '2.1.0')
    assert.equal(normalizeVersion('version-2.18'), '2.18')
    assert.equal(normalizeVersion('main'), 'main')
  })
})
