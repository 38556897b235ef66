import {strict as assert} from 'node:assert'
import {splitFilenameFlag} from '../../src/manifests/filename-flag.js'

const CASES: Array<[value: string, names: string[]]> = [
  ['gw.yaml', ['gw.yaml']],
  ['a.yaml,b.yaml', ['a.yaml', 'b.yaml']],
  ['a.yaml, b.yaml ,c/', ['a.yaml', 'b.yaml', 'c/']],
  ['a.yaml,,b.yaml,', ['a.yaml', 'b.yaml']],
  ['-', ['-']],
  ['"a,b.yaml",c.yaml', ['a,b.yaml', 'c.yaml']],
  ['"say ""hi"".yaml"', ['say "hi".yaml']],
  ['manifests/**/*.yaml', ['manifests/**/*.yaml']],
  ['', []],
]

describe('splitFilenameFlag', () => {
  for (const [value, names] of CASES) {
    it(JSON.stringify(value), () => assert.deepEqual(splitFilenameFlag(value), names))
  }
})
