/**
 * Human text for `gwctl certs inspect`: one block per input (file, or Secret
 * in a file), certificates in order with aligned fields, keys with what they
 * match, the lint checks' problems and the chain verification (OpenSSL's
 * first error, then any others).
 */
import type {InspectedSource, InspectReport} from './inspect-certificates.js'
import {formatSubjectAltNames, type CertificateDescription} from './parsed-certificate.js'
import {formatVerifyError} from './x509-verify-errors.js'

export function renderInspectReport(report: InspectReport): string {
  return report.sources.map(renderSource).join('\n')
}

function renderSource(source: InspectedSource): string {
  const lines: string[] = []
  const where = source.document === undefined ? source.file : `${source.file} (document ${source.document + 1})`
  lines.push(source.secret === undefined ? where : `${where}: Secret ${source.secret.namespace === undefined ? '' : `${source.secret.namespace}/`}${source.secret.name} (${source.secret.type})`)
  source.certificates.forEach((certificate, index) => {
    const role = index === 0 ? (certificate.isCA ? 'CA' : 'leaf') : certificate.selfSigned ? 'root' : 'intermediate'
    lines.push(`  certificate ${index + 1} (${role})`, ...renderCertificate(certificate))
  })
  source.caCertificates.forEach((certificate, index) => lines.push(`  ca.crt certificate ${index + 1}`, ...renderCertificate(certificate)))
  for (const key of source.keys) {
    const match = key.error !== undefined ? key.error : key.matches === undefined ? 'no certificate given to compare' : key.matches === null ? 'matches NO given certificate' : `matches ${key.matches}`
    lines.push(`  private key     ${key.publicKey.text}, ${match}`)
  }
  for (const problem of source.problems) lines.push(`  ${problem.severity.padEnd(7)} ${problem.message}  ${problem.ruleId}`)
  if (source.verification !== undefined) {
    const {verification} = source
    const chain = verification.chain.join(' <- ')
    lines.push(verification.verified ? `  verify          OK: ${chain}` : `  verify          FAILED: ${verification.error} (${chain})`)
    for (const error of verification.errors.slice(1)) lines.push(`                  and: ${formatVerifyError(error)}`)
  }
  return `${lines.join('\n')}\n`
}

function renderCertificate(certificate: CertificateDescription): string[] {
  return [
    `    subject       ${certificate.subject || '(empty)'}`,
    `    SANs          ${formatSubjectAltNames(certificate.subjectAltNames)}`,
    `    issuer        ${certificate.issuer || '(empty)'}${certificate.selfSigned ? ' (self-signed)' : ''}`,
    `    serial        ${certificate.serialNumber}`,
    `    valid         ${certificate.notBefore} to ${certificate.notAfter} (${certificate.validityNote})`,
    `    key           ${certificate.publicKey.text}`,
    `    signature     ${certificate.signatureAlgorithm}`,
    `    CA            ${certificate.isCA ? 'yes' : 'no'}`,
    `    SHA-256       ${certificate.sha256Fingerprint}`,
  ]
}
