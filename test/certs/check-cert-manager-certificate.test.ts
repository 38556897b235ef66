import assert from 'node:assert/strict'
import {checkCertManagerCertificate} from '../../src/certs/check-cert-manager-certificate.js'

describe('certs/check-cert-manager-certificate', () => {
  const cases: Array<{name: string; certificate: Parameters<typeof checkCertManagerCertificate>[0]; hostnames: string[]; expected: Array<[string, string[]]>}> = [
    {name: 'dnsNames cover every hostname', certificate: {spec: {dnsNames: ['app.example.com', '*.example.com']}}, hostnames: ['app.example.com', 'x.example.com'], expected: []},
    {name: 'model form (flat) is accepted', certificate: {dnsNames: ['app.example.com'], ipAddresses: ['10.0.0.1']}, hostnames: ['app.example.com', '10.0.0.1'], expected: []},
    {name: 'uncovered names point at spec.dnsNames', certificate: {spec: {dnsNames: ['*.example.com']}}, hostnames: ['a.b.example.com', 'example.com'], expected: [['spec.dnsNames', ['a.b.example.com', 'example.com']]]},
    {name: 'a name only in commonName is reported separately', certificate: {spec: {commonName: 'app.example.com', dnsNames: ['www.example.com']}}, hostnames: ['app.example.com', 'www.example.com', 'api.example.com'], expected: [['spec.dnsNames', ['api.example.com']], ['spec.commonName', ['app.example.com']]]},
    {name: 'no names at all', certificate: {spec: {}}, hostnames: ['app.example.com'], expected: [['spec.dnsNames', ['app.example.com']]]},
    {name: 'no hostnames to cover', certificate: {spec: {}}, hostnames: ['*'], expected: []},
  ]
  for (const testCase of cases) {
    it(testCase.name, () => {
      const problems = checkCertManagerCertificate(testCase.certificate, testCase.hostnames)
      assert.deepEqual(problems.map((problem) => [problem.field, problem.hostnames]), testCase.expected)
      for (const problem of problems) assert.deepEqual([problem.ruleId, problem.severity], ['certificate-hostname-coverage', 'warning'])
    })
  }
})
