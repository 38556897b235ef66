/**
 * The issuing half of `gwctl certs create --for`: given the Secrets that
 * Terminate listeners reference but the input lacks (worked out by the
 * binding engine), issue one leaf per Secret from the local CA of `outDir`
 * (created once, reused afterwards) with SANs = the hostnames it must serve,
 * and write OUT_DIR/NAMESPACE.SECRET.secret.yaml (tls.crt, tls.key, ca.crt).
 * A Secret file that already exists is skipped unless `force`. Needs naming
 * the same Secret twice are merged (hostnames united). A need with no
 * hostname at all (a listener without hostname whose routes name none) is
 * refused: a certificate without subjectAltName serves no client.
 */
import {isIP} from 'node:net'
import {join} from 'node:path'
import {issueCertificate, type IssuedCertificate} from './issue-certificate.js'
import type {KeySpec} from './key-spec.js'
import {loadOrCreateLocalCa, type LocalCa} from './local-ca.js'
import {checkNamespace, checkSecretName, normalizeDnsName} from './subject-names.js'
import {renderTlsSecretYaml} from './tls-secret-manifest.js'
import {UserError} from '../errors/user-error.js'
import {DEFAULT_LEAF_DAYS, resolveValidityPeriod} from './validity-period.js'
import {findExistingPaths, PRIVATE_MODE, writeFilesAtomically, type OutputFile} from './write-files.js'

export interface CertificateNeed {
  namespace: string
  secretName: string
  /** Listener hostname and attached route hostnames; `*` (no hostname) is ignored. */
  hostnames: string[]
  /** Why it is needed, e.g. `Gateway default/gw listener https`; echoed in the result. */
  reason: string
}

export interface IssueForNeedsOptions {
  outDir: string
  force: boolean
  now: Date
  /** Leaf key; default ECDSA P-256. */
  key?: KeySpec
  /** Leaf validity; default 365 days (capped at the CA's notAfter). */
  days?: number
}

export interface IssuedSecret {
  namespace: string
  secretName: string
  file: string
  dnsNames: string[]
  ipAddresses: string[]
  notAfter: string
  reason: string
}

export interface SkippedSecret {
  namespace: string
  secretName: string
  file?: string
  why: string
  reason: string
  /** True when gwctl refuses to issue it (nothing to name in the SANs, an invalid name); false when the file exists. */
  refused: boolean
}

export interface IssueResult {
  /** The local CA; undefined when nothing had to be issued. */
  ca?: {certificate: string; key: string; created: boolean}
  issued: IssuedSecret[]
  skipped: SkippedSecret[]
}

interface Plan {
  need: CertificateNeed
  file: string
  dnsNames: string[]
  ipAddresses: string[]
}

export function secretFileName(namespace: string, secretName: string): string {
  return `${namespace}.${secretName}.secret.yaml`
}

