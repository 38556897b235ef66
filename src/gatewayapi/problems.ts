/**
 * Problems the engine finds while binding: each names its ruleId (see
 * docs/rules.md), the object (by `meta.id`) and the field path of the
 * offending value. The lint layer turns them into findings with file, line
 * and column; the engine itself knows nothing of files.
 */
import type {FieldPath} from '../manifests/field-path.js'
import {toOneLine} from '../manifests/quote-text.js'

export type ProblemSeverity = 'error' | 'warning' | 'info'
export type ProblemCategory = 'semantic' | 'practice' | 'certificate'

export interface Problem {
  ruleId: string
  severity: ProblemSeverity
  category: ProblemCategory
  message: string
  /** meta.id of the object the problem is reported on. */
  objectId: number
  /** Path of the offending field in that object. */
  path: FieldPath
  /** Point at the key (default) or at the value of the field. */
  target?: 'key' | 'value'
}

/** Collects problems, dropping exact duplicates (same rule, object, path, message). */
export class ProblemList {
  readonly items: Problem[] = []
  private readonly seen = new Set<string>()

  add(input: Problem): void {
    // Names from a broken manifest may hold line breaks; a message stays on one line.
    const problem = {...input, message: toOneLine(input.message)}
    const key = `${problem.ruleId}\u0000${problem.objectId}\u0000${problem.path.join('.')}\u0000${problem.message}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.items.push(problem)
  }

  error(ruleId: string, objectId: number, path: FieldPath, message: string): void {
    this.add({ruleId, severity: 'error', category: 'semantic', message, objectId, path})
  }

  warning(ruleId: string, objectId: number, path: FieldPath, message: string, category: ProblemCategory = 'semantic'): void {
    this.add({ruleId, severity: 'warning', category, message, objectId, path})
  }
}
