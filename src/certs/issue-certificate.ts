/**
 * Issue one X.509 certificate with @peculiar/x509 over Node's WebCrypto:
 * self-signed (no issuer), or signed by an `Issuer`. Profiles (RFC 5280):
 * - CA: basicConstraints cA (critical), keyUsage keyCertSign+cRLSign
 *   (critical), subjectKeyIdentifier;
 * - server leaf: basicConstraints not-CA (critical), keyUsage
 *   digitalSignature (+keyEncipherment for RSA) (critical), extKeyUsage
 *   serverAuth, subjectAltName, subjectKeyIdentifier;
 * - client leaf (mTLS): the same with extKeyUsage clientAuth, and a
 *   subjectAltName only when names are given;
 * - issued certificates also get an authorityKeyIdentifier (the issuer's SKI).
 * A self-signed leaf has the leaf profile; OpenSSL-based clients still accept
 * it as its own trust anchor (`curl --cacert leaf.crt`, tested).
 * Serial numbers are 128 random bits, positive. Heavy module: import lazily.
 */
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import {generateKeyPair, toSigningAlgorithm, type KeySpec} from './key-spec.js'
import {encodePem} from './pem.js'

x509.cryptoProvider.set(globalThis.crypto)

export interface Issuer {
  certificate: x509.X509Certificate
  privateKey: CryptoKey
  /** PEM certificates that follow a new certificate in tls.crt: the intermediates, issuer first, without the root. */
  chainPem: string
  /** PEM of the trust anchor for ca.crt: the root when the issuer file holds it, else its last certificate. */
  caPem: string
}

export interface CertificateRequest {
  commonName?: string
  organization?: string
  dnsNames: string[]
  ipAddresses: string[]
  notBefore: Date
  notAfter: Date
  isCA: boolean
  /** For a leaf: serverAuth (default) or clientAuth. */
  usage?: 'server' | 'client'
  key: KeySpec
  /** Undefined: self-signed. */
  issuer?: Issuer
}

export interface IssuedCertificate {
  certificate: x509.X509Certificate
  /** The new certificate alone. */
  certificatePem: string
  /** What tls.crt holds: the new certificate followed by the issuer's intermediates. */
  chainPem: string
  /** PKCS#8 PEM (`PRIVATE KEY`). */
  privateKeyPem: string
  /** Trust anchor for ca.crt when CA-issued. */
  caPem?: string
}

export async function issueCertificate(request: CertificateRequest): Promise<IssuedCertificate> {
  const keys = await generateKeyPair(request.key)
  const subject = buildSubject(request)
  const extensions: x509.Extension[] = await buildExtensions(request, keys.publicKey)
  const signingKey = request.issuer?.privateKey ?? keys.privateKey
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: generateSerialNumber(),
    subject,
    issuer: request.issuer?.certificate.subjectName ?? subject,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: toSigningAlgorithm(signingKey),
    extensions,
  })
  const certificatePem = encodePem('CERTIFICATE', new Uint8Array(certificate.rawData))
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey)
  return {
    certificate,
    certificatePem,
    chainPem: certificatePem + (request.issuer?.chainPem ?? ''),
    privateKeyPem: encodePem('PRIVATE KEY', new Uint8Array(pkcs8)),
    caPem: request.issuer?.caPem,
  }
}

/** 16 random octets as hex; @peculiar/x509 prefixes 0x00 when the top bit is set, so the INTEGER stays positive. */
export function generateSerialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  if (bytes[0] === 0) bytes[0] = 1
  return Buffer.from(bytes).toString('hex')
}

function buildSubject(request: CertificateRequest): x509.Name {
  const rdns: x509.JsonName = []
  if (request.organization !== undefined) rdns.push({O: [request.organization]})
  const commonName = request.commonName ?? request.dnsNames[0] ?? request.ipAddresses[0]
  if (commonName !== undefined) rdns.push({CN: [commonName]})
  return new x509.Name(rdns)
}

async function buildExtensions(request: CertificateRequest, publicKey: CryptoKey): Promise<x509.Extension[]> {
  const extensions: x509.Extension[] = []
  const {KeyUsageFlags} = x509
  if (request.isCA) {
    extensions.push(
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
    )
  } else {
    const encipher = request.key.type === 'rsa' ? KeyUsageFlags.keyEncipherment : 0
    extensions.push(
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(KeyUsageFlags.digitalSignature | encipher, true),
    )
    extensions.push(new x509.ExtendedKeyUsageExtension([request.usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]))
  }
  const names = [
    ...request.dnsNames.map((value) => ({type: 'dns' as const, value})),
    ...request.ipAddresses.map((value) => ({type: 'ip' as const, value})),
  ]
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names))
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(publicKey))
  if (request.issuer !== undefined) extensions.push(await createAuthorityKeyIdentifier(request.issuer.certificate))
  return extensions
}

async function createAuthorityKeyIdentifier(issuer: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const subjectKeyId = issuer.getExtension(x509.SubjectKeyIdentifierExtension)
  if (subjectKeyId !== null) return new x509.AuthorityKeyIdentifierExtension(subjectKeyId.keyId)
  return x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey)
}
