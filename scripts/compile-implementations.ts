/**
 * `npm run implementations`: compiles ../shared/conformance-reports (every
 * implementation's conformance report and FEATURES.md) into
 * src/implementations/implementation-data.ts, the one data file gwctl's
 * implementation profiles read. `--check` writes nothing and exits 1 when
 * the committed file differs from what the reports give.
 *
 * Every fact comes from the reports; what is typed in here is naming only
 * (the names and aliases users give an implementation) and the Core
 * features of each conformance profile, which reports do not list
 * (kubernetes-sigs/gateway-api conformance/utils/suite/profiles.go).
 */
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import {compareVersions, normalizeVersion} from '../src/implementations/compare-versions.js'
import type {FeatureInfo, FeatureLevel, ImplementationCatalogue, ImplementationData, ReportData} from '../src/implementations/implementation-profile.js'

export const REPORTS_DIRECTORY = fileURLToPath(new URL('../../shared/conformance-reports', import.meta.url))
export const DATA_FILE = fileURLToPath(new URL('../src/implementations/implementation-data.ts', import.meta.url))

/** organization/project of a report → the name users give it and its aliases. Unlisted: the project, lower-cased. */
const NAMES: Record<string, {name: string; aliases: string[]}> = {
  'nginx/nginx-gateway-fabric': {name: 'nginx-gateway-fabric', aliases: ['ngf', 'nginx']},
  'envoyproxy/envoy-gateway': {name: 'envoy-gateway', aliases: ['eg', 'envoy']},
  'kong/kong-operator': {name: 'kong', aliases: ['kong-operator']},
  'istio/istio': {name: 'istio', aliases: []},
  'cilium/cilium': {name: 'cilium', aliases: []},
  'traefik/traefik': {name: 'traefik', aliases: []},
  'kgateway-dev/kgateway': {name: 'kgateway', aliases: []},
  'agentgateway/agentgateway': {name: 'agentgateway', aliases: []},
  'gke/gke-gateway': {name: 'gke', aliases: ['gke-gateway']},
  'haproxy ingress/haproxy-ingress': {name: 'haproxy-ingress', aliases: ['haproxy']},
  'airlock/microgateway': {name: 'airlock', aliases: ['airlock-microgateway']},
  'projectcontour/contour': {name: 'contour', aliases: []},
  'gravitee.io/gravitee-kubernetes-operator': {name: 'gravitee', aliases: []},
  'solo.io/gloo-gateway': {name: 'gloo-gateway', aliases: ['gloo']},
  'aws/aws-load-balancer-controller': {name: 'aws-load-balancer-controller', aliases: ['aws-lbc']},
  'aws/aws-application-networking-k8s': {name: 'aws-gateway-api-controller', aliases: ['aws-application-networking-k8s']},
  'higress-group/higress': {name: 'higress', aliases: []},
  'linkerd/linkerd': {name: 'linkerd', aliases: []},
  'buoyant/buoyant enterprise for linkerd': {name: 'buoyant-enterprise-for-linkerd', aliases: []},
  'varnish software as/varnish gateway': {name: 'varnish-gateway', aliases: ['varnish']},
  'wso2/api-platform-gateway': {name: 'wso2-api-platform-gateway', aliases: ['wso2']},
  'sunbeamdotpt/sunbeam-proxy': {name: 'sunbeam-proxy', aliases: []},
  'projectcalico/calico': {name: 'calico', aliases: []},
  'sigs.k8s.io/cloud-provider-kind': {name: 'cloud-provider-kind', aliases: ['kind']},
  'alibaba cloud/alibaba cloud service mesh': {name: 'alibaba-cloud-service-mesh', aliases: ['asm']},
}

/** Core features a conformance profile's core tests cover (profiles.go); reports list only extended ones. */
const PROFILE_CORE_FEATURES: Record<string, string[]> = {
  'GATEWAY-HTTP': ['Gateway', 'HTTPRoute', 'ReferenceGrant'],
  'GATEWAY-TLS': ['Gateway', 'ReferenceGrant', 'TLSRoute'],
  'GATEWAY-GRPC': ['GRPCRoute', 'Gateway', 'ReferenceGrant'],
  'GATEWAY-TCP': ['Gateway', 'ReferenceGrant', 'TCPRoute'],
  'GATEWAY-UDP': ['Gateway', 'ReferenceGrant', 'UDPRoute'],
  'MESH-HTTP': ['HTTPRoute', 'Mesh'],
  'MESH-GRPC': ['GRPCRoute', 'Mesh'],
}

interface RawProfile {
  name?: string
  core?: {result?: string; supportedFeatures?: string[]; unsupportedFeatures?: string[]}
  extended?: {result?: string; supportedFeatures?: string[]; unsupportedFeatures?: string[]}
}

interface RawReport {
  gatewayAPIChannel?: string
  gatewayAPIVersion?: string
  implementation?: {organization?: string; project?: string; url?: string; version?: string}
  mode?: string
  profiles?: RawProfile[]
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-|-$/g, '')
}

