import {strict as assert} from 'node:assert'
import {formatDisplayPath} from '../../src/manifests/display-path.js'

const CASES: Array<[absolute: string, cwd: string, shown: string]> = [
  ['/work/repo/manifests/gw.yaml', '/work/repo', 'manifests/gw.yaml'],
  ['/work/repo/gw.yaml', '/work/repo/', 'gw.yaml'],
  ['/work/repo', '/work/repo', '.'],
  ['/work/other/gw.yaml', '/work/repo', '/work/other/gw.yaml'],
  ['/work/repo-2/gw.yaml', '/work/repo', '/work/repo-2/gw.yaml'],
  ['/work/repo/..data/gw.yaml', '/work/repo', '..data/gw.yaml'],
]

describe('formatDisplayPath', () => {
  for (const [absolute, cwd, shown] of CASES) {
    it(`${absolute} from ${cwd}`, () => assert.equal(formatDisplayPath(absolute, cwd), shown))
  }
})
