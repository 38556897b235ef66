/**
 * The service behind `gwctl certs inspect FILE...`: read PEM (certificates,
 * chains, keys), DER certificates and Secret YAML (multi-document, `kind:
 * List`, base64 `data` or plain `stringData`), describe every certificate
 * and key, say which certificate each key matches (across all inputs), run
 * the lint certificate checks on every certificate+key pair, and with
 * `verifyWith` verify each leaf's chain as OpenSSL does (verify-chain.ts:
 * a TLS handshake when the leaf's key is among the inputs, else the openssl
 * command). Returns plain data; never prints.
 */
import type {CertificateProblem} from './certificate-rules.js'
import {checkTlsSecret, TLS_SECRET_TYPE} from './check-tls-secret.js'
import {describeCertificate, describePublicKey, isSelfSigned, parseCertificate, type CertificateDescription, type KeyDescription, type ParsedCertificate} from './parsed-certificate.js'
import {encodePem, PemError, splitPemBlocks} from './pem.js'
import {readSecretValue, type SecretContent} from './secret-data.js'
import {isPrivateKeyLabel, keyMatchesPublicKey, PrivateKeyError, readPrivateKey} from './private-key.js'
import {readInputFile} from './read-input-file.js'
import {UserError} from '../errors/user-error.js'
import type {Purpose} from './handshake-verdict.js'
import {verifyChain, type ChainVerification} from './verify-chain.js'

export interface InspectOptions {
  /** Files holding the trust anchors (and possibly intermediates) to verify against. */
  verifyWith?: string[]
  now: Date
  /** For the certificate-expiring check; default 30. */
  expiryWarningDays?: number
  /**
   * What the certificates are for: `server` (default) or `client` (mTLS).
   * A file whose first certificate is a CA is shown as a CA (no leaf checks)
   * unless a purpose is given.
   */
  purpose?: Purpose
}

export interface InspectedKey {
  publicKey: KeyDescription
  /** `FILE certificate N` of the certificate it matches; null when certificates were given and none matches. */
  matches?: string | null
  /** Why the key could not be read (e.g. encrypted). */
  error?: string
}

export interface InspectedSource {
  file: string
  /** For a Secret: 0-based YAML document index, and its identity. */
  document?: number
  secret?: {name: string; namespace?: string; type: string}
  /** tls.crt of a Secret, or the certificates of a PEM/DER file, in order. */
  certificates: CertificateDescription[]
  /** ca.crt of a Secret. */
  caCertificates: CertificateDescription[]
  keys: InspectedKey[]
  /** The lint certificate checks (docs/rules.md) on this certificate+key pair. */
  problems: CertificateProblem[]
  verification?: ChainVerification
}

export interface InspectReport {
  version: 1
  sources: InspectedSource[]
  /** False when a key matches no given certificate or a chain does not verify. */
  ok: boolean
}

interface Collected {
  source: InspectedSource
  parsed: ParsedCertificate[]
  keyObjects: Array<ReturnType<typeof readPrivateKey> | undefined>
}

const DEFAULT_EXPIRY_WARNING_DAYS = 30

export async function inspectCertificates(paths: readonly string[], options: InspectOptions): Promise<InspectReport> {
  const collected: Collected[] = []
  for (const path of paths) collected.push(...(await readSources(path, options)))
  const anchors = await readAnchors(options.verifyWith ?? [])
  const everyCertificate = collected.flatMap(labelCertificates)
  let ok = true
  for (const item of collected) {
    const own = labelCertificates(item)
    item.keyObjects.forEach((key, index) => {
      if (key === undefined || everyCertificate.length === 0) return
      const match = [...own, ...everyCertificate].find(({certificate}) => keyMatchesPublicKey(key, certificate.publicKey))
      item.source.keys[index].matches = match?.label ?? null
      const matchesOwnLeaf = own.length === 0 || match?.certificate === own[0].certificate
      if (match === undefined || !matchesOwnLeaf) ok = false
    })
    if (anchors !== undefined && item.parsed.length > 0) {
      const [leaf] = item.parsed
      const intermediates = collected.flatMap((other) => other.parsed).filter((certificate) => certificate !== leaf)
      const key = collected.flatMap((other) => other.keyObjects).find((candidate) => candidate !== undefined && keyMatchesPublicKey(candidate, leaf.publicKey))
      const verification = await verifyChain({
        leaf,
        ...(key === undefined ? {} : {keyPem: encodePem('PRIVATE KEY', key.export({type: 'pkcs8', format: 'der'}))}),
        intermediates,
        anchors,
        partialChain: false,
        purpose: choosePurpose(leaf, options),
        allowCommand: true,
      })
      item.source.verification = verification
      if (!verification.verified) ok = false
    }
  }
  return {version: 1, sources: collected.map(({source}) => source), ok}
}

