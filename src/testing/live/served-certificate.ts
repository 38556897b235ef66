/**
 * The certificate a server presented, judged as a client would judge it:
 * the chain as OpenSSL verified it during the handshake against the trust
 * anchors the probe connected with (Node's authorizationError), the
 * validity period at `now`, and whether the SANs cover the name the client
 * asked for (the SNI, else the Host) by RFC 6125 (certs/hostname-coverage,
 * the rule lint and resolve use). `covers` is true only when all three hold,
 * i.e. when a client connecting to that name accepts the certificate; each
 * verdict is a trace line. `secret` names the manifests' TLS Secret holding
 * that very leaf (by fingerprint), when there is one (the first in input
 * order when several hold it).
 */
import type {PeerCertificate, TLSSocket} from 'node:tls'
import type {ObservedCertificate} from '../routing-test.js'

export interface CertificateJudgement {
  certificate?: ObservedCertificate
  trace: string[]
}

export interface CertificateContext {
  /** The name the client asked for: SNI, else Host; undefined when none. */
  name?: string
  secretsByFingerprint: ReadonlyMap<string, readonly string[]>
  /** How the chain was judged, e.g. `CA fixtures/scenarios/passthrough/ca.crt` or `Node's default CA store`. */
  trustDescription: string
  now: Date
}

export async function judgeServedCertificate(socket: TLSSocket, context: CertificateContext): Promise<CertificateJudgement> {
  const x509 = socket.getPeerX509Certificate()
  if (x509 === undefined) return {trace: ['certificate: the server presented none']}
  const {parseCertificate} = await import('../../certs/parsed-certificate.js')
  const {findUncoveredHostnames} = await import('../../certs/hostname-coverage.js')
  const parsed = parseCertificate(x509.raw)
  const names = parsed.fields.subjectAltNames ?? null
  const trace: string[] = []
  const chainError = socket.authorizationError === null || socket.authorizationError === undefined ? undefined : String(socket.authorizationError)
  trace.push(chainError === undefined
    ? `certificate chain verifies against ${context.trustDescription}`
    : `certificate chain does not verify against ${context.trustDescription}: ${chainError}${describeIssuer(socket.getPeerCertificate(true))}`)
  const now = context.now.getTime()
  const inValidity = parsed.notBefore.getTime() <= now && now <= parsed.notAfter.getTime()
  trace.push(inValidity
    ? `certificate valid until ${parsed.notAfter.toISOString()}`
    : now > parsed.notAfter.getTime() ? `certificate expired at ${parsed.notAfter.toISOString()}` : `certificate not valid before ${parsed.notBefore.toISOString()}`)
  let namesCover = true
  if (context.name === undefined) {
    trace.push('certificate names: the client asked for no name (no SNI, no Host), so SAN coverage is not judged')
  } else {
    namesCover = findUncoveredHostnames(names, [context.name]).length === 0
    const sans = [...(names?.dns ?? []).map((dns) => `DNS:${dns}`), ...(names?.ip ?? []).map((ip) => `IP:${ip}`)].join(', ') || '(no SANs)'
    trace.push(`certificate names ${sans} ${namesCover ? 'cover' : 'do not cover'} ${context.name}`)
  }
  const secrets = context.secretsByFingerprint.get(x509.fingerprint256) ?? []
  const secret = secrets[0]
  trace.push(secret === undefined
    ? `certificate ${parsed.subject} is in no TLS Secret of the manifests`
    : `certificate ${parsed.subject} is the one in Secret ${secret}${secrets.length > 1 ? ` (also in ${secrets.slice(1).join(', ')}: the first in input order is reported)` : ''}`)
  return {
    certificate: {
      covers: chainError === undefined && inValidity && namesCover,
      ...(secret === undefined ? {} : {secret}),
      notAfter: parsed.notAfter.toISOString(),
      subject: parsed.subject,
      dnsNames: names?.dns ?? [],
    },
    trace,
  }
}

function describeIssuer(peer: PeerCertificate | undefined): string {
  const issuer = peer?.issuer?.CN
  return issuer === undefined ? '' : ` (issuer CN=${issuer})`
}
