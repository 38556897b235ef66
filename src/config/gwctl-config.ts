/**
 * What a `.gwctl.yaml` holds once validated: rule levels, exclusion globs
 * and the defaults a team pins for flags. Every key is optional; a flag
 * given on the command line wins over the file, the file over gwctl's
 * built-in default. The config layer sits just below the commands: it
 * reads the rule catalogue (pipeline) and lint's lists of formats and
 * levels, and the commands apply what it returns.
 */
import type {RuleLevel} from '../findings/finding.js'
import type {OutputFormat} from '../lint/format/output-formats.js'
import type {FailOn} from '../lint/report.js'
import type {Channel} from '../pipeline/analyze.js'

export const CONFIG_FILE_NAME = '.gwctl.yaml'

export interface GwctlConfig {
  /** The file as findings and errors name it (relative to the working directory when under it). */
  file: string
  /** Absolute directory of the file: relative `exclude` globs start here. */
  directory: string
  /** `rules:` rule id → off | error | warning | info. */
  rules: Record<string, RuleLevel>
  /** `exclude:` globs as written. */
  exclude: string[]
  channel?: Channel
  failOn?: FailOn
  requireRefs?: boolean
  gatewayClass?: string[]
  /** A duration as flags take it (`30d`), checked with the flag's parser. */
  expiryWarning?: string
  output?: OutputFormat
  namespace?: string
  /** `implementation:` NAME[@VERSION] as written, resolved (lazily) when a command runs. */
  implementation?: string
  /** FILE:LINE:COLUMN of the implementation value, for the error of an unknown name or version. */
  implementationAt?: string
}

/** The keys of the file, in the order the README documents them. */
export const CONFIG_KEYS = ['rules', 'exclude', 'channel', 'fail-on', 'require-refs', 'gateway-class', 'expiry-warning', 'output', 'namespace', 'implementation'] as const

export type ConfigKey = (typeof CONFIG_KEYS)[number]
