/**
 * The checks behind lint's certificate findings for one kubernetes.io/tls
 * Secret referenced by a Terminate listener (docs/rules.md, category
 * certificate). Pure and synchronous (Node's X509Certificate and
 * createPrivateKey), no clock but `ctx.now`. The parse of a (tls.crt,
 * tls.key) pair is cached by content, so a Secret referenced by many
 * listeners is parsed once; time and hostname checks run per call.
 */
import type {KeyObject} from 'node:crypto'
import type {CertificateProblem} from './certificate-rules.js'
import {findUncoveredHostnames} from './hostname-coverage.js'
import {
  describePublicKey,
  formatDistinguishedName,
  isIssuedBy,
  isSelfSigned,
  isWeakSignatureAlgorithm,
  nameSignatureAlgorithm,
  parseCertificate,
  type ParsedCertificate,
} from './parsed-certificate.js'
import {decodeStrictBase64, PemError, splitPemBlocks} from './pem.js'
import {isPrivateKeyLabel, keyMatchesPublicKey, PrivateKeyError, readPrivateKey} from './private-key.js'

/** A Secret as written (data base64, stringData plain) or as the model holds it (data only). */
export interface TlsSecretContent {
  type?: string
  data?: Record<string, unknown>
  stringData?: Record<string, unknown>
}

export interface CertificateCheckContext {
  /** Listener hostname and attached route hostnames; `*` (no hostname) asks for nothing. */
  hostnames: readonly string[]
  now: Date
  /** certificate-expiring fires when notAfter is less than this many days away. */
  expiryWarningDays: number
}

export const TLS_SECRET_TYPE = 'kubernetes.io/tls'
const MIN_RSA_BITS = 2048
const DAY_MS = 86_400_000

type DataKey = 'tls.crt' | 'tls.key'

interface ParsedContent {
  /** Problems that do not depend on the clock or the hostnames. */
  problems: CertificateProblem[]
  /** tls.crt in order, leaf first; empty when it could not be parsed. */
  certificates: ParsedCertificate[]
}

const MAX_CACHE_ENTRIES = 512
const cache = new Map<string, ParsedContent>()

/**
 * Certificate problems of a TLS Secret: type and keys (certificate-secret-type),
 * PEM/base64 (certificate-pem), key/certificate match, chain order and issuer
 * links, validity at `now`, expiry within `expiryWarningDays`, SAN coverage of
 * `hostnames` (RFC 6125 single-label wildcards), RSA < 2048 bits, SHA-1/MD5.
 */
export function checkTlsSecret(secret: TlsSecretContent, ctx: CertificateCheckContext): CertificateProblem[] {
  const problems: CertificateProblem[] = []
  const type = secret.type ?? 'Opaque'
  if (type !== TLS_SECRET_TYPE) {
    problems.push({ruleId: 'certificate-secret-type', severity: 'error', message: `Secret is of type ${type}, not ${TLS_SECRET_TYPE}`})
  }
  const crt = readDataValue(secret, 'tls.crt')
  const key = readDataValue(secret, 'tls.key')
  for (const [dataKey, value] of [['tls.crt', crt], ['tls.key', key]] as const) {
    if (value === undefined) problems.push({ruleId: 'certificate-secret-type', severity: 'error', message: `Secret has no ${dataKey}`, dataKey})
  }
  if (crt === undefined) return problems
  const content = parseContent(crt, key)
  problems.push(...content.problems)
  problems.push(...checkValidity(content.certificates, ctx))
  const leaf = content.certificates[0]
  if (leaf !== undefined) {
    const uncovered = findUncoveredHostnames(leaf.fields.subjectAltNames ?? null, ctx.hostnames)
    if (uncovered.length > 0) problems.push(describeUncovered(leaf, uncovered))
  }
  return problems
}

/**
 * For the binding engine's `inspectCertificate` hook: is the Secret usable by
 * a TLS server at all (tls.crt/tls.key present and parsable, key matching)?
 * Expiry and coverage do not make a Secret unusable.
 */
export function checkSecretUsable(secret: TlsSecretContent): {usable: true} | {usable: false; message: string} {
  const blocking = new Set(['certificate-pem', 'certificate-key-mismatch'])
  const crt = readDataValue(secret, 'tls.crt')
  const key = readDataValue(secret, 'tls.key')
  const missing = [crt === undefined ? 'tls.crt' : '', key === undefined ? 'tls.key' : ''].filter(Boolean)
  if (missing.length > 0) return {usable: false, message: `Secret has no ${missing.join(' or ')}`}
  const problem = parseContent(crt!, key).problems.find((candidate) => blocking.has(candidate.ruleId))
  return problem === undefined ? {usable: true} : {usable: false, message: problem.message}
}

