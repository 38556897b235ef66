/**
 * yaml's parse errors as input findings: the rule, a one-line message in
 * the words a manifest author uses, and the offset to report it at (an
 * unterminated string or flow collection is reported where it opens, not
 * where the text ends).
 */
import {isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLError} from 'yaml'
import type {InputRuleId} from './input-rules.js'
import {MAX_NESTING_DEPTH} from './limits.js'
import {clipText} from './quote-text.js'

export interface DescribedYamlError {
  ruleId: InputRuleId
  message: string
  /** Offset in the document's text. */
  offset: number
}

/** `source` is the text the error's offsets count in; `doc` the document parsed from it, if any. */
export function describeYamlError(error: YAMLError, source: string, doc?: Document): DescribedYamlError {
  const offset = error.pos[0]
  const detail = clipText(lowerFirst(error.message.split('\n')[0].replace(/\.$/, '')), 160)
  switch (error.code) {
    case 'RESOURCE_EXHAUSTION':
      return {ruleId: 'input-too-deep', message: `maps and sequences nest too deeply to parse (the limit is ${MAX_NESTING_DEPTH} levels)`, offset}
    case 'DUPLICATE_KEY':
      return {ruleId: 'input-duplicate-key', message: 'duplicate key in this map', offset}
    case 'TAB_AS_INDENT':
      return {ruleId: 'input-yaml-syntax', message: 'tab used for indentation: YAML indents with spaces only', offset}
    case 'BAD_INDENT': {
      const flow = /^Flow (sequence|map) in block collection/.exec(error.message)?.[1]
      if (!flow) return {ruleId: 'input-yaml-syntax', message: `bad indentation: ${detail}`, offset: skipIndentation(source, offset)}
      const [open, close] = flow === 'map' ? ['{', '}'] : ['[', ']']
      const opening = doc ? findUnclosed(doc, offset, node => (flow === 'map' ? isMap(node) : isSeq(node)) && (node as {flow?: boolean}).flow === true) : undefined
      return {
        ruleId: 'input-yaml-syntax',
        message: `flow ${flow} ${open} is not closed with ${close} (or a line inside it is not indented enough)`,
        offset: opening ?? offset,
      }
    }
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return {ruleId: 'input-yaml-syntax', message: `bad indentation or a missing ':' after a key (${detail})`, offset}
    case 'KEY_OVER_1024_CHARS':
      return {ruleId: 'input-yaml-syntax', message: "a key longer than 1024 characters, or a missing ':' after a key", offset}
    case 'MISSING_CHAR': {
      const quote = /closing (["'])quote/.exec(error.message)?.[1]
      if (!quote) return {ruleId: 'input-yaml-syntax', message: `YAML syntax error: ${detail}`, offset}
      const opening = doc ? findUnclosed(doc, offset, node => isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) : undefined
      return {
        ruleId: 'input-yaml-syntax',
        message: `unterminated ${quote === '"' ? 'double' : 'single'}-quoted string: the closing ${quote} is missing`,
        offset: opening ?? offset,
      }
    }
    default:
      return {ruleId: 'input-yaml-syntax', message: `YAML syntax error: ${detail}`, offset}
  }
}

/** Start of the innermost node that `matches` and runs up to `end`, where its closing character is missing. */
function findUnclosed(doc: Document, end: number, matches: (node: unknown) => boolean): number | undefined {
  let start: number | undefined
  const pending: unknown[] = [doc.contents]
  while (pending.length > 0) {
    const node = pending.pop()
    if (matches(node)) {
      const range = (node as Node).range
      if (range && range[1] === end && (start === undefined || range[0] > start)) start = range[0]
    }
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) pending.push(pair.key, pair.value)
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item)
    }
  }
  return start
}

/** From the start of a line's indentation to the first character after it. */
function skipIndentation(source: string, offset: number): number {
  if (offset > 0 && source[offset - 1] !== '\n' && source[offset - 1] !== '\r') return offset
  let end = offset
  while (source[end] === ' ') end++
  return end < source.length && source[end] !== '\n' && source[end] !== '\r' ? end : offset
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
