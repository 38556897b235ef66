/**
 * Manifests and backend map → a DataPlane, through the pipeline every
 * command shares (analyzeManifests: load, schema + CEL, bind). A broken
 * configuration — unreadable input, or an error finding of category input
 * or schema (what the API server would reject) — is refused with one line
 * naming the first problem's file and line; start-up exits 2 on it and
 * `--watch` keeps serving the last good generation.
 */
import {UserError} from '../errors/user-error.js'
import {formatBytes, MAX_FILE_BYTES} from '../manifests/limits.js'
import {describeReadError, readFileBounded} from '../manifests/read-input.js'
import type {Finding} from '../findings/finding.js'
import {analyzeManifests, assertUsable, type AnalyzeOptions} from '../pipeline/analyze.js'
import {parseBackendFlag, parseBackendsFile, type BackendAddress} from './backend-map.js'
import {checkBackendFlags, checkPortMap, describeUnusedBackendEntries} from './check-flag-mappings.js'
import {DataPlane} from './data-plane.js'
import type {PortOptions} from './port-plan.js'

export interface ServeInputs {
  paths: readonly string[]
  /** Namespace default, GatewayClasses, channel, exclude, the stdin name and the other settings of the pipeline (flags and .gwctl.yaml). */
  pipeline: Pick<AnalyzeOptions, 'defaultNamespace' | 'gatewayClassNames' | 'channel' | 'requireRefs' | 'expiryWarningDays' | 'exclude' | 'rules' | 'stdinFilename' | 'implementation'>
  backendFlags: readonly string[]
  backendsFile?: string
  ports: PortOptions
}

export async function loadDataPlane(inputs: ServeInputs): Promise<DataPlane> {
  const analysis = await analyzeManifests(inputs.paths, inputs.pipeline)
  assertUsable(analysis)
  refuseUnsupportedFeatures(analysis.findings)
  if (analysis.binding.gateways.length === 0) throw new UserError('input', `no Gateway in ${inputs.paths.join(', ') || 'the input'}: nothing to serve`)
  checkPortMap(analysis.binding, inputs.ports.portMap)
  checkBackendFlags(analysis.binding, inputs.backendFlags)
  const {map, fileKeys} = await loadBackendMap(inputs)
  const dataPlane = new DataPlane(analysis.binding, map, inputs.ports)
  if (inputs.backendsFile !== undefined) dataPlane.notes.push(...describeUnusedBackendEntries(analysis.binding, inputs.backendsFile, fileKeys))
  if (dataPlane.plan.sockets.length === 0) {
    const gateway = inputs.ports.gateway
    throw new UserError('input', gateway === undefined
      ? 'no Gateway listener can be served (see gwctl lint for why)'
      : `Gateway ${gateway.namespace}/${gateway.name} has no listener that can be served (is it in the input? see gwctl lint)`)
  }
  return dataPlane
}

/**
 * With --implementation, what that controller would reject or ignore is not
 * served as if it worked: the first implementation-unsupported-feature error
 * (a feature its report declares unsupported) is the reason serve refuses.
 */
function refuseUnsupportedFeatures(findings: readonly Finding[]): void {
  const unsupported = findings.filter((finding) => finding.ruleId === 'implementation-unsupported-feature' && finding.severity === 'error')
  const [first] = unsupported
  if (first === undefined) return
  const more = unsupported.length > 1 ? ` (and ${unsupported.length - 1} more)` : ''
  throw new UserError('input', `${first.message} [${first.ruleId}]${more}`, {file: `${first.file}:${first.line}:${first.column}`, hint: 'the controller would not program this; gwctl lint --implementation lists every such use'})
}

/** The backend map (flags win over the file) and the keys the file gave. */
async function loadBackendMap(inputs: ServeInputs): Promise<{map: Map<string, BackendAddress>; fileKeys: string[]}> {
  const map = new Map<string, BackendAddress>()
  const fileKeys: string[] = []
  if (inputs.backendsFile !== undefined) {
    let bytes: Buffer | undefined
    try {
      bytes = await readFileBounded(inputs.backendsFile, MAX_FILE_BYTES)
    } catch (error) {
      throw new UserError('input', `cannot read: ${describeReadError(error)}`, {file: inputs.backendsFile})
    }
    if (bytes === undefined) throw new UserError('input', `larger than the ${formatBytes(MAX_FILE_BYTES)} limit`, {file: inputs.backendsFile})
    const text = bytes.toString('utf8')
    for (const [key, address] of parseBackendsFile(text, inputs.backendsFile)) {
      map.set(key, address)
      fileKeys.push(key)
    }
  }
  for (const flag of inputs.backendFlags) {
    const [key, address] = parseBackendFlag(flag)
    map.set(key, address)
  }
  return {map, fileKeys}
}
