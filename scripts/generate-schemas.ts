/**
 * Generates schemas/ from the Gateway API CRD bundle (`npm run schemas`).
 *
 * Input: <crd dir>/{standard,experimental}/*.yaml, where <crd dir> is
 * $GWCTL_CRD_DIR or ../shared/gateway-api relative to the repository root.
 * Documents that are not CustomResourceDefinitions (the safe-upgrades
 * ValidatingAdmissionPolicy) are ignored.
 *
 * Output (committed, shipped in the package, read by src/schema at run time):
 *   schemas/index.json                               what is served where
 *   schemas/<channel>/<group>/<plural>.<version>.json the version's openAPIV3Schema,
 *                                                     verbatim (x-kubernetes-* kept)
 * Only served versions get a schema file; the index lists every version.
 */
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseAllDocuments} from 'yaml'
import type {CrdKind as IndexKind, CrdVersion as IndexVersion, SchemaIndex} from '../src/schema/crd-index.js'

const CHANNELS = ['standard', 'experimental'] as const
type Channel = (typeof CHANNELS)[number]

interface CrdVersion {
  name: string
  served: boolean
  storage: boolean
  deprecated?: boolean
  deprecationWarning?: string
  schema?: {openAPIV3Schema?: unknown}
  subresources?: {status?: unknown}
}

interface Crd {
  metadata: {name: string; annotations?: Record<string, string>}
  spec: {
    group: string
    scope: 'Namespaced' | 'Cluster'
    names: {kind: string; plural: string; singular?: string; listKind?: string; shortNames?: string[]; categories?: string[]}
    versions: CrdVersion[]
  }
}

function readCrds(dir: string): Crd[] {
  const crds: Crd[] = []
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`)
      const value = doc.toJS({maxAliasCount: -1}) as {kind?: string} | null
      if (value?.kind === 'CustomResourceDefinition') crds.push(value as unknown as Crd)
    }
  }
  return crds
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), {recursive: true})
  writeFileSync(path, JSON.stringify(value, null, 1) + '\n')
}

/** Builds the index and writes every served version's schema under outDir. */
export function generateSchemas(crdDir: string, outDir: string): SchemaIndex {
  const kinds = new Map<string, IndexKind>()
  const bundleVersions = new Set<string>()
  for (const channel of CHANNELS) rmSync(join(outDir, channel), {recursive: true, force: true})
  for (const channel of CHANNELS) {
    for (const crd of readCrds(join(crdDir, channel))) {
      const {group, names, scope, versions} = crd.spec
      const bundle = crd.metadata.annotations?.['gateway.networking.k8s.io/bundle-version']
      if (bundle) bundleVersions.add(bundle)
      const key = `${group}/${names.kind}`
      const entry: IndexKind = kinds.get(key) ?? {
        group,
        kind: names.kind,
        plural: names.plural,
        ...(names.singular ? {singular: names.singular} : {}),
        ...(names.listKind ? {listKind: names.listKind} : {}),
        ...(names.shortNames ? {shortNames: names.shortNames} : {}),
        scope,
        channels: {},
      }
      kinds.set(key, entry)
      const indexVersions: IndexVersion[] = []
      for (const version of versions) {
        const schemaPath = `${channel}/${group}/${names.plural}.${version.name}.json`
        const openApi = version.schema?.openAPIV3Schema
        if (version.served) {
          if (!openApi) throw new Error(`${key} ${version.name}: served version without openAPIV3Schema`)
          writeJson(join(outDir, schemaPath), openApi)
        }
        indexVersions.push({
          name: version.name,
          served: version.served,
          storage: version.storage,
          deprecated: version.deprecated === true,
          ...(version.deprecationWarning ? {deprecationWarning: version.deprecationWarning} : {}),
          ...(version.served ? {schema: schemaPath} : {}),
          ...(version.subresources?.status === undefined ? {} : {statusSubresource: true}),
        })
      }
      const storage = versions.find((v) => v.storage)
      if (!storage) throw new Error(`${key}: no storage version`)
      entry.channels[channel] = {storageVersion: storage.name, versions: indexVersions}
    }
  }
  if (bundleVersions.size !== 1) throw new Error(`expected one bundle version, found ${[...bundleVersions].join(', ')}`)
  const index: SchemaIndex = {
    bundleVersion: [...bundleVersions][0],
    kinds: [...kinds.values()].sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`)),
  }
  writeJson(join(outDir, 'index.json'), index)
  return index
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const crdDir = process.env.GWCTL_CRD_DIR ?? resolve(repoRoot, '../shared/gateway-api')
  const outDir = process.env.GWCTL_SCHEMA_OUT ?? join(repoRoot, 'schemas')
  const index = generateSchemas(crdDir, outDir)
  const files = index.kinds.flatMap((k) => Object.values(k.channels).flatMap((c) => c.versions.filter((v) => v.served)))
  console.log(`schemas: Gateway API ${index.bundleVersion}, ${index.kinds.length} kinds, ${files.length} schema files in ${outDir}`)
}
