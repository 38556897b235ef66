/**
 * The rules of category `input` (see docs/rule-ids.md) and the one way
 * loading builds a finding from them. Every input finding has a file and a
 * 1-based line and column, even when the problem concerns a whole file.
 */
import type {Finding, ResourceRef, RuleMeta, Severity} from '../findings/finding.js'
import {formatBytes, formatCount, MAX_ALIAS_NODES, MAX_FILE_BYTES, MAX_NESTING_DEPTH} from './limits.js'
import type {Position} from './source.js'

export type InputRuleId =
  | 'input-unreadable'
  | 'input-yaml-syntax'
  | 'input-duplicate-key'
  | 'input-binary'
  | 'input-too-large'
  | 'input-too-deep'
  | 'input-alias-limit'
  | 'input-not-object'
  | 'input-missing-kind'
  | 'input-empty-document'
  | 'input-duplicate-object'

export const INPUT_RULES: RuleMeta[] = [
  {id: 'input-unreadable', category: 'input', defaultSeverity: 'error',
    description: 'A path is missing or cannot be read, or names a directory or glob with no manifests in it.'},
  {id: 'input-yaml-syntax', category: 'input', defaultSeverity: 'error',
    description: 'A document is not valid YAML (bad indentation, tabs, unterminated strings, unknown aliases, ...).',
    source: 'YAML 1.2'},
  {id: 'input-duplicate-key', category: 'input', defaultSeverity: 'error',
    description: 'A mapping has the same key twice; kubectl rejects it, the last value is kept for the other checks.',
    source: 'YAML 1.2 §3.2.1.1'},
  {id: 'input-binary', category: 'input', defaultSeverity: 'error',
    description: 'A file is not UTF-8 text (NUL bytes, invalid UTF-8, UTF-16).'},
  {id: 'input-too-large', category: 'input', defaultSeverity: 'error',
    description: `A file is larger than ${formatBytes(MAX_FILE_BYTES)}.`},
  {id: 'input-too-deep', category: 'input', defaultSeverity: 'error',
    description: `A document nests maps and sequences deeper than ${MAX_NESTING_DEPTH} levels.`},
  {id: 'input-alias-limit', category: 'input', defaultSeverity: 'error',
    description: `YAML aliases expand to more than ${formatCount(MAX_ALIAS_NODES)} nodes in one document (alias bomb).`},
  {id: 'input-not-object', category: 'input', defaultSeverity: 'error',
    description: 'A document (or an item of a List) is a scalar or a sequence, not an object.'},
  {id: 'input-missing-kind', category: 'input', defaultSeverity: 'error',
    description: 'An object has no `kind` or no `apiVersion` string.'},
  {id: 'input-empty-document', category: 'input', defaultSeverity: 'info',
    description: 'A document is empty (a stray `---`, or only comments).'},
  {id: 'input-duplicate-object', category: 'input', defaultSeverity: 'warning',
    description: 'The same object (group, kind, namespace, name) is defined twice; as with kubectl apply, the later definition is used.'},
]

const SEVERITY: Record<string, Severity> = Object.fromEntries(INPUT_RULES.map(rule => [rule.id, rule.defaultSeverity]))

export interface InputFindingDetail {
  resource?: ResourceRef
  field?: string
}

export function createInputFinding(
  ruleId: InputRuleId, message: string, file: string, position: Position, detail: InputFindingDetail = {},
): Finding {
  return {
    ruleId,
    severity: SEVERITY[ruleId],
    category: 'input',
    message,
    ...(detail.resource ? {resource: detail.resource} : {}),
    ...(detail.field ? {field: detail.field} : {}),
    file,
    line: Math.max(1, position.line),
    column: Math.max(1, position.column),
  }
}
