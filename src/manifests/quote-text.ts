/**
 * User text quoted inside a one-line message: JSON-quoted (so a newline or
 * a control character cannot break the line) and cut to a readable length.
 */

const MAX_QUOTED = 80

export function quoteText(text: string, max = MAX_QUOTED): string {
  return JSON.stringify(clipText(text, max))
}

/** At most `max` characters, the cut marked with an ellipsis; one line. */
export function clipText(text: string, max: number): string {
  const line = text.replace(/[\r\n]+/g, ' ')
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
}

/** A message on one line: line breaks and other control characters become spaces. */
export function toOneLine(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F]+/g, ' ')
}
