/**
 * `gwctl certs inspect FILE...`: flags → inspectCertificates → render.
 * Exit 0 when nothing is at or above --fail-on, 1 when a certificate problem
 * is (or a key matches no certificate, or a chain does not verify), 2 on
 * unreadable input. `-o json` (or `--json`) prints the report.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {DAY_MS, parseDurationFlag} from '../../cli/duration-flag.js'
import {GwctlCommand} from '../../cli/gwctl-command.js'
import type {ExitCodes} from '../../cli/help.js'
import type {Severity} from '../../findings/finding.js'

const FAIL_ON_LEVELS = ['error', 'warning', 'info', 'none'] as const

export default class CertsInspect extends GwctlCommand {
  static override summary = 'Show certificates, chains, keys and TLS Secrets, and check them'

  static override description = `FILE is PEM (certificates, a chain, private keys), a DER certificate, or YAML holding kubernetes.io/tls Secrets (several documents or a List; data in base64 or stringData); - reads stdin.
For each: subject, SANs, issuer, serial, validity with days left, key type and size, signature algorithm, SHA-256 fingerprint; which certificate each private key matches (across all FILEs); the certificate problems gwctl lint reports for a TLS Secret (a server certificate without subjectAltName is an error); with --verify-with, whether the chain of each leaf verifies against the given CA certificates as \`openssl verify -x509_strict -purpose sslserver\` (sslclient with --purpose client) says: OpenSSL judges it, through a TLS handshake in gwctl's own TLS stack when the leaf's private key is among the FILEs, else through the openssl command (which must then be installed).
A key that matches no certificate and a chain that does not verify count as errors.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> certs/app.example.com.crt certs/app.example.com.key',
    '<%= config.bin %> <%= command.id %> certs/app-tls.secret.yaml --verify-with certs/ca.crt --expiry-warning 60d --fail-on warning',
    '<%= config.bin %> <%= command.id %> certs/alice.crt certs/alice.key --verify-with certs/ca.crt --purpose client',
    'kubectl get secret app-tls -o yaml | <%= config.bin %> <%= command.id %> - -o json',
  ]

  static exitCodes: ExitCodes = {
    0: 'nothing at or above --fail-on',
    1: 'a problem at or above --fail-on (default error: expired, key mismatch, chain not verified, ...)',
    2: 'usage error or unreadable input',
  }

  static override strict = false

  static override args = {
    file: Args.string({description: 'PEM, DER or Secret YAML file; - for stdin', required: true}),
  }

  static override flags = {
    'verify-with': Flags.string({description: 'CA certificate file (PEM, repeatable): every certificate in it is a trust anchor, like openssl -CAfile', multiple: true}),
    'expiry-warning': Flags.string({description: 'warn about certificates expiring within this period: a number and a unit (30d, 12h, 2w)', default: '30d'}),
    'fail-on': Flags.string({description: 'lowest severity that makes the exit status 1', options: [...FAIL_ON_LEVELS], default: 'error'}),
    output: Flags.string({char: 'o', description: 'output format', options: ['text', 'json'], default: 'text'}),
    json: Flags.boolean({description: 'same as --output json'}),
    purpose: Flags.string({description: 'what the leaf certificates are for: server (TLS servers, extendedKeyUsage serverAuth) or client (mTLS clients, clientAuth); default server, and a CA certificate is shown as a CA', options: ['server', 'client']}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(CertsInspect)
    const expiryWarningDays = parseDurationFlag(flags['expiry-warning'], 'expiry-warning', 'd') / DAY_MS
    const [{inspectCertificates}, {exitCodeForInspection}] = await Promise.all([import('../../certs/inspect-certificates.js'), import('../../certs/inspect-exit-code.js')])
    const report = await inspectCertificates(argv as string[], {
      verifyWith: flags['verify-with'], now: new Date(), expiryWarningDays,
      ...(flags.purpose === undefined ? {} : {purpose: flags.purpose as 'server' | 'client'}),
    })
    if (flags.json || flags.output === 'json') {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    } else {
      const {renderInspectReport} = await import('../../certs/render-inspect-report.js')
      process.stdout.write(renderInspectReport(report))
    }
    process.exitCode = exitCodeForInspection(report, flags['fail-on'] as Severity | 'none')
  }
}
