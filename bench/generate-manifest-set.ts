/**
 * A large, realistic, deterministic Gateway API manifest set for the lint
 * benchmark, written as YAML files under one directory (a subdirectory per
 * namespace, several files each). At scale 1: 2,000 Gateways with 4 listeners
 * each (HTTPS Terminate with certificateRefs, TLS Passthrough, HTTP, TCP),
 * 10,000 routes (HTTPRoutes with several rules, matches and filters,
 * TLSRoutes in v1alpha2 and v1, GRPCRoutes, TCPRoutes), a Service per
 * backend, a Secret per Gateway, ReferenceGrants for the cross-namespace
 * Secrets and (name by name) shared Services, and Namespace objects. Most
 * Gateways carry their team's five routes; four shared Gateways also carry
 * one route in ten from every team, as a platform's edge Gateway does.
 * Scale 2 doubles every count per namespace (the 50 team namespaces and the
 * four shared Gateways stay), so a pass that is quadratic within a
 * namespace, a listener or the grants of a namespace shows in the growth
 * ratio.
 *
 * Everything but the key material is a function of the seed; the
 * certificates (a handful of wildcard leaf certificates and their CA) are
 * made once by the caller and shared by many Secrets, as a cluster reuses a
 * wildcard certificate. About one route in 500 carries a mistake a user
 * makes (a missing Service, a hostname no listener covers), so the run also
 * reports findings.
 */
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

export const TEAM_NAMESPACES = 50
export const GATEWAYS_PER_SCALE = 2000
export const ROUTES_PER_GATEWAY = 5
const ROUTES_PER_FILE = 50
/** Shared Services (in `shared`) per team and scale unit, each with its own ReferenceGrant. */
const SHARED_SERVICES_PER_TEAM = 4
/** Gateways 0..3 are the shared ones. */
const SHARED_GATEWAYS = 4

/** PEM texts of one certificate pair, base64-encoded as Secret data. */
export interface SecretData {
  'tls.crt': string
  'tls.key': string
  'ca.crt'?: string
}

/** One shared certificate per hostname domain: covers `*.apps-<index>.example.com`. */
export interface DomainCertificate {
  domain: string
  data: SecretData
}

export interface ManifestSetSummary {
  files: number
  bytes: number
  objects: number
  counts: Record<string, number>
}

type RouteKindName = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute'

/** mulberry32: a small seeded PRNG, so every run writes the same bytes. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D_2B_79_F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]
}

function teamOf(gateway: number): string {
  return `team-${String(gateway % TEAM_NAMESPACES).padStart(2, '0')}`
}

function domainOf(gateway: number, domains: number): number {
  return gateway % domains
}

/** One Gateway in ten, spread over every team, uses the shared wildcard Secret in `certs` (through a ReferenceGrant). */
function usesSharedCertificate(gateway: number): boolean {
  return Math.floor(gateway / TEAM_NAMESPACES) % 10 === 0
}

function renderNamespaces(): string {
  const names = [...Array.from({length: TEAM_NAMESPACES}, (_, index) => teamOf(index)), 'shared', 'certs']
  return names.map((name, index) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels:
    tier: ${name.startsWith('team-') ? 'apps' : 'platform'}
    zone: zone-${index % 3}
`).join('---\n')
}

function isSharedGateway(gateway: number): boolean {
  return gateway < SHARED_GATEWAYS
}

function renderGateway(gateway: number, domains: number): string {
  const domain = domainOf(gateway, domains)
  const sharedCertificate = usesSharedCertificate(gateway)
  const certificateRef = sharedCertificate
    ? `      - kind: Secret
        name: wildcard-apps-${domain}
        namespace: certs`
    : `      - name: gw-${gateway}-tls`
  const apiVersion = gateway % 7 === 0 ? 'gateway.networking.k8s.io/v1beta1' : 'gateway.networking.k8s.io/v1'
  return `apiVersion: ${apiVersion}
kind: Gateway
metadata:
  name: gw-${gateway}
  namespace: ${teamOf(gateway)}
  labels:
    app.kubernetes.io/part-of: edge
    shard: "${gateway % 4}"
spec:
  gatewayClassName: ${gateway % 3 === 0 ? 'internal' : 'public'}
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.apps-${domain}.example.com"
    tls:
      mode: Terminate
      certificateRefs:
${certificateRef}
    allowedRoutes:
      namespaces:
        from: All
  - name: tls
    protocol: TLS
    port: 8443
    hostname: "*.db-${domain}.example.com"
    tls:
      mode: Passthrough
    allowedRoutes:
      kinds:
      - kind: TLSRoute${isSharedGateway(gateway) ? `
      namespaces:
        from: All` : ''}
  - name: http
    protocol: HTTP
    port: 80
    hostname: "*.apps-${domain}.example.com"
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchLabels:
            tier: apps
  - name: tcp
    protocol: TCP
    port: 5432
`
}

function renderSecret(name: string, namespace: string, data: SecretData): string {
  const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`, 'type: kubernetes.io/tls', 'data:']
  for (const [key, value] of Object.entries(data)) lines.push(`  ${key}: ${value}`)
  return `${lines.join('\n')}\n`
}

