/**
 * The grammar of the `gwctl/ignore` annotation, as a pure parser:
 * entries separated by `;`, each a comma-separated list of rule ids and an
 * optional `: reason` (everything after the entry's first colon, so a
 * reason may hold colons but not `;`). Example:
 * `"backend-not-found: Service lives in another repo; route-parent-not-found, secret-not-found: shared Gateway"`.
 * Empty entries (a trailing `;`) are ignored. Whether an id names a rule is
 * for the caller to check; this only says which tokens are not ids at all.
 */

export const IGNORE_ANNOTATION = 'gwctl/ignore'

export interface IgnoreEntry {
  /** The rule ids as written (trimmed), in order. */
  ruleIds: string[]
  /** The reason after the colon, trimmed; '' when none was given. */
  reason: string
}

export interface ParsedIgnoreAnnotation {
  entries: IgnoreEntry[]
  /** What cannot be read, one sentence each; the rest of the value still applies. */
  problems: string[]
}

/** A token that could be a rule id: no whitespace, no separator. */
const ID_TOKEN = /^[^\s,;:]+$/

export function parseIgnoreAnnotation(value: string): ParsedIgnoreAnnotation {
  const entries: IgnoreEntry[] = []
  const problems: string[] = []
  if (value.trim() === '') {
    problems.push('is empty: list the rule ids to silence, e.g. "backend-not-found: the Service is deployed by another repository"')
    return {entries, problems}
  }
  for (const segment of value.split(';')) {
    if (segment.trim() === '') continue
    const colon = segment.indexOf(':')
    const idsText = colon === -1 ? segment : segment.slice(0, colon)
    const reason = colon === -1 ? '' : segment.slice(colon + 1).trim()
    const ruleIds: string[] = []
    if (idsText.trim() === '') {
      problems.push(`entry '${segment.trim()}' names no rule id before its ':'`)
      continue
    }
    for (const token of idsText.split(',').map((part) => part.trim())) {
      if (token === '') problems.push(`entry '${segment.trim()}' has an empty rule id (a stray ',')`)
      else if (ID_TOKEN.test(token)) ruleIds.push(token)
      else problems.push(`'${token}' is not a rule id: separate ids with ',' and the reason with ':' ("RULE_ID, RULE_ID: reason")`)
    }
    if (ruleIds.length > 0) entries.push({ruleIds, reason})
  }
  return {entries, problems}
}
