import assert from 'node:assert/strict'
import {parse} from 'yaml'
import {bind} from '../../src/gatewayapi/bind.js'
import {compileRoutingTable} from '../../src/gatewayapi/decide.js'
import {buildSnapshot} from '../../src/model/build-snapshot.js'
import {parsePortMapping, planPorts} from '../../src/serve/port-plan.js'

function tableOf(yaml: string) {
  const objects = yaml.split(/^---$/m).map((text) => parse(text) as Record<string, unknown>)
  return compileRoutingTable(bind(buildSnapshot(objects.map((object) => ({object, namespace: 'default'})))))
}

const gateway = (name: string, listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: default}
spec:
  gatewayClassName: any
  listeners:
${listeners}`

const TWO_PORTS = gateway('gw', `  - {name: tls, protocol: TLS, port: 443, hostname: a.example.com, tls: {mode: Passthrough}}
  - {name: tls-b, protocol: TLS, port: 443, hostname: b.example.com, tls: {mode: Passthrough}}
  - {name: http, protocol: HTTP, port: 80}
  - {name: dns, protocol: UDP, port: 53}
`)

describe('serve/port-plan', () => {
  const table: Array<{name: string; options: Parameters<typeof planPorts>[1]; expected: Array<[number, number, string, number]>}> = [
    {name: 'listener ports as they are by default', options: {portMap: new Map()}, expected: [[80, 80, 'http', 1], [443, 443, 'tls', 2]]},
    {name: '--port-offset', options: {portMap: new Map(), portOffset: 8000}, expected: [[80, 8080, 'http', 1], [443, 8443, 'tls', 2]]},
    {name: '--port-map wins over the offset, 0 = any', options: {portMap: new Map([[443, 0]]), portOffset: 8000}, expected: [[80, 8080, 'http', 1], [443, 0, 'tls', 2]]},
  ]
  for (const {name, options, expected} of table) {
    it(name, () => {
      const plan = planPorts(tableOf(TWO_PORTS), options)
      assert.deepEqual(plan.sockets.map((socket) => [socket.port, socket.localPort, socket.transport, socket.listeners.length]), expected)
      assert.deepEqual(plan.datagramSockets.map((socket) => [socket.port, socket.transport, socket.listeners.map((listener) => listener.spec.name)]), [[53, 'udp', ['dns']]])
      assert.deepEqual(plan.notServed, [])
    })
  }

  it('a TCP and a UDP listener share a port number on sockets of their own, mapped alike', () => {
    const plan = planPorts(tableOf(gateway('gw', '  - {name: dns, protocol: UDP, port: 53}\n  - {name: dns-tcp, protocol: TCP, port: 53}\n')), {portMap: new Map([[53, 5353]])})
    assert.deepEqual(plan.sockets.map((socket) => [socket.port, socket.localPort, socket.transport]), [[53, 5353, 'tcp']])
    assert.deepEqual(plan.datagramSockets.map((socket) => [socket.port, socket.localPort, socket.transport]), [[53, 5353, 'udp']])
  })

  it('refuses two Gateways on one port unless --gateway picks one', () => {
    const both = tableOf(`${gateway('one', '  - {name: tls, protocol: TLS, port: 443, tls: {mode: Passthrough}}\n')}---\n${gateway('two', '  - {name: tls, protocol: TLS, port: 443, tls: {mode: Passthrough}}\n')}`)
    assert.throws(() => planPorts(both, {portMap: new Map()}), /port 443 has listeners of Gateways default\/one and default\/two/)
    assert.equal(planPorts(both, {portMap: new Map(), gateway: {namespace: 'default', name: 'two'}}).sockets[0].gateway.gateway.meta.name, 'two')
  })

  it('refuses two listener ports mapped to one local port', () => {
    assert.throws(() => planPorts(tableOf(TWO_PORTS), {portMap: new Map([[80, 9000], [443, 9000]])}), /listener ports 80 and 443 both map to local port 9000/)
  })

  it('refuses an offset beyond 65535', () => {
    assert.throws(() => planPorts(tableOf(TWO_PORTS), {portMap: new Map(), portOffset: 65_200}), /puts listener port 443 at 65643/)
  })

  const mappings: Array<[string, [number, number] | RegExp]> = [
    ['443=8443', [443, 8443]], ['443=0', [443, 0]], ['443:8443', /expected LISTENER_PORT=LOCAL_PORT/], ['0=1', /expected/], ['443=70000', /expected/],
  ]
  for (const [value, expected] of mappings) {
    it(`--port-map ${value}`, () => {
      if (expected instanceof RegExp) assert.throws(() => parsePortMapping(value), expected)
      else assert.deepEqual(parsePortMapping(value), expected)
    })
  }
})
