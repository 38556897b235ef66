/**
 * Options every output format accepts. Formats without colour ignore
 * `color`; the command decides it once with shouldUseColor. `verbose`
 * (`-v`) adds what a run left out.
 */
export interface FormatOptions {
  /** Emit ANSI colours (stylish only). */
  color: boolean
  /** List the skipped files too (stylish only; json always lists them). */
  verbose?: boolean
}