interface DataValue {
  /** Cache identity: where the value came from plus its raw text. */
  source: string
  /** The decoded text, or undefined when `data` held invalid base64 or a non-string. */
  text?: string
  fault?: string
}

function readDataValue(secret: TlsSecretContent, dataKey: DataKey): DataValue | undefined {
  const plain = secret.stringData?.[dataKey]
  if (plain !== undefined && plain !== null) {
    return typeof plain === 'string' ? {source: `s:${plain}`, text: plain} : {source: 's?', fault: `stringData.${dataKey} is not a string`}
  }
  const encoded = secret.data?.[dataKey]
  if (encoded === undefined || encoded === null) return undefined
  if (typeof encoded !== 'string') return {source: 'd?', fault: `data.${dataKey} is not a string`}
  const bytes = decodeStrictBase64(encoded)
  if (bytes === undefined) return {source: `d:${encoded}`, fault: `${dataKey} is not valid base64`}
  return {source: `d:${encoded}`, text: bytes.toString('utf8')}
}

function parseContent(crt: DataValue, key: DataValue | undefined): ParsedContent {
  const cacheKey = `${crt.source}\u0000${key?.source ?? ''}`
  const cached = cache.get(cacheKey)
  if (cached !== undefined) return cached
  if (cache.size >= MAX_CACHE_ENTRIES) cache.clear()
  const content = parseUncached(crt, key)
  cache.set(cacheKey, content)
  return content
}

function parseUncached(crt: DataValue, key: DataValue | undefined): ParsedContent {
  const problems: CertificateProblem[] = []
  const pemProblem = (message: string, dataKey: DataKey): CertificateProblem => ({ruleId: 'certificate-pem', severity: 'error', message, dataKey})
  const certificates = readCertificates(crt, (message) => problems.push(pemProblem(message, 'tls.crt')))
  const privateKey = key === undefined ? undefined : readKey(key, (message) => problems.push(pemProblem(message, 'tls.key')))
  const leaf = certificates[0]
  if (leaf !== undefined && privateKey !== undefined && !keyMatchesPublicKey(privateKey, leaf.x509.publicKey)) {
    problems.push({
      ruleId: 'certificate-key-mismatch',
      severity: 'error',
      message: `tls.key (${describePublicKey(privateKey).text}) does not match the ${labelCertificate(leaf, 0)} (${describePublicKey(leaf.x509.publicKey).text})`,
      dataKey: 'tls.key',
    })
  }
  problems.push(...checkChain(certificates), ...checkStrength(certificates))
  return {problems, certificates}
}

function readCertificates(value: DataValue, report: (message: string) => void): ParsedCertificate[] {
  if (value.text === undefined) {
    report(value.fault ?? 'tls.crt is unreadable')
    return []
  }
  const blocks = readBlocks(value.text, 'tls.crt', report)?.filter((block) => block.label === 'CERTIFICATE')
  if (blocks === undefined) return []
  if (blocks.length === 0) {
    report('tls.crt holds no PEM CERTIFICATE block')
    return []
  }
  const certificates: ParsedCertificate[] = []
  for (const [index, block] of blocks.entries()) {
    try {
      certificates.push(parseCertificate(block.der))
    } catch {
      report(`certificate ${index + 1} of tls.crt is not a valid X.509 certificate`)
      return []
    }
  }
  return certificates
}

function readKey(value: DataValue, report: (message: string) => void): KeyObject | undefined {
  if (value.text === undefined) {
    report(value.fault ?? 'tls.key is unreadable')
    return undefined
  }
  const blocks = readBlocks(value.text, 'tls.key', report)
  if (blocks === undefined) return undefined
  const block = blocks.find((candidate) => isPrivateKeyLabel(candidate.label))
  if (block === undefined) {
    report('tls.key holds no PEM private key block')
    return undefined
  }
  try {
    return readPrivateKey(block)
  } catch (error) {
    if (error instanceof PrivateKeyError) report(`tls.key: ${error.message}`)
    else throw error
    return undefined
  }
}

function readBlocks(text: string, dataKey: DataKey, report: (message: string) => void) {
  try {
    return splitPemBlocks(text)
  } catch (error) {
    if (!(error instanceof PemError)) throw error
    report(`${dataKey}: ${error.message}`)
    return undefined
  }
}

