/**
 * Load a signing CA from `--issuer-cert` (PEM: the CA certificate first,
 * optionally followed by its own chain up to the root) and `--issuer-key`
 * (PKCS#8, SEC1 or PKCS#1 PEM, unencrypted). Checks that the certificate is a
 * CA allowed to sign certificates (keyUsage keyCertSign, when it has a
 * keyUsage) and that the key is its key; works out which certificates follow a new
 * leaf in tls.crt (the issuer when it is an intermediate, and any other
 * intermediates) and which one is the trust anchor for ca.crt.
 */
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import type {Issuer} from './issue-certificate.js'
import {importSigningKey} from './key-spec.js'
import {isSelfSigned, parseCertificate, type ParsedCertificate} from './parsed-certificate.js'
import {encodePem, PemError, splitPemBlocks, type PemBlock} from './pem.js'
import {isPrivateKeyLabel, keyMatchesPublicKey, PrivateKeyError, readPrivateKey} from './private-key.js'
import {readInputFile} from './read-input-file.js'
import {UserError} from '../errors/user-error.js'

export interface LoadedIssuer extends Issuer {
  /** The issuer certificate, parsed with node:crypto. */
  parsed: ParsedCertificate
}

export async function loadIssuer(certificatePath: string, keyPath: string): Promise<LoadedIssuer> {
  const [certificateText, keyText] = await Promise.all([readInputFile(certificatePath), readInputFile(keyPath)])
  return parseIssuer(certificateText.toString('utf8'), keyText.toString('utf8'), certificatePath, keyPath)
}

/** The same from PEM texts; the paths only name the files in errors. */
export async function parseIssuer(certificateText: string, keyText: string, certificatePath: string, keyPath: string): Promise<LoadedIssuer> {
  const certificateBlocks = readBlocks(certificateText, certificatePath).filter((block) => block.label === 'CERTIFICATE')
  if (certificateBlocks.length === 0) throw new UserError('input', 'holds no PEM CERTIFICATE block', {file: certificatePath})
  const chain = certificateBlocks.map((block, index) => {
    try {
      return parseCertificate(block.der)
    } catch {
      throw new UserError('input', `certificate ${index + 1} is not a valid X.509 certificate`, {file: certificatePath})
    }
  })
  const keyBlock = readBlocks(keyText, keyPath).find((block) => isPrivateKeyLabel(block.label))
  if (keyBlock === undefined) throw new UserError('input', 'holds no PEM private key block', {file: keyPath})
  let key
  try {
    key = readPrivateKey(keyBlock)
  } catch (error) {
    if (error instanceof PrivateKeyError) throw new UserError('input', error.message, {file: keyPath})
    throw error
  }
  const [issuer] = chain
  if (!issuer.isCA) {
    throw new UserError('input', 'the first certificate is not a CA (basicConstraints cA is not set)', {file: certificatePath, hint: 'create one with gwctl certs create NAME --ca'})
  }
  const usage = issuer.fields.keyUsage
  if (usage !== undefined && !usage.includes('keyCertSign')) {
    throw new UserError('input', `the first certificate may not sign certificates: its keyUsage (${usage.join(', ') || 'empty'}) lacks keyCertSign`, {file: certificatePath, hint: 'create one with gwctl certs create NAME --ca'})
  }
  if (!keyMatchesPublicKey(key, issuer.publicKey)) {
    throw new UserError('input', `is not the key of the CA certificate in ${certificatePath}`, {file: keyPath})
  }
  const pems = certificateBlocks.map((block) => encodePem('CERTIFICATE', block.der))
  const last = chain.length - 1
  const rootIndex = isSelfSigned(chain[last]) ? last : -1
  return {
    certificate: new x509.X509Certificate(new Uint8Array(certificateBlocks[0].der)),
    parsed: issuer,
    privateKey: await importSigningKey(key, keyPath),
    chainPem: pems.filter((_, index) => index !== rootIndex).join(''),
    caPem: pems[last],
  }
}

function readBlocks(text: string, file: string): PemBlock[] {
  try {
    return splitPemBlocks(text)
  } catch (error) {
    if (error instanceof PemError) throw new UserError('input', error.message, {file})
    throw error
  }
}
