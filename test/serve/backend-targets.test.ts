/**
 * BackendTargets.choose: where serve connects for a backend the engine
 * decided on. A backend governed by a BackendTLSPolicy is re-encrypted, or
 * refused when the policy cannot be honoured — never plaintext (SEMANTICS.md
 * §9); a backend without a policy is plain TCP.
 */
import {strict as assert} from 'node:assert'
import type {BackendBinding} from '../../src/gatewayapi/binding.js'
import type {DecidedBackend} from '../../src/gatewayapi/decide.js'
import {BackendTargets} from '../../src/serve/backend-targets.js'
import {bindDocuments, gateway, route} from '../gatewayapi/decide-support.js'

const CA = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ca, namespace: default}\ndata:\n  ca.crt: "-----BEGIN CERTIFICATE-----\\nMAA=\\n-----END CERTIFICATE-----\\n"'
const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec: {ports: [{port: 443}]}`
const policy = (name: string, caName: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: ${name}, namespace: default}\nspec:\n  targetRefs: [{group: "", kind: Service, name: ${name}}, {group: "", kind: Service, name: ghost}]\n  validation:\n    caCertificateRefs: [{group: "", kind: ConfigMap, name: ${caName}}]\n    hostname: ${name}.internal`

function decided(backend: BackendBinding): DecidedBackend {
  return {binding: backend, kind: 'Service', namespace: backend.ref.namespace, name: backend.ref.name, port: backend.ref.port, weight: 1, percent: 100, valid: backend.valid, why: backend.message}
}

describe('serve/backend-targets: BackendTLSPolicy governs how serve connects (§9)', () => {
  const binding = bindDocuments([
    gateway('gw', ['{name: http, port: 80, protocol: HTTP}']), CA, service('plain'), service('secure'), service('broken'),
    policy('secure', 'ca'), policy('broken', 'nonexistent'),
    route('HTTPRoute', 'web', {rules: '[{backendRefs: [{name: plain, port: 443}, {name: secure, port: 443}, {name: broken, port: 443}]}]'}),
  ])
  const [plain, secure, broken] = binding.routes[0].rules[0].backends
  const address = {host: '127.0.0.1', port: 9}
  const targets = new BackendTargets(new Map([['default/plain:443', address], ['default/secure:443', address], ['default/broken:443', address]]))

  it('no policy: plain TCP', () => {
    const choice = targets.choose(decided(plain))
    assert.equal(choice.refusal, undefined)
    assert.equal(choice.target?.tls, undefined)
  })

  it('a policy Accepted=False only because another target is missing still re-encrypts (SNI = policy hostname, its CA)', () => {
    assert.equal(secure.tlsPolicy?.accepted, false)
    const choice = targets.choose(decided(secure))
    assert.equal(choice.target?.tls?.servername, 'secure.internal')
    assert.equal((choice.target?.tls?.ca as string[] | undefined)?.length, 1)
  })

  it('a policy without a valid CA: refused as an invalid backend, even if a caller passed it as valid', () => {
    assert.equal(broken.valid, false)
    assert.equal(targets.choose(decided(broken)).refusal, 'invalid-backend')
    const forced = targets.choose({...decided(broken), valid: true})
    assert.deepEqual([forced.refusal, forced.target], ['invalid-backend', undefined])
    assert.match(forced.refusal === undefined ? '' : forced.reason, /BackendTLSPolicy default\/broken cannot be honoured: no valid CA certificate/)
  })
})
