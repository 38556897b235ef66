/**
 * The local CA of `certs create --for`: OUT_DIR/ca.crt and OUT_DIR/ca.key,
 * created on first use (ECDSA P-256, 10 years, CN "gwctl local CA") and
 * loaded on every later run, so all Secrets issued into one directory chain
 * to the same root. Never replaced, not even with --force (that would orphan
 * the Secrets already issued from it).
 */
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {issueCertificate} from './issue-certificate.js'
import type {KeySpec} from './key-spec.js'
import {loadIssuer, parseIssuer, type LoadedIssuer} from './load-issuer.js'
import {DEFAULT_CA_DAYS, resolveValidityPeriod} from './validity-period.js'
import {UserError} from '../errors/user-error.js'
import {findExistingPaths, PRIVATE_MODE, PUBLIC_MODE, writeFilesAtomically} from './write-files.js'

export const LOCAL_CA_COMMON_NAME = 'gwctl local CA'

export interface LocalCa {
  issuer: LoadedIssuer
  certificatePath: string
  keyPath: string
  /** True when this call created it. */
  created: boolean
}

export async function loadOrCreateLocalCa(outDir: string, now: Date, key: KeySpec = {type: 'ecdsa', curve: 'P-256'}): Promise<LocalCa> {
  const certificatePath = join(outDir, 'ca.crt')
  const keyPath = join(outDir, 'ca.key')
  const existing = await findExistingPaths([certificatePath, keyPath])
  if (existing.length === 2) return {issuer: await loadIssuer(certificatePath, keyPath), certificatePath, keyPath, created: false}
  if (existing.length === 1) {
    const missing = existing[0] === certificatePath ? keyPath : certificatePath
    throw new UserError('input', `the local CA is incomplete: ${missing} is missing`, {file: existing[0], hint: 'restore it, or remove both to create a new CA'})
  }
  const period = resolveValidityPeriod({days: DEFAULT_CA_DAYS}, now, DEFAULT_CA_DAYS)
  const ca = await issueCertificate({commonName: LOCAL_CA_COMMON_NAME, organization: 'gwctl', dnsNames: [], ipAddresses: [], ...period, isCA: true, key})
  await writeFilesAtomically([
    {path: certificatePath, content: ca.certificatePem, mode: PUBLIC_MODE},
    {path: keyPath, content: ca.privateKeyPem, mode: PRIVATE_MODE},
  ], false)
  const [certificateText, keyText] = await Promise.all([readFile(certificatePath, 'utf8'), readFile(keyPath, 'utf8')])
  return {issuer: await parseIssuer(certificateText, keyText, certificatePath, keyPath), certificatePath, keyPath, created: true}
}
