/**
 * Offsets in a text to 1-based line and column. Columns count UTF-16 code
 * units (as JavaScript strings, editors' LSP positions and SARIF's default
 * do). The table of line starts is built on the first lookup, so a file
 * whose positions are never asked for costs nothing.
 */
import type {Position} from './source.js'

export type LocateOffset = (offset: number) => Position

export function createLineIndex(text: string): LocateOffset {
  let lineStarts: number[] | undefined
  return (offset: number): Position => {
    lineStarts ??= findLineStarts(text)
    const clamped = Math.max(0, Math.min(offset, text.length))
    let low = 0
    let high = lineStarts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (lineStarts[middle] <= clamped) low = middle
      else high = middle - 1
    }
    return {line: low + 1, column: clamped - lineStarts[low] + 1}
  }
}

/** Line breaks are LF, CRLF or a lone CR, as in YAML. */
function findLineStarts(text: string): number[] {
  const starts = [0]
  if (!text.includes('\r')) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1)
    return starts
  }
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 10) starts.push(index + 1)
    else if (code === 13 && text.charCodeAt(index + 1) !== 10) starts.push(index + 1)
  }
  return starts
}
