/**
 * Cuts a YAML stream at its `---` document markers before parsing, so that a
 * broken document (an unterminated quote, say) can never swallow the ones
 * after it. YAML forbids a `---` at the start of a line followed by a space,
 * a tab or a line break inside any document content (c-forbidden, YAML 1.2
 * §9.1.4), so cutting there never changes what a valid stream means.
 */

/** [start, end) offsets of one piece; each piece but the first begins with its `---`. */
export interface TextRange {
  start: number
  end: number
}

export function splitDocuments(text: string): TextRange[] {
  const ranges: TextRange[] = []
  let start = 0
  for (let marker = text.indexOf('---'); marker !== -1; marker = text.indexOf('---', marker + 3)) {
    if (marker > 0 && !isLineBreak(text.charCodeAt(marker - 1))) continue
    const after = text.charCodeAt(marker + 3)
    if (!(Number.isNaN(after) || after === 32 || after === 9 || isLineBreak(after))) continue
    if (marker > start) ranges.push({start, end: marker})
    start = marker
  }
  ranges.push({start, end: text.length})
  return ranges
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13
}
