import assert from 'node:assert/strict'
import {renderTlsSecretYaml} from '../../src/certs/tls-secret-manifest.js'

describe('certs/tls-secret-manifest', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64')
  const cases: Array<{name: string; source: Parameters<typeof renderTlsSecretYaml>[0]; expected: string[]}> = [
    {
      name: 'kubectl layout, no namespace unless given',
      source: {name: 'app-tls', certificatePem: 'CRT\n', privateKeyPem: 'KEY\n'},
      expected: ['apiVersion: v1', 'data:', `  tls.crt: ${b64('CRT\n')}`, `  tls.key: ${b64('KEY\n')}`, 'kind: Secret', 'metadata:', '  creationTimestamp: null', '  name: app-tls', 'type: kubernetes.io/tls'],
    },
    {
      name: 'namespace and ca.crt (sorted before tls.crt)',
      source: {name: 'app-tls', namespace: 'web', certificatePem: 'CRT\n', privateKeyPem: 'KEY\n', caPem: 'CA\n'},
      expected: ['apiVersion: v1', 'data:', `  ca.crt: ${b64('CA\n')}`, `  tls.crt: ${b64('CRT\n')}`, `  tls.key: ${b64('KEY\n')}`, 'kind: Secret', 'metadata:', '  creationTimestamp: null', '  name: app-tls', '  namespace: web', 'type: kubernetes.io/tls'],
    },
  ]
  for (const testCase of cases) it(testCase.name, () => assert.equal(renderTlsSecretYaml(testCase.source), `${testCase.expected.join('\n')}\n`))
})