function renderService(name: string, namespace: string, ports: readonly number[]): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    app: ${name}
  ports:
${ports.map((port) => `  - name: p-${port}
    port: ${port}
    targetPort: ${port + 1000}
    protocol: TCP`).join('\n')}
`
}

function renderReferenceGrant(name: string, namespace: string, fromKinds: readonly string[], fromNamespace: string, toKind: string, toName?: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  from:
${fromKinds.map((kind) => `  - group: gateway.networking.k8s.io
    kind: ${kind}
    namespace: ${fromNamespace}`).join('\n')}
  to:
  - group: ""
    kind: ${toKind}${toName === undefined ? '' : `
    name: ${toName}`}
`
}

interface Backend {
  name: string
  namespace?: string
  port: number
  weight?: number
}

function renderBackendRefs(backends: readonly Backend[], indent: string): string {
  return backends.map((backend) => [
    `${indent}- name: ${backend.name}`,
    ...(backend.namespace === undefined ? [] : [`${indent}  namespace: ${backend.namespace}`]),
    `${indent}  port: ${backend.port}`,
    ...(backend.weight === undefined ? [] : [`${indent}  weight: ${backend.weight}`]),
  ].join('\n')).join('\n')
}

function renderHttpMatch(random: () => number, rule: number, match: number): string {
  const lines: string[] = []
  const pathType = pick(random, ['PathPrefix', 'PathPrefix', 'Exact', 'RegularExpression'])
  const value = pathType === 'RegularExpression' ? `/v${rule}/items-${match}/[0-9]+` : `/api/v${rule}/part-${match}`
  lines.push(`    - path:`, `        type: ${pathType}`, `        value: ${value}`)
  if (random() < 0.4) {
    lines.push('      headers:', `      - name: x-variant`, `        value: v${match}`)
  }
  if (random() < 0.2) {
    lines.push('      queryParams:', `      - name: debug`, `        type: Exact`, `        value: "${match}"`)
  }
  if (random() < 0.3) lines.push(`      method: ${pick(random, ['GET', 'POST', 'PUT'])}`)
  return lines.join('\n')
}

function renderHttpRule(random: () => number, rule: number, backends: readonly Backend[]): string {
  const matches = 1 + Math.floor(random() * 3)
  const lines = ['  - matches:']
  for (let match = 0; match < matches; match++) lines.push(renderHttpMatch(random, rule, match))
  const filter = random()
  if (filter < 0.25) {
    lines.push('    filters:', '    - type: RequestHeaderModifier', '      requestHeaderModifier:', '        set:', '        - name: x-route', `          value: rule-${rule}`)
  } else if (filter < 0.35) {
    lines.push('    filters:', '    - type: URLRewrite', '      urlRewrite:', '        hostname: backend.internal')
  }
  if (random() < 0.2) lines.push('    timeouts:', '      request: 10s')
  lines.push('    backendRefs:', renderBackendRefs(backends, '    '))
  return lines.join('\n')
}

interface RoutePlan {
  kind: RouteKindName
  name: string
  namespace: string
  gateway: number
  domain: number
  backends: Backend[]
  /** A mistake a user makes, on about one route in 500. */
  mistake?: 'missing-service' | 'uncovered-hostname'
}

