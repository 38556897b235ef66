/**
 * The checks behind lint's certificate findings for one kubernetes.io/tls
 * Secret referenced by a Terminate listener (docs/rules.md, category
 * certificate), also run by `certs inspect`: type and keys, base64 and PEM,
 * key/certificate match, chain order, the subjectAltName a client needs,
 * validity at `ctx.now`, hostname coverage, key-size and digest floors, and
 * the chain as OpenSSL judges it (verify-chain.ts: a TLS handshake in Node's
 * own TLS stack, plus the x509_strict profile) against the Secret's ca.crt,
 * else the last certificate of tls.crt, else the leaf itself. No clock but
 * `ctx.now` (OpenSSL's clock errors are left to the validity checks). The
 * parse of a (tls.crt, tls.key, ca.crt) triple is cached by content, so a
 * Secret referenced by many listeners is parsed and judged once; time and
 * hostname checks run per call. Any bytes end as problems, never as a throw.
 */
import type {KeyObject} from 'node:crypto'
import type {CertificateProblem} from './certificate-rules.js'
import {DAY_MS, describeSpan} from './day-count.js'
import {findUncoveredHostnames} from './hostname-coverage.js'
import {
  describePublicKey,
  isIssuedBy,
  isSelfSigned,
  isWeakSignatureAlgorithm,
  nameSignatureAlgorithm,
  parseCertificate,
  type ParsedCertificate,
} from './parsed-certificate.js'
import {encodePem, PemError, splitPemBlocks} from './pem.js'
import {isPrivateKeyLabel, keyMatchesPublicKey, PrivateKeyError, readPrivateKey} from './private-key.js'
import type {Purpose} from './handshake-verdict.js'
import {readSecretValue, type SecretContent, type SecretValue} from './secret-data.js'
import {verifyChain, type ChainPurpose} from './verify-chain.js'
import {formatVerifyError, type VerifyError} from './x509-verify-errors.js'

/** A Secret as written (data base64, stringData plain) or as the model holds it (data only). */
export type TlsSecretContent = SecretContent

export interface CertificateCheckContext {
  /** Listener hostname and attached route hostnames; `*` (no hostname) asks for nothing. */
  hostnames: readonly string[]
  now: Date
  /** certificate-expiring fires when notAfter is less than this many days away. */
  expiryWarningDays: number
  /**
   * What tls.crt is for: `server` (a listener certificate, the default),
   * `client` (mTLS) or `ca` (a CA certificate shown by inspect: no leaf checks).
   */
  purpose?: ChainPurpose
}

export const TLS_SECRET_TYPE = 'kubernetes.io/tls'
const MIN_RSA_BITS = 2048

type DataKey = 'tls.crt' | 'tls.key'

interface ParsedContent {
  /** Problems that do not depend on the clock, the hostnames or the purpose. */
  problems: CertificateProblem[]
  /** tls.crt in order, leaf first; empty when it could not be parsed. */
  certificates: ParsedCertificate[]
  /** ca.crt, when the Secret holds one that parses. */
  authorities: ParsedCertificate[]
  /** PEM of the private key, when it parsed and matches the leaf. */
  matchingKeyPem?: string
}

const MAX_CACHE_ENTRIES = 512
const cache = new Map<string, ParsedContent>()

/**
 * Certificate problems of a TLS Secret: type and keys (certificate-secret-type),
 * PEM/base64 (certificate-pem), key/certificate match, chain order and issuer
 * links, a leaf without subjectAltName, validity at `now`, expiry within
 * `expiryWarningDays`, SAN coverage of `hostnames` (RFC 6125 single-label
 * wildcards), RSA < 2048 bits, SHA-1/MD5, and OpenSSL's verdict on the chain
 * (certificate-chain-invalid, certificate-purpose).
 */
export async function checkTlsSecret(secret: TlsSecretContent, ctx: CertificateCheckContext): Promise<CertificateProblem[]> {
  const problems: CertificateProblem[] = []
  const type = secret.type ?? 'Opaque'
  if (type !== TLS_SECRET_TYPE) {
    problems.push({ruleId: 'certificate-secret-type', severity: 'error', message: `Secret is of type ${type}, not ${TLS_SECRET_TYPE}`})
  }
  const crt = readSecretValue(secret, 'tls.crt')
  const key = readSecretValue(secret, 'tls.key')
  for (const [dataKey, value] of [['tls.crt', crt], ['tls.key', key]] as const) {
    if (value === undefined) problems.push({ruleId: 'certificate-secret-type', severity: 'error', message: `Secret has no ${dataKey}`, dataKey})
  }
  if (crt === undefined) return problems
  const content = parseContent(crt, key, readSecretValue(secret, 'ca.crt'))
  problems.push(...content.problems)
  problems.push(...checkValidity(content.certificates, ctx, 'tls.crt'), ...checkValidity(content.authorities, ctx, 'ca.crt'))
  const leaf = content.certificates[0]
  if (leaf === undefined) return problems
  const purpose = ctx.purpose ?? 'server'
  if (purpose === 'server') problems.push(...checkServerLeaf(leaf, ctx.hostnames))
  if (content.matchingKeyPem !== undefined) problems.push(...(await checkChainVerdict(content, purpose)))
  return problems
}

