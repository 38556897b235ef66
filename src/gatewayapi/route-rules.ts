/**
 * Which route rules can be served (SEMANTICS.md §4.6): a rule with an
 * unknown match type, an HTTP method outside the enum, a regular expression
 * gwctl cannot compile (RegularExpression matching is implementation-specific;
 * gwctl uses ECMAScript regular expressions, whole-string) or an unknown
 * filter type is dropped. All rules dropped → Accepted=False/UnsupportedValue;
 * some → PartiallyInvalid=True.
 */
import type {Route, RouteFilter, RouteRule, StringMatch} from '../model/types.js'

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'])
const PATH_TYPES = new Set(['Exact', 'PathPrefix', 'RegularExpression'])
const VALUE_TYPES = new Set(['Exact', 'RegularExpression'])
const HTTP_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'CORS', 'ExternalAuth', 'ExtensionRef'])
const GRPC_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef'])

/** Compile a Gateway API RegularExpression value as gwctl matches it: anchored, whole value. */
export function compileFullMatch(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`)
  } catch {
    return undefined
  }
}

function checkValueMatches(matches: readonly StringMatch[], what: string): string | undefined {
  for (const match of matches) {
    if (!VALUE_TYPES.has(match.type)) return `${what} match type '${match.type}' is not supported`
    if (match.type === 'RegularExpression' && compileFullMatch(match.value) === undefined) {
      return `${what} regular expression '${match.value}' does not compile`
    }
  }
  return undefined
}

function checkFilters(filters: readonly RouteFilter[], allowed: ReadonlySet<string>): string | undefined {
  const unknown = filters.find((filter) => !allowed.has(filter.type))
  return unknown === undefined ? undefined : `filter type '${unknown.type}' is not supported`
}

/** Why the rule cannot be served, or undefined when it can. */
export function findRuleProblem(route: Route, rule: RouteRule): string | undefined {
  if (route.kind === 'HTTPRoute') {
    for (const match of rule.matches) {
      if (!PATH_TYPES.has(match.path.type)) return `path match type '${match.path.type}' is not supported`
      if (match.path.type === 'RegularExpression' && compileFullMatch(match.path.value) === undefined) {
        return `path regular expression '${match.path.value}' does not compile`
      }
      if (match.method !== undefined && !HTTP_METHODS.has(match.method)) return `method '${match.method}' is not supported`
      const problem = checkValueMatches(match.headers, 'header') ?? checkValueMatches(match.queryParams, 'query parameter')
      if (problem !== undefined) return problem
    }
    return checkFilters(rule.filters, HTTP_FILTERS) ?? rule.backendFilters.map((filters) => checkFilters(filters, HTTP_FILTERS)).find(Boolean)
  }
  if (route.kind === 'GRPCRoute') {
    for (const match of rule.grpcMatches) {
      if (match.method !== undefined) {
        if (!VALUE_TYPES.has(match.method.type)) return `method match type '${match.method.type}' is not supported`
        if (match.method.type === 'RegularExpression') {
          for (const value of [match.method.service, match.method.method]) {
            if (value !== undefined && compileFullMatch(value) === undefined) return `method regular expression '${value}' does not compile`
          }
        }
      }
      const problem = checkValueMatches(match.headers, 'header')
      if (problem !== undefined) return problem
    }
    return checkFilters(rule.filters, GRPC_FILTERS) ?? rule.backendFilters.map((filters) => checkFilters(filters, GRPC_FILTERS)).find(Boolean)
  }
  return undefined
}
