/**
 * `gwctl diff` (default text output): the summary (and how many files
 * each side skipped), then routing rows
 * removed (-), added (+) and changed (~, one line per aspect, old → new),
 * objects added and removed, conditions that flip, and findings that appear
 * (+) or are fixed (-). Coloured like lint and resolve when asked.
 */
import {Chalk} from 'chalk'
import {describeResourceKey} from './collect-diff-facts.js'
import {
  describeAspect, describeConditionState, describeConditionSubject, describeFindingLocation, describeFindingSubject, describeRowPlace, describeRowRoute, describeRowState, describeSummary,
} from './describe-diff-entries.js'
import type {DiffReport} from './diff-report.js'

export function renderDiffText(report: DiffReport, color: boolean): string {
  const chalk = new Chalk({level: color ? 1 : 0})
  const lines = [chalk.bold(`gwctl diff: ${report.old.source} → ${report.new.source}`), describeSummary(report)]
  const skipped = report.old.skipped.length + report.new.skipped.length
  if (skipped > 0) lines.push(chalk.dim(`files skipped: ${report.old.skipped.length} old, ${report.new.skipped.length} new (no Kubernetes object, excluded, gwctl test files, links at a git ref; -o json lists them)`))
  if (report.routes.length > 0) {
    lines.push('', chalk.bold('Routing (port, Gateway listener, hostname, route and match → backends)'))
    for (const change of report.routes) {
      const where = `${describeRowPlace(change)}  ${change.hostname}  ${describeRowRoute(change)}`
      if (change.change === 'removed') lines.push(chalk.red(`- ${where} ${describeRowState(change.old!)}`))
      else if (change.change === 'added') lines.push(chalk.green(`+ ${where} ${describeRowState(change.new!)}`))
      else {
        lines.push(chalk.yellow(`~ ${where}`))
        for (const aspect of change.aspects ?? []) {
          const described = describeAspect(change, aspect)
          lines.push(`    ${described.name}: ${chalk.red(described.old)} → ${chalk.green(described.new)}`)
        }
      }
    }
  }
  if (report.resources.added.length + report.resources.removed.length > 0) {
    lines.push('', chalk.bold('Objects'))
    for (const resource of report.resources.removed) lines.push(chalk.red(`- ${describeResourceKey(resource)}`))
    for (const resource of report.resources.added) lines.push(chalk.green(`+ ${describeResourceKey(resource)}`))
  }
  if (report.conditions.length > 0) {
    lines.push('', chalk.bold('Conditions'))
    for (const change of report.conditions) {
      const message = change.new?.message ?? change.old?.message
      lines.push(`  ${describeConditionSubject(change)}: ${change.type} ${chalk.red(describeConditionState(change.old))} → ${chalk.green(describeConditionState(change.new))}${message === undefined ? '' : chalk.dim(` — ${message}`)}`)
    }
  }
  if (report.findings.appeared.length + report.findings.fixed.length > 0) {
    lines.push('', chalk.bold('Findings'))
    const severity = (text: string) => (text === 'error' ? chalk.red(text) : text === 'warning' ? chalk.yellow(text) : chalk.blue(text))
    for (const finding of report.findings.appeared) {
      lines.push(`+ appeared ${severity(finding.severity)} ${finding.ruleId} ${describeFindingSubject(finding)}: ${finding.message} ${chalk.dim(describeFindingLocation(finding))}`)
    }
    for (const finding of report.findings.fixed) {
      lines.push(`- fixed    ${severity(finding.severity)} ${finding.ruleId} ${describeFindingSubject(finding)}: ${finding.message} ${chalk.dim(describeFindingLocation(finding))}`)
    }
  }
  return lines.join('\n')
}