/**
 * For the binding engine's `inspectCertificate` hook: is the Secret usable by
 * a TLS server at all (tls.crt/tls.key present and parsable, key matching)?
 * Expiry, coverage and the chain verdict do not make a Secret unusable.
 */
export function checkSecretUsable(secret: TlsSecretContent): {usable: true} | {usable: false; message: string} {
  const blocking = new Set(['certificate-pem', 'certificate-key-mismatch'])
  const crt = readSecretValue(secret, 'tls.crt')
  const key = readSecretValue(secret, 'tls.key')
  const missing = [crt === undefined ? 'tls.crt' : '', key === undefined ? 'tls.key' : ''].filter(Boolean)
  if (missing.length > 0) return {usable: false, message: `Secret has no ${missing.join(' or ')}`}
  const problem = parseContent(crt!, key, undefined).problems.find((candidate) => blocking.has(candidate.ruleId))
  return problem === undefined ? {usable: true} : {usable: false, message: problem.message}
}

function parseContent(crt: SecretValue, key: SecretValue | undefined, ca: SecretValue | undefined): ParsedContent {
  const cacheKey = `${crt.source}\u0000${key?.source ?? ''}\u0000${ca?.source ?? ''}`
  const cached = cache.get(cacheKey)
  if (cached !== undefined) return cached
  if (cache.size >= MAX_CACHE_ENTRIES) cache.clear()
  const content = parseUncached(crt, key, ca)
  cache.set(cacheKey, content)
  return content
}

function parseUncached(crt: SecretValue, key: SecretValue | undefined, ca: SecretValue | undefined): ParsedContent {
  const problems: CertificateProblem[] = []
  const pemProblem = (message: string, dataKey: DataKey): CertificateProblem => ({ruleId: 'certificate-pem', severity: 'error', message, dataKey})
  const certificates = readCertificates(crt, 'tls.crt', (message) => problems.push(pemProblem(message, 'tls.crt')))
  const privateKey = key === undefined ? undefined : readKey(key, (message) => problems.push(pemProblem(message, 'tls.key')))
  const authorities = ca === undefined ? [] : readCertificates(ca, 'ca.crt', (message) => problems.push({ruleId: 'certificate-pem', severity: 'warning', message: `${message}; the chain is checked without it`, dataKey: 'ca.crt'}))
  const leaf = certificates[0]
  let matchingKeyPem: string | undefined
  if (leaf !== undefined && privateKey !== undefined) {
    if (keyMatchesPublicKey(privateKey, leaf.publicKey)) {
      matchingKeyPem = exportKeyPem(privateKey)
    } else {
      problems.push({
        ruleId: 'certificate-key-mismatch',
        severity: 'error',
        message: `tls.key (${describePublicKey(privateKey).text}) does not match the ${labelCertificate(leaf, 0)} (${describePublicKey(leaf.publicKey).text})`,
        dataKey: 'tls.key',
      })
    }
  }
  problems.push(...checkChainOrder(certificates), ...checkStrength(certificates))
  return {problems, certificates, authorities, ...(matchingKeyPem === undefined ? {} : {matchingKeyPem})}
}

function exportKeyPem(key: KeyObject): string | undefined {
  try {
    return encodePem('PRIVATE KEY', key.export({type: 'pkcs8', format: 'der'}))
  } catch {
    return undefined
  }
}

function readCertificates(value: SecretValue, dataKey: DataKey | 'ca.crt', report: (message: string) => void): ParsedCertificate[] {
  if (value.text === undefined) {
    report(value.fault ?? `${dataKey} is unreadable`)
    return []
  }
  const blocks = readBlocks(value.text, dataKey, report)?.filter((block) => block.label === 'CERTIFICATE')
  if (blocks === undefined) return []
  if (blocks.length === 0) {
    report(`${dataKey} holds no PEM CERTIFICATE block`)
    return []
  }
  const certificates: ParsedCertificate[] = []
  for (const [index, block] of blocks.entries()) {
    try {
      certificates.push(parseCertificate(block.der))
    } catch {
      report(`certificate ${index + 1} of ${dataKey} is not a valid X.509 certificate`)
      return []
    }
  }
  return certificates
}

