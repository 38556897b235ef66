/**
 * `gwctl certs inspect FILE...`: flags → inspectCertificates → render.
 * Exit 0 when every key matches its certificate and every chain verifies,
 * 1 when not, 2 on unreadable input. `--json` prints the report.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {GwctlCommand} from '../../cli/gwctl-command.js'
import type {InspectReport} from '../../certs/inspect-certificates.js'

export default class CertsInspect extends GwctlCommand {
  static override summary = 'Show certificates, chains, keys and TLS Secrets, and check them'

  static override description = `FILE is PEM (certificates, a chain, private keys), a DER certificate, or YAML holding kubernetes.io/tls Secrets (several documents or a List; data in base64 or stringData); - reads stdin.
For each: subject, SANs, issuer, serial, validity with days left, key type and size, signature algorithm, SHA-256 fingerprint; which certificate each private key matches (across all FILEs); the certificate problems gwctl lint reports for a TLS Secret (a server certificate without subjectAltName is an error); with --verify-with, whether the chain of each leaf verifies against the given CA certificates as \`openssl verify -x509_strict -purpose sslserver\` (sslclient with --purpose client) says: OpenSSL judges it, through a TLS handshake in gwctl's own TLS stack when the leaf's private key is among the FILEs, else through the openssl command (which must then be installed).
Exit status 1 when a key matches no certificate or a chain does not verify.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> certs/app.example.com.crt certs/app.example.com.key',
    '<%= config.bin %> <%= command.id %> certs/app-tls.secret.yaml --verify-with certs/ca.crt',
    '<%= config.bin %> <%= command.id %> certs/alice.crt certs/alice.key --verify-with certs/ca.crt --purpose client',
    'kubectl get secret app-tls -o yaml | <%= config.bin %> <%= command.id %> - --json',
  ]

  static override strict = false

  static override enableJsonFlag = true

  static override args = {
    file: Args.string({description: 'PEM, DER or Secret YAML file; - for stdin', required: true}),
  }

  static override flags = {
    'verify-with': Flags.string({description: 'CA certificate file (PEM, repeatable): every certificate in it is a trust anchor, like openssl -CAfile', multiple: true}),
    'expiry-warning': Flags.integer({description: 'days before expiry that count as expiring', default: 30, min: 0}),
    purpose: Flags.string({description: 'what the leaf certificates are for: server (TLS servers, extendedKeyUsage serverAuth) or client (mTLS clients, clientAuth); default server, and a CA certificate is shown as a CA', options: ['server', 'client']}),
  }

  async run(): Promise<InspectReport> {
    const {argv, flags} = await this.parse(CertsInspect)
    const {inspectCertificates} = await import('../../certs/inspect-certificates.js')
    const report = await inspectCertificates(argv as string[], {
      verifyWith: flags['verify-with'], now: new Date(), expiryWarningDays: flags['expiry-warning'],
      ...(flags.purpose === undefined ? {} : {purpose: flags.purpose as 'server' | 'client'}),
    })
    if (!report.ok) process.exitCode = 1
    if (!this.jsonEnabled()) {
      const {renderInspectReport} = await import('../../certs/render-inspect-report.js')
      process.stdout.write(renderInspectReport(report))
    }
    return report
  }
}
