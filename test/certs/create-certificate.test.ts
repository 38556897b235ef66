import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createCertificate, type CreateCertificateOptions} from '../../src/certs/create-certificate.js'
import {checkTlsSecret} from '../../src/certs/check-tls-secret.js'
import {parseCertificate} from '../../src/certs/parsed-certificate.js'
import {splitPemBlocks} from '../../src/certs/pem.js'
import {verifyChain} from '../../src/certs/verify-chain.js'
import {runOpenssl} from './test-certificates.js'

describe('certs/create-certificate', () => {
  let dir: string
  const now = new Date()
  const options = (overrides: Partial<CreateCertificateOptions>): CreateCertificateOptions => ({
    dnsNames: [],
    ipAddresses: [],
    key: {type: 'ecdsa'},
    isCA: false,
    outDir: dir,
    force: false,
    output: 'files',
    now,
    ...overrides,
  })
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-create-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('a self-signed leaf: NAME from the first DNS name, key 0600, no Secret unless asked', async () => {
    const result = await createCertificate(options({dnsNames: ['*.Example.com', 'example.com']}))
    assert.equal(result.name, 'wildcard.example.com')
    assert.deepEqual(result.files, {certificate: join(dir, 'wildcard.example.com.crt'), key: join(dir, 'wildcard.example.com.key'), secret: undefined})
    assert.equal(statSync(result.files.key!).mode & 0o777, 0o600)
    assert.match(readFileSync(result.files.key!, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/)
    assert.deepEqual(result.certificate.subjectAltNames?.dns, ['*.example.com', 'example.com'])
    assert.equal(result.certificate.subject, 'CN=*.example.com')
    assert.equal(result.certificate.selfSigned, true)
    assert.equal(result.secretYaml, undefined)
    assert.deepEqual(result.warnings, [])
  })

  it('a CA, then a leaf it signs with a Secret that passes every lint check', async () => {
    await createCertificate(options({name: 'ca', commonName: 'Test CA', isCA: true}))
    const leaf = await createCertificate(options({dnsNames: ['app.example.com'], issuerCertificatePath: join(dir, 'ca.crt'), issuerKeyPath: join(dir, 'ca.key'), secretName: 'app-tls', namespace: 'web'}))
    assert.equal(leaf.files.secret, join(dir, 'app-tls.secret.yaml'))
    assert.equal(statSync(leaf.files.secret!).mode & 0o777, 0o600)
    assert.equal(leaf.certificate.issuer, 'CN=Test CA')
    const yaml = readFileSync(leaf.files.secret!, 'utf8')
    assert.equal(yaml, leaf.secretYaml)
    const data = Object.fromEntries([...yaml.matchAll(/^ {2}(\S+): (\S+)$/gm)].map(([, key, value]) => [key, value]))
    assert.equal(Buffer.from(data['ca.crt'], 'base64').toString(), readFileSync(join(dir, 'ca.crt'), 'utf8'))
    assert.deepEqual(await checkTlsSecret({type: 'kubernetes.io/tls', data}, {hostnames: ['app.example.com'], now, expiryWarningDays: 30}), [])
  })

  it('-o yaml writes nothing and names the Secret after NAME', async () => {
    const result = await createCertificate(options({name: 'app', dnsNames: ['app.example.com'], output: 'yaml'}))
    assert.deepEqual(result.files, {})
    assert.match(result.secretYaml ?? '', /\n {2}name: app\n/)
    assert.equal(existsSync(join(dir, 'app.crt')), false)
  })

  it('refuses before generating when any target exists; --force replaces', async () => {
    writeFileSync(join(dir, 'app-tls.secret.yaml'), 'old')
    const request = options({name: 'app', dnsNames: ['app.example.com'], secretName: 'app-tls'})
    await assert.rejects(createCertificate(request), /refusing to overwrite .*app-tls\.secret\.yaml/)
    assert.equal(existsSync(join(dir, 'app.crt')), false)
    await createCertificate({...request, force: true})
    assert.notEqual(readFileSync(join(dir, 'app-tls.secret.yaml'), 'utf8'), 'old')
  })

  it('an expired certificate on purpose comes with a warning', async () => {
    const result = await createCertificate(options({dnsNames: ['old.example.com'], notBefore: '-10d', notAfter: '-1d'}))
    assert.match(result.warnings.join(), /already expired/)
    assert.ok(result.certificate.daysLeft < 0)
  })

  it('a default validity stops at the issuer\'s notAfter; an explicit one that outlives it warns', async () => {
    await createCertificate(options({name: 'ca', isCA: true, days: 30}))
    const issuer = {issuerCertificatePath: join(dir, 'ca.crt'), issuerKeyPath: join(dir, 'ca.key')}
    const capped = await createCertificate(options({dnsNames: ['a.example.com'], ...issuer}))
    assert.ok(capped.certificate.daysLeft <= 30)
    assert.deepEqual(capped.warnings, [])
    const long = await createCertificate(options({dnsNames: ['b.example.com'], days: 60, ...issuer}))
    assert.match(long.warnings.join(), /outlives its issuer/)
  })

  it('--days beyond year 9999 is refused before any file is written', async () => {
    await assert.rejects(createCertificate(options({dnsNames: ['far.example.com'], days: 2_933_000})), (error: Error & {kind?: string}) => error.kind === 'usage' && /^--days 2933000: the certificate would end at year 100\d\d; X\.509 validity times run from/.test(error.message))
    assert.deepEqual(readdirSync(dir), [])
  })

  it('a dangling symbolic link at the key path: nothing is written, not even the .crt', async () => {
    symlinkSync(join(dir, 'gone.key'), join(dir, 'app.example.com.key'))
    await assert.rejects(createCertificate(options({dnsNames: ['app.example.com']})), /refusing to overwrite .*app\.example\.com\.key \(a symbolic link to a missing file\)/)
    assert.deepEqual(readdirSync(dir), ['app.example.com.key'])
  })

  it('--client: a client certificate (clientAuth) that OpenSSL accepts as a client and not as a server', async () => {
    await createCertificate(options({name: 'ca', isCA: true}))
    const result = await createCertificate(options({name: 'alice', client: true, commonName: 'alice', issuerCertificatePath: join(dir, 'ca.crt'), issuerKeyPath: join(dir, 'ca.key')}))
    assert.equal(result.certificate.subject, 'CN=alice')
    assert.equal(result.certificate.subjectAltNames, null)
    const [leaf, anchor] = ['alice.crt', 'ca.crt'].map((file) => parseCertificate(splitPemBlocks(readFileSync(join(dir, file), 'utf8'))[0].der))
    assert.deepEqual(leaf.fields.extendedKeyUsage, ['clientAuth'])
    const keyPem = readFileSync(join(dir, 'alice.key'), 'utf8')
    const verify = (purpose: 'client' | 'server') => verifyChain({leaf, keyPem, intermediates: [], anchors: [anchor], partialChain: false, purpose})
    assert.equal((await verify('client')).verified, true)
    assert.equal((await verify('server')).error, 'unsuitable certificate purpose (error 26)')
  })

  it('refuses an issuer whose pathLen allows no further CA, with OpenSSL\'s reason, writing nothing', async () => {
    const files = runOpenssl([[
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=Pathlen Zero', '-days', '30',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]], ['k.pem', 'c.pem'])
    writeFileSync(join(dir, 'root.crt'), files['c.pem'])
    writeFileSync(join(dir, 'root.key'), files['k.pem'])
    const issuer = {issuerCertificatePath: join(dir, 'root.crt'), issuerKeyPath: join(dir, 'root.key')}
    await createCertificate(options({name: 'direct', dnsNames: ['direct.example.com'], ...issuer}))
    await assert.rejects(
      createCertificate(options({name: 'intermediate', isCA: true, ...issuer})),
      (error: Error & {kind?: string; file?: string}) => error.kind === 'input' && error.file === join(dir, 'root.crt') && error.message === 'cannot issue with this CA: OpenSSL rejects a certificate issued by the new CA: path length constraint exceeded (error 25)',
    )
    assert.equal(existsSync(join(dir, 'intermediate.crt')), false)
  })

  it('refuses an issuer that may not sign certificates (keyUsage without keyCertSign)', async () => {
    const files = runOpenssl([[
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=No Cert Sign', '-days', '30',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,digitalSignature,cRLSign',
    ]], ['k.pem', 'c.pem'])
    writeFileSync(join(dir, 'nosign.crt'), files['c.pem'])
    writeFileSync(join(dir, 'nosign.key'), files['k.pem'])
    await assert.rejects(
      createCertificate(options({name: 'leaf', dnsNames: ['leaf.example.com'], issuerCertificatePath: join(dir, 'nosign.crt'), issuerKeyPath: join(dir, 'nosign.key')})),
      (error: Error & {kind?: string}) => error.kind === 'input' && error.message === 'the first certificate may not sign certificates: its keyUsage (digitalSignature, cRLSign) lacks keyCertSign',
    )
    assert.equal(existsSync(join(dir, 'leaf.crt')), false)
  })

  const refusals: Array<[string, Partial<CreateCertificateOptions>, RegExp]> = [
    ['--client together with --ca', {client: true, isCA: true, commonName: 'x'}, /--client and --ca exclude each other/],
    ['a leaf without names', {}, /needs at least one --dns or --ip: clients accept a certificate without subjectAltName for no hostname/],
    ['--namespace without a Secret', {dnsNames: ['a.example.com'], namespace: 'web'}, /--namespace applies to a Secret/],
    ['an issuer certificate that is not a CA', {dnsNames: ['a.example.com'], issuerCertificatePath: 'leaf.crt', issuerKeyPath: 'leaf.key'}, /is not a CA/],
    ['a missing issuer file', {dnsNames: ['a.example.com'], issuerCertificatePath: 'missing.crt', issuerKeyPath: 'missing.key'}, /no such file/],
    ['an invalid Secret name', {dnsNames: ['a.example.com'], secretName: 'App_TLS'}, /not a valid Secret name/],
  ]
  for (const [name, overrides, expected] of refusals) {
    it(`refuses ${name}`, async () => {
      await createCertificate(options({name: 'leaf', dnsNames: ['leaf.example.com']}))
      const paths = Object.fromEntries(Object.entries(overrides).map(([key, value]) => [key, typeof value === 'string' && /\.(crt|key)$/.test(value) ? join(dir, value) : value]))
      await assert.rejects(createCertificate(options(paths)), expected)
    })
  }
})