export async function issueForNeeds(needs: readonly CertificateNeed[], options: IssueForNeedsOptions): Promise<IssueResult> {
  const skipped: SkippedSecret[] = []
  const plans: Plan[] = []
  for (const need of mergeNeeds(needs)) {
    const file = join(options.outDir, secretFileName(need.namespace, need.secretName))
    try {
      checkNamespace(need.namespace)
      checkSecretName(need.secretName, 'Secret')
      plans.push({need, file, ...planSubjectNames(need)})
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      skipped.push({namespace: need.namespace, secretName: need.secretName, why: error.message, reason: need.reason, refused: true})
    }
  }
  const existing = new Set(options.force ? [] : await findExistingPaths(plans.map((plan) => plan.file)))
  const pending = plans.filter((plan) => !existing.has(plan.file))
  for (const plan of plans.filter((candidate) => existing.has(candidate.file))) {
    skipped.push({namespace: plan.need.namespace, secretName: plan.need.secretName, file: plan.file, why: 'the file exists (use --force to replace it)', reason: plan.need.reason, refused: false})
  }
  if (pending.length === 0) return {issued: [], skipped}

  const ca = await loadOrCreateLocalCa(options.outDir, options.now)
  const period = leafValidityPeriod(ca, options.now, options.days)
  const files: OutputFile[] = []
  const issued: IssuedSecret[] = []
  for (const plan of pending) {
    const {need} = plan
    const certificate = await issueLeafFromLocalCa(ca, plan, period, options.key)
    const content = renderTlsSecretYaml({name: need.secretName, namespace: need.namespace, certificatePem: certificate.chainPem, privateKeyPem: certificate.privateKeyPem, caPem: certificate.caPem})
    files.push({path: plan.file, content, mode: PRIVATE_MODE})
    issued.push({namespace: need.namespace, secretName: need.secretName, file: plan.file, dnsNames: plan.dnsNames, ipAddresses: plan.ipAddresses, notAfter: period.notAfter.toISOString(), reason: need.reason})
  }
  await writeFilesAtomically(files, options.force)
  return {ca: {certificate: ca.certificatePath, key: ca.keyPath, created: ca.created}, issued, skipped}
}

/**
 * The subjectAltNames `--for` issues for a need: its hostnames, IP
 * addresses apart, DNS names normalised, `*` dropped. A need left with no
 * name is refused (UserError): a certificate without subjectAltName serves
 * no client.
 */
export function planSubjectNames(need: CertificateNeed): {dnsNames: string[]; ipAddresses: string[]} {
  const names = need.hostnames.filter((hostname) => hostname !== '' && hostname !== '*')
  if (names.length === 0) throw new UserError('input', `no hostname to put in its subjectAltName: ${need.reason} has no hostname and no route attached to it names one, and clients accept a certificate without subjectAltName for no hostname (give the listener a hostname, or its routes hostnames)`)
  return {
    dnsNames: [...new Set(names.filter((name) => !isIP(name)).map(normalizeDnsName))],
    ipAddresses: names.filter((name) => isIP(name) !== 0),
  }
}

/** Leaf validity from `now` for `days` (default 365), never beyond the local CA's notAfter. */
export function leafValidityPeriod(ca: LocalCa, now: Date, days = DEFAULT_LEAF_DAYS): {notBefore: Date; notAfter: Date} {
  const period = resolveValidityPeriod({days}, now, DEFAULT_LEAF_DAYS)
  if (period.notAfter > ca.issuer.parsed.notAfter) period.notAfter = ca.issuer.parsed.notAfter
  return period
}

/** A server leaf for these names, signed by the local CA (ECDSA P-256 unless `key` says otherwise). */
export function issueLeafFromLocalCa(ca: LocalCa, names: {dnsNames: string[]; ipAddresses: string[]}, period: {notBefore: Date; notAfter: Date}, key?: KeySpec): Promise<IssuedCertificate> {
  return issueCertificate({
    commonName: names.dnsNames[0] ?? names.ipAddresses[0],
    dnsNames: names.dnsNames,
    ipAddresses: names.ipAddresses,
    notBefore: period.notBefore,
    notAfter: period.notAfter,
    isCA: false,
    key: key ?? {type: 'ecdsa', curve: 'P-256'},
    issuer: ca.issuer,
  })
}

/** One need per namespace/name, in first-seen order, hostnames united and reasons joined. */
function mergeNeeds(needs: readonly CertificateNeed[]): CertificateNeed[] {
  const merged = new Map<string, CertificateNeed>()
  for (const need of needs) {
    const key = `${need.namespace}/${need.secretName}`
    const known = merged.get(key)
    if (known === undefined) {
      merged.set(key, {...need, hostnames: [...new Set(need.hostnames)]})
      continue
    }
    known.hostnames = [...new Set([...known.hostnames, ...need.hostnames])]
    if (!known.reason.split('; ').includes(need.reason)) known.reason = `${known.reason}; ${need.reason}`
  }
  return [...merged.values()]
}
