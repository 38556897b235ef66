/**
 * Before `certs create` writes a certificate signed by --issuer-cert: does
 * OpenSSL accept the chain it ends up in (verify-chain.ts, the same judge as
 * lint and inspect)? An issuer whose constraints forbid it (pathLen, name
 * constraints, a CA flag or keyUsage it lacks, an extendedKeyUsage that
 * excludes the new certificate's purpose) is refused with OpenSSL's reason.
 * A new CA is judged through a throwaway leaf it signs, since a CA is no
 * TLS peer. Validity is left out: expired certificates may be made on
 * purpose (they come with a warning).
 */
import {createPrivateKey} from 'node:crypto'
import {UserError} from '../errors/user-error.js'
import {issueCertificate, type IssuedCertificate, type Issuer} from './issue-certificate.js'
import {importSigningKey} from './key-spec.js'
import {parseCertificate, isSelfSigned, type ParsedCertificate} from './parsed-certificate.js'
import {splitPemBlocks} from './pem.js'
import {verifyChain} from './verify-chain.js'

export type IssuedRole = 'server' | 'client' | 'ca'

const PROBE_HOSTNAME = 'probe.gwctl.invalid'

export async function assertIssuerAccepted(issued: IssuedCertificate, issuer: Issuer, role: IssuedRole, issuerFile: string): Promise<void> {
  const anchor = parsePem(issuer.caPem)[0]
  const intermediates = parsePem(issuer.chainPem)
  let leaf = parsePem(issued.certificatePem)[0]
  let keyPem = issued.privateKeyPem
  let chain = intermediates
  if (role === 'ca') {
    const probe = await issueProbe(issued, issuer)
    chain = [leaf, ...intermediates]
    leaf = parsePem(probe.certificatePem)[0]
    keyPem = probe.privateKeyPem
  }
  const verification = await verifyChain({
    leaf,
    keyPem,
    intermediates: chain,
    anchors: [anchor],
    partialChain: !isSelfSigned(anchor),
    purpose: role === 'client' ? 'client' : 'server',
    ignoreTime: true,
  })
  if (verification.verified) return
  const what = role === 'ca' ? 'a certificate issued by the new CA' : 'the new certificate'
  throw new UserError('input', `cannot issue with this CA: OpenSSL rejects ${what}: ${verification.error}`, {
    file: issuerFile,
    hint: 'check the issuer with gwctl certs inspect, or issue from another CA',
  })
}

/** A leaf the new CA signs, to see whether anything it issues can verify. */
async function issueProbe(issued: IssuedCertificate, issuer: Issuer): Promise<IssuedCertificate> {
  const privateKey = await importSigningKey(createPrivateKey(issued.privateKeyPem), 'the new CA key')
  const newIssuer: Issuer = {certificate: issued.certificate, privateKey, chainPem: issued.certificatePem + issuer.chainPem, caPem: issuer.caPem}
  return issueCertificate({
    dnsNames: [PROBE_HOSTNAME],
    ipAddresses: [],
    notBefore: issued.certificate.notBefore,
    notAfter: issued.certificate.notAfter,
    isCA: false,
    key: {type: 'ecdsa', curve: 'P-256'},
    issuer: newIssuer,
  })
}

function parsePem(text: string): ParsedCertificate[] {
  return splitPemBlocks(text).filter((block) => block.label === 'CERTIFICATE').map((block) => parseCertificate(block.der))
}
