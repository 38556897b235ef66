import {strict as assert} from 'node:assert'
import {decodeText} from '../../src/manifests/decode-text.js'

const CASES: Array<{name: string; bytes: number[] | string; text?: string; finding?: [line: number, column: number, message: RegExp]}> = [
  {name: 'plain UTF-8', bytes: 'kind: Service\n', text: 'kind: Service\n'},
  {name: 'UTF-8 with a byte order mark, which is dropped', bytes: [0xEF, 0xBB, 0xBF, 0x61, 0x3A, 0x20, 0x31], text: 'a: 1'},
  {name: 'non-ASCII text', bytes: 'name: "é😀"\n', text: 'name: "é😀"\n'},
  {name: 'NUL byte on the second line', bytes: [0x61, 0x0A, 0x62, 0x63, 0x00], finding: [2, 3, /NUL bytes.*byte 5/]},
  {name: 'invalid UTF-8 after text', bytes: [0x61, 0x3A, 0x20, 0xC3, 0x28], finding: [1, 4, /not valid UTF-8.*byte 4/]},
  {name: 'overlong encoding', bytes: [0x0A, 0xC0, 0xAF], finding: [2, 1, /not valid UTF-8/]},
  {name: 'UTF-8 encoded surrogate', bytes: [0x61, 0xED, 0xA0, 0x80], finding: [1, 2, /not valid UTF-8/]},
  {name: 'truncated sequence at the end', bytes: [0x61, 0x62, 0xE2, 0x82], finding: [1, 3, /not valid UTF-8/]},
  {name: 'UTF-16 little endian', bytes: [0xFF, 0xFE, 0x61, 0x00], finding: [1, 1, /UTF-16 encoded/]},
  {name: 'UTF-16 big endian', bytes: [0xFE, 0xFF, 0x00, 0x61], finding: [1, 1, /UTF-16 encoded/]},
  {name: 'UTF-32 little endian', bytes: [0xFF, 0xFE, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00], finding: [1, 1, /UTF-32 encoded/]},
  {name: 'a PNG header', bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00], finding: [1, 1, /not valid UTF-8/]},
]

describe('decodeText', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const bytes = typeof testCase.bytes === 'string' ? Buffer.from(testCase.bytes, 'utf8') : Uint8Array.from(testCase.bytes)
      const decoded = decodeText(bytes, 'f.yaml')
      if (testCase.text !== undefined) {
        assert.equal(decoded.text, testCase.text)
        assert.equal(decoded.finding, undefined)
        return
      }
      const [line, column, message] = testCase.finding!
      assert.equal(decoded.text, undefined)
      assert.equal(decoded.finding?.ruleId, 'input-binary')
      assert.equal(decoded.finding?.file, 'f.yaml')
      assert.deepEqual([decoded.finding?.line, decoded.finding?.column], [line, column])
      assert.match(decoded.finding!.message, message)
    })
  }
})
