/**
 * x-kubernetes-validations: CEL rules compiled once per distinct expression
 * (on first use) and evaluated at a schema node as the API server does on
 * create. Transition rules (those reading `oldSelf`) cannot apply without a
 * previous object: they are skipped and counted. A rule that evaluates to
 * anything but `true`, or fails to evaluate, is a violation; its message is
 * the messageExpression result, else `message`, else `failed rule: <rule>`.
 *
 * Beyond the API server, which names only the rule's node, a violated
 * `self.all(x, P)` rule is re-evaluated per element to name the offending
 * list entries or map keys.
 */
import {celEnv, isCelError, isCelList, isCelMap, plan, type CelEnv, type CelInput, type CelResult} from '@bufbuild/cel'
import type {FieldPath} from '../manifests/field-path.js'
import {createKubernetesCelFunctions} from './cel-library.js'
import {parseCelExpression} from './parsed-cel.js'
import {compileRe2Cached} from './re2-regexp.js'
import type {CelRuleSpec} from './schema-node.js'

export type CelProgram = (bindings: Record<string, CelInput>) => CelResult

export interface RuleViolation {
  rule: CelRuleSpec
  message: string
  /** Offending elements or keys below the node, first the one to point at; empty = the node itself. */
  culprits: FieldPath[]
  /** From the rule's fieldPath: the field the API server reports instead of the node. */
  fieldPath?: FieldPath
}

const OLD_SELF = /\boldSelf\b/
const ALL_MACRO = /^\s*self\s*\.\s*all\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,([\s\S]*)\)\s*$/
const MAX_MESSAGE_LENGTH = 5000
/** Evaluation errors that only mean an optional field the rule reads is absent: the rule fails. */
const MISSING_FIELD = /^(field not found|no such key)/

let env: CelEnv | undefined
const programs = new Map<string, CelProgram | Error>()

interface ElementCheck {
  variable: string
  program: CelProgram
  /** The predicate compares the element with others (uniqueness): point at the last offender. */
  relational: boolean
}
const elementChecks = new Map<string, ElementCheck | null>()

function getCelEnvironment(): CelEnv {
  env ??= celEnv({funcs: createKubernetesCelFunctions(), re2: {compile: compileRe2Cached}})
  return env
}

/** Compiles a CEL expression with the Kubernetes library; throws on a syntax error. Cached. */
export function compileCelExpression(expression: string): CelProgram {
  let program = programs.get(expression)
  if (program === undefined) {
    try {
      const planned = plan(getCelEnvironment(), parseCelExpression(expression)) as (ctx: Record<string, CelInput>) => CelResult
      program = (bindings) => planned(bindings)
    } catch (error) {
      program = error instanceof Error ? error : new Error(String(error))
    }
    programs.set(expression, program)
  }
  if (program instanceof Error) throw program
  return program
}

/**
 * Every expression a rule may compile: the rule, its messageExpression and,
 * for a `self.all(x, P)` rule, the predicate P that names culprits (what
 * scripts/build-cli.ts parses ahead of time, see parsed-cel.ts).
 */
export function listCelExpressions(rule: CelRuleSpec): string[] {
  const predicate = ALL_MACRO.exec(rule.rule)?.[2]
  return [rule.rule, ...(rule.messageExpression ? [rule.messageExpression] : []), ...(predicate === undefined ? [] : [predicate])]
}

/** True for transition rules: they read `oldSelf` and only apply to updates. */
export function isTransitionRule(rule: CelRuleSpec): boolean {
  return OLD_SELF.test(rule.rule)
}

function compileElementCheck(rule: string): ElementCheck | null {
  let check = elementChecks.get(rule)
  if (check === undefined) {
    check = null
    const m = ALL_MACRO.exec(rule)
    if (m) {
      try {
        check = {variable: m[1], program: compileCelExpression(m[2]), relational: /\bself\b/.test(m[2])}
      } catch {
        check = null
      }
    }
    elementChecks.set(rule, check)
  }
  return check
}

function findCulprits(rule: string, self: CelInput): FieldPath[] {
  const check = compileElementCheck(rule)
  if (!check) return []
  const culprits: FieldPath[] = []
  const test = (element: CelInput, at: string | number) => {
    if (check.program({self, [check.variable]: element}) !== true) culprits.push([at])
  }
  if (isCelList(self)) {
    let i = 0
    for (const item of self) test(item as CelInput, i++)
  } else if (isCelMap(self)) {
    for (const key of self.keys()) if (typeof key === 'string') test(key, key)
  }
  if (check.relational) culprits.reverse()
  return culprits
}

/** How the API server words the error type a rule's `reason` selects (FieldValueInvalid needs no prefix here). */
const REASON_PREFIXES: Record<string, string> = {
  FieldValueForbidden: 'Forbidden: ',
  FieldValueRequired: 'Required value: ',
  FieldValueDuplicate: 'Duplicate value: ',
}

function describeViolation(rule: CelRuleSpec, self: CelInput): string {
  return (REASON_PREFIXES[rule.reason ?? ''] ?? '') + resolveRuleMessage(rule, self)
}

function resolveRuleMessage(rule: CelRuleSpec, self: CelInput): string {
  if (rule.messageExpression) {
    try {
      const result = compileCelExpression(rule.messageExpression)({self})
      if (typeof result === 'string' && result.trim() !== '' && !/[\r\n]/.test(result)) return result.slice(0, MAX_MESSAGE_LENGTH)
    } catch {
      // an invalid messageExpression falls back to message, as in the API server
    }
  }
  return rule.message?.trim() || `failed rule: ${rule.rule}`
}

/** Parses a rule's fieldPath (`.spec.x`, `['a.b']`) into path segments. */
export function parseRuleFieldPath(fieldPath: string): FieldPath | undefined {
  const out: string[] = []
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]/y
  let index = 0
  while (index < fieldPath.length) {
    re.lastIndex = index
    const m = re.exec(fieldPath)
    if (!m) return undefined
    out.push(m[1] ?? m[2].replace(/\\(.)/g, '$1'))
    index = re.lastIndex
  }
  return out
}

export interface RulesOutcome {
  violations: RuleViolation[]
  skippedTransitionRules: number
}

/** Evaluates a node's rules against `self`, the node's CEL value. */
export function evaluateRules(rules: readonly CelRuleSpec[], self: CelInput): RulesOutcome {
  const violations: RuleViolation[] = []
  let skippedTransitionRules = 0
  for (const rule of rules) {
    if (isTransitionRule(rule)) {
      skippedTransitionRules++
      continue
    }
    let result: CelResult
    try {
      result = compileCelExpression(rule.rule)({self})
    } catch (error) {
      violations.push({rule, message: `${describeViolation(rule, self)} (rule does not compile: ${(error as Error).message})`, culprits: []})
      continue
    }
    if (result === true) continue
    let message = describeViolation(rule, self)
    if (isCelError(result)) {
      if (!MISSING_FIELD.test(result.message)) message += ` (rule evaluation failed: ${result.message})`
    } else if (typeof result !== 'boolean') {
      message += ' (rule did not evaluate to a bool)'
    }
    const fieldPath = rule.fieldPath ? parseRuleFieldPath(rule.fieldPath) : undefined
    violations.push({rule, message, culprits: fieldPath ? [] : findCulprits(rule.rule, self), ...(fieldPath ? {fieldPath} : {})})
  }
  return {violations, skippedTransitionRules}
}
