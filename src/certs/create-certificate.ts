/**
 * The service behind `gwctl certs create`: validate the request, plan the
 * output files (NAME.crt, NAME.key, SECRET.secret.yaml), refuse before
 * generating anything if one exists (unless force), issue the certificate
 * (self-signed, a CA, or signed by --issuer-cert/--issuer-key) and write the
 * files atomically, or, for `-o yaml`, return the Secret without writing.
 * The default validity of a CA-issued certificate ends no later than its
 * issuer's. A CA-issued certificate is written only when OpenSSL accepts
 * the chain it ends up in (check-issued-chain.ts). `client` makes a client
 * certificate for mTLS (extendedKeyUsage clientAuth; SANs optional, a CN
 * required); a server certificate always has a subjectAltName.
 * Returns plain data for the command to render; never prints.
 */
import {join} from 'node:path'
import {assertIssuerAccepted} from './check-issued-chain.js'
import {issueCertificate, type IssuedCertificate} from './issue-certificate.js'
import type {KeySpec} from './key-spec.js'
import {loadIssuer, type LoadedIssuer} from './load-issuer.js'
import {describeCertificate, parseCertificate, type CertificateDescription} from './parsed-certificate.js'
import {checkNamespace, checkSecretName, chooseFileStem, normalizeDnsName, normalizeIpAddress} from './subject-names.js'
import {renderTlsSecretYaml} from './tls-secret-manifest.js'
import {UserError} from '../errors/user-error.js'
import {DEFAULT_CA_DAYS, DEFAULT_LEAF_DAYS, resolveValidityPeriod} from './validity-period.js'
import {assertWritable, PRIVATE_MODE, PUBLIC_MODE, writeFilesAtomically, type OutputFile} from './write-files.js'

export type CreateOutput = 'files' | 'yaml' | 'json'

export interface CreateCertificateOptions {
  /** File stem; defaults from the first DNS name, IP or CN. */
  name?: string
  dnsNames: string[]
  ipAddresses: string[]
  commonName?: string
  organization?: string
  key: KeySpec
  days?: number
  notBefore?: string
  notAfter?: string
  isCA: boolean
  /** A client certificate (clientAuth) instead of a server certificate. */
  client?: boolean
  issuerCertificatePath?: string
  issuerKeyPath?: string
  outDir: string
  /** Also write DIR/SECRET.secret.yaml (and name the Secret printed by `-o yaml`). */
  secretName?: string
  namespace?: string
  force: boolean
  output: CreateOutput
  now: Date
}

export interface CreatedFiles {
  certificate?: string
  key?: string
  secret?: string
}

export interface CreateCertificateResult {
  name: string
  /** Paths written (none for `-o yaml`). */
  files: CreatedFiles
  certificate: CertificateDescription
  /** The Secret manifest, when --secret or `-o yaml` asked for one. Holds the private key. */
  secretYaml?: string
  warnings: string[]
}

export async function createCertificate(options: CreateCertificateOptions): Promise<CreateCertificateResult> {
  const dnsNames = unique(options.dnsNames.map(normalizeDnsName))
  const ipAddresses = unique(options.ipAddresses.map(normalizeIpAddress))
  const client = options.client === true
  if (client && options.isCA) throw new UserError('usage', '--client and --ca exclude each other')
  if (client && options.commonName === undefined && options.name === undefined && dnsNames.length === 0 && ipAddresses.length === 0) {
    throw new UserError('usage', 'a client certificate needs --cn (or NAME): servers identify clients by it')
  }
  if (!options.isCA && !client && dnsNames.length === 0 && ipAddresses.length === 0) {
    throw new UserError('usage', 'a server certificate needs at least one --dns or --ip: clients accept a certificate without subjectAltName for no hostname', {hint: 'use --ca for a CA, --client for a client certificate'})
  }
  if ((options.issuerCertificatePath === undefined) !== (options.issuerKeyPath === undefined)) {
    throw new UserError('usage', '--issuer-cert and --issuer-key go together')
  }
  const name = chooseFileStem(options.name, dnsNames, ipAddresses, options.commonName)
  const wantsSecret = options.secretName !== undefined || options.output === 'yaml'
  const secretName = wantsSecret ? checkSecretName(options.secretName ?? name, options.secretName === undefined ? 'NAME' : '--secret') : ''
  if (options.namespace !== undefined) {
    checkNamespace(options.namespace)
    if (!wantsSecret) throw new UserError('usage', '--namespace applies to a Secret: add --secret NAME or -o yaml')
  }
  const period = resolveValidityPeriod(options, options.now, options.isCA ? DEFAULT_CA_DAYS : DEFAULT_LEAF_DAYS)

  const files: CreatedFiles = options.output === 'yaml' ? {} : {
    certificate: join(options.outDir, `${name}.crt`),
    key: join(options.outDir, `${name}.key`),
    secret: options.secretName === undefined ? undefined : join(options.outDir, `${options.secretName}.secret.yaml`),
  }
  const targets = [files.certificate, files.key, files.secret].filter((path): path is string => path !== undefined)
  await assertWritable(targets, options.force)

  const issuer = options.issuerCertificatePath === undefined ? undefined : await loadIssuer(options.issuerCertificatePath, options.issuerKeyPath!)
  const defaultPeriod = options.days === undefined && options.notBefore === undefined && options.notAfter === undefined
  if (issuer !== undefined && defaultPeriod && period.notAfter > issuer.parsed.notAfter && issuer.parsed.notAfter > period.notBefore) {
    period.notAfter = issuer.parsed.notAfter
  }
  const issued = await issueCertificate({
    commonName: options.commonName ?? (options.isCA || client ? name : undefined),
    organization: options.organization,
    dnsNames,
    ipAddresses,
    notBefore: period.notBefore,
    notAfter: period.notAfter,
    isCA: options.isCA,
    usage: client ? 'client' : 'server',
    key: options.key,
    issuer,
  })
  if (issuer !== undefined) await assertIssuerAccepted(issued, issuer, options.isCA ? 'ca' : client ? 'client' : 'server', options.issuerCertificatePath!)
  const secretYaml = wantsSecret
    ? renderTlsSecretYaml({name: secretName, namespace: options.namespace, certificatePem: issued.chainPem, privateKeyPem: issued.privateKeyPem, caPem: issued.caPem})
    : undefined
  await writeFilesAtomically(planFiles(files, issued, secretYaml), options.force)

  const warnings = [period.warning, outlivesIssuer(issuer, period.notAfter)].filter((text): text is string => text !== undefined)
  const certificate = describeCertificate(parseCertificate(new Uint8Array(issued.certificate.rawData)), options.now)
  return {name, files, certificate, secretYaml, warnings}
}

function planFiles(files: CreatedFiles, issued: IssuedCertificate, secretYaml: string | undefined): OutputFile[] {
  const planned: OutputFile[] = []
  if (files.certificate !== undefined) planned.push({path: files.certificate, content: issued.chainPem, mode: PUBLIC_MODE})
  if (files.key !== undefined) planned.push({path: files.key, content: issued.privateKeyPem, mode: PRIVATE_MODE})
  if (files.secret !== undefined && secretYaml !== undefined) planned.push({path: files.secret, content: secretYaml, mode: PRIVATE_MODE})
  return planned
}

function outlivesIssuer(issuer: LoadedIssuer | undefined, notAfter: Date): string | undefined {
  if (issuer === undefined || notAfter.getTime() <= issuer.parsed.notAfter.getTime()) return undefined
  return `the certificate outlives its issuer, which expires on ${issuer.parsed.notAfter.toISOString()}; clients will reject it after that`
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
