/**
 * The engine switches an implementation profile sets (EngineFeatures
 * beyond mixedTlsModes, which bind-cases covers): HTTPS and TLS on one
 * port with disjoint hostnames, TLSRoute on Terminate listeners, port 8080.
 */
import {strict as assert} from 'node:assert'
import type {EngineFeatures} from '../../src/gatewayapi/binding.js'
import {bindDocuments, gateway} from './decide-support.js'

const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata: {name: cert, namespace: default}\ntype: kubernetes.io/tls\ndata: {tls.crt: "", tls.key: ""}'

function listenerState(listeners: readonly string[], features: Partial<EngineFeatures>) {
  const binding = bindDocuments([gateway('gw', listeners), SECRET], features)
  return binding.gateways[0].listeners.map((listener) => ({
    name: listener.spec.name,
    conflicted: listener.conflicted,
    accepted: listener.conditions.find((condition) => condition.type === 'Accepted')?.reason,
    kinds: listener.supportedKinds.map((kind) => kind.kind),
  }))
}

describe('engine switches of implementation profiles', () => {
  const tls = '{name: tls, port: 443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}}'
  const cases: Array<{what: string; listeners: string[]; features: Partial<EngineFeatures>; conflicted: boolean[]}> = [
    {what: 'HTTPS + TLS on one port: ProtocolConflict by default', listeners: [tls, '{name: https, port: 443, protocol: HTTPS, hostname: cafe.example.org, tls: {certificateRefs: [{name: cert}]}}'], features: {}, conflicted: [true, true]},
    {what: 'httpsTlsSharedPort, disjoint hostnames: no conflict', listeners: [tls, '{name: https, port: 443, protocol: HTTPS, hostname: cafe.example.org, tls: {certificateRefs: [{name: cert}]}}'], features: {httpsTlsSharedPort: true}, conflicted: [false, false]},
    {what: 'httpsTlsSharedPort, overlapping hostnames: conflict', listeners: [tls, '{name: https, port: 443, protocol: HTTPS, hostname: cafe.example.com, tls: {certificateRefs: [{name: cert}]}}'], features: {httpsTlsSharedPort: true}, conflicted: [true, true]},
    {what: 'httpsTlsSharedPort, HTTPS without hostname overlaps all', listeners: [tls, '{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}'], features: {httpsTlsSharedPort: true}, conflicted: [true, true]},
    {what: 'httpsTlsSharedPort leaves HTTP + HTTPS a conflict', listeners: ['{name: http, port: 443, protocol: HTTP, hostname: a.example.org}', '{name: https, port: 443, protocol: HTTPS, hostname: cafe.example.org, tls: {certificateRefs: [{name: cert}]}}'], features: {httpsTlsSharedPort: true}, conflicted: [true, true]},
  ]
  for (const {what, listeners, features, conflicted} of cases) {
    it(what, () => assert.deepEqual(listenerState(listeners, features).map((listener) => listener.conflicted), conflicted))
  }

  it('tlsRouteOnTerminate false: a TLS Terminate listener supports TCPRoute only', () => {
    const terminate = '{name: term, port: 443, protocol: TLS, tls: {mode: Terminate, certificateRefs: [{name: cert}]}}'
    assert.deepEqual(listenerState([terminate], {}).map((listener) => listener.kinds), [['TLSRoute', 'TCPRoute']])
    assert.deepEqual(listenerState([terminate], {tlsRouteOnTerminate: false}).map((listener) => listener.kinds), [['TCPRoute']])
  })

  it('port8080 false: a listener on 8080 is not accepted (PortUnavailable)', () => {
    const http = '{name: http, port: 8080, protocol: HTTP}'
    assert.equal(listenerState([http], {})[0].accepted, 'Accepted')
    assert.equal(listenerState([http], {port8080: false})[0].accepted, 'PortUnavailable')
  })
})
