import assert from 'node:assert/strict'
import {checkSecretUsable, checkTlsSecret, type TlsSecretContent} from '../../src/certs/check-tls-secret.js'
import {describeCertificate, parseCertificate} from '../../src/certs/parsed-certificate.js'
import {splitPemBlocks} from '../../src/certs/pem.js'
import {DAY, makeCertificate, makeOpensslCertificate, runOpenssl, toIssuer, toSecret} from './test-certificates.js'

interface Case {
  name: string
  secret: () => TlsSecretContent
  hostnames?: string[]
  /** Expected ruleIds, in order. */
  ruleIds: string[]
  /** Substrings the messages must contain, in order of the problems. */
  messages?: string[]
  dataKeys?: Array<string | undefined>
}

describe('certs/check-tls-secret', () => {
  const now = new Date()
  /** openssl dates its certificates from the second it runs: check after all were made. */
  let checkTime = now
  const context = (hostnames: string[]) => ({hostnames, now: checkTime, expiryWarningDays: 30})
  const pem: Record<string, {crt: string; key: string}> = {}
  const caPem: Record<string, string> = {}

  before(async function () {
    this.timeout(30_000)
    const ca = await makeCertificate({commonName: 'Test Root', isCA: true, notAfter: new Date(now.getTime() + 900 * DAY)})
    const issuer = await toIssuer(ca)
    const intermediate = await makeCertificate({commonName: 'Test Intermediate', isCA: true, issuer, notAfter: new Date(now.getTime() + 800 * DAY)})
    const intermediateIssuer = await toIssuer(intermediate, ca.certificatePem)
    const make = async (request: Parameters<typeof makeCertificate>[0]) => {
      const issued = await makeCertificate({issuer, ...request})
      return {crt: issued.chainPem, key: issued.privateKeyPem}
    }
    pem.good = await make({dnsNames: ['app.example.com', 'www.example.com'], ipAddresses: ['10.0.0.1', '::1']})
    pem.wildcard = await make({dnsNames: ['*.example.com']})
    pem.expired = await make({dnsNames: ['app.example.com'], notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() - DAY)})
    pem.future = await make({dnsNames: ['app.example.com'], notBefore: new Date(now.getTime() + DAY), notAfter: new Date(now.getTime() + 30 * DAY)})
    pem.expiring = await make({dnsNames: ['app.example.com'], notAfter: new Date(now.getTime() + 10 * DAY)})
    pem.other = await make({dnsNames: ['app.example.com']})
    pem.noSan = await make({commonName: 'app.example.com'})
    const leaf = await makeCertificate({dnsNames: ['leaf.example.com'], issuer: intermediateIssuer})
    pem.chain = {crt: leaf.chainPem + ca.certificatePem, key: leaf.privateKeyPem}
    pem.reversed = {crt: leaf.certificatePem + ca.certificatePem + intermediate.certificatePem, key: leaf.privateKeyPem}
    pem.broken = {crt: leaf.certificatePem + (await makeCertificate({commonName: 'Stranger', isCA: true})).certificatePem, key: leaf.privateKeyPem}
    pem.ed25519 = await make({dnsNames: ['app.example.com'], key: {type: 'ed25519'}})
    pem.client = await make({commonName: 'alice', dnsNames: ['app.example.com'], usage: 'client'})
    const withCa = await make({dnsNames: ['leaf.example.com'], issuer: intermediateIssuer})
    pem.withCa = {crt: withCa.crt, key: withCa.key}
    caPem.root = ca.certificatePem
    caPem.stranger = (await makeCertificate({commonName: 'Stranger', isCA: true})).certificatePem
    pem.rsa1024 = makeOpensslCertificate('rsa:1024', 'sha256', 'app.example.com')
    pem.sha1 = makeOpensslCertificate('rsa:2048', 'sha1', 'app.example.com')
    const sec1 = runOpenssl(
      [
        ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'k.pem'],
        ['req', '-x509', '-key', 'k.pem', '-days', '365', '-subj', '/CN=app.example.com', '-addext', 'subjectAltName=DNS:app.example.com', '-out', 'c.pem'],
        ['pkey', '-in', 'k.pem', '-aes256', '-passout', 'pass:secret', '-out', 'e.pem'],
      ],
      ['k.pem', 'c.pem', 'e.pem'],
    )
    pem.sec1 = {crt: sec1['c.pem'], key: sec1['k.pem']}
    pem.encrypted = {crt: sec1['c.pem'], key: sec1['e.pem']}
    checkTime = new Date(Date.now() + 1000)
  })

  const secret = (name: string, type?: string) => () => toSecret(pem[name].crt, pem[name].key, type)
  const withCa = (anchor: string) => {
    const plain = toSecret(pem.withCa.crt, pem.withCa.key)
    return {...plain, data: {...plain.data, 'ca.crt': Buffer.from(caPem[anchor]).toString('base64')}}
  }
  const cases: Case[] = [
    {name: 'a good CA-issued leaf covering its hostnames', secret: secret('good'), hostnames: ['app.example.com', 'www.example.com'], ruleIds: []},
    {name: 'an IP hostname against IP SANs (IPv6 in any spelling)', secret: secret('good'), hostnames: ['10.0.0.1', '0:0:0:0:0:0:0:1'], ruleIds: []},
    {name: 'no hostname (listener without hostname) asks for nothing', secret: secret('good'), hostnames: ['*'], ruleIds: []},
    {name: 'a name outside the SANs', secret: secret('good'), hostnames: ['app.example.com', 'api.example.com'], ruleIds: ['certificate-hostname-coverage'], messages: ['does not cover hostname api.example.com: its SANs are app.example.com, www.example.com, 10.0.0.1, ::1'], dataKeys: ['tls.crt']},
    {name: 'a wildcard SAN covers one label', secret: secret('wildcard'), hostnames: ['a.example.com', 'B.Example.com'], ruleIds: []},
    {name: 'a wildcard SAN does not cover two labels nor the bare domain', secret: secret('wildcard'), hostnames: ['a.b.example.com', 'example.com'], ruleIds: ['certificate-hostname-coverage'], messages: ['hostnames a.b.example.com, example.com']},
    {name: 'a wildcard hostname is covered by the same wildcard SAN', secret: secret('wildcard'), hostnames: ['*.example.com'], ruleIds: []},
    {name: 'a wildcard hostname is not covered by a precise SAN', secret: secret('good'), hostnames: ['*.example.com'], ruleIds: ['certificate-hostname-coverage']},
    {name: 'a certificate without SAN covers nothing (CN ignored): an error', secret: secret('noSan'), hostnames: ['app.example.com'], ruleIds: ['certificate-san-missing'], messages: ['has no subjectAltName: clients ignore the CN and accept it for no hostname (it must cover app.example.com)']},
    {name: 'a certificate without SAN is an error even where no hostname is asked for', secret: secret('noSan'), hostnames: ['*'], ruleIds: ['certificate-san-missing']},
    {name: 'expired', secret: secret('expired'), hostnames: ['app.example.com'], ruleIds: ['certificate-expired'], messages: ['expired on']},
    {name: 'not yet valid', secret: secret('future'), ruleIds: ['certificate-not-yet-valid'], messages: ['is not valid before']},
    {name: 'expiring within the warning period', secret: secret('expiring'), ruleIds: ['certificate-expiring'], messages: ['less than 30 days']},
    {name: 'key of another certificate', secret: () => toSecret(pem.good.crt, pem.other.key), ruleIds: ['certificate-key-mismatch'], dataKeys: ['tls.key']},
    {name: 'RSA-1024 key (openssl)', secret: secret('rsa1024'), hostnames: ['app.example.com'], ruleIds: ['certificate-weak-key'], messages: ['RSA 1024 bits']},
    {name: 'SHA-1 signature (openssl)', secret: secret('sha1'), hostnames: ['app.example.com'], ruleIds: ['certificate-weak-signature'], messages: ['sha1WithRSAEncryption']},
    {name: 'garbage base64 in tls.crt', secret: () => ({type: 'kubernetes.io/tls', data: {'tls.crt': 'not*base64!', 'tls.key': toSecret('', pem.good.key).data['tls.key']}}), ruleIds: ['certificate-pem'], messages: ['tls.crt is not valid base64'], dataKeys: ['tls.crt']},
    {name: 'base64 that is not PEM', secret: () => ({type: 'kubernetes.io/tls', data: {'tls.crt': 'aGVsbG8=', 'tls.key': 'aGVsbG8='}}), ruleIds: ['certificate-pem', 'certificate-pem'], messages: ['tls.crt holds no PEM CERTIFICATE block', 'tls.key holds no PEM private key block']},
    {name: 'a PEM block with a corrupt body', secret: () => toSecret(pem.good.crt.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!'), pem.good.key), ruleIds: ['certificate-pem'], messages: ['is not valid base64']},
    {name: 'type Opaque', secret: secret('good', 'Opaque'), hostnames: ['app.example.com'], ruleIds: ['certificate-secret-type'], messages: ['of type Opaque, not kubernetes.io/tls']},
    {name: 'no type at all (Opaque by default)', secret: () => ({data: toSecret(pem.good.crt, pem.good.key).data}), ruleIds: ['certificate-secret-type']},
    {name: 'missing tls.key', secret: () => ({type: 'kubernetes.io/tls', data: {'tls.crt': toSecret(pem.good.crt, '').data['tls.crt']}}), ruleIds: ['certificate-secret-type'], messages: ['Secret has no tls.key'], dataKeys: ['tls.key']},
    {name: 'missing both keys', secret: () => ({type: 'kubernetes.io/tls', data: {}}), ruleIds: ['certificate-secret-type', 'certificate-secret-type']},
    {name: 'leaf, intermediate and root in order', secret: secret('chain'), hostnames: ['leaf.example.com'], ruleIds: []},
    {name: 'chain out of order', secret: secret('reversed'), ruleIds: ['certificate-chain', 'certificate-chain'], messages: ['out of order: leaf certificate (CN=leaf.example.com) is issued by certificate 3', 'is not issued by the next one']},
    {name: 'chain with an unrelated certificate', secret: secret('broken'), ruleIds: ['certificate-chain', 'certificate-chain-invalid'], messages: ['CN=Stranger', 'OpenSSL rejects the chain of tls.crt (trusting the last certificate of tls.crt (no ca.crt in the Secret)): unable to get local issuer certificate (error 20)']},
    {name: 'stringData instead of data', secret: () => ({type: 'kubernetes.io/tls', stringData: {'tls.crt': pem.good.crt, 'tls.key': pem.good.key}}), hostnames: ['app.example.com'], ruleIds: []},
    {name: 'Ed25519 leaf', secret: secret('ed25519'), hostnames: ['app.example.com'], ruleIds: []},
    {name: 'SEC1 EC PRIVATE KEY from openssl ecparam', secret: secret('sec1'), hostnames: ['app.example.com'], ruleIds: []},
    {name: 'encrypted private key', secret: secret('encrypted'), ruleIds: ['certificate-pem'], messages: ['tls.key: the private key is encrypted'], dataKeys: ['tls.key']},
    {name: 'a private key where the certificate belongs', secret: () => toSecret(pem.good.key, pem.good.key), ruleIds: ['certificate-pem'], messages: ['tls.crt holds no PEM CERTIFICATE block']},
    {name: 'a client certificate (clientAuth only) as a listener certificate', secret: secret('client'), hostnames: ['app.example.com'], ruleIds: ['certificate-purpose'], messages: ['OpenSSL rejects the chain of tls.crt (trusting the leaf itself (no CA in the Secret)): unsuitable certificate purpose (error 26); the leaf certificate (CN=alice) has extendedKeyUsage clientAuth, a server certificate needs serverAuth']},
    {name: 'ca.crt is the trust anchor: leaf + intermediate verify against the root', secret: () => withCa('root'), hostnames: ['leaf.example.com'], ruleIds: []},
    {name: 'ca.crt of another CA: OpenSSL finds no issuer', secret: () => withCa('stranger'), ruleIds: ['certificate-chain-invalid'], messages: ['OpenSSL rejects the chain of tls.crt (trusting ca.crt): unable to get local issuer certificate (error 20)']},
    {name: 'a non-string data value', secret: () => ({type: 'kubernetes.io/tls', data: {'tls.crt': 42, 'tls.key': 'aGVsbG8='}}), ruleIds: ['certificate-pem', 'certificate-pem'], messages: ['data.tls.crt is not a string']},
  ]

  const severities: Record<string, string> = {'certificate-chain': 'warning', 'certificate-expiring': 'warning', 'certificate-hostname-coverage': 'warning'}
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const problems = await checkTlsSecret(testCase.secret(), context(testCase.hostnames ?? []))
      assert.deepEqual(problems.map((problem) => problem.ruleId), testCase.ruleIds, JSON.stringify(problems, null, 2))
      testCase.messages?.forEach((text, index) => assert.ok(problems[index].message.includes(text), `${problems[index].message} should include ${text}`))
      testCase.dataKeys?.forEach((dataKey, index) => assert.equal(problems[index].dataKey, dataKey))
      for (const problem of problems) assert.equal(problem.severity, severities[problem.ruleId] ?? 'error')
    })
  }

  it('uses the expiry warning period it is given', async () => {
    const problems = await checkTlsSecret(secret('expiring')(), {hostnames: [], now: checkTime, expiryWarningDays: 5})
    assert.deepEqual(problems, [])
  })

  it('names the uncovered hostnames in the problem', async () => {
    const [problem] = await checkTlsSecret(secret('wildcard')(), context(['x.example.com', 'y.z.example.com']))
    assert.deepEqual(problem.hostnames, ['y.z.example.com'])
  })

  it('counts days as inspect does: "expired 1350 days ago" and "(1350 days ago)" for the same certificate', async () => {
    const [block] = splitPemBlocks(pem.expired.crt)
    const certificate = parseCertificate(block.der)
    const later = new Date(certificate.notAfter.getTime() + 1350.6 * DAY)
    const [problem] = await checkTlsSecret(secret('expired')(), {hostnames: ['app.example.com'], now: later, expiryWarningDays: 30})
    assert.match(problem.message, /expired on \S+ \(1350 days ago\)$/)
    const description = describeCertificate(certificate, later)
    assert.deepEqual([description.validityNote, description.daysLeft], ['expired 1350 days ago', -1350])
    assert.equal(describeCertificate(certificate, new Date(certificate.notAfter.getTime() + 5 * 3_600_000)).validityNote, 'expired 5 hours ago')
  })

  it('gives the same answer from its cache', async () => {
    const input = secret('chain')()
    const first = await checkTlsSecret(input, context(['leaf.example.com']))
    for (let i = 0; i < 3; i++) assert.deepEqual(await checkTlsSecret(input, context(['leaf.example.com'])), first)
  })

  it('checkSecretUsable: usable unless missing, unparsable or mismatched', () => {
    assert.deepEqual(checkSecretUsable(secret('expired')()), {usable: true})
    assert.deepEqual(checkSecretUsable(toSecret(pem.good.crt, pem.other.key)).usable, false)
    assert.deepEqual(checkSecretUsable({type: 'kubernetes.io/tls', data: {}}), {usable: false, message: 'Secret has no tls.crt or tls.key'})
  })
})
