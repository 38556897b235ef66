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
      assert.deepEqual(plan.notServed.map(({listener, why}) => [listener.spec.name, why]), [['dns', 'protocol UDP is not served by gwctl serve']])
    })
  }

  describe('Gateways sharing a port: each on its own loopback address', () => {
    const tls = '  - {name: tls, protocol: TLS, port: 443, tls: {mode: Passthrough}}\n'
    const both = tableOf(`${gateway('two', tls)}---\n${gateway('one', tls)}`)
    const where = (plan: ReturnType<typeof planPorts>) => plan.sockets.map((socket) => `${socket.gateway.gateway.meta.name}@${socket.address}:${socket.port}`)
    const cases: Array<{name: string; table?: ReturnType<typeof tableOf>; options: Parameters<typeof planPorts>[1]; expected: string[] | RegExp}> = [
      {name: 'by default: 127.0.0.N in namespace/name order', options: {portMap: new Map()}, expected: ['one@127.0.0.1:443', 'two@127.0.0.2:443']},
      {name: '--gateway: the one Gateway keeps 127.0.0.1', options: {portMap: new Map(), gateway: {namespace: 'default', name: 'two'}}, expected: ['two@127.0.0.1:443']},
      {name: '--address NS/NAME=ADDRESS places one; the other skips it', options: {portMap: new Map(), addresses: {byGateway: new Map([['default/two', '127.0.0.1']])}}, expected: ['one@127.0.0.2:443', 'two@127.0.0.1:443']},
      {name: 'a bare --address for both: refused, naming the port and both Gateways', options: {portMap: new Map(), addresses: {all: '127.0.0.1', byGateway: new Map()}},
        expected: /^Gateways default\/one and default\/two both have listeners on port 443 and --address puts both on 127\.0\.0\.1: one socket cannot serve two Gateways$/},
      {name: 'a bare --address plus one named: both served', options: {portMap: new Map(), addresses: {all: '127.0.0.9', byGateway: new Map([['default/one', '127.0.0.8']])}}, expected: ['one@127.0.0.8:443', 'two@127.0.0.9:443']},
      {name: '--address ::1 for both: refused, IPv6 has one loopback address', options: {portMap: new Map(), addresses: {all: '::1', byGateway: new Map()}}, expected: /::1 is the only IPv6 loopback address/},
      {name: '--address for a Gateway not in the input: did you mean', options: {portMap: new Map(), addresses: {byGateway: new Map([['default/onw', '127.0.0.5']])}}, expected: /^--address default\/onw=127\.0\.0\.5: no Gateway default\/onw in the input; did you mean default\/one\?$/},
      {name: 'spec.addresses loopback IPs are used, and skipped by the assigned ones',
        table: tableOf(`${gateway('one', tls)}---\n${gateway('two', tls).replace('spec:\n', 'spec:\n  addresses: [{type: IPAddress, value: 127.0.0.1}, {value: 127.0.0.3}]\n')}`),
        options: {portMap: new Map()}, expected: ['one@127.0.0.2:443', 'two@127.0.0.1:443', 'two@127.0.0.3:443']},
      {name: 'spec.addresses that are not loopback IPs are not bound', table: tableOf(`${gateway('one', tls)}---\n${gateway('two', tls).replace('spec:\n', 'spec:\n  addresses: [{value: 10.0.0.5}]\n')}`),
        options: {portMap: new Map()}, expected: ['one@127.0.0.1:443', 'two@127.0.0.2:443']},
      {name: 'two Gateways with one spec.addresses on one port: refused', table: tableOf(`${gateway('one', tls).replace('spec:\n', 'spec:\n  addresses: [{value: 127.0.0.7}]\n')}---\n${gateway('two', tls).replace('spec:\n', 'spec:\n  addresses: [{value: 127.0.0.7}]\n')}`),
        options: {portMap: new Map()}, expected: /both are bound on 127\.0\.0\.7 \(spec\.addresses\)/},
      {name: 'one --port-map local port on two addresses is fine', options: {portMap: new Map([[443, 8443]])}, expected: ['one@127.0.0.1:443', 'two@127.0.0.2:443']},
    ]
    for (const {name, table: input, options, expected} of cases) {
      it(name, () => {
        if (expected instanceof RegExp) assert.throws(() => planPorts(input ?? both, options), (error: Error) => expected.test(error.message))
        else assert.deepEqual(where(planPorts(input ?? both, options)), expected)
      })
    }
    it('notes spec.addresses it does not bind', () => {
      const plan = planPorts(tableOf(gateway('one', tls).replace('spec:\n', 'spec:\n  addresses: [{value: 10.0.0.5}, {type: Hostname, value: gw.example.com}]\n')), {portMap: new Map()})
      assert.deepEqual(plan.addressNotes, ['Gateway default/one: spec.addresses 10.0.0.5, gw.example.com (Hostname) are not loopback IP addresses, so gwctl serve does not bind them (it gets a 127.0.0.N address of its own)'])
      assert.deepEqual(plan.addresses.map((entry) => [entry.addresses, entry.source]), [[['127.0.0.1'], 'assigned']])
    })
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
