/**
 * `--implementation NAME[@VERSION]` (lint, resolve, serve, certs create
 * --for) and `.gwctl.yaml` `implementation:`: the flag wins over the file;
 * neither, or `generic`, is gwctl's own choices. The profile data is
 * imported only when one of them names an implementation.
 */
import * as Flags from '@oclif/core/flags'
import type {GwctlConfig} from '../config/gwctl-config.js'
import type {ImplementationProfile} from '../implementations/implementation-profile.js'

const DESCRIPTION = 'behave as this controller would, from its conformance report: NAME[@VERSION] (nearest reported version at or below; default: implementation in .gwctl.yaml, else generic). gwctl implementations lists the names'

export const IMPLEMENTATION_FLAG = {
  implementation: Flags.string({description: DESCRIPTION, helpValue: 'NAME[@VERSION]'}),
}

/** `certs create`: the flag applies with --for only. */
export const IMPLEMENTATION_FOR_FLAG = {
  implementation: Flags.string({description: `with --for: ${DESCRIPTION}`, helpValue: 'NAME[@VERSION]', dependsOn: ['for']}),
}

export async function settleImplementation(flag: string | undefined, config: GwctlConfig | undefined): Promise<ImplementationProfile | undefined> {
  const text = flag ?? config?.implementation
  if (text === undefined) return undefined
  const {resolveImplementation} = await import('../implementations/find-implementation.js')
  return flag === undefined
    ? resolveImplementation(text, 'implementation', config?.implementationAt)
    : resolveImplementation(text, '--implementation')
}
