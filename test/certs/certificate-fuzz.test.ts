/**
 * Issue 10 §3, nothing crashes: seeded bit flips and truncations of real
 * certificates and keys (the https-termination fixture's RSA Secret and a
 * gwctl-made ECDSA chain) go through lint (the pipeline's analyzeTexts),
 * resolve (the routing table, decisions and their certificate summary),
 * the serve loader (loadDataPlane, and the TLS contexts of
 * listener-certificates.ts) and certs inspect (PEM, DER and Secret YAML
 * files). Every case ends as findings, an answer, or a UserError: never any
 * other error. In-process calls, one seed, the same cases on every run.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {inspectCertificates} from '../../src/certs/inspect-certificates.js'
import {encodePem, splitPemBlocks} from '../../src/certs/pem.js'
import {UserError} from '../../src/errors/user-error.js'
import {compileRoutingTable} from '../../src/gatewayapi/decide.js'
import {analyzeTexts} from '../../src/pipeline/analyze.js'
import {buildQueries} from '../../src/resolve/build-queries.js'
import {renderDecisionText, toDecisionJson} from '../../src/resolve/render-decision.js'
import {DataPlane} from '../../src/serve/data-plane.js'
import {loadDataPlane} from '../../src/serve/load-data-plane.js'
import {createRandom, type Random} from '../support/seeded-random.js'
import {makeCertificate, toIssuer} from './test-certificates.js'

const SCENARIO = new URL('../../fixtures/scenarios/https-termination/', import.meta.url)
const SCENARIO_FILES = ['apps.yaml', 'gateway.yaml', 'httproute.yaml', 'namespace.yaml']
const CASES = 520
const SEED = 20_261_010

interface Material {
  name: string
  /** DER certificates of tls.crt, leaf first. */
  chain: Buffer[]
  /** PKCS#8 (or the fixture's own) private key block. */
  key: {label: string; der: Buffer}
  /** DER of ca.crt. */
  ca: Buffer
}

interface FuzzCase {
  id: number
  description: string
  chainPem: string
  keyPem: string
  caPem: string
}

