/**
 * A Gateway API object with its CRD defaults applied, without validating
 * it: what the model is built from when the schema pass did not run
 * (`validateSchemas: false`, tests) or did not default the object (a version
 * the chosen channel does not serve). The schema of the object's version
 * from the experimental bundle (a superset of standard) is used, or the
 * storage version's when no bundle serves that version. Objects outside the
 * Gateway API groups, and unknown kinds, give undefined.
 */
import {findCrdKind, findServedVersion, isGatewayApiGroup, loadCompiledSchema} from './crd-index.js'
import {applyDefaults} from './apply-defaults.js'

export function applySchemaDefaults(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const {apiVersion, kind} = object
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined
  const slash = apiVersion.lastIndexOf('/')
  const group = slash === -1 ? '' : apiVersion.slice(0, slash)
  if (!isGatewayApiGroup(group)) return undefined
  const crd = findCrdKind(group, kind)
  if (crd === undefined) return undefined
  const version = apiVersion.slice(slash + 1)
  const channel = crd.channels.experimental ?? crd.channels.standard
  const entry = findServedVersion(crd, 'experimental', version) ?? findServedVersion(crd, 'standard', version)
    ?? (channel === undefined ? undefined : channel.versions.find((candidate) => candidate.name === channel.storageVersion && candidate.served))
  if (entry === undefined) return undefined
  return applyDefaults(object, loadCompiledSchema(entry)) as Record<string, unknown>
}
