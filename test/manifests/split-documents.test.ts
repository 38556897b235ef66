import {strict as assert} from 'node:assert'
import {splitDocuments} from '../../src/manifests/split-documents.js'

const CASES: Array<{name: string; text: string; pieces: string[]}> = [
  {name: 'no marker', text: 'a: 1\n', pieces: ['a: 1\n']},
  {name: 'leading marker', text: '---\na: 1\n', pieces: ['---\na: 1\n']},
  {name: 'two documents', text: 'a: 1\n---\nb: 2\n', pieces: ['a: 1\n', '---\nb: 2\n']},
  {name: 'marker with content on its line', text: 'a: 1\n--- {b: 2}\n', pieces: ['a: 1\n', '--- {b: 2}\n']},
  {name: 'marker at the very end', text: 'a: 1\n---', pieces: ['a: 1\n', '---']},
  {name: 'CRLF', text: 'a: 1\r\n---\r\nb: 2\r\n', pieces: ['a: 1\r\n', '---\r\nb: 2\r\n']},
  {name: 'a tab after the marker', text: 'a: 1\n---\t# c\nb: 2\n', pieces: ['a: 1\n', '---\t# c\nb: 2\n']},
  {name: 'four dashes are not a marker', text: 'a: 1\n----\n', pieces: ['a: 1\n----\n']},
  {name: 'an indented marker is content', text: 'a: |\n  ---\n  x\n', pieces: ['a: |\n  ---\n  x\n']},
  {name: 'dashes inside a line are content', text: 'a: x---y\nb: "---"\n', pieces: ['a: x---y\nb: "---"\n']},
  {name: 'an unterminated quote stops at the next marker', text: 'a: "x\n---\nb: 2\n', pieces: ['a: "x\n', '---\nb: 2\n']},
]

describe('splitDocuments', () => {
  for (const {name, text, pieces} of CASES) {
    it(name, () => {
      const ranges = splitDocuments(text)
      assert.deepEqual(ranges.map(range => text.slice(range.start, range.end)), pieces)
      assert.equal(ranges[ranges.length - 1].end, text.length)
    })
  }
})