describe('certs: fuzzed certificate and key bytes never crash lint, resolve, serve or inspect', function () {
  this.timeout(900_000)
  let dir: string
  let materials: Material[] = []
  const scenarioTexts = SCENARIO_FILES.map((file) => ({file: `fixtures/scenarios/https-termination/${file}`, text: readFileSync(new URL(file, SCENARIO), 'utf8')}))
  const secretText = readFileSync(new URL('secret.yaml', SCENARIO), 'utf8')

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-fuzz-'))
    const data = Object.fromEntries([...secretText.matchAll(/^ {2}(\S+): (\S+)$/gm)].map(([, key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]))
    const blocks = (text: string) => splitPemBlocks(text)
    const fixtureKey = blocks(data['tls.key'])[0]
    materials.push({name: 'fixture RSA', chain: blocks(data['tls.crt']).map((block) => block.der), key: {label: fixtureKey.label, der: fixtureKey.der}, ca: blocks(readFileSync(new URL('ca.crt', SCENARIO), 'utf8'))[0].der})
    const root = await makeCertificate({commonName: 'Fuzz Root', isCA: true})
    const intermediate = await makeCertificate({commonName: 'Fuzz Intermediate', isCA: true, issuer: await toIssuer(root)})
    const leaf = await makeCertificate({dnsNames: ['shop.example.com'], issuer: await toIssuer(intermediate, root.certificatePem)})
    materials.push({name: 'gwctl ECDSA chain', chain: blocks(leaf.chainPem).map((block) => block.der), key: {label: 'PRIVATE KEY', der: blocks(leaf.privateKeyPem)[0].der}, ca: blocks(root.certificatePem)[0].der})
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it(`${CASES} seeded cases: findings, answers or one-line user errors, never anything else`, async () => {
    const random = createRandom(SEED)
    const cases = Array.from({length: CASES}, (_, id) => makeCase(id, random, materials[id % materials.length]))
    const crashes: string[] = []
    for (const fuzzCase of cases) {
      for (const [stage, run] of stages(fuzzCase)) {
        try {
          await run()
        } catch (error) {
          if (!(error instanceof UserError)) crashes.push(`case ${fuzzCase.id} (${fuzzCase.description}) in ${stage}: ${(error as Error).stack?.split('\n').slice(0, 3).join(' | ')}`)
        }
      }
    }
    assert.deepEqual(crashes, [])
  })

  function stages(fuzzCase: FuzzCase): Array<[string, () => Promise<unknown>]> {
    const secret = renderSecret(fuzzCase)
    const texts = [...scenarioTexts, {file: 'fixtures/scenarios/https-termination/secret.yaml', text: secret}]
    return [
      ['lint', async () => {
        const analysis = await analyzeTexts(texts, {validateSchemas: false})
        assert.ok(Array.isArray(analysis.findings))
      }],
      ['resolve', async () => {
        const analysis = await analyzeTexts(texts, {validateSchemas: false, checkCertificates: false})
        const table = compileRoutingTable(analysis.binding)
        const now = new Date()
        for (const query of buildQueries(table, {sni: 'shop.example.com', headers: []})) {
          for (const decision of table.decide(query)) renderDecisionText(toDecisionJson(decision, now), false)
        }
      }],
      ['serve loader', async () => {
        const caseDir = join(dir, `case-${fuzzCase.id}`)
        writeFileSync(`${caseDir}.yaml`, texts.map(({text}) => text).join('\n---\n'))
        const plane = fuzzCase.id % 5 === 0
          ? await loadDataPlane({paths: [`${caseDir}.yaml`], defaultNamespace: 'default', backendFlags: [], ports: {portMap: new Map(), portOffset: 10_000}})
          : new DataPlane((await analyzeTexts(texts, {validateSchemas: false, checkCertificates: false})).binding, new Map(), {portMap: new Map(), portOffset: 10_000})
        for (const gateway of plane.binding.gateways) {
          for (const listener of gateway.listeners) for (const certificate of listener.certificates) plane.certificates.get(certificate)
        }
        rmSync(`${caseDir}.yaml`, {force: true})
      }],
      ['inspect', async () => {
        const pemFile = join(dir, `case-${fuzzCase.id}.pem`)
        const derFile = join(dir, `case-${fuzzCase.id}.der`)
        const secretFile = join(dir, `case-${fuzzCase.id}.secret.yaml`)
        const caFile = join(dir, `case-${fuzzCase.id}.ca.pem`)
        writeFileSync(pemFile, fuzzCase.chainPem + fuzzCase.keyPem)
        writeFileSync(secretFile, secret)
        writeFileSync(caFile, fuzzCase.caPem)
        const firstBlock = fuzzCase.chainPem.match(/-----BEGIN CERTIFICATE-----\n([\s\S]*?)-----END/)?.[1] ?? ''
        writeFileSync(derFile, Buffer.from(firstBlock.replace(/\s/g, ''), 'base64'))
        try {
          for (const file of [pemFile, derFile, secretFile]) {
            // Verifying against ca.crt spawns openssl for a certificate without its key: every fourth case is enough.
            await swallowUserError(() => inspectCertificates([file], {now: new Date(), ...(fuzzCase.id % 4 === 0 ? {verifyWith: [caFile]} : {})}))
          }
        } finally {
          for (const file of [pemFile, derFile, secretFile, caFile]) rmSync(file, {force: true})
        }
      }],
    ]
  }
})

async function swallowUserError(run: () => Promise<unknown>): Promise<void> {
  try {
    await run()
  } catch (error) {
    if (!(error instanceof UserError)) throw error
  }
}

/** One case: a bit flip (one to three bits), a truncation, or a damaged base64 text, in a certificate, the key or ca.crt. */
function makeCase(id: number, random: Random, material: Material): FuzzCase {
  const target = random.pick(['leaf', 'leaf', 'leaf', 'chain', 'key', 'key', 'ca'] as const)
  const how = random.pick(['flip', 'flip', 'flips', 'truncate', 'base64'] as const)
  const chain = [...material.chain]
  let key = material.key.der
  let ca = material.ca
  const index = target === 'chain' ? random.int(0, chain.length - 1) : 0
  const original = target === 'key' ? key : target === 'ca' ? ca : chain[index]
  const damaged = how === 'base64' ? original : damage(original, how, random)
  if (target === 'key') key = damaged
  else if (target === 'ca') ca = damaged
  else chain[index] = damaged
  let chainPem = chain.map((der) => encodePem('CERTIFICATE', der)).join('')
  let keyPem = encodePem(material.key.label, key)
  let caPem = encodePem('CERTIFICATE', ca)
  if (how === 'base64') {
    const cut = (text: string) => {
      const at = random.int(0, text.length - 1)
      return random.chance(0.5) ? text.slice(0, at) : `${text.slice(0, at)}${random.pick(['=', '-', '!', 'A', '\n', ' '])}${text.slice(at + 1)}`
    }
    if (target === 'key') keyPem = cut(keyPem)
    else if (target === 'ca') caPem = cut(caPem)
    else chainPem = cut(chainPem)
  }
  return {id, description: `${material.name}: ${how} of ${target}${target === 'chain' ? ` ${index + 1}` : ''}`, chainPem, keyPem, caPem}
}

function damage(bytes: Buffer, how: 'flip' | 'flips' | 'truncate', random: Random): Buffer {
  const copy = Buffer.from(bytes)
  if (how === 'truncate') return copy.subarray(0, random.int(0, copy.length - 1))
  const flips = how === 'flip' ? 1 : random.int(2, 3)
  for (let i = 0; i < flips; i++) {
    const at = random.int(0, copy.length - 1)
    copy[at] ^= 1 << random.int(0, 7)
  }
  return copy
}

function renderSecret(fuzzCase: FuzzCase): string {
  const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64')
  return `apiVersion: v1
kind: Secret
metadata:
  name: shop-example-com-tls
  namespace: https-termination
type: kubernetes.io/tls
data:
  ca.crt: ${encode(fuzzCase.caPem)}
  tls.crt: ${encode(fuzzCase.chainPem)}
  tls.key: ${encode(fuzzCase.keyPem)}
`
}
