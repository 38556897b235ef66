/**
 * `gwctl diff -o markdown`: for a pull-request comment or a GitHub job
 * summary. A summary line first, then one table each for routing rows,
 * objects, conditions and findings; sections without entries are left out.
 * A table stops at MAX_TABLE_ROWS rows and says how many more `-o json`
 * lists, so a large change stays within what a comment can hold.
 */
import {describeResourceKey} from './collect-diff-facts.js'
import {
  describeAspect, describeConditionState, describeConditionSubject, describeFindingLocation, describeFindingSubject, describeRowPlace, describeRowRoute, describeRowState, describeSummary,
} from './describe-diff-entries.js'
import type {DiffReport} from './diff-report.js'

/** A table cell: pipes escaped, newlines as spaces, inline code where asked. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``
}

export const MAX_TABLE_ROWS = 100

function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const shown = rows.slice(0, MAX_TABLE_ROWS)
  const more = rows.length - shown.length
  return [
    `| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...shown.map((row) => `| ${row.join(' | ')} |`),
    ...(more > 0 ? ['', `…and ${more} more (\`gwctl diff -o json\` lists them all)`] : []),
  ]
}

export function renderDiffMarkdown(report: DiffReport): string {
  const lines = [`**gwctl diff**: ${cell(describeSummary(report))}`, '', `<sub>${cell(report.old.source)} → ${cell(report.new.source)}</sub>`]
  if (report.routes.length > 0) {
    lines.push('', '#### Routing', '')
    lines.push(...table(['', 'port · listener', 'hostname', 'route · match', 'before', 'after'], report.routes.map((change) => {
      const place = [cell(describeRowPlace(change)), cell(change.hostname), cell(describeRowRoute(change))]
      if (change.change === 'removed') return ['➖ removed', ...place, cell(describeRowState(change.old!)), '—']
      if (change.change === 'added') return ['➕ added', ...place, '—', cell(describeRowState(change.new!))]
      const aspects = (change.aspects ?? []).map((aspect) => describeAspect(change, aspect))
      return ['✏️ changed', ...place, aspects.map((aspect) => cell(`${aspect.name}: ${aspect.old}`)).join('<br>'), aspects.map((aspect) => cell(`${aspect.name}: ${aspect.new}`)).join('<br>')]
    })))
  }
  if (report.resources.added.length + report.resources.removed.length > 0) {
    lines.push('', '#### Objects', '')
    lines.push(...table(['', 'object'], [
      ...report.resources.removed.map((resource) => ['➖ removed', code(describeResourceKey(resource))]),
      ...report.resources.added.map((resource) => ['➕ added', code(describeResourceKey(resource))]),
    ]))
  }
  if (report.conditions.length > 0) {
    lines.push('', '#### Conditions', '')
    lines.push(...table(['object', 'condition', 'before', 'after', 'message'], report.conditions.map((change) => [
      cell(describeConditionSubject(change)), change.type, describeConditionState(change.old), describeConditionState(change.new), cell(change.new?.message ?? change.old?.message ?? ''),
    ])))
  }
  if (report.findings.appeared.length + report.findings.fixed.length > 0) {
    lines.push('', '#### Findings', '')
    lines.push(...table(['', 'severity', 'rule', 'object', 'message', 'where'], [
      ...report.findings.appeared.map((finding) => ['🆕 appeared', finding.severity, code(finding.ruleId), cell(describeFindingSubject(finding)), cell(finding.message), code(describeFindingLocation(finding))]),
      ...report.findings.fixed.map((finding) => ['✅ fixed', finding.severity, code(finding.ruleId), cell(describeFindingSubject(finding)), cell(finding.message), code(describeFindingLocation(finding))]),
    ]))
  }
  return lines.join('\n')
}
