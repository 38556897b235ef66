/**
 * The generated Gateway API CRD catalogue (schemas/index.json, written by
 * scripts/generate-schemas.ts): which kinds exist, which versions each
 * channel serves, storage versions and deprecations; and the compiled schema
 * of a served (channel, kind, version). Files are read from the package's
 * schemas/ directory on first use and cached; nothing here reads the CRDs.
 */
import {readFileSync} from 'node:fs'
import {compileSchema, type SchemaNode} from './schema-node.js'

export type Channel = 'standard' | 'experimental'
export const CHANNELS: readonly Channel[] = ['standard', 'experimental']

export interface CrdVersion {
  name: string
  served: boolean
  storage: boolean
  deprecated: boolean
  deprecationWarning?: string
  /** Schema file relative to schemas/, present when served. */
  schema?: string
  /** The status subresource is enabled: the API server ignores `status` on create and update. */
  statusSubresource?: boolean
}

export interface CrdChannel {
  storageVersion: string
  versions: CrdVersion[]
}

export interface CrdKind {
  group: string
  kind: string
  plural: string
  singular?: string
  listKind?: string
  shortNames?: string[]
  scope: 'Namespaced' | 'Cluster'
  /** Channels that ship the CRD (experimental-only kinds have no `standard`). */
  channels: Partial<Record<Channel, CrdChannel>>
}

export interface SchemaIndex {
  bundleVersion: string
  kinds: CrdKind[]
}

/** From src/schema/ and from the bundle dist/cli/gwctl.cjs alike (scripts/build-cli.ts keeps it at this depth). */
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url)

let index: SchemaIndex | undefined
const compiled = new Map<string, SchemaNode>()

function readSchemaFile(relativePath: string): unknown {
  return JSON.parse(readFileSync(new URL(relativePath, SCHEMA_DIR), 'utf8'))
}

export function loadSchemaIndex(): SchemaIndex {
  index ??= readSchemaFile('index.json') as SchemaIndex
  return index
}

/** API groups of the bundle (gateway.networking.k8s.io, gateway.networking.x-k8s.io). */
export function isGatewayApiGroup(group: string): boolean {
  return loadSchemaIndex().kinds.some((k) => k.group === group)
}

export function findCrdKind(group: string, kind: string): CrdKind | undefined {
  return loadSchemaIndex().kinds.find((k) => k.group === group && k.kind === kind)
}

/** The version entry when `channel` serves `version` of the kind. */
export function findServedVersion(crd: CrdKind, channel: Channel, version: string): CrdVersion | undefined {
  return crd.channels[channel]?.versions.find((v) => v.name === version && v.served)
}

/** The raw openAPIV3Schema of a served version, as generated. */
export function loadOpenApiSchema(version: CrdVersion): unknown {
  if (!version.schema) throw new Error(`version ${version.name} is not served: no schema`)
  return readSchemaFile(version.schema)
}

/** The compiled schema of a served version (compiled once per process). */
export function loadCompiledSchema(version: CrdVersion): SchemaNode {
  if (!version.schema) throw new Error(`version ${version.name} is not served: no schema`)
  let node = compiled.get(version.schema)
  if (!node) {
    node = compileSchema(loadOpenApiSchema(version))
    compiled.set(version.schema, node)
  }
  return node
}