/**
 * A first certificate is shown as a CA when it is one (basicConstraints cA),
 * except the self-signed certificate `openssl req -x509 -subj /CN=host`
 * makes for a server: marked CA by openssl's defaults, but without
 * keyCertSign and named after a host, so it is checked as a server
 * certificate.
 */
function choosePurpose(leaf: ParsedCertificate, options: InspectOptions): Purpose | 'ca' {
  if (options.purpose !== undefined) return options.purpose
  if (!leaf.isCA) return 'server'
  const commonName = leaf.subject.match(/(?:^|, )CN=([^,]*)/)?.[1] ?? ''
  const hostLike = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(commonName)
  const signsCertificates = leaf.fields.keyUsage?.includes('keyCertSign') === true
  return hostLike && !signsCertificates && isSelfSigned(leaf) ? 'server' : 'ca'
}

function labelCertificates(item: Collected): Array<{certificate: ParsedCertificate; label: string}> {
  const {source} = item
  const prefix = source.secret === undefined ? source.file : `${source.file} Secret ${source.secret.name}`
  return item.parsed.map((certificate, index) => ({certificate, label: `${prefix} certificate ${index + 1}`}))
}

async function readSources(path: string, options: InspectOptions): Promise<Collected[]> {
  const bytes = await readInputFile(path)
  const file = path === '-' ? '<stdin>' : path
  const text = bytes.toString('utf8')
  const looksLikeManifest = /^\s*"?kind"?\s*:/m.test(text)
  if (/^\s*-----BEGIN/.test(text) || (text.includes('-----BEGIN') && !looksLikeManifest)) return [await readPem(file, text, options)]
  if (bytes[0] === 0x30 && bytes[1] >= 0x80) return [await readDer(file, bytes, options)]
  const secrets = await readSecrets(file, text, options)
  if (secrets.length === 0) throw new UserError('input', 'holds no PEM block, DER certificate or Secret', {file})
  return secrets
}

async function readPem(file: string, text: string, options: InspectOptions): Promise<Collected> {
  let blocks
  try {
    blocks = splitPemBlocks(text)
  } catch (error) {
    if (error instanceof PemError) throw new UserError('input', error.message, {file})
    throw error
  }
  const parsed = blocks.filter((block) => block.label === 'CERTIFICATE').map((block, index) => {
    try {
      return parseCertificate(block.der)
    } catch {
      throw new UserError('input', `certificate ${index + 1} is not a valid X.509 certificate`, {file})
    }
  })
  const keyBlocks = blocks.filter((block) => isPrivateKeyLabel(block.label))
  const keys: InspectedKey[] = []
  const keyObjects = keyBlocks.map((block) => {
    try {
      const key = readPrivateKey(block)
      keys.push({publicKey: describePublicKey(key)})
      return key
    } catch (error) {
      if (!(error instanceof PrivateKeyError)) throw error
      keys.push({publicKey: {type: 'unknown', text: 'unreadable'}, error: error.message})
      return undefined
    }
  })
  if (parsed.length === 0 && keyBlocks.length === 0) throw new UserError('input', 'holds no CERTIFICATE or private key PEM block', {file})
  const source: InspectedSource = {file, certificates: describeAll(parsed, options.now), caCertificates: [], keys, problems: []}
  if (parsed.length > 0) {
    const pair = {type: TLS_SECRET_TYPE, stringData: {'tls.crt': text, ...(keyBlocks.length > 0 ? {'tls.key': text} : {})}}
    source.problems = (await runChecks(pair, parsed[0], options)).filter((problem) => problem.ruleId !== 'certificate-secret-type')
  }
  return {source, parsed, keyObjects}
}

async function readDer(file: string, bytes: Buffer, options: InspectOptions): Promise<Collected> {
  let certificate
  try {
    certificate = parseCertificate(bytes)
  } catch {
    throw new UserError('input', 'is binary but not a DER X.509 certificate', {file})
  }
  const source: InspectedSource = {file, certificates: describeAll([certificate], options.now), caCertificates: [], keys: [], problems: []}
  const alone = {type: TLS_SECRET_TYPE, stringData: {'tls.crt': encodePem('CERTIFICATE', certificate.der)}}
  source.problems = (await runChecks(alone, certificate, options)).filter((problem) => problem.ruleId !== 'certificate-secret-type')
  return {source, parsed: [certificate], keyObjects: []}
}

