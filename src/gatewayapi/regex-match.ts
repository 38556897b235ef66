/**
 * RegularExpression values of HTTPRoute and GRPCRoute matches (path,
 * headers, query parameters, gRPC service and method), as gwctl evaluates
 * them: RE2 syntax and semantics (@bufbuild/re2, pure and synchronous),
 * matched against the whole value, in time linear in the input, so no
 * pattern and no request can stall resolve or serve. The Gateway API leaves
 * the dialect to each implementation ("POSIX, PCRE or any other dialects",
 * HTTPHeaderMatch.Type); a pattern RE2 cannot compile (backreferences,
 * lookaround, possessive quantifiers, repeat counts above 1000) is reported,
 * and the rule holding it cannot be served.
 */
import {RE2JS} from '@bufbuild/re2'

export interface FullMatcher {
  /** True when the pattern matches the entire value. */
  test(value: string): boolean
}

export type CompiledRegex = {matcher: FullMatcher; error?: undefined} | {matcher?: undefined; error: string}

const compiled = new Map<string, CompiledRegex>()

function compileUncached(pattern: string): CompiledRegex {
  try {
    const re2 = RE2JS.compile(pattern)
    return {matcher: {test: (value) => re2.matches(value)}}
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    return {error: text.replace(/^error parsing regexp: /, '')}
  }
}

/** Compile a RegularExpression value (once per distinct pattern); `error` says why RE2 rejects it. */
export function compileRegexMatch(pattern: string): CompiledRegex {
  let entry = compiled.get(pattern)
  if (entry === undefined) {
    entry = compileUncached(pattern)
    compiled.set(pattern, entry)
  }
  return entry
}

/** True when `pattern` compiles and matches the whole of `value`. */
export function regexMatchesWhole(pattern: string, value: string): boolean {
  return compileRegexMatch(pattern).matcher?.test(value) ?? false
}
