/**
 * Flags, `.gwctl.yaml` and built-in defaults merged into what a command
 * runs with (pure): a flag given on the command line wins, then the file,
 * then gwctl's default. Flags that a file can set have no oclif `default:`
 * (it would hide whether the flag was given); their defaults live here.
 * Every command's pipeline takes the file's rules, exclude, channel,
 * require-refs, gateway-class and expiry-warning; output and fail-on are
 * lint's.
 */
import path from 'node:path'
import {DAY_MS, parseDurationFlag} from '../cli/duration-flag.js'
import type {OutputFormat} from '../lint/format/output-formats.js'
import type {FailOn} from '../lint/report.js'
import type {AnalyzeOptions, Channel} from '../pipeline/analyze.js'
import type {GwctlConfig} from './gwctl-config.js'

export const BUILTIN_DEFAULTS = {
  namespace: 'default',
  channel: 'experimental' as Channel,
  requireRefs: false,
  expiryWarning: '30d',
  output: 'stylish' as OutputFormat,
  failOn: 'error' as FailOn,
} as const

/** The flags of a command that a config file can also set (undefined: not given). */
export interface PipelineFlags {
  namespace?: string
  channel?: string
  'gateway-class'?: string[]
  'require-refs'?: boolean
  'expiry-warning'?: string
  /** `--exclude` globs, relative to the working directory; the file's globs are added to them. */
  exclude?: string[]
}

export type PipelineSettings = Required<Pick<AnalyzeOptions, 'defaultNamespace' | 'channel' | 'requireRefs' | 'expiryWarningDays'>>
  & Pick<AnalyzeOptions, 'gatewayClassNames' | 'exclude' | 'rules'>

export function settlePipelineOptions(flags: PipelineFlags, config: GwctlConfig | undefined): PipelineSettings {
  const expiryFlag = flags['expiry-warning']
  return {
    defaultNamespace: flags.namespace ?? config?.namespace ?? BUILTIN_DEFAULTS.namespace,
    channel: (flags.channel as Channel | undefined) ?? config?.channel ?? BUILTIN_DEFAULTS.channel,
    gatewayClassNames: flags['gateway-class'] ?? config?.gatewayClass,
    requireRefs: flags['require-refs'] ?? config?.requireRefs ?? BUILTIN_DEFAULTS.requireRefs,
    expiryWarningDays: parseDurationFlag(expiryFlag ?? config?.expiryWarning ?? BUILTIN_DEFAULTS.expiryWarning, 'expiry-warning', 'd') / DAY_MS,
    exclude: combineExcludes(flags.exclude ?? [], config === undefined ? [] : config.exclude.map((glob) => anchorConfigGlob(glob, config.directory))),
    rules: config === undefined || Object.keys(config.rules).length === 0 ? undefined : {levels: config.rules, file: config.file},
  }
}

function combineExcludes(fromFlags: readonly string[], fromFile: readonly string[]): string[] | undefined {
  const all = [...fromFlags, ...fromFile]
  return all.length === 0 ? undefined : all
}

/**
 * A glob of the file as the loader takes it (see exclude-paths.ts): one
 * without a `/` (but a trailing one) matches a name at any depth wherever
 * the file is; an absolute one is kept; any other is taken from the file's
 * directory, so it is made absolute.
 */
export function anchorConfigGlob(glob: string, directory: string): string {
  const trimmed = glob.replace(/\/+$/, '')
  if (!trimmed.includes('/') || path.isAbsolute(trimmed)) return trimmed
  return path.join(directory, trimmed)
}

export interface LintSettings {
  output: OutputFormat
  failOn: FailOn
}

export function settleLintOptions(flags: {output?: string; 'fail-on'?: string}, config: GwctlConfig | undefined): LintSettings {
  return {
    output: (flags.output as OutputFormat | undefined) ?? config?.output ?? BUILTIN_DEFAULTS.output,
    failOn: (flags['fail-on'] as FailOn | undefined) ?? config?.failOn ?? BUILTIN_DEFAULTS.failOn,
  }
}
