/**
 * Test support: certificates and TLS Secrets made on the fly, with gwctl's
 * own issuer (WebCrypto) or with openssl for what WebCrypto will not make
 * (RSA-1024 keys, SHA-1 signatures, SEC1 and encrypted keys).
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {issueCertificate, type CertificateRequest, type IssuedCertificate} from '../../src/certs/issue-certificate.js'
import {parseIssuer} from '../../src/certs/load-issuer.js'

export const DAY = 86_400_000

export async function makeCertificate(request: Partial<CertificateRequest> & {now?: Date}): Promise<IssuedCertificate> {
  const now = request.now ?? new Date()
  return issueCertificate({
    dnsNames: [],
    ipAddresses: [],
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 90 * DAY),
    isCA: false,
    key: {type: 'ecdsa'},
    ...request,
  })
}

export async function toIssuer(ca: IssuedCertificate, extraChainPem = '') {
  return parseIssuer(ca.certificatePem + extraChainPem, ca.privateKeyPem, 'ca.crt', 'ca.key')
}

export function toSecret(crt: string, key: string, type = 'kubernetes.io/tls') {
  const encode = (text: string) => Buffer.from(text).toString('base64')
  return {type, data: {'tls.crt': encode(crt), 'tls.key': encode(key)}}
}

/** Run openssl in a scratch directory; returns the named output files' contents. */
export function runOpenssl(commands: string[][], outputs: string[]): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'gwctl-openssl-'))
  try {
    for (const args of commands) execFileSync('openssl', args, {cwd: dir, stdio: 'pipe'})
    return Object.fromEntries(outputs.map((name) => [name, readFileSync(join(dir, name), 'utf8')]))
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** A self-signed certificate made by openssl req -x509 with the given key and digest. */
export function makeOpensslCertificate(newkey: string, digest: string, host: string): {crt: string; key: string} {
  const files = runOpenssl(
    [['req', '-x509', '-newkey', newkey, '-nodes', `-${digest}`, '-days', '365', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-keyout', 'k.pem', '-out', 'c.pem']],
    ['k.pem', 'c.pem'],
  )
  return {crt: files['c.pem'], key: files['k.pem']}
}
