/**
 * The one entry point the lint command calls: render a LintReport in the
 * format chosen by `--output` / `-o`. The result has no trailing newline
 * and may be empty (`github` on a clean run): print it only when non-empty.
 */
import type {LintReport} from '../report.js'
import type {FormatOptions} from './format-options.js'
import {formatGithub} from './github.js'
import {formatJson} from './json.js'
import {formatJunit} from './junit.js'
import {formatSarif} from './sarif.js'
import type {OutputFormat} from './output-formats.js'
import {formatStylish} from './stylish.js'

export {OUTPUT_FORMATS, type OutputFormat} from './output-formats.js'

const FORMATTERS: Record<OutputFormat, (report: LintReport, options: FormatOptions) => string> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
}

export function formatReport(report: LintReport, format: OutputFormat, options: FormatOptions): string {
  return FORMATTERS[format](report, options)
}
