/**
 * `gwctl lint [PATHS...]`: flags → analyzeManifests → report → format.
 * Exit 0 clean, 1 findings at or above --fail-on, 2 unusable input.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {parseDurationDays} from '../cli/duration-flag.js'
import {GwctlCommand} from '../cli/gwctl-command.js'
import {UserError} from '../errors/user-error.js'
import {FAIL_ON_LEVELS, type FailOn} from '../lint/report.js'
import {OUTPUT_FORMATS, type OutputFormat} from '../lint/format/format-report.js'

export default class Lint extends GwctlCommand {
  static override summary = 'Check Gateway API manifests as the API server and a conformant controller would'

  static override description = `Loads manifests (files, directories, globs, - for stdin), validates every Gateway API object against the JSON Schema and CEL rules of the Gateway API v1.6.1 CRDs, binds Gateways, ListenerSets, routes, ReferenceGrants, Services and Secrets as a conformant controller would, and reports every problem at its file:line:column, with the status conditions the controller would set.

Offline, gwctl plays the controller of every GatewayClass (narrow with --gateway-class). Where the Gateway API leaves a choice to implementations, gwctl: accepts TLS Passthrough and Terminate listeners on one port (TLSRouteModeMixed); rejects HTTP with HTTPS/TLS, and HTTPS with TLS, on one port (ProtocolConflict); lets TLS Terminate listeners carry TLSRoute and TCPRoute; reports a route kind a listener does not accept as NotAllowedByListeners; applies Gateway spec.tls.frontend client-certificate validation to TLS Terminate listeners as well as HTTPS ones, and accepts a Secret with ca.crt as well as a ConfigMap as a CA reference; reports a backendRef whose BackendTLSPolicy cannot be honoured as ResolvedRefs=False/InvalidBackendTLSPolicy (its traffic fails, never in plaintext); matches RegularExpression values as whole-string ECMAScript regular expressions.

Secrets and Services absent from the input are warnings (CI often lints without them); --require-refs makes them errors.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> fixtures/',
    '<%= config.bin %> <%= command.id %> -f gateway.yaml -f routes/ --output sarif > gwctl.sarif',
    '<%= config.bin %> <%= command.id %> manifests/ --output json --fail-on warning',
    '<%= config.bin %> <%= command.id %> manifests/ --status > computed.yaml',
    'kustomize build overlays/prod | <%= config.bin %> <%= command.id %> -',
  ]

  static override strict = false

  static override args = {
    paths: Args.string({description: 'files, directories (recursive), globs, or - for stdin; default: the current directory'}),
  }

  static override flags = {
    filename: Flags.string({char: 'f', description: 'file, directory or glob to read, as kubectl takes it (repeatable, comma-separated)', multiple: true}),
    namespace: Flags.string({char: 'n', description: 'namespace of objects that do not set one', default: 'default'}),
    output: Flags.string({char: 'o', description: 'output format', options: [...OUTPUT_FORMATS], default: 'stylish'}),
    'fail-on': Flags.string({description: 'lowest severity that makes the exit status 1', options: [...FAIL_ON_LEVELS], default: 'error'}),
    channel: Flags.string({description: 'Gateway API release channel the cluster runs: standard rejects experimental fields and versions', options: ['experimental', 'standard'], default: 'experimental'}),
    'gateway-class': Flags.string({description: 'bind only Gateways of this GatewayClass, as its controller would (repeatable)', multiple: true}),
    'require-refs': Flags.boolean({description: 'Secrets and Services absent from the input are errors, not warnings'}),
    'expiry-warning': Flags.string({description: 'warn about certificates expiring within this period (e.g. 30d, 12h, 2w)', default: '30d'}),
    status: Flags.boolean({description: 'print the Gateway API manifests back as YAML with their computed status (findings go to stderr)'}),
    color: Flags.boolean({description: 'colour the stylish output (default: when stdout is a terminal and NO_COLOR is unset)', allowNo: true}),
    now: Flags.string({description: 'the time certificates are checked against (RFC 3339); for reproducible runs', hidden: true}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Lint)
    const now = flags.now === undefined ? new Date() : parseTime(flags.now)
    const expiryWarningDays = parseDurationDays(flags['expiry-warning'], 'expiry-warning')
    const {analyzeManifests} = await import('../pipeline/analyze.js')
    const analysis = await analyzeManifests(argv as string[], {
      filenames: flags.filename,
      defaultNamespace: flags.namespace,
      channel: flags.channel as 'experimental' | 'standard',
      gatewayClassNames: flags['gateway-class'],
      requireRefs: flags['require-refs'],
      expiryWarningDays,
      now,
    })
    const [{buildLintReport, renderStatusYaml}, {formatReport}, {exitCodeFor}, {shouldUseColor}] = await Promise.all([
      import('../lint/build-report.js'), import('../lint/format/format-report.js'), import('../lint/report.js'), import('../lint/format/color-choice.js'),
    ])
    const report = buildLintReport(analysis, {version: this.config.version}, now)
    const format = flags.output as OutputFormat
    if (flags.status) {
      process.stdout.write(renderStatusYaml(analysis, now))
      const text = formatReport(report, format, {color: shouldUseColor(process.env, Boolean(process.stderr.isTTY), flags.color)})
      if (text !== '') process.stderr.write(`${text}\n`)
    } else {
      const text = formatReport(report, format, {color: shouldUseColor(process.env, Boolean(process.stdout.isTTY), flags.color)})
      if (text !== '') process.stdout.write(`${text}\n`)
    }
    process.exitCode = analysis.fatal ? 2 : exitCodeFor(report, flags['fail-on'] as FailOn)
  }
}

function parseTime(value: string): Date {
  const time = new Date(value)
  if (Number.isNaN(time.getTime())) throw new UserError('usage', `--now '${value}' is not an RFC 3339 time`)
  return time
}
