import {strict as assert} from 'node:assert'
import {clipText, quoteText} from '../../src/manifests/quote-text.js'

const CASES: Array<[text: string, max: number, clipped: string, quoted: string]> = [
  ['name', 80, 'name', '"name"'],
  ['a\nb', 80, 'a b', '"a b"'],
  ['abcdef', 4, 'abc…', '"abc…"'],
  ['abcd', 4, 'abcd', '"abcd"'],
  ['tab\there "q"', 80, 'tab\there "q"', '"tab\\there \\"q\\""'],
]

describe('clipText / quoteText', () => {
  for (const [text, max, clipped, quoted] of CASES) {
    it(JSON.stringify(text), () => {
      assert.equal(clipText(text, max), clipped)
      assert.equal(quoteText(text, max), quoted)
    })
  }
})
