/**
 * planStubBackends: the kind of each stub follows the routes that reference
 * the Service port (table over small manifests), mapped and invalid backends
 * get none, BackendTLSPolicy-governed ones are skipped with a reason, and
 * TLS stubs carry the certificate need `certs create --for --backends`
 * computes (route hostnames, united over routes), also when the input
 * already holds the `<service>-tls` Secret. And classifyFirstBytes, the
 * stubs' protocol sniffing, over byte tables.
 */
import assert from 'node:assert/strict'
import {classifyFirstBytes, H2_PREFACE} from '../../../src/serve/stub-backends/first-bytes.js'
import {planStubBackends} from '../../../src/serve/stub-backends/plan-stubs.js'
import {bindDocuments, gateway, route, services, tlsSecret} from '../../gatewayapi/decide-support.js'

const LISTENERS = [
  '{name: http, protocol: HTTP, port: 80}',
  '{name: https, protocol: HTTPS, port: 443, tls: {mode: Terminate, certificateRefs: [{name: cert}]}}',
  '{name: pass, protocol: TLS, port: 8443, tls: {mode: Passthrough}}',
  '{name: term, protocol: TLS, port: 9443, hostname: db.example.com, tls: {mode: Terminate, certificateRefs: [{name: cert}]}}',
  '{name: tcp, protocol: TCP, port: 5432}',
  '{name: udp, protocol: UDP, port: 53}',
]

const h2cService = 'apiVersion: v1\nkind: Service\nmetadata: {name: fast, namespace: default}\nspec: {ports: [{port: 8080, appProtocol: kubernetes.io/h2c}]}'

function plan(documents: string[], mapped: string[] = []) {
  const binding = bindDocuments([gateway('gw', LISTENERS), tlsSecret('cert'), ...documents])
  return planStubBackends(binding, (key) => mapped.includes(key))
}