function checkChain(certificates: ParsedCertificate[]): CertificateProblem[] {
  const problems: CertificateProblem[] = []
  for (let i = 0; i + 1 < certificates.length; i++) {
    const subject = certificates[i]
    if (isIssuedBy(subject, certificates[i + 1])) continue
    const issuerIndex = certificates.findIndex((candidate, j) => j !== i && j !== i + 1 && isIssuedBy(subject, candidate))
    const message =
      issuerIndex === -1
        ? `${labelCertificate(subject, i)} is not issued by the next one in tls.crt, ${labelCertificate(certificates[i + 1], i + 1)}`
        : `tls.crt is out of order: ${labelCertificate(subject, i)} is issued by certificate ${issuerIndex + 1}, which should come right after it`
    problems.push({ruleId: 'certificate-chain', severity: 'warning', message, dataKey: 'tls.crt'})
  }
  return problems
}

function checkStrength(certificates: ParsedCertificate[]): CertificateProblem[] {
  const problems: CertificateProblem[] = []
  for (const [index, certificate] of certificates.entries()) {
    const key = describePublicKey(certificate.x509.publicKey)
    if ((key.type === 'RSA' || key.type === 'RSA-PSS' || key.type === 'DSA') && (key.bits ?? 0) < MIN_RSA_BITS) {
      problems.push({ruleId: 'certificate-weak-key', severity: 'warning', message: `${labelCertificate(certificate, index)} has a ${key.text} key; use at least ${MIN_RSA_BITS} bits`, dataKey: 'tls.crt'})
    }
    const oid = certificate.fields.signatureAlgorithmOid
    const trustAnchor = index > 0 && isSelfSigned(certificate)
    if (!trustAnchor && isWeakSignatureAlgorithm(oid)) {
      problems.push({ruleId: 'certificate-weak-signature', severity: 'warning', message: `${labelCertificate(certificate, index)} is signed with ${nameSignatureAlgorithm(oid)}; clients reject SHA-1 and MD5 signatures`, dataKey: 'tls.crt'})
    }
  }
  return problems
}

function checkValidity(certificates: ParsedCertificate[], ctx: CertificateCheckContext): CertificateProblem[] {
  const problems: CertificateProblem[] = []
  const now = ctx.now.getTime()
  for (const [index, certificate] of certificates.entries()) {
    const label = labelCertificate(certificate, index)
    const notAfter = certificate.notAfter.getTime()
    const notBefore = certificate.notBefore.getTime()
    if (notAfter < now) {
      problems.push({ruleId: 'certificate-expired', severity: 'error', message: `${label} expired on ${formatTime(certificate.notAfter)} (${countDays(now - notAfter)} ago)`, dataKey: 'tls.crt'})
    } else if (notBefore > now) {
      problems.push({ruleId: 'certificate-not-yet-valid', severity: 'error', message: `${label} is not valid before ${formatTime(certificate.notBefore)} (in ${countDays(notBefore - now)})`, dataKey: 'tls.crt'})
    } else if (notAfter - now < ctx.expiryWarningDays * DAY_MS) {
      problems.push({ruleId: 'certificate-expiring', severity: 'warning', message: `${label} expires on ${formatTime(certificate.notAfter)} (in ${countDays(notAfter - now)}, less than ${ctx.expiryWarningDays} days)`, dataKey: 'tls.crt'})
    }
  }
  return problems
}

function describeUncovered(leaf: ParsedCertificate, uncovered: string[]): CertificateProblem {
  const sans = leaf.fields.subjectAltNames
  const names = sans === undefined ? 'it has no subjectAltName (clients ignore the CN)' : `its SANs are ${[...sans.dns, ...sans.ip].join(', ') || 'empty'}`
  const plural = uncovered.length === 1 ? 'hostname' : 'hostnames'
  return {
    ruleId: 'certificate-hostname-coverage',
    severity: 'warning',
    message: `the ${labelCertificate(leaf, 0)} does not cover ${plural} ${uncovered.join(', ')}: ${names}`,
    dataKey: 'tls.crt',
    hostnames: uncovered,
  }
}

function labelCertificate(certificate: ParsedCertificate, index: number): string {
  const subject = formatDistinguishedName(certificate.x509.subject) || 'empty subject'
  return index === 0 ? `leaf certificate (${subject})` : `certificate ${index + 1} of tls.crt (${subject})`
}

function formatTime(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z')
}

function countDays(ms: number): string {
  const days = Math.floor(ms / DAY_MS)
  if (days >= 1) return days === 1 ? '1 day' : `${days} days`
  const hours = Math.floor(ms / 3_600_000)
  return hours === 1 ? '1 hour' : `${hours} hours`
}