async function readSecrets(file: string, text: string, options: InspectOptions): Promise<Collected[]> {
  const {parseAllDocuments} = await import('yaml')
  const collected: Collected[] = []
  for (const [index, document] of parseAllDocuments(text).entries()) {
    if (document.errors.length > 0) {
      const [error] = document.errors
      const line = error.linePos?.[0].line
      throw new UserError('input', `not PEM, and not YAML: ${error.message.split('\n')[0]}${line === undefined ? '' : ` (line ${line})`}`, {file})
    }
    const value = document.toJS() as unknown
    const items = isObject(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value]
    for (const item of items) {
      if (isObject(item) && item.kind === 'Secret') collected.push(await readSecret(file, index, item, options))
    }
  }
  return collected
}

async function readSecret(file: string, document: number, secret: Record<string, unknown>, options: InspectOptions): Promise<Collected> {
  const metadata = isObject(secret.metadata) ? secret.metadata : {}
  const content = {
    type: typeof secret.type === 'string' ? secret.type : undefined,
    data: isObject(secret.data) ? secret.data : undefined,
    stringData: isObject(secret.stringData) ? secret.stringData : undefined,
  }
  const source: InspectedSource = {
    file,
    document,
    secret: {name: String(metadata.name ?? ''), ...(typeof metadata.namespace === 'string' ? {namespace: metadata.namespace} : {}), type: content.type ?? 'Opaque'},
    certificates: [],
    caCertificates: [],
    keys: [],
    problems: [],
  }
  const parsed = readSecretCertificates(content, 'tls.crt')
  source.problems = await runChecks(content, parsed[0], options)
  source.certificates = describeAll(parsed, options.now)
  source.caCertificates = describeAll(readSecretCertificates(content, 'ca.crt'), options.now)
  const keyText = readSecretText(content, 'tls.key')
  const keyBlock = keyText === undefined ? undefined : safeBlocks(keyText).find((block) => isPrivateKeyLabel(block.label))
  const keyObjects: Collected['keyObjects'] = []
  if (keyBlock !== undefined) {
    try {
      const key = readPrivateKey(keyBlock)
      source.keys.push({publicKey: describePublicKey(key)})
      keyObjects.push(key)
    } catch (error) {
      if (!(error instanceof PrivateKeyError)) throw error
      source.keys.push({publicKey: {type: 'unknown', text: 'unreadable'}, error: error.message})
      keyObjects.push(undefined)
    }
  }
  return {source, parsed, keyObjects}
}

function runChecks(content: Parameters<typeof checkTlsSecret>[0], leaf: ParsedCertificate | undefined, options: InspectOptions): Promise<CertificateProblem[]> {
  const purpose = leaf === undefined ? options.purpose : choosePurpose(leaf, options)
  return checkTlsSecret(content, {hostnames: [], now: options.now, expiryWarningDays: options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS, ...(purpose === undefined ? {} : {purpose})})
}

function readSecretText(content: SecretContent, key: string): string | undefined {
  return readSecretValue(content, key)?.text
}

/** Certificates of a Secret key; unparsable content yields none (the checks report it). */
function readSecretCertificates(content: SecretContent, key: string): ParsedCertificate[] {
  const text = readSecretText(content, key)
  if (text === undefined) return []
  const certificates: ParsedCertificate[] = []
  for (const block of safeBlocks(text)) {
    if (block.label !== 'CERTIFICATE') continue
    try {
      certificates.push(parseCertificate(block.der))
    } catch {
      return certificates
    }
  }
  return certificates
}

function safeBlocks(text: string) {
  try {
    return splitPemBlocks(text)
  } catch {
    return []
  }
}

async function readAnchors(paths: readonly string[]): Promise<ParsedCertificate[] | undefined> {
  if (paths.length === 0) return undefined
  const anchors: ParsedCertificate[] = []
  for (const path of paths) {
    const text = (await readInputFile(path)).toString('utf8')
    const blocks = safeBlocks(text).filter((block) => block.label === 'CERTIFICATE')
    if (blocks.length === 0) throw new UserError('input', 'holds no PEM CERTIFICATE block to verify with', {file: path})
    for (const [index, block] of blocks.entries()) {
      try {
        anchors.push(parseCertificate(block.der))
      } catch {
        throw new UserError('input', `certificate ${index + 1} is not a valid X.509 certificate`, {file: path})
      }
    }
  }
  return anchors
}

function describeAll(certificates: ParsedCertificate[], now: Date): CertificateDescription[] {
  return certificates.map((certificate) => describeCertificate(certificate, now))
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
