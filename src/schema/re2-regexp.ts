/**
 * Regular expressions with Go RE2 semantics, as the API server evaluates
 * OpenAPI `pattern` and CEL `matches()`: unanchored search, `.` excludes only
 * `\n`, `\s` is ASCII whitespace, matching by code point.
 *
 * Speed without backtracking blow-ups: a pattern is translated to a native
 * JS RegExp (flag `u`) when every construct has the same meaning in both
 * engines and no repeated group contains a quantifier or an alternation
 * (the shapes that backtrack exponentially); the native engine is then used
 * for inputs up to NATIVE_INPUT_LIMIT characters. Everything else runs on
 * @bufbuild/re2 (linear time), whose results are memoised per pattern.
 */
import {RE2JS} from '@bufbuild/re2'

export interface Re2Matcher {
  /** True when the pattern matches somewhere in `input` (Go's MatchString). */
  test(input: string): boolean
}

const NATIVE_INPUT_LIMIT = 256
const MEMO_LIMIT = 4096
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/'
const REPEAT = /^\{(\d+)(,(\d*))?\}/

/** Translates an RE2 pattern to JS source for flag `u`, or undefined when a construct differs. */
function translatePattern(pattern: string): string | undefined {
  let out = ''
  let inClass = false
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]
    if (c === '\\') {
      const d = pattern[i + 1]
      if (d === undefined || /[0-9pPQECAzZ]/.test(d)) return undefined
      if (d === 'x') {
        const hex = /^[0-9a-fA-F]{2}/.exec(pattern.slice(i + 2))
        if (!hex) return undefined
        out += `\\x${hex[0]}`
        i += 4
        continue
      }
      if (d === 's') out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]'
      else if (d === 'S') {
        if (inClass) return undefined
        out += '[^\\t\\n\\f\\r ]'
      } else if ('dDwWtnrfv'.includes(d) || (!inClass && 'bB'.includes(d))) out += `\\${d}`
      else if (/[A-Za-z]/.test(d)) return undefined
      else if (inClass) out += ']\\^-'.includes(d) ? `\\${d}` : d
      else out += SYNTAX_CHARS.includes(d) ? `\\${d}` : d
      i += 2
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      else if (c === '[') {
        if (pattern[i + 1] === ':') return undefined
        out += '\\['
        i++
        continue
      }
      out += c
      i++
      continue
    }
    if (c === '[') {
      inClass = true
      out += '['
      i++
      if (pattern[i] === '^') {
        out += '^'
        i++
      }
      if (pattern[i] === ']') {
        out += '\\]'
        i++
      }
      continue
    }
    if (c === '.') out += '[^\\n]'
    else if (c === '(') {
      if (pattern[i + 1] === '?') {
        if (pattern[i + 2] !== ':') return undefined
        out += '(?:'
        i += 3
        continue
      }
      out += '('
    } else if (c === '{') {
      const repeat = REPEAT.exec(pattern.slice(i))
      if (repeat) {
        out += repeat[0]
        i += repeat[0].length
        continue
      }
      out += '\\{'
    } else if (c === '}') out += '\\}'
    else out += c
    i++
  }
  return inClass ? undefined : out
}

/**
 * True when no repeated group (`(...)*`, `(...)+`, `(...){n,m}`) contains a
 * quantifier or an alternation: such patterns backtrack at most polynomially.
 */
function isBacktrackSafe(pattern: string): boolean {
  const stack: boolean[] = []
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      continue
    }
    if (c === '[') {
      inClass = true
      if (pattern[i + 1] === '^') i++
      if (pattern[i + 1] === ']') i++
    } else if (c === '(') stack.push(false)
    else if (c === ')') {
      const complex = stack.pop() ?? false
      const next = pattern[i + 1]
      if (complex && (next === '*' || next === '+' || next === '{')) return false
      if (complex && stack.length > 0) stack[stack.length - 1] = true
    } else if ('*+?{|'.includes(c) && stack.length > 0) stack[stack.length - 1] = true
  }
  return true
}

class MemoisedRe2 implements Re2Matcher {
  private re2: RE2JS | undefined
  private readonly memo = new Map<string, boolean>()
  constructor(private readonly pattern: string) {}

  test(input: string): boolean {
    const known = this.memo.get(input)
    if (known !== undefined) return known
    this.re2 ??= RE2JS.compile(this.pattern)
    const result = this.re2.test(input)
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear()
    this.memo.set(input, result)
    return result
  }
}

class HybridMatcher implements Re2Matcher {
  constructor(
    private readonly native: RegExp,
    private readonly fallback: MemoisedRe2,
  ) {}

  test(input: string): boolean {
    return input.length <= NATIVE_INPUT_LIMIT ? this.native.test(input) : this.fallback.test(input)
  }
}

/** Compiles an RE2 pattern; throws when RE2 rejects it. */
export function compileRe2(pattern: string): Re2Matcher {
  const fallback = new MemoisedRe2(pattern)
  const translated = isBacktrackSafe(pattern) ? translatePattern(pattern) : undefined
  if (translated !== undefined) {
    try {
      return new HybridMatcher(new RegExp(translated, 'u'), fallback)
    } catch {
      // the translation is not valid JS syntax: RE2 alone decides below
    }
  }
  RE2JS.compile(pattern)
  return fallback
}

const cache = new Map<string, Re2Matcher>()

/** compileRe2 with one compilation per distinct pattern for the process. */
export function compileRe2Cached(pattern: string): Re2Matcher {
  let matcher = cache.get(pattern)
  if (!matcher) {
    matcher = compileRe2(pattern)
    cache.set(pattern, matcher)
  }
  return matcher
}