function readKey(value: SecretValue, report: (message: string) => void): KeyObject | undefined {
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

function readBlocks(text: string, dataKey: DataKey | 'ca.crt', report: (message: string) => void) {
  try {
    return splitPemBlocks(text)
  } catch (error) {
    if (!(error instanceof PemError)) throw error
    report(`${dataKey}: ${error.message}`)
    return undefined
  }
}

function checkChainOrder(certificates: ParsedCertificate[]): CertificateProblem[] {
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

/** Floors every current client applies: RSA of at least 2048 bits, no SHA-1/MD5 signature below the trust anchor. */
function checkStrength(certificates: ParsedCertificate[]): CertificateProblem[] {
  const problems: CertificateProblem[] = []
  for (const [index, certificate] of certificates.entries()) {
    const key = describePublicKey(certificate.publicKey)
    if ((key.type === 'RSA' || key.type === 'RSA-PSS' || key.type === 'DSA') && (key.bits ?? 0) < MIN_RSA_BITS) {
      problems.push({ruleId: 'certificate-weak-key', severity: 'error', message: `${labelCertificate(certificate, index)} has a ${key.text} key; clients require at least ${MIN_RSA_BITS} bits`, dataKey: 'tls.crt'})
    }
    const oid = certificate.fields.signatureAlgorithmOid
    const trustAnchor = index > 0 && isSelfSigned(certificate)
    if (!trustAnchor && isWeakSignatureAlgorithm(oid)) {
      problems.push({ruleId: 'certificate-weak-signature', severity: 'error', message: `${labelCertificate(certificate, index)} is signed with ${nameSignatureAlgorithm(oid)}; clients reject SHA-1 and MD5 signatures`, dataKey: 'tls.crt'})
    }
  }
  return problems
}

function checkValidity(certificates: ParsedCertificate[], ctx: CertificateCheckContext, dataKey: 'tls.crt' | 'ca.crt'): CertificateProblem[] {
  const problems: CertificateProblem[] = []
  const now = ctx.now.getTime()
  for (const [index, certificate] of certificates.entries()) {
    const label = dataKey === 'tls.crt' ? labelCertificate(certificate, index) : `certificate ${index + 1} of ca.crt (${certificate.subject || 'empty subject'})`
    const notAfter = certificate.notAfter.getTime()
    const notBefore = certificate.notBefore.getTime()
    if (notAfter < now) {
      problems.push({ruleId: 'certificate-expired', severity: 'error', message: `${label} expired on ${formatTime(certificate.notAfter)} (${describeSpan(now - notAfter)} ago)`, dataKey})
    } else if (notBefore > now) {
      problems.push({ruleId: 'certificate-not-yet-valid', severity: 'error', message: `${label} is not valid before ${formatTime(certificate.notBefore)} (in ${describeSpan(notBefore - now)})`, dataKey})
    } else if (dataKey === 'tls.crt' && notAfter - now < ctx.expiryWarningDays * DAY_MS) {
      problems.push({ruleId: 'certificate-expiring', severity: 'warning', message: `${label} expires on ${formatTime(certificate.notAfter)} (in ${describeSpan(notAfter - now)}, less than ${ctx.expiryWarningDays} days)`, dataKey: 'tls.crt'})
    }
  }
  return problems
}

/** What a TLS client needs from the leaf besides its chain: a subjectAltName covering the hostnames, and a key usage that allows signing. */
function checkServerLeaf(leaf: ParsedCertificate, hostnames: readonly string[]): CertificateProblem[] {
  const problems: CertificateProblem[] = []
  const sans = leaf.fields.subjectAltNames
  const wanted = hostnames.filter((hostname) => hostname !== '' && hostname !== '*')
  if (sans === undefined) {
    const named = wanted.length === 0 ? '' : ` (it must cover ${wanted.join(', ')})`
    problems.push({ruleId: 'certificate-san-missing', severity: 'error', message: `the ${labelCertificate(leaf, 0)} has no subjectAltName: clients ignore the CN and accept it for no hostname${named}`, dataKey: 'tls.crt', ...(wanted.length === 0 ? {} : {hostnames: wanted})})
  } else {
    const uncovered = findUncoveredHostnames(sans, hostnames)
    if (uncovered.length > 0) {
      const plural = uncovered.length === 1 ? 'hostname' : 'hostnames'
      problems.push({
        ruleId: 'certificate-hostname-coverage',
        severity: 'warning',
        message: `the ${labelCertificate(leaf, 0)} does not cover ${plural} ${uncovered.join(', ')}: its SANs are ${[...sans.dns, ...sans.ip].join(', ') || 'empty'}`,
        dataKey: 'tls.crt',
        hostnames: uncovered,
      })
    }
  }
  const usage = leaf.fields.keyUsage
  if (usage !== undefined && !usage.includes('digitalSignature') && !leaf.isCA) {
    problems.push({
      ruleId: 'certificate-purpose',
      severity: 'warning',
      message: `the ${labelCertificate(leaf, 0)} has keyUsage ${usage.join(', ') || '(none)'} without digitalSignature: a TLS 1.3 server signs the handshake with this key, and BoringSSL-based clients (Chrome) refuse it`,
      dataKey: 'tls.crt',
    })
  }
  return problems
}

/**
 * OpenSSL's verdict on tls.crt, anchored at ca.crt, else at the last
 * certificate of tls.crt (possibly the leaf itself). OpenSSL names the last
 * error it met: when that is not the leaf's purpose but the leaf's
 * extendedKeyUsage excludes it too, that is said as well, so one lint run
 * shows both.
 */
async function checkChainVerdict(content: ParsedContent, purpose: ChainPurpose): Promise<CertificateProblem[]> {
  const [leaf, ...rest] = content.certificates
  if (purpose === 'ca' || content.matchingKeyPem === undefined) return []
  const peer: Purpose = purpose
  const fromCa = content.authorities.length > 0
  const anchors = fromCa ? content.authorities : [content.certificates[content.certificates.length - 1]]
  const anchorText = fromCa ? 'ca.crt' : rest.length === 0 ? 'the leaf itself (no CA in the Secret)' : 'the last certificate of tls.crt (no ca.crt in the Secret)'
  const verification = await verifyChain({leaf, keyPem: content.matchingKeyPem, intermediates: rest, anchors, partialChain: !fromCa, purpose, ignoreTime: true})
  if (verification.judge === 'none') {
    return [{ruleId: 'certificate-purpose', severity: 'error', message: `the ${labelCertificate(leaf, 0)} cannot be used: ${verification.error}`, dataKey: 'tls.crt'}]
  }
  const problems = verification.errors.map((error) => describeChainError(error, leaf, peer, anchorText))
  const excluded = describeExcludedUsage(leaf, peer)
  if (excluded !== undefined && !verification.errors.some((error) => error.code === 26)) {
    problems.push({ruleId: 'certificate-purpose', severity: 'error', message: `the ${labelCertificate(leaf, 0)} ${excluded} (OpenSSL says unsuitable certificate purpose, error 26, once the error above is fixed)`, dataKey: 'tls.crt'})
  }
  return problems
}

function describeChainError(error: VerifyError, leaf: ParsedCertificate, purpose: Purpose, anchorText: string): CertificateProblem {
  const verdict = `OpenSSL rejects the chain of tls.crt (trusting ${anchorText}): ${formatVerifyError(error)}`
  if (error.code !== 26) return {ruleId: 'certificate-chain-invalid', severity: 'error', message: verdict, dataKey: 'tls.crt'}
  const excluded = describeExcludedUsage(leaf, purpose)
  return {ruleId: 'certificate-purpose', severity: 'error', message: excluded === undefined ? verdict : `${verdict}; the ${labelCertificate(leaf, 0)} ${excluded}`, dataKey: 'tls.crt'}
}

/** `has extendedKeyUsage clientAuth, a server certificate needs serverAuth`, when the leaf's own extension rules its purpose out. */
function describeExcludedUsage(leaf: ParsedCertificate, purpose: Purpose): string | undefined {
  const wanted = purpose === 'server' ? 'serverAuth' : 'clientAuth'
  const usages = leaf.fields.extendedKeyUsage
  if (usages === undefined || usages.includes(wanted) || usages.includes('anyExtendedKeyUsage')) return undefined
  return `has extendedKeyUsage ${usages.join(', ') || '(empty)'}, a ${purpose} certificate needs ${wanted}`
}

function labelCertificate(certificate: ParsedCertificate, index: number): string {
  const subject = certificate.subject || 'empty subject'
  return index === 0 ? `leaf certificate (${subject})` : `certificate ${index + 1} of tls.crt (${subject})`
}

function formatTime(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z')
}
