/**
 * `gwctl certs create`: flags → createCertificate → render. Writes
 * NAME.crt / NAME.key (and SECRET.secret.yaml with --secret) into --out-dir;
 * `-o yaml` prints the Secret instead of writing anything, `-o json` prints a
 * summary without keys. Warnings (expired or not-yet-valid on purpose, a
 * leaf outliving its issuer) go to stderr.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {CONFIG_FLAGS, loadCommandConfig} from '../../cli/config-flags.js'
import {IMPLEMENTATION_FOR_FLAG, settleImplementation} from '../../cli/implementation-flag.js'
import {GwctlCommand} from '../../cli/gwctl-command.js'
import {EXCLUDE_FLAG_DESCRIPTION, readManifestInputFlags} from '../../cli/manifest-input-flags.js'
import type {ExitCodes} from '../../cli/help.js'
import type {CreateCertificateResult} from '../../certs/create-certificate.js'
import {EC_CURVES, KEY_TYPES, RSA_BITS, type EcCurve, type KeySpec, type KeyType, type RsaBits} from '../../certs/key-spec.js'
import {formatSubjectAltNames} from '../../certs/parsed-certificate.js'
import {UserError} from '../../errors/user-error.js'

export default class CertsCreate extends GwctlCommand {
  static override summary = 'Create a CA, a certificate and key, and optionally a kubernetes.io/tls Secret'

  static override description = `Self-signed by default; --ca makes a CA; --client makes a client certificate for mTLS (clientAuth); --issuer-cert/--issuer-key sign with an existing CA (its intermediates go into tls.crt after the new certificate, its root into ca.crt).
A server certificate always carries its --dns/--ip names as subjectAltNames (clients ignore the CN). An issuer that is not a CA, may not sign certificates (keyUsage without keyCertSign), or whose constraints make OpenSSL reject the new certificate (pathLen, name constraints, extendedKeyUsage) is refused with OpenSSL's reason (exit 2), and nothing is written. Validity times run from 1950 to 9999-12-31T23:59:59Z (X.509's range); others are refused.
Files: OUT_DIR/NAME.crt (the certificate and any intermediates), OUT_DIR/NAME.key (PKCS#8, mode 0600) and with --secret OUT_DIR/SECRET.secret.yaml (mode 0600), the object \`kubectl create secret tls --dry-run=client -o yaml\` prints, plus ca.crt when CA-issued. NAME defaults to the first --dns name (*.example.com → wildcard.example.com).
Existing files are never replaced without --force, and nothing is written if any target exists.
-o yaml prints the Secret (with the private key) to stdout and writes no file; -o json prints a summary without keys.
Expired or not-yet-valid certificates can be made on purpose with --not-before/--not-after (a warning is printed).

With --for, the positional arguments are manifest paths (as for gwctl lint): every Secret a Terminate listener references but the input lacks (and no cert-manager Certificate declares) is issued from a local CA in --out-dir (OUT_DIR/ca.crt and ca.key, created once and reused), with SANs = the listener hostname and the hostnames of the routes attached to it, and written as OUT_DIR/NAMESPACE.SECRET.secret.yaml. A listener without hostname whose routes name none gets no certificate (it would have no SAN): it is listed as refused, with the reason, and the exit status is 1. --backends also issues the certificates the backends of Passthrough TLSRoutes present (Secret SERVICE-tls in the Service's namespace). Lint the manifests together with --out-dir afterwards: no Secret is missing any more. With --for, a .gwctl.yaml (see gwctl lint --help) gives the namespace of objects that set none and the exclude, channel and gateway-class of the manifests; without --for it is not read.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> ca --ca --out-dir certs',
    '<%= config.bin %> <%= command.id %> --dns app.example.com --dns "*.app.example.com" --issuer-cert certs/ca.crt --issuer-key certs/ca.key --out-dir certs --secret app-tls --namespace web',
    '<%= config.bin %> <%= command.id %> --dns app.example.com --issuer-cert certs/ca.crt --issuer-key certs/ca.key --output yaml | kubectl apply -f -',
    '<%= config.bin %> <%= command.id %> expired --dns old.example.com --not-before -30d --not-after -1d',
    '<%= config.bin %> <%= command.id %> alice --client --cn alice --issuer-cert certs/ca.crt --issuer-key certs/ca.key --out-dir certs',
    '<%= config.bin %> <%= command.id %> --for manifests/ --out-dir generated/ && <%= config.bin %> lint manifests/ generated/',
  ]

  static exitCodes: ExitCodes = {
    0: 'written (or, with -o yaml, printed); with --for, also when nothing was missing',
    2: 'usage error, unreadable issuer or manifests, or a file that exists (use --force)',
  }

  static override strict = false

  static override args = {
    name: Args.string({description: 'file stem of NAME.crt and NAME.key (default: from the first --dns, --ip or --cn); with --for, the manifest paths (- for stdin)', required: false}),
  }

  static override flags = {
    dns: Flags.string({description: 'DNS subjectAltName, wildcard allowed (*.example.com); repeatable or comma-separated', multiple: true, multipleNonGreedy: true, delimiter: ','}),
    ip: Flags.string({description: 'IP subjectAltName (IPv4 or IPv6); repeatable or comma-separated', multiple: true, multipleNonGreedy: true, delimiter: ','}),
    cn: Flags.string({description: 'subject common name (default: NAME for a CA, else the first --dns or --ip)'}),
    org: Flags.string({description: 'subject organization (O)'}),
    'key-type': Flags.string({description: 'key algorithm', options: [...KEY_TYPES], default: 'ecdsa'}),
    'rsa-bits': Flags.string({description: 'RSA modulus size (with --key-type rsa)', options: RSA_BITS.map(String)}),
    curve: Flags.string({description: 'ECDSA curve (with --key-type ecdsa)', options: [...EC_CURVES]}),
    days: Flags.integer({description: 'validity in days from now (default 365, 3650 for a CA)', min: 1, exclusive: ['not-before', 'not-after']}),
    'not-before': Flags.string({description: 'start of validity: ISO 8601 (UTC unless an offset is given) or an offset from now such as -2d', dependsOn: ['not-after']}),
    'not-after': Flags.string({description: 'end of validity: ISO 8601 or an offset from now such as +90d, -1d (already expired)', dependsOn: ['not-before']}),
    ca: Flags.boolean({description: 'make a CA (basicConstraints CA, keyCertSign, cRLSign); with --issuer-* an intermediate CA', default: false, exclusive: ['client']}),
    client: Flags.boolean({description: 'make a client certificate for mTLS (extendedKeyUsage clientAuth; CN from --cn or NAME, SANs optional)', default: false}),
    'issuer-cert': Flags.string({description: 'CA certificate PEM to sign with (may be followed by its chain up to the root)', dependsOn: ['issuer-key']}),
    'issuer-key': Flags.string({description: 'private key PEM of --issuer-cert', dependsOn: ['issuer-cert']}),
    'out-dir': Flags.string({description: 'directory for the files (created if missing)', default: '.'}),
    secret: Flags.string({description: 'also write OUT_DIR/SECRET.secret.yaml, a kubernetes.io/tls Secret of this name'}),
    namespace: Flags.string({char: 'n', description: 'metadata.namespace of the Secret (omitted by default, as kubectl does); with --for, the namespace of objects that set none (default: namespace in .gwctl.yaml, else default)'}),
    force: Flags.boolean({description: 'replace existing files', default: false}),
    for: Flags.boolean({description: 'read manifests (the arguments) and issue every listener Secret they reference but lack', default: false, exclusive: ['dns', 'ip', 'cn', 'ca', 'client', 'issuer-cert', 'secret', 'not-before', 'not-after']}),
    backends: Flags.boolean({description: 'with --for: also issue the certificates of Passthrough backends', default: false, dependsOn: ['for']}),
    exclude: Flags.string({description: `with --for: ${EXCLUDE_FLAG_DESCRIPTION}`, multiple: true, helpValue: 'GLOB', dependsOn: ['for']}),
    'stdin-filename': Flags.string({description: 'with --for: the file name that messages give stdin (-)', helpValue: 'NAME', dependsOn: ['for']}),
    output: Flags.string({char: 'o', description: 'files: write files and list them; yaml: print the Secret (with the private key) and write nothing; json: write files and print a summary', options: ['files', 'yaml', 'json'], default: 'files'}),
    ...CONFIG_FLAGS,
    ...IMPLEMENTATION_FOR_FLAG,
  }

  async run(): Promise<void> {
    const {args, argv, flags} = await this.parse(CertsCreate)
    const key = buildKeySpec(flags['key-type'] as KeyType, flags['rsa-bits'], flags.curve)
    if (flags.for) {
      await this.createForManifests(argv as string[], {...flags, key, ...readManifestInputFlags(argv as string[], undefined, flags)})
      return
    }
    if (flags.implementation !== undefined) throw new UserError('usage', '--implementation applies with --for only', {hint: 'it chooses the controller whose view of the manifests names the Secrets to issue'})
    if (argv.length > 1) throw new UserError('usage', `one NAME expected, got ${argv.length} arguments`, {hint: 'use --for to read manifests'})
    const {createCertificate} = await import('../../certs/create-certificate.js')
    const result = await createCertificate({
      name: args.name,
      dnsNames: flags.dns ?? [],
      ipAddresses: flags.ip ?? [],
      commonName: flags.cn,
      organization: flags.org,
      key,
      days: flags.days,
      notBefore: flags['not-before'],
      notAfter: flags['not-after'],
      isCA: flags.ca,
      client: flags.client,
      issuerCertificatePath: flags['issuer-cert'],
      issuerKeyPath: flags['issuer-key'],
      outDir: flags['out-dir'],
      secretName: flags.secret,
      namespace: flags.namespace,
      force: flags.force,
      output: flags.output as 'files' | 'yaml' | 'json',
      now: new Date(),
    })
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`)
    if (flags.output === 'yaml') process.stdout.write(result.secretYaml ?? '')
    else if (flags.output === 'json') process.stdout.write(`${JSON.stringify(summarize(result), null, 2)}\n`)
    else process.stdout.write(renderFiles(result, flags.client))
  }

  /** `--for`: the engine says which Secrets are missing, src/certs issues them. */
  private async createForManifests(paths: string[], flags: {
    namespace?: string; 'out-dir': string; force: boolean; backends: boolean; days?: number; output: string; key: KeySpec
    config?: string; 'no-config'?: boolean; exclude?: string[]; stdinFilename?: string; implementation?: string
  }): Promise<void> {
    const [{analyzeManifests, assertUsable}, {listCertificateNeeds}, {issueForNeeds}, {settlePipelineOptions}] = await Promise.all([
      import('../../pipeline/analyze.js'), import('../../gatewayapi/certificate-needs.js'), import('../../certs/issue-for-needs.js'), import('../../config/apply-config.js'),
    ])
    const config = await loadCommandConfig(flags)
    const settings = settlePipelineOptions({namespace: flags.namespace, exclude: flags.exclude}, config)
    const implementation = await settleImplementation(flags.implementation, config)
    const analysis = await analyzeManifests(paths, {...settings, stdinFilename: flags.stdinFilename, checkCertificates: false, implementation})
    assertUsable(analysis)
    const needs = listCertificateNeeds(analysis.binding, {backends: flags.backends})
    const result = await issueForNeeds(needs, {outDir: flags['out-dir'], force: flags.force, now: new Date(), key: flags.key, days: flags.days})
    if (result.skipped.some((skipped) => skipped.refused)) process.exitCode = 1
    if (flags.output === 'json') {
      process.stdout.write(`${JSON.stringify({version: 1, ca: result.ca, issued: result.issued, skipped: result.skipped}, null, 2)}\n`)
      return
    }
    const lines: string[] = []
    if (result.ca !== undefined) lines.push(`${result.ca.created ? 'created' : 'reused'} local CA ${result.ca.certificate}`)
    for (const issued of result.issued) lines.push(`wrote ${issued.file}  Secret ${issued.namespace}/${issued.secretName}: ${[...issued.dnsNames, ...issued.ipAddresses].join(', ') || '(no hostname)'} — for ${issued.reason}`)
    for (const skipped of result.skipped) lines.push(`${skipped.refused ? 'refused' : 'skipped'} Secret ${skipped.namespace}/${skipped.secretName}: ${skipped.why}`)
    if (needs.length === 0) lines.push('nothing to issue: every Secret the listeners reference is in the input')
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}

