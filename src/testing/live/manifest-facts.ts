/**
 * What live and target probes take from the manifests, read once through the
 * pipeline every command shares: the Gateways and their listeners (which
 * Gateway a test means, which protocol a client speaks on its port), the
 * leaf certificate of every TLS Secret by SHA-256 fingerprint (to name the
 * Secret a server presented) and the CA certificates a client of this setup
 * trusts: the `ca.crt` files next to the manifests (in a directory named as
 * input or next to any manifest file loaded, as every scenario ships one) and
 * the `ca.crt` keys of Secrets.
 */
import {X509Certificate} from 'node:crypto'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import type {GatewayBinding, ListenerBinding} from '../../gatewayapi/binding.js'
import {compileRoutingTable, gatewayListeners, type RoutingTable} from '../../gatewayapi/decide.js'
import {splitPemBlocks} from '../../certs/pem.js'
import {readSecretValue} from '../../certs/secret-data.js'
import {analyzeManifests, assertUsable, type AnalyzeOptions} from '../../pipeline/analyze.js'
import type {TestProtocol, TestRequest} from '../routing-test.js'

export interface GatewayRef {
  namespace: string
  name: string
}

export interface ManifestFacts {
  table: RoutingTable
  gateways: GatewayBinding[]
  /** `namespace/name` of the TLS Secrets (input order) whose leaf has this SHA-256 fingerprint (Node's colon-separated upper-case hex). */
  secretsByFingerprint: Map<string, string[]>
  /** PEM of every CA certificate found (ca.crt files next to the manifests, Secrets' ca.crt). */
  caCertificates: string[]
  /** Where they were found, for the trace. */
  caSources: string[]
}

export type ManifestPipeline = Pick<AnalyzeOptions, 'defaultNamespace' | 'gatewayClassNames' | 'channel' | 'exclude' | 'stdinFilename' | 'implementation' | 'cwd'>

export async function readManifestFacts(paths: readonly string[], pipeline: ManifestPipeline = {}): Promise<ManifestFacts> {
  const analysis = await analyzeManifests(paths, pipeline)
  // Objects the API server would reject fail the tests that touch them (run-routing-tests.ts); the rest still routes.
  if (analysis.fatal) assertUsable(analysis)
  const secretsByFingerprint = new Map<string, string[]>()
  const caCertificates: string[] = []
  const caSources: string[] = []
  for (const secret of analysis.snapshot.secrets) {
    const name = `${secret.meta.namespace}/${secret.meta.name}`
    const leaf = readCertificates(readSecretValue(secret, 'tls.crt')?.text)[0]
    if (leaf !== undefined) secretsByFingerprint.set(leaf.fingerprint256, [...secretsByFingerprint.get(leaf.fingerprint256) ?? [], name])
    const ca = readSecretValue(secret, 'ca.crt')?.text
    if (ca !== undefined && readCertificates(ca).length > 0) {
      caCertificates.push(ca)
      caSources.push(`Secret ${name} ca.crt`)
    }
  }
  // A tree of several sets (fixtures/scenarios) ships a ca.crt next to each set's manifests.
  const manifestFiles = [...new Set(analysis.objects.map((object) => object.file))].filter((file) => file !== '<stdin>')
  for (const file of findCaFiles([...paths, ...manifestFiles], pipeline.cwd)) {
    const text = readFileSync(file, 'utf8')
    if (readCertificates(text).length === 0) continue
    caCertificates.push(text)
    caSources.push(file)
  }
  return {table: compileRoutingTable(analysis.binding), gateways: analysis.binding.gateways, secretsByFingerprint, caCertificates, caSources}
}

function readCertificates(text: string | undefined): X509Certificate[] {
  if (text === undefined) return []
  try {
    return splitPemBlocks(text).filter((block) => block.label === 'CERTIFICATE').map((block) => new X509Certificate(block.der))
  } catch {
    return []
  }
}

