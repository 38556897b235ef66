/**
 * Which route rules can be served (SEMANTICS.md §4.6): a rule with an
 * unknown match type, an HTTP method outside the enum, a regular expression
 * RE2 cannot compile (RegularExpression matching is implementation-specific;
 * gwctl evaluates RE2, whole value: src/gatewayapi/regex-match.ts) or an
 * unknown filter type is dropped. All rules dropped →
 * Accepted=False/UnsupportedValue; some → PartiallyInvalid=True.
 */
import type {FieldPath} from '../manifests/field-path.js'
import type {Route, RouteFilter, RouteRule, StringMatch} from '../model/types.js'
import {compileRegexMatch} from './regex-match.js'

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'])
const PATH_TYPES = new Set(['Exact', 'PathPrefix', 'RegularExpression'])
const VALUE_TYPES = new Set(['Exact', 'RegularExpression'])
const HTTP_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'CORS', 'ExternalAuth', 'ExtensionRef'])
const GRPC_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef'])

/** A RegularExpression value of a route that RE2 cannot compile. */
export interface UnsupportedRegex {
  /** Path of the value in the route, e.g. spec.rules[0].matches[1].path.value. */
  path: FieldPath
  /** 'path', 'header', 'query parameter', 'gRPC service' or 'gRPC method'. */
  what: string
  pattern: string
  /** RE2's reason. */
  error: string
}

function stringMatchRegexes(matches: readonly StringMatch[], base: FieldPath, what: string): Array<Omit<UnsupportedRegex, 'error'>> {
  return matches.filter((match) => match.type === 'RegularExpression')
    .map((match) => ({path: [...base, match.index, 'value'], what: `${what} '${match.name}'`, pattern: match.value}))
}

/** Every RegularExpression value of one rule, with its path. */
function listRuleRegexes(route: Route, rule: RouteRule): Array<Omit<UnsupportedRegex, 'error'>> {
  const rulePath = ['spec', 'rules', rule.index, 'matches']
  const out: Array<Omit<UnsupportedRegex, 'error'>> = []
  if (route.kind === 'HTTPRoute') {
    for (const match of rule.matches) {
      if (match.index === undefined) continue
      const base = [...rulePath, match.index]
      if (match.path.type === 'RegularExpression') out.push({path: [...base, 'path', 'value'], what: 'path', pattern: match.path.value})
      out.push(...stringMatchRegexes(match.headers, [...base, 'headers'], 'header'), ...stringMatchRegexes(match.queryParams, [...base, 'queryParams'], 'query parameter'))
    }
  } else if (route.kind === 'GRPCRoute') {
    for (const match of rule.grpcMatches) {
      const base = [...rulePath, match.index]
      const method = match.method
      if (method?.type === 'RegularExpression') {
        if (method.service !== undefined) out.push({path: [...base, 'method', 'service'], what: 'gRPC service', pattern: method.service})
        if (method.method !== undefined) out.push({path: [...base, 'method', 'method'], what: 'gRPC method', pattern: method.method})
      }
      out.push(...stringMatchRegexes(match.headers, [...base, 'headers'], 'header'))
    }
  }
  return out
}

/** RegularExpression values of a rule that RE2 cannot compile (rule `route-regex-unsupported`). */
export function findUnsupportedRegexes(route: Route, rule: RouteRule): UnsupportedRegex[] {
  return listRuleRegexes(route, rule).flatMap((entry) => {
    const {error} = compileRegexMatch(entry.pattern)
    return error === undefined ? [] : [{...entry, error}]
  })
}

function checkValueTypes(matches: readonly StringMatch[], what: string): string | undefined {
  const unknown = matches.find((match) => !VALUE_TYPES.has(match.type))
  return unknown === undefined ? undefined : `${what} match type '${unknown.type}' is not supported`
}

function checkFilters(filters: readonly RouteFilter[], allowed: ReadonlySet<string>): string | undefined {
  const unknown = filters.find((filter) => !allowed.has(filter.type))
  return unknown === undefined ? undefined : `filter type '${unknown.type}' is not supported`
}

function checkRegexes(route: Route, rule: RouteRule): string | undefined {
  const [first] = findUnsupportedRegexes(route, rule)
  return first === undefined ? undefined : `${first.what} regular expression '${first.pattern}' is not RE2 syntax (${first.error})`
}

/** Why the rule cannot be served, or undefined when it can. */
export function findRuleProblem(route: Route, rule: RouteRule): string | undefined {
  if (route.kind === 'HTTPRoute') {
    for (const match of rule.matches) {
      if (!PATH_TYPES.has(match.path.type)) return `path match type '${match.path.type}' is not supported`
      if (match.method !== undefined && !HTTP_METHODS.has(match.method)) return `method '${match.method}' is not supported`
      const problem = checkValueTypes(match.headers, 'header') ?? checkValueTypes(match.queryParams, 'query parameter')
      if (problem !== undefined) return problem
    }
    return checkRegexes(route, rule)
      ?? checkFilters(rule.filters, HTTP_FILTERS)
      ?? rule.backendFilters.map((filters) => checkFilters(filters, HTTP_FILTERS)).find(Boolean)
  }
  if (route.kind === 'GRPCRoute') {
    for (const match of rule.grpcMatches) {
      if (match.method !== undefined && !VALUE_TYPES.has(match.method.type)) return `method match type '${match.method.type}' is not supported`
      const problem = checkValueTypes(match.headers, 'header')
      if (problem !== undefined) return problem
    }
    return checkRegexes(route, rule)
      ?? checkFilters(rule.filters, GRPC_FILTERS)
      ?? rule.backendFilters.map((filters) => checkFilters(filters, GRPC_FILTERS)).find(Boolean)
  }
  return undefined
}