function buildKeySpec(type: KeyType, rsaBits: string | undefined, curve: string | undefined): KeySpec {
  if (rsaBits !== undefined && type !== 'rsa') throw new UserError('usage', '--rsa-bits applies to --key-type rsa')
  if (curve !== undefined && type !== 'ecdsa') throw new UserError('usage', '--curve applies to --key-type ecdsa')
  if (type === 'rsa') return {type, rsaBits: Number(rsaBits ?? 2048) as RsaBits}
  if (type === 'ecdsa') return {type, curve: (curve ?? 'P-256') as EcCurve}
  return {type}
}

/** The `-o json` document: never holds a private key. */
function summarize(result: CreateCertificateResult) {
  return {version: 1, name: result.name, files: result.files, certificate: result.certificate, warnings: result.warnings}
}

function renderFiles(result: CreateCertificateResult, client: boolean): string {
  const {certificate, files} = result
  const lines: string[] = []
  if (files.certificate !== undefined) {
    const role = certificate.isCA ? 'CA certificate' : client ? 'client certificate' : 'certificate'
    const names = certificate.subjectAltNames === null ? '' : `, ${formatSubjectAltNames(certificate.subjectAltNames)}`
    lines.push(`wrote ${files.certificate}  ${role} ${certificate.subject}${names}, ${certificate.publicKey.text}, valid until ${certificate.notAfter}`)
  }
  if (files.key !== undefined) lines.push(`wrote ${files.key}  private key (PKCS#8, mode 0600)`)
  if (files.secret !== undefined) lines.push(`wrote ${files.secret}  kubernetes.io/tls Secret (holds the private key, mode 0600)`)
  return `${lines.join('\n')}\n`
}