describe('planStubBackends', () => {
  const cases: Array<{name: string; documents: string[]; mapped?: string[]; expect: Array<{key: string; protocol: string; datagrams?: boolean}>}> = [
    {name: 'HTTPRoute backend → http', documents: [...services('default', ['web']), route('HTTPRoute', 'r', {parentRefs: '[{name: gw, sectionName: http}]', rules: '[{backendRefs: [{name: web, port: 80}]}]'})],
      expect: [{key: 'default/web:80', protocol: 'http'}]},
    {name: 'GRPCRoute backend → grpc', documents: [...services('default', ['rpc:50051']), route('GRPCRoute', 'g', {parentRefs: '[{name: gw, sectionName: http}]', rules: '[{backendRefs: [{name: rpc, port: 50051}]}]'})],
      expect: [{key: 'default/rpc:50051', protocol: 'grpc'}]},
    {name: 'appProtocol kubernetes.io/h2c → h2c', documents: [h2cService, route('HTTPRoute', 'r', {parentRefs: '[{name: gw, sectionName: https}]', rules: '[{backendRefs: [{name: fast, port: 8080}]}]'})],
      expect: [{key: 'default/fast:8080', protocol: 'h2c'}]},
    {name: 'TLSRoute on Passthrough → tls', documents: [...services('default', ['app:443']), route('TLSRoute', 't', {parentRefs: '[{name: gw, sectionName: pass}]', hostnames: ['app.example.com'], rules: '[{backendRefs: [{name: app, port: 443}]}]'})],
      expect: [{key: 'default/app:443', protocol: 'tls'}]},
    {name: 'TLSRoute on Terminate → tcp', documents: [...services('default', ['db:5432']), route('TLSRoute', 't', {parentRefs: '[{name: gw, sectionName: term}]', hostnames: ['db.example.com'], rules: '[{backendRefs: [{name: db, port: 5432}]}]'})],
      expect: [{key: 'default/db:5432', protocol: 'tcp'}]},
    {name: 'TCPRoute → tcp', documents: [...services('default', ['db:5432']), route('TCPRoute', 'c', {apiVersion: 'gateway.networking.k8s.io/v1alpha2', parentRefs: '[{name: gw, sectionName: tcp}]', rules: '[{backendRefs: [{name: db, port: 5432}]}]'})],
      expect: [{key: 'default/db:5432', protocol: 'tcp'}]},
    {name: 'UDPRoute → udp', documents: [...services('default', ['dns:53']), route('UDPRoute', 'u', {apiVersion: 'gateway.networking.k8s.io/v1alpha2', parentRefs: '[{name: gw, sectionName: udp}]', rules: '[{backendRefs: [{name: dns, port: 53}]}]'})],
      expect: [{key: 'default/dns:53', protocol: 'udp', datagrams: true}]},
    {name: 'TCPRoute and UDPRoute on one Service port → tcp with datagrams', documents: [...services('default', ['dns:53']),
      route('TCPRoute', 'c', {apiVersion: 'gateway.networking.k8s.io/v1alpha2', parentRefs: '[{name: gw, sectionName: tcp}]', rules: '[{backendRefs: [{name: dns, port: 53}]}]'}),
      route('UDPRoute', 'u', {apiVersion: 'gateway.networking.k8s.io/v1alpha2', parentRefs: '[{name: gw, sectionName: udp}]', rules: '[{backendRefs: [{name: dns, port: 53}]}]'})],
    expect: [{key: 'default/dns:53', protocol: 'tcp', datagrams: true}]},
    {name: 'RequestMirror target → http', documents: [...services('default', ['web', 'shadow']), route('HTTPRoute', 'r', {parentRefs: '[{name: gw, sectionName: http}]',
      rules: '[{filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}}}], backendRefs: [{name: web, port: 80}]}]'})],
    expect: [{key: 'default/shadow:80', protocol: 'http'}, {key: 'default/web:80', protocol: 'http'}]},
    {name: 'a mapped backend gets no stub', mapped: ['default/web:80'], documents: [...services('default', ['web', 'api']), route('HTTPRoute', 'r', {parentRefs: '[{name: gw, sectionName: http}]', rules: '[{backendRefs: [{name: web, port: 80}, {name: api, port: 80}]}]'})],
      expect: [{key: 'default/api:80', protocol: 'http'}]},
    {name: 'an invalid backendRef (no such Service) gets no stub', documents: [route('HTTPRoute', 'r', {parentRefs: '[{name: gw, sectionName: http}]', rules: '[{backendRefs: [{name: missing, port: 80}]}]'})],
      expect: []},
    {name: 'a route attached nowhere gets no stub', documents: [...services('default', ['web']), route('HTTPRoute', 'r', {parentRefs: '[{name: nogw}]', rules: '[{backendRefs: [{name: web, port: 80}]}]'})],
      expect: []},
  ]
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = plan(testCase.documents, testCase.mapped)
      assert.deepEqual(result.stubs.map(({key, protocol, datagrams}) => ({key, protocol, ...(datagrams ? {datagrams} : {})})), testCase.expect)
    })
  }

  it('a Passthrough backend carries the certificate need of certs create --for --backends, hostnames united over its routes, even when its Secret exists', () => {
    const result = plan([...services('default', ['app:443']), tlsSecret('app-tls'),
      route('TLSRoute', 'one', {parentRefs: '[{name: gw, sectionName: pass}]', hostnames: ['a.example.com'], rules: '[{backendRefs: [{name: app, port: 443}]}]'}),
      route('TLSRoute', 'two', {parentRefs: '[{name: gw, sectionName: pass}]', hostnames: ['*.b.example.com'], rules: '[{backendRefs: [{name: app, port: 443}]}]'})])
    assert.equal(result.stubs.length, 1)
    const [stub] = result.stubs
    assert.deepEqual({namespace: stub.certificate?.namespace, secretName: stub.certificate?.secretName, hostnames: stub.certificate?.hostnames.sort()},
      {namespace: 'default', secretName: 'app-tls', hostnames: ['*.b.example.com', 'a.example.com']})
  })

  it('a backend a BackendTLSPolicy re-encrypts to is skipped, with the reason', () => {
    const policy = ['apiVersion: gateway.networking.k8s.io/v1', 'kind: BackendTLSPolicy', 'metadata: {name: tls-to-web, namespace: default}', 'spec:',
      '  targetRefs: [{group: "", kind: Service, name: web}]', '  validation: {hostname: web.example.com, wellKnownCACertificates: System}'].join('\n')
    const result = plan([...services('default', ['web']), policy, route('HTTPRoute', 'r', {parentRefs: '[{name: gw, sectionName: http}]', rules: '[{backendRefs: [{name: web, port: 80}]}]'})])
    assert.deepEqual(result.stubs, [])
    assert.equal(result.skipped.length, 1)
    assert.equal(result.skipped[0].key, 'default/web:80')
    assert.match(result.skipped[0].why, /BackendTLSPolicy default\/tls-to-web/)
  })
})

describe('classifyFirstBytes', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['nothing yet', Buffer.alloc(0), 'need-more'],
    ['an HTTP/1.1 request line', Buffer.from('GET /path?q=1 HTTP/1.1\r\nHost: x\r\n\r\n'), 'http1'],
    ['an HTTP/1.0 request line, bare LF', Buffer.from('HEAD / HTTP/1.0\n'), 'http1'],
    ['a request line cut short', Buffer.from('GET /pa'), 'need-more'],
    ['the whole h2 preface', Buffer.concat([H2_PREFACE, Buffer.from([0, 0, 0, 4])]), 'h2'],
    ['part of the h2 preface', H2_PREFACE.subarray(0, 10), 'need-more'],
    ['a redis command', Buffer.from('*1\r\n$4\r\nPING\r\n'), 'other'],
    ['a line that is not a request line', Buffer.from('PING\r\n'), 'other'],
    ['binary', Buffer.from([0x00, 0x01, 0x02]), 'other'],
    ['a TLS ClientHello sent to a plaintext stub', Buffer.from([0x16, 0x03, 0x01, 0x00, 0x10]), 'other'],
    ['an HTTP/2-looking line that is not the preface', Buffer.from('PRI * HTTP/2.0\r\nX'), 'other'],
    ['8 KiB without a line end', Buffer.alloc(8192, 'A'), 'other'],
  ]
  for (const [name, bytes, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(classifyFirstBytes(bytes), expected))
  }
})
