/**
 * `gwctl --version` answered without loading oclif: the same line oclif
 * prints (its `userAgent`: `gwctl/0.1.0 linux-x64 node-v20.20.2`), when
 * oclif would print it and do nothing else first — argv[0] is `--version`
 * (or an `additionalVersionFlags` entry), and neither package.json nor a
 * plugin it names registers an `init` hook (oclif runs those before printing
 * the version). Pure: package.json contents and the platform are passed in.
 */

export interface OclifPackageJson {
  name: string
  version: string
  oclif?: {
    additionalVersionFlags?: string[]
    hooks?: Record<string, unknown>
    plugins?: string[]
  }
}

export interface Platform {
  /** oclif's platform name: os.platform(), or `wsl` under Windows Subsystem for Linux. */
  platform: string
  arch: string
  nodeVersion: string
}

export function isVersionRequest(argv: readonly string[], pjson: OclifPackageJson): boolean {
  const flags = new Set(['--version', ...(pjson.oclif?.additionalVersionFlags ?? [])])
  return argv.length > 0 && flags.has(argv[0])
}

/**
 * Does oclif run an init hook before `--version`? `readPlugin` gives a
 * plugin's package.json, undefined when it cannot be read (then the answer
 * is yes: let oclif decide).
 */
export function hasInitHook(pjson: OclifPackageJson, readPlugin: (name: string) => OclifPackageJson | undefined): boolean {
  if (pjson.oclif?.hooks?.init !== undefined) return true
  return (pjson.oclif?.plugins ?? []).some((name) => {
    const plugin = readPlugin(name)
    return plugin === undefined || plugin.oclif?.hooks?.init !== undefined
  })
}

export function formatUserAgent(pjson: OclifPackageJson, {platform, arch, nodeVersion}: Platform): string {
  return `${pjson.name}/${pjson.version} ${platform}-${arch === 'ia32' ? 'x86' : arch} node-${nodeVersion}`
}