export function readFeatures(markdown: string): FeatureInfo[] {
  const features: FeatureInfo[] = []
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim())
    if (cells.length < 6 || cells[1] === 'feature' || cells[1].startsWith('---')) continue
    features.push({name: cells[1], level: cells[2] as FeatureLevel, channel: cells[3], description: cells[4]})
  }
  return features
}

function compileReport(raw: RawReport, file: string): ReportData {
  const supported = new Set<string>()
  const unsupported = new Set<string>()
  const profiles = (raw.profiles ?? []).map((profile) => {
    const core = profile.core?.result ?? 'none'
    const extended = profile.extended?.result ?? 'none'
    if (core === 'success' || core === 'partial') for (const feature of PROFILE_CORE_FEATURES[profile.name ?? ''] ?? []) supported.add(feature)
    for (const part of [profile.core, profile.extended]) {
      for (const feature of part?.supportedFeatures ?? []) supported.add(feature)
      for (const feature of part?.unsupportedFeatures ?? []) unsupported.add(feature)
    }
    return {name: profile.name ?? '', core, extended}
  })
  profiles.sort((a, b) => a.name.localeCompare(b.name))
  return {
    version: normalizeVersion(String(raw.implementation?.version ?? '')),
    gatewayAPIVersion: String(raw.gatewayAPIVersion ?? ''),
    gatewayAPIChannel: String(raw.gatewayAPIChannel ?? ''),
    mode: String(raw.mode ?? 'default'),
    file,
    profiles,
    supported: [...supported].sort(),
    unsupported: [...unsupported].filter((feature) => !supported.has(feature)).sort(),
  }
}

/** Reports of one implementation: newest version first; for one version the default mode, the experimental channel, the newest Gateway API release first. */
function compareReports(a: ReportData, b: ReportData): number {
  return compareVersions(b.version, a.version)
    || Number(b.mode === 'default') - Number(a.mode === 'default')
    || Number(b.gatewayAPIChannel === 'experimental') - Number(a.gatewayAPIChannel === 'experimental')
    || compareVersions(b.gatewayAPIVersion, a.gatewayAPIVersion)
    || a.file.localeCompare(b.file)
}

export function compileCatalogue(root: string): ImplementationCatalogue {
  const byName = new Map<string, ImplementationData>()
  for (const release of readdirSync(root).sort()) {
    const releaseDir = path.join(root, release)
    if (!statSync(releaseDir).isDirectory()) continue
    for (const directory of readdirSync(releaseDir).sort()) {
      for (const fileName of readdirSync(path.join(releaseDir, directory)).sort()) {
        if (!/\.ya?ml$/.test(fileName)) continue
        const file = `${release}/${directory}/${fileName}`
        const raw = parse(readFileSync(path.join(root, file), 'utf8')) as RawReport
        const organization = String(raw.implementation?.organization ?? '')
        const project = String(raw.implementation?.project ?? directory)
        const naming = NAMES[`${organization}/${project}`.toLowerCase()] ?? {name: slug(project), aliases: []}
        let implementation = byName.get(naming.name)
        if (implementation === undefined) {
          implementation = {name: naming.name, aliases: naming.aliases, organization, project, url: String(raw.implementation?.url ?? ''), reports: []}
          byName.set(naming.name, implementation)
        }
        implementation.reports.push(compileReport(raw, file))
      }
    }
  }
  const implementations = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
  for (const implementation of implementations) implementation.reports.sort(compareReports)
  return {
    source: 'kubernetes-sigs/gateway-api conformance/reports and pkg/features, commit 4564255ac2c35d582249b3cdf261bdf51c8bca32 (../shared/conformance-reports)',
    features: readFeatures(readFileSync(path.join(root, 'FEATURES.md'), 'utf8')),
    implementations,
  }
}

/** The data file's text. */
export function renderDataFile(catalogue: ImplementationCatalogue): string {
  return `/**
 * Generated by scripts/compile-implementations.ts (npm run implementations)
 * from the Gateway API conformance reports; do not edit. Loaded lazily, only
 * when --implementation or .gwctl.yaml implementation: asks for a profile.
 */
import type {ImplementationCatalogue} from './implementation-profile.js'

export const IMPLEMENTATION_CATALOGUE: ImplementationCatalogue = ${JSON.stringify(catalogue, null, 2)}
`
}

function main(): void {
  if (!existsSync(REPORTS_DIRECTORY)) {
    process.stderr.write(`${REPORTS_DIRECTORY} is absent: nothing to compile\n`)
    process.exitCode = 2
    return
  }
  const text = renderDataFile(compileCatalogue(REPORTS_DIRECTORY))
  if (process.argv.includes('--check')) {
    const current = existsSync(DATA_FILE) ? readFileSync(DATA_FILE, 'utf8') : ''
    if (current !== text) {
      process.stderr.write('src/implementations/implementation-data.ts is out of date: run npm run implementations\n')
      process.exitCode = 1
    }
    return
  }
  writeFileSync(DATA_FILE, text)
  process.stdout.write(`wrote ${path.relative(process.cwd(), DATA_FILE)}\n`)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main()