/** `ca.crt` in each directory named as input, or next to each file named as input or loaded from a directory. */
function findCaFiles(paths: readonly string[], cwd = process.cwd()): string[] {
  const found = new Set<string>()
  for (const path of paths) {
    if (path === '-') continue
    const absolute = join(path.startsWith('/') ? '' : cwd, path)
    let directory: string
    try {
      directory = statSync(absolute).isDirectory() ? absolute : dirname(absolute)
    } catch {
      continue
    }
    const candidate = join(directory, 'ca.crt')
    if (existsSync(candidate)) found.add(candidate)
  }
  return [...found]
}

export function formatGateway(gateway: GatewayBinding): string {
  return `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}`
}

/** Listeners of the Gateway on a port (its own and those of admitted ListenerSets). */
export function findListenersOnPort(gateway: GatewayBinding, port: number): ListenerBinding[] {
  return gatewayListeners(gateway).filter((listener) => listener.spec.port === port)
}

/**
 * The Gateway a test's request goes to: the one it names, else the only
 * Gateway with a listener on its port. A string is the reason there is none.
 */
export function findTestGateway(facts: ManifestFacts, request: TestRequest): GatewayBinding | string {
  if (request.gateway !== undefined) {
    const {namespace, name} = request.gateway
    const named = facts.gateways.find((gateway) => gateway.gateway.meta.namespace === namespace && gateway.gateway.meta.name === name)
    if (named === undefined) return `Gateway ${namespace}/${name} is not in the manifests`
    if (findListenersOnPort(named, request.port).length === 0) return `Gateway ${namespace}/${name} has no listener on port ${request.port}`
    return named
  }
  const onPort = facts.gateways.filter((gateway) => findListenersOnPort(gateway, request.port).length > 0)
  if (onPort.length === 0) return `no Gateway has a listener on port ${request.port}`
  if (onPort.length > 1) return `port ${request.port} is a listener port of Gateways ${onPort.map(formatGateway).join(', ')}: the test must name its gateway`
  return onPort[0]
}

const PROTOCOL_OF: Record<string, TestProtocol | undefined> = {HTTPS: 'https', TLS: 'tls', HTTP: 'http', TCP: 'tcp', UDP: 'udp'}

/**
 * What a client speaks to the port when the test does not say: the
 * listeners' protocol; where HTTPS and TLS listeners share the port, the
 * protocol of the listener the engine picks for the SNI (a real client knows
 * which service it calls); on HTTP(S) listeners whose every route is a
 * GRPCRoute, gRPC. A request with HTTP parts (host, path, method, headers)
 * on a TLS or TCP listener is HTTPS or HTTP inside the stream (a passthrough
 * backend serving a web app).
 */
export function inferProtocol(facts: ManifestFacts, gateway: GatewayBinding, request: TestRequest): TestProtocol {
  if (request.protocol !== undefined) return request.protocol
  const speaksHttp = request.host !== undefined || request.path !== undefined || request.method !== undefined || request.headers !== undefined
  let listeners = findListenersOnPort(gateway, request.port)
  const protocols = new Set(listeners.map((listener) => listener.spec.protocol))
  if (protocols.size > 1 && protocols.has('HTTPS') && protocols.has('TLS')) {
    const decision = facts.table.decideOnGateway(gateway, {port: request.port, transport: 'tls', sni: request.sni ?? request.host ?? ''})
    listeners = decision.listener === undefined ? listeners.filter((listener) => listener.spec.protocol === 'TLS') : [decision.listener]
  }
  const protocol = PROTOCOL_OF[listeners[0]?.spec.protocol ?? ''] ?? 'tcp'
  if (speaksHttp && protocol === 'tls') return 'https'
  if (speaksHttp && protocol === 'tcp') return 'http'
  if (protocol !== 'https' && protocol !== 'http') return protocol
  const routes = listeners.flatMap((listener) => listener.routes)
  return routes.length > 0 && routes.every(({route}) => route.route.kind === 'GRPCRoute') ? 'grpc' : protocol
}
