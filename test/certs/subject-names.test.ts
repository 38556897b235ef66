import assert from 'node:assert/strict'
import {checkNamespace, checkSecretName, chooseFileStem, normalizeDnsName, normalizeIpAddress} from '../../src/certs/subject-names.js'

describe('certs/subject-names', () => {
  const dns: Array<[string, string | RegExp]> = [
    ['app.example.com', 'app.example.com'],
    ['App.Example.COM.', 'app.example.com'],
    ['*.example.com', '*.example.com'],
    ['localhost', 'localhost'],
    ['a_b.example.com', /not a DNS name/],
    ['*.*.example.com', /not a DNS name/],
    ['f*.example.com', /not a DNS name/],
    ['-a.example.com', /not a DNS name/],
    ['10.0.0.1', /use --ip/],
    ['', /not a DNS name/],
  ]
  for (const [input, expected] of dns) {
    it(`--dns ${JSON.stringify(input)}`, () => {
      if (typeof expected === 'string') assert.equal(normalizeDnsName(input), expected)
      else assert.throws(() => normalizeDnsName(input), expected)
    })
  }

  it('--ip accepts IPv4, IPv6 and bracketed IPv6, rejects names', () => {
    assert.deepEqual(['10.0.0.1', '::1', '[2001:db8::1]'].map(normalizeIpAddress), ['10.0.0.1', '::1', '2001:db8::1'])
    assert.throws(() => normalizeIpAddress('example.com'), /not an IPv4 or IPv6 address/)
  })

  it('Secret names and namespaces follow RFC 1123', () => {
    assert.equal(checkSecretName('app-tls.v2', '--secret'), 'app-tls.v2')
    assert.throws(() => checkSecretName('App_TLS', '--secret'), /--secret App_TLS: not a valid Secret name/)
    assert.equal(checkNamespace('web'), 'web')
    assert.throws(() => checkNamespace('web.prod'), /not a valid namespace/)
  })

  const stems: Array<[Parameters<typeof chooseFileStem>, string | RegExp]> = [
    [['given', ['a.example.com'], [], undefined], 'given'],
    [[undefined, ['a.example.com', 'b.example.com'], [], undefined], 'a.example.com'],
    [[undefined, ['*.example.com'], [], undefined], 'wildcard.example.com'],
    [[undefined, [], ['::1'], undefined], '--1'],
    [[undefined, [], [], 'My CA'], 'My CA'],
    [[undefined, [], [], undefined], /give NAME/],
    [['../x', [], [], undefined], /without directories/],
    [['.hidden', [], [], undefined], /without directories/],
  ]
  for (const [input, expected] of stems) {
    it(`file stem from ${JSON.stringify(input)}`, () => {
      if (typeof expected === 'string') assert.equal(chooseFileStem(...input), expected)
      else assert.throws(() => chooseFileStem(...input), expected)
    })
  }
})
