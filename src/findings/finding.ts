/**
 * The findings model shared by every stage (loading, schema, CEL, binding,
 * certificates). A finding is plain data: formatters render it, `--fail-on`
 * counts it. Field order here is the order of `gwctl lint -o json`.
 */

export type Severity = 'error' | 'warning' | 'info'

/**
 * input: unreadable file, bad YAML; schema: what the API server would reject
 * (JSON Schema or CEL rule of the CRD); semantic: what a conformant controller
 * reports in status; certificate: content of referenced Secrets; practice:
 * legal but risky.
 */
export type Category = 'input' | 'schema' | 'semantic' | 'certificate' | 'practice'

export interface ResourceRef {
  apiVersion: string
  kind: string
  namespace?: string
  name: string
}

export interface Finding {
  ruleId: string
  severity: Severity
  category: Category
  message: string
  resource?: ResourceRef
  /** Field path in kubectl notation, e.g. `spec.listeners[0].tls.certificateRefs[1]`. */
  field?: string
  file: string
  line: number
  column: number
}

/** What `.gwctl.yaml` `rules:` sets a rule to: a severity, or `off` to silence it. */
export type RuleLevel = Severity | 'off'

export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'error', 'warning', 'info']

/** Where a suppression comes from: a `gwctl/ignore` annotation on the object, or `rules: {ID: off}` in .gwctl.yaml. */
export interface Suppression {
  kind: 'annotation' | 'config'
  /** The reason the user wrote (annotation, '' when none), or the config file and key that turned the rule off. */
  justification: string
}

/** A finding a suppression silenced: counted and listed (json, SARIF), never failing the run. */
export interface SuppressedFinding extends Finding {
  suppression: Suppression
}

export const SEVERITY_RANK: Record<Severity, number> = {error: 3, warning: 2, info: 1}

/** Sort order for every output: file, line, column, then ruleId. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1
  if (a.line !== b.line) return a.line - b.line
  if (a.column !== b.column) return a.column - b.column
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0
}

/**
 * How to make a rule fire. `yaml` is a manifest (one or more documents) that
 * triggers the rule when linted with the default flags, and a test lints
 * every one; `shell` is a command line that produces the input (a
 * certificate with the problem, an unreadable path); `text` says it in
 * words when neither can.
 */
export type RuleExample = {yaml: string} | {shell: string} | {text: string}

/**
 * One entry of the rule catalogue (`gwctl rules`, docs/rules.md, SARIF rule
 * metadata, `.gwctl.yaml` rule ids). Each stage exports the rules it can
 * report; src/pipeline/rule-catalogue.ts lists them all. The texts are read
 * in GitHub's code scanning UI and in a terminal: plain sentences, with
 * `backticks` around field names and values.
 */
export interface RuleMeta {
  id: string
  category: Category
  /** Severity the rule reports with unless a flag or .gwctl.yaml changes it. */
  defaultSeverity: Severity
  /** The summary: one sentence saying what the rule reports. */
  description: string
  /** Why it matters: what goes wrong in a cluster (or a client) when this is left as is. */
  why: string
  /** How to fix it: the change to make, naming the fields. */
  fix: string
  example: RuleExample
  /** Where the rule comes from (CRD field, SEMANTICS.md section, RFC). */
  source?: string
}
