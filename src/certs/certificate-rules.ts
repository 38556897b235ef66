/**
 * The certificate rules of docs/rule-ids.md (category `certificate`) and the
 * problem shape the checks return. Lint turns a problem into a Finding by
 * adding the resource, file and position of the Secret (or its `dataKey`).
 */
import type {RuleMeta, Severity} from '../findings/finding.js'

export type CertificateRuleId =
  | 'certificate-secret-type'
  | 'certificate-pem'
  | 'certificate-key-mismatch'
  | 'certificate-chain'
  | 'certificate-chain-invalid'
  | 'certificate-purpose'
  | 'certificate-san-missing'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'certificate-expiring'
  | 'certificate-hostname-coverage'
  | 'certificate-weak-key'
  | 'certificate-weak-signature'

export interface CertificateProblem {
  ruleId: CertificateRuleId
  severity: Severity
  message: string
  /** The Secret data key the problem is about, when it is about one. */
  dataKey?: 'tls.crt' | 'tls.key' | 'ca.crt'
  /** For cert-manager Certificates: the spec field, in kubectl notation. */
  field?: string
  /** For certificate-hostname-coverage: the hostnames no SAN covers. */
  hostnames?: string[]
}

const RFC_5280 = 'RFC 5280'

export const CERTIFICATE_RULES: RuleMeta[] = [
  {id: 'certificate-secret-type', category: 'certificate', defaultSeverity: 'error', description: 'A listener certificate Secret is of type kubernetes.io/tls and has tls.crt and tls.key.', source: 'Kubernetes Secret types; SEMANTICS.md §2.3'},
  {id: 'certificate-pem', category: 'certificate', defaultSeverity: 'error', description: 'tls.crt and tls.key are base64 PEM holding at least one certificate and an unencrypted private key.', source: 'RFC 7468'},
  {id: 'certificate-key-mismatch', category: 'certificate', defaultSeverity: 'error', description: 'The private key in tls.key matches the public key of the first certificate in tls.crt.', source: RFC_5280},
  {id: 'certificate-chain', category: 'certificate', defaultSeverity: 'warning', description: 'tls.crt lists the leaf first and each following certificate issues the one before it.', source: 'RFC 8446 §4.4.2'},
  {id: 'certificate-chain-invalid', category: 'certificate', defaultSeverity: 'error', description: 'OpenSSL verifies the chain of tls.crt (as openssl verify -x509_strict does) against ca.crt, else the last certificate of tls.crt: CA flags, pathLen, keyUsage keyCertSign, name constraints, signatures, the RFC 5280 profile.', source: 'RFC 5280 §6; OpenSSL X509_verify_cert'},
  {id: 'certificate-purpose', category: 'certificate', defaultSeverity: 'error', description: 'The leaf can serve TLS: extendedKeyUsage allows serverAuth (clientAuth for a client certificate) along the chain, keyUsage allows signing, and a TLS handshake succeeds with the key.', source: 'RFC 5280 §4.2.1.3, §4.2.1.12; CA/Browser Forum BR 7.1.2.3'},
  {id: 'certificate-san-missing', category: 'certificate', defaultSeverity: 'error', description: 'A server certificate has a subjectAltName extension: clients ignore the CN and match hostnames against the SANs only.', source: 'RFC 6125 §6.4.4; RFC 2818 §3.1'},
  {id: 'certificate-expired', category: 'certificate', defaultSeverity: 'error', description: 'No certificate in tls.crt is past its notAfter.', source: RFC_5280},
  {id: 'certificate-not-yet-valid', category: 'certificate', defaultSeverity: 'error', description: 'No certificate in tls.crt has a notBefore in the future.', source: RFC_5280},
  {id: 'certificate-expiring', category: 'certificate', defaultSeverity: 'warning', description: 'No certificate in tls.crt expires within the expiry warning period (default 30 days).', source: RFC_5280},
  {id: 'certificate-hostname-coverage', category: 'certificate', defaultSeverity: 'warning', description: 'The leaf subjectAltNames cover the listener hostname and the attached route hostnames (single-label wildcards).', source: 'RFC 6125 §6.4.3, RFC 2818 §3.1'},
  {id: 'certificate-weak-key', category: 'certificate', defaultSeverity: 'error', description: 'RSA keys in tls.crt are at least 2048 bits.', source: 'NIST SP 800-131A'},
  {id: 'certificate-weak-signature', category: 'certificate', defaultSeverity: 'error', description: 'No certificate in tls.crt (other than a self-signed root) is signed with SHA-1 or MD5.', source: 'RFC 6194; CA/Browser Forum BR 7.1.3'},
]
