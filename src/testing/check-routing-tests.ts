/**
 * The checks of a test file that need the manifests: the test's Gateway
 * exists (did-you-mean otherwise), it listens on the test's port, and the
 * protocol asked can reach a listener there. A test that names no Gateway
 * gets the one Gateway listening on its port; when several do, the one
 * defined next to the test file (in its directory tree) — a test file sits
 * next to its manifests — else the test must say which. Each problem
 * points at the request key at fault. Pure.
 */
import path from 'node:path'
import {suggestName} from '../errors/suggest-name.js'
import {gatewayListeners} from '../gatewayapi/decide.js'
import type {Analysis} from '../pipeline/analyze.js'
import type {FieldPosition, TestFileProblem} from './read-test-file.js'
import type {RoutingTest, TestProtocol} from './routing-test.js'

/** Listener protocols each test protocol can reach. */
const REACHES: Record<TestProtocol, readonly string[]> = {
  tls: ['TLS', 'HTTPS'],
  // An HTTPS or gRPC client may also reach a TLS listener: the backend behind it speaks HTTP.
  https: ['HTTPS', 'TLS'],
  http: ['HTTP'],
  grpc: ['HTTPS', 'HTTP', 'TLS'],
  tcp: ['TCP'],
  udp: ['UDP'],
}

export interface SettledTests {
  tests: RoutingTest[]
  problems: TestFileProblem[]
}

export function settleTestGateways(
  tests: readonly RoutingTest[], positions: ReadonlyArray<Record<string, FieldPosition>>, analysis: Pick<Analysis, 'binding' | 'objects'>,
  options: {cwd: string},
): SettledTests {
  const gateways = analysis.binding.gateways.map((binding) => ({
    id: `${binding.gateway.meta.namespace}/${binding.gateway.meta.name}`,
    namespace: binding.gateway.meta.namespace,
    name: binding.gateway.meta.name,
    listeners: gatewayListeners(binding),
    file: analysis.objects.find((object) => object.kind === 'Gateway' && object.namespace === binding.gateway.meta.namespace && object.name === binding.gateway.meta.name)?.file,
  }))
  const problems: TestFileProblem[] = []
  const settled: RoutingTest[] = []
  tests.forEach((test, index) => {
    const at = (key: string, message: string, hint?: string) => {
      const position = positions[index]?.[key] ?? {line: test.location.line, column: test.location.column}
      problems.push({file: test.location.file, line: position.line, column: position.column, message: `test '${test.name}': ${message}`, ...(hint === undefined ? {} : {hint})})
    }
    const {port} = test.request
    const portsOf = (gateway: typeof gateways[number]) => [...new Set(gateway.listeners.map((listener) => listener.spec.port))].filter((value) => value !== undefined).sort((a, b) => a - b)
    let gateway: typeof gateways[number] | undefined
    if (test.request.gateway !== undefined) {
      const id = `${test.request.gateway.namespace}/${test.request.gateway.name}`
      gateway = gateways.find((entry) => entry.id === id)
      if (gateway === undefined) {
        const suggestion = suggestName(id, gateways.map((entry) => entry.id))
        at('request.gateway', `no Gateway ${id} in the manifests`, suggestion !== undefined ? `did you mean '${suggestion}'?` : gateways.length === 0 ? 'the manifests hold no Gateway' : `Gateways: ${gateways.map((entry) => entry.id).join(', ')}`)
        return
      }
      if (!gateway.listeners.some((listener) => listener.spec.port === port)) {
        at('request.port', `Gateway ${id} has no listener on port ${port}`, `its ports: ${portsOf(gateway).join(', ') || '(none)'}`)
        return
      }
    } else {
      const onPort = gateways.filter((entry) => entry.listeners.some((listener) => listener.spec.port === port))
      if (onPort.length === 0) {
        const ports = [...new Set(gateways.flatMap(portsOf))].sort((a, b) => a - b)
        const suggestion = suggestName(String(port), ports.map(String))
        at('request.port', `no Gateway listens on port ${port}`, suggestion !== undefined ? `did you mean ${suggestion}?` : `listener ports: ${ports.join(', ') || '(none)'}`)
        return
      }
      const testDirectory = path.dirname(path.resolve(options.cwd, test.location.file))
      const near = onPort.filter((entry) => entry.file !== undefined && isInside(path.resolve(options.cwd, entry.file), testDirectory))
      const candidates = onPort.length === 1 ? onPort : near
      if (candidates.length !== 1) {
        at('request.port', `port ${port} is served by ${onPort.length} Gateways (${onPort.map((entry) => entry.id).join(', ')})`, 'name one with request.gateway: NAMESPACE/NAME')
        return
      }
      gateway = candidates[0]
    }
    const protocols = gateway.listeners.filter((listener) => listener.spec.port === port).map((listener) => listener.spec.protocol)
    const asked = test.request.protocol
    if (asked !== undefined && !protocols.some((protocol) => REACHES[asked].includes(protocol))) {
      at('request.protocol', `protocol ${asked} reaches no listener of Gateway ${gateway.id} on port ${port} (${[...new Set(protocols)].join(', ')})`)
      return
    }
    settled.push({...test, request: {...test.request, gateway: {namespace: gateway.namespace, name: gateway.name}}})
  })
  return {tests: settled, problems}
}

function isInside(file: string, directory: string): boolean {
  const relative = path.relative(directory, file)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}
