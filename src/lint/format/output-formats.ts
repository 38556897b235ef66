/**
 * The names of lint's output formats, apart from the formatters so that
 * flag definitions and .gwctl.yaml validation can list them without loading
 * any formatter.
 */

export type OutputFormat = 'stylish' | 'json' | 'sarif' | 'junit' | 'github'

/** Flag choices, default first. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['stylish', 'json', 'sarif', 'junit', 'github']
