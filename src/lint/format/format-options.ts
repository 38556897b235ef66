/**
 * Options every output format accepts. Formats without colour ignore
 * `color`; the command decides it once with shouldUseColor.
 */
export interface FormatOptions {
  /** Emit ANSI colours (stylish only). */
  color: boolean
}
