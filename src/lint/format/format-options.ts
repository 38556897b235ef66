/**
 * Options every output format accepts; each format reads what it needs.
 * The command decides them once: colour with shouldUseColor, the fail-on
 * level from `--fail-on`, the working directory from the process;
 * `verbose` (`-v`) adds what a run left out.
 */
import type {FailOn} from '../report.js'

export interface FormatOptions {
  /** Emit ANSI colours (stylish only). */
  color: boolean
  /**
   * The `--fail-on` level of the run (default `error`): junit writes a
   * `<failure>` only for findings at or above it.
   */
  failOn?: FailOn
  /**
   * The working directory that relative finding paths are relative to
   * (sarif: `originalUriBaseIds.%SRCROOT%`); without it, sarif writes
   * relative URIs with no base id.
   */
  cwd?: string
  /** List the skipped files too (stylish only; json always lists them). */
  verbose?: boolean
}
