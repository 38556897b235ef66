import {strict as assert} from 'node:assert'
import {createLineIndex} from '../../src/manifests/line-index.js'

const CASES: Array<[text: string, offset: number, line: number, column: number]> = [
  ['', 0, 1, 1],
  ['abc', 2, 1, 3],
  ['abc', 3, 1, 4],
  ['a\nb', 2, 2, 1],
  ['a\nb\n', 4, 3, 1],
  ['a\r\nb', 3, 2, 1],
  ['a\r\nb', 1, 1, 2],
  ['a\rb', 2, 2, 1],
  ['abc', 99, 1, 4],
  ['abc', -5, 1, 1],
]

describe('createLineIndex', () => {
  for (const [text, offset, line, column] of CASES) {
    it(`${JSON.stringify(text)} @ ${offset}`, () => assert.deepEqual(createLineIndex(text)(offset), {line, column}))
  }
})
