/**
 * Hostname coverage for a listener certificate that a cert-manager
 * Certificate declares (its spec.secretName is the referenced Secret) but
 * that is not in the input: do spec.dnsNames / spec.ipAddresses cover the
 * listener and route hostnames (RFC 6125 single-label wildcards)? A hostname
 * matched only by spec.commonName is reported too: cert-manager's CA,
 * self-signed and Vault issuers do not copy commonName into the SANs that
 * clients check (ACME issuers do). Pure and synchronous.
 */
import type {CertificateProblem} from './certificate-rules.js'
import {findUncoveredHostnames} from './hostname-coverage.js'

export interface CertManagerCertificateNames {
  dnsNames?: readonly string[]
  commonName?: string
  ipAddresses?: readonly string[]
}

/** Accepts the Certificate object as written (names under `spec`) or the model's flat form. */
export function checkCertManagerCertificate(
  certificate: CertManagerCertificateNames | {spec?: CertManagerCertificateNames},
  hostnames: readonly string[],
): CertificateProblem[] {
  const names: CertManagerCertificateNames = 'spec' in certificate ? (certificate.spec ?? {}) : (certificate as CertManagerCertificateNames)
  const dns = stringsOf(names.dnsNames)
  const ip = stringsOf(names.ipAddresses)
  const uncovered = findUncoveredHostnames({dns, ip, other: []}, hostnames)
  if (uncovered.length === 0) return []
  const commonName = typeof names.commonName === 'string' ? names.commonName : undefined
  const byCommonName = commonName === undefined ? [] : uncovered.filter((hostname) => findUncoveredHostnames({dns: [commonName], ip: [commonName], other: []}, [hostname]).length === 0)
  const problems: CertificateProblem[] = []
  const plain = uncovered.filter((hostname) => !byCommonName.includes(hostname))
  const declared = [...dns, ...ip].join(', ') || 'none'
  if (plain.length > 0) {
    problems.push({
      ruleId: 'certificate-hostname-coverage',
      severity: 'warning',
      message: `the Certificate's dnsNames/ipAddresses do not cover ${plain.length === 1 ? 'hostname' : 'hostnames'} ${plain.join(', ')}: they are ${declared}`,
      field: 'spec.dnsNames',
      hostnames: plain,
    })
  }
  if (byCommonName.length > 0) {
    problems.push({
      ruleId: 'certificate-hostname-coverage',
      severity: 'warning',
      message: `${byCommonName.join(', ')} ${byCommonName.length === 1 ? 'is' : 'are'} covered only by spec.commonName, which most issuers do not put in the subjectAltNames clients check: add ${byCommonName.length === 1 ? 'it' : 'them'} to spec.dnsNames`,
      field: 'spec.commonName',
      hostnames: byCommonName,
    })
  }
  return problems
}

function stringsOf(values: readonly unknown[] | undefined): string[] {
  return Array.isArray(values) ? values.filter((value): value is string => typeof value === 'string') : []
}
