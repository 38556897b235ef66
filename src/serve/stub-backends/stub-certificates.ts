/**
 * Certificates of the `tls` stubs, issued the way `gwctl certs create --for
 * --backends` issues a Passthrough backend's Secret: from the local CA of a
 * directory (DIR/ca.crt and DIR/ca.key, created on first use and reused
 * afterwards, local-ca.ts), with the subjectAltNames planSubjectNames gives
 * for the route hostnames. A backend whose routes name no hostname (so that
 * `--for` would refuse it) gets the Service's cluster DNS names instead. Keys
 * and certificates stay in memory. Heavy (X.509): import lazily.
 */
import type {CertificateNeed} from '../../gatewayapi/certificate-needs.js'
import {issueLeafFromLocalCa, leafValidityPeriod, planSubjectNames} from '../../certs/issue-for-needs.js'
import {loadOrCreateLocalCa, type LocalCa} from '../../certs/local-ca.js'
import {UserError} from '../../errors/user-error.js'

export interface StubCertificate {
  /** PEM: the leaf followed by its issuer's intermediates, and its key. */
  tls: {cert: string; key: string}
  dnsNames: string[]
  ipAddresses: string[]
}

export class StubCertificateIssuer {
  private ca?: Promise<LocalCa>

  constructor(private readonly caDir: string, private readonly now: () => Date) {}

  /** DIR/ca.crt: what `curl --cacert` and `openssl s_client -CAfile` take. */
  get caFile(): string {
    return `${this.caDir.replace(/\/+$/, '')}/ca.crt`
  }

  async issue(need: CertificateNeed, service: {namespace: string; name: string}): Promise<StubCertificate> {
    this.ca ??= loadOrCreateLocalCa(this.caDir, this.now())
    const ca = await this.ca
    const names = subjectNamesFor(need, service)
    const issued = await issueLeafFromLocalCa(ca, names, leafValidityPeriod(ca, this.now()))
    return {tls: {cert: issued.chainPem, key: issued.privateKeyPem}, ...names}
  }
}

function subjectNamesFor(need: CertificateNeed, service: {namespace: string; name: string}): {dnsNames: string[]; ipAddresses: string[]} {
  try {
    return planSubjectNames(need)
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return {dnsNames: [`${service.name}.${service.namespace}.svc`, `${service.name}.${service.namespace}.svc.cluster.local`], ipAddresses: []}
  }
}
