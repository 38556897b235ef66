/**
 * The flags that choose a `.gwctl.yaml` (`--config FILE`, `--no-config`),
 * shared by every command that reads manifests, and the one call that
 * loads what they choose.
 */
import * as Flags from '@oclif/core/flags'
import type {GwctlConfig} from '../config/gwctl-config.js'

export const CONFIG_FLAGS = {
  config: Flags.string({description: 'settings file to use instead of the nearest .gwctl.yaml (searched from the working directory up to the repository root)', exclusive: ['no-config']}),
  'no-config': Flags.boolean({description: 'ignore any .gwctl.yaml'}),
}

export async function loadCommandConfig(flags: {config?: string; 'no-config'?: boolean}): Promise<GwctlConfig | undefined> {
  const {loadConfig} = await import('../config/load-config.js')
  return loadConfig({file: flags.config, disabled: flags['no-config']})
}