function renderRoute(random: () => number, plan: RoutePlan): string {
  const gatewayRef = (sectionName: string | undefined) => [
    `  - name: gw-${plan.gateway}`,
    ...(plan.namespace === teamOf(plan.gateway) ? [] : [`    namespace: ${teamOf(plan.gateway)}`]),
    ...(sectionName === undefined ? [] : [`    sectionName: ${sectionName}`]),
  ].join('\n')
  const host = (zone: string) => plan.mistake === 'uncovered-hostname'
    ? `${plan.name}.${zone}-${plan.domain}.example.org`
    : `${plan.name}.${zone}-${plan.domain}.example.com`
  switch (plan.kind) {
    case 'HTTPRoute': {
      const sections = random() < 0.25 ? [undefined] : random() < 0.5 ? ['https', 'http'] : ['https']
      const rules = 1 + Math.floor(random() * 4)
      const ruleTexts: string[] = []
      for (let rule = 0; rule < rules; rule++) {
        const backends = rule === 0 ? plan.backends : [plan.backends[0]]
        ruleTexts.push(renderHttpRule(random, rule, backends))
      }
      return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${plan.name}
  namespace: ${plan.namespace}
  labels:
    app: ${plan.name}
spec:
  parentRefs:
${sections.map((section) => gatewayRef(section)).join('\n')}
  hostnames:
  - ${host('apps')}
  - www-${host('apps')}
  rules:
${ruleTexts.join('\n')}
`
    }
    case 'GRPCRoute': {
      return `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: ${plan.name}
  namespace: ${plan.namespace}
spec:
  parentRefs:
${gatewayRef('https')}
  hostnames:
  - ${host('apps')}
  rules:
  - matches:
    - method:
        service: example.v1.${plan.name.replaceAll('-', '')}
        method: Get
    - method:
        service: example.v1.${plan.name.replaceAll('-', '')}
        method: List
      headers:
      - name: x-tenant
        value: ${plan.namespace}
    backendRefs:
${renderBackendRefs(plan.backends, '    ')}
`
    }
    case 'TLSRoute': {
      const apiVersion = random() < 0.3 ? 'gateway.networking.k8s.io/v1alpha2' : 'gateway.networking.k8s.io/v1'
      return `apiVersion: ${apiVersion}
kind: TLSRoute
metadata:
  name: ${plan.name}
  namespace: ${plan.namespace}
spec:
  parentRefs:
${gatewayRef('tls')}
  hostnames:
  - ${host('db')}
  rules:
  - backendRefs:
${renderBackendRefs(plan.backends, '    ')}
`
    }
    case 'TCPRoute': {
      return `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata:
  name: ${plan.name}
  namespace: ${plan.namespace}
spec:
  parentRefs:
${gatewayRef('tcp')}
  rules:
  - backendRefs:
${renderBackendRefs(plan.backends, '    ')}
`
    }
  }
}

/** Five routes per Gateway: kinds chosen so at most one TCPRoute shares a TCP listener. */
function chooseKinds(random: () => number): RouteKindName[] {
  return [
    'HTTPRoute',
    'TLSRoute',
    random() < 0.5 ? 'GRPCRoute' : 'HTTPRoute',
    'TLSRoute',
    random() < 0.5 ? 'TCPRoute' : pick(random, ['HTTPRoute', 'TLSRoute'] as const),
  ]
}

const BACKEND_PORT: Record<RouteKindName, number> = {HTTPRoute: 8080, GRPCRoute: 9090, TLSRoute: 8443, TCPRoute: 5432}

class FileSet {
  readonly files = new Map<string, string[]>()
  readonly counts: Record<string, number> = {}

  add(file: string, kind: string, text: string): void {
    const list = this.files.get(file)
    if (list === undefined) this.files.set(file, [text])
    else list.push(text)
    this.counts[kind] = (this.counts[kind] ?? 0) + 1
  }
}

/**
 * Write the manifest set for `scale` (1 = 2,000 Gateways and 10,000 routes)
 * into `directory`, with `certificates` shared by the Secrets.
 */
export async function generateManifestSet(directory: string, scale: number, certificates: readonly DomainCertificate[], seed = 20_250_101): Promise<ManifestSetSummary> {
  const random = createRandom(seed)
  const set = new FileSet()
  const gateways = GATEWAYS_PER_SCALE * scale
  const domains = certificates.length
  set.add('namespaces.yaml', 'Namespace', renderNamespaces())
  set.counts.Namespace = TEAM_NAMESPACES + 2

  certificates.forEach((certificate, index) => {
    set.add('certs/secrets.yaml', 'Secret', renderSecret(`wildcard-apps-${index}`, 'certs', certificate.data))
  })
  const sharedPerTeam = SHARED_SERVICES_PER_TEAM * scale
  for (let team = 0; team < TEAM_NAMESPACES; team++) {
    const namespace = teamOf(team)
    set.add('certs/grants.yaml', 'ReferenceGrant', renderReferenceGrant(`gateways-from-${namespace}`, 'certs', ['Gateway'], namespace, 'Secret'))
    for (let index = 0; index < sharedPerTeam; index++) {
      const service = `shared-svc-${team}-${index}`
      set.add('shared/grants.yaml', 'ReferenceGrant', renderReferenceGrant(`${service}-from-${namespace}`, 'shared', ['HTTPRoute', 'GRPCRoute'], namespace, 'Service', service))
      set.add('shared/services.yaml', 'Service', renderService(service, 'shared', [8080, 9090]))
    }
  }

  const routeCounter = new Map<string, number>()
  const sharedPicks = new Map<number, number>()
  for (let gateway = 0; gateway < gateways; gateway++) {
    const namespace = teamOf(gateway)
    const domain = domainOf(gateway, domains)
    set.add(`${namespace}/gateways.yaml`, 'Gateway', renderGateway(gateway, domains))
    if (!usesSharedCertificate(gateway)) set.add(`${namespace}/secrets.yaml`, 'Secret', renderSecret(`gw-${gateway}-tls`, namespace, certificates[domain].data))
    chooseKinds(random).forEach((kind, slot) => {
      const route = gateway * ROUTES_PER_GATEWAY + slot
      const crossNamespace = (kind === 'HTTPRoute' || kind === 'GRPCRoute') && route % 20 === 7
      const routeNamespace = crossNamespace ? teamOf(gateway + 1) : namespace
      const name = `${kind.replace('Route', '').toLowerCase()}-${route}`
      const port = BACKEND_PORT[kind]
      const backends: Backend[] = [{name: `svc-${route}`, port}]
      set.add(`${routeNamespace}/services.yaml`, 'Service', renderService(`svc-${route}`, routeNamespace, [port, 9000]))
      if (random() < 0.3) {
        backends[0].weight = 90
        backends.push({name: `svc-${route}-canary`, port, weight: 10})
        set.add(`${routeNamespace}/services.yaml`, 'Service', renderService(`svc-${route}-canary`, routeNamespace, [port]))
      }
      if ((kind === 'HTTPRoute' || kind === 'GRPCRoute') && random() < 0.1) {
        const team = (crossNamespace ? gateway + 1 : gateway) % TEAM_NAMESPACES
        const picks = sharedPicks.get(team) ?? 0
        sharedPicks.set(team, picks + 1)
        backends.push({name: `shared-svc-${team}-${picks % sharedPerTeam}`, namespace: 'shared', port, weight: 1})
      }
      const mistake = route % 500 === 123 ? 'missing-service' : route % 500 === 377 && kind !== 'TCPRoute' ? 'uncovered-hostname' : undefined
      if (mistake === 'missing-service') backends[0] = {...backends[0], name: `svc-${route}-typo`}
      const parent = kind !== 'TCPRoute' && random() < 0.1 ? route % SHARED_GATEWAYS : gateway
      const plan: RoutePlan = {kind, name, namespace: routeNamespace, gateway: parent, domain: domainOf(parent, domains), backends, mistake}
      const count = routeCounter.get(routeNamespace) ?? 0
      routeCounter.set(routeNamespace, count + 1)
      set.add(`${routeNamespace}/routes-${String(Math.floor(count / ROUTES_PER_FILE)).padStart(3, '0')}.yaml`, kind, renderRoute(random, plan))
    })
  }

  let bytes = 0
  for (const [file, documents] of set.files) {
    const text = documents.join('---\n')
    bytes += Buffer.byteLength(text)
    await mkdir(path.dirname(path.join(directory, file)), {recursive: true})
    await writeFile(path.join(directory, file), text)
  }
  const objects = Object.values(set.counts).reduce((sum, count) => sum + count, 0)
  return {files: set.files.size, bytes, objects, counts: set.counts}
}
