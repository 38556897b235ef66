/**
 * `gwctl lint [PATHS...]`: flags → analyzeManifests → report → format.
 * Exit 0 clean, 1 findings at or above --fail-on, 2 usage error or input
 * that could not be used (whole or in part).
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {CONFIG_FLAGS, loadCommandConfig} from '../cli/config-flags.js'
import {IMPLEMENTATION_FLAG, settleImplementation} from '../cli/implementation-flag.js'
import {GwctlCommand} from '../cli/gwctl-command.js'
import type {ExitCodes} from '../cli/help.js'
import {manifestInputFlags, readManifestInputFlags} from '../cli/manifest-input-flags.js'
import {UserError} from '../errors/user-error.js'
import {FAIL_ON_LEVELS} from '../lint/report.js'
import {OUTPUT_FORMATS} from '../lint/format/output-formats.js'
import {formatBytes, MAX_FILE_BYTES} from '../manifests/limits.js'

export default class Lint extends GwctlCommand {
  static override summary = 'Check Gateway API manifests as the API server and a conformant controller would'

  static override description = `Loads manifests (files, directories, globs, - for stdin), validates every Gateway API object against the JSON Schema and CEL rules of the Gateway API v1.6.1 CRDs, binds Gateways, ListenerSets, routes, ReferenceGrants, Services and Secrets as a conformant controller would, and reports every problem at its file:line:column, with the status conditions the controller would set.

Offline, gwctl plays the controller of every GatewayClass (narrow with --gateway-class). Where the Gateway API leaves a choice to implementations, gwctl: accepts TLS Passthrough and Terminate listeners on one port (TLSRouteModeMixed); rejects HTTP with HTTPS/TLS, and HTTPS with TLS, on one port (ProtocolConflict); lets TLS Terminate listeners carry TLSRoute and TCPRoute; reports a route kind a listener does not accept as NotAllowedByListeners; applies Gateway spec.tls.frontend client-certificate validation to TLS Terminate listeners as well as HTTPS ones, and accepts a Secret with ca.crt as well as a ConfigMap as a CA reference; reports a backendRef whose BackendTLSPolicy cannot be honoured as ResolvedRefs=False/InvalidBackendTLSPolicy (its traffic fails, never in plaintext); matches RegularExpression values as whole-value RE2 regular expressions (linear time; a pattern RE2 cannot compile is route-regex-unsupported and its rule is not served); takes a GatewayClass or Gateway infrastructure parametersRef to a ConfigMap or to a resource of an implementation's own API group, and rejects other kinds with InvalidParameters.

--implementation NAME[@VERSION] plays that controller instead, from its Gateway API conformance report (gwctl implementations lists them; a version takes the nearest report at or below it): a feature the report declares unsupported is an implementation-unsupported-feature error at the field that uses it, one it does not mention a warning (behaviour unknown); TLSRouteModeMixed and TLSRouteModeTerminate follow the report, GatewayPort8080 too, NGINX Gateway Fabric lets HTTPS and TLS listeners share a port with disjoint hostnames (its documentation), choices no report covers (HTTPS and TLS on one port elsewhere, TCPRoute on a TLS Terminate listener, the RegularExpression dialect) are warnings saying the behaviour is unknown, and --status writes GatewayClass status.supportedFeatures. --implementation all prints a matrix of which implementations accept the configuration and what each adds (text or -o json; the exit status stays generic's).

Secrets and Services absent from the input are warnings (CI often lints without them); --require-refs makes them errors.

Settings a team pins go in .gwctl.yaml, found in the working directory or a parent (up to the directory holding .git), or named with --config (--no-config ignores it). Keys: rules (RULE_ID: off, error, warning or info), exclude (globs, relative to the file's directory; one without a / matches at any depth), and the defaults of channel, fail-on, require-refs, gateway-class (a list), expiry-warning, output, namespace and implementation. Flags given on the command line win over the file. An unknown key, rule id or value is an error (exit 2) naming the file, line and column. For example:
rules: {backend-not-found: off, reference-grant-unused: error}
exclude: [charts/, "**/values.yaml"]
fail-on: warning

The annotation gwctl/ignore: "RULE_ID, RULE_ID: reason; RULE_ID: other reason" on an object silences those rules for that object. Suppressed findings never fail the run; they are counted in every format and listed with -o json. A listed rule that reported nothing is an info finding (ignore-annotation-unused). Turning off a schema or input error changes the report only: resolve, serve and certs create --for still refuse input the API server would reject.

Walking a directory (or expanding a glob), hidden entries, node_modules and dist are not entered, and a *.yaml, *.yml or *.json file that holds no Kubernetes object (no apiVersion or kind in any document: package.json, a Helm values.yaml) is skipped, not an error: the summary counts skipped files and -v lists them. A file named explicitly is always checked. --exclude leaves out more. Stdin is read only when - is given (or -f -).

Exit status: 0 no finding at or above --fail-on; 1 findings at or above --fail-on; 2 a usage error, or input that could not be used, whole or in part (a missing or unreadable path, a file that is not UTF-8 text or is over ${formatBytes(MAX_FILE_BYTES)}, a document that is not YAML, nests too deep, expands too many aliases, or is not an object with apiVersion and kind: category input errors), whatever --fail-on says, since the findings then cover only part of the input.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> fixtures/',
    '<%= config.bin %> <%= command.id %> -f gateway.yaml -f routes/ --output sarif > gwctl.sarif',
    '<%= config.bin %> <%= command.id %> manifests/ --output json --fail-on warning',
    '<%= config.bin %> <%= command.id %> manifests/ --status > computed.yaml',
    '<%= config.bin %> <%= command.id %> manifests/ --config ci/.gwctl.yaml',
    'kustomize build overlays/prod | <%= config.bin %> <%= command.id %> -',
    'helm template charts/app | <%= config.bin %> <%= command.id %> - --stdin-filename charts/app/rendered.yaml --output sarif',
    "<%= config.bin %> <%= command.id %> --exclude 'charts/**' --exclude test/ --verbose",
  ]

  static exitCodes: ExitCodes = {
    0: 'no finding at or above --fail-on',
    1: 'findings at or above --fail-on (default: error)',
    2: 'usage error or unusable input (unreadable file, not YAML, too large)',
  }

  static override strict = false

  static override args = {
    paths: Args.string({description: 'files, directories (recursive), globs, or - for stdin; default: the current directory'}),
  }

  static override flags = {
    filename: Flags.string({char: 'f', description: 'file, directory or glob to read, as kubectl takes it (repeatable, comma-separated)', multiple: true}),
    namespace: Flags.string({char: 'n', description: 'namespace of objects that do not set one (default: namespace in .gwctl.yaml, else default)'}),
    output: Flags.string({char: 'o', description: 'output format (default: output in .gwctl.yaml, else stylish)', options: [...OUTPUT_FORMATS]}),
    'fail-on': Flags.string({description: 'lowest severity that makes the exit status 1 (default: fail-on in .gwctl.yaml, else error)', options: [...FAIL_ON_LEVELS]}),
    channel: Flags.string({description: 'Gateway API release channel the cluster runs: standard rejects experimental fields and versions (default: channel in .gwctl.yaml, else experimental)', options: ['experimental', 'standard']}),
    'gateway-class': Flags.string({description: 'bind only Gateways of this GatewayClass, as its controller would (repeatable; default: gateway-class in .gwctl.yaml)', multiple: true}),
    'require-refs': Flags.boolean({description: 'Secrets and Services absent from the input are errors, not warnings (--no-require-refs overrides .gwctl.yaml)', allowNo: true}),
    'expiry-warning': Flags.string({description: 'warn about certificates expiring within this period, a number and a unit: 30d, 12h, 2w (default: expiry-warning in .gwctl.yaml, else 30d)'}),
    ...CONFIG_FLAGS,
    ...IMPLEMENTATION_FLAG,
    status: Flags.boolean({description: 'print the Gateway API manifests back as YAML with their computed status (findings go to stderr)'}),
    color: Flags.boolean({description: 'colour the stylish output (default: when stdout is a terminal and NO_COLOR is unset)', allowNo: true}),
    ...manifestInputFlags,
    verbose: Flags.boolean({char: 'v', description: 'stylish output: also list the files skipped (no Kubernetes object, or excluded) and why'}),
    now: Flags.string({description: 'the time certificates are checked against (RFC 3339); for reproducible runs', hidden: true}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Lint)
    const now = flags.now === undefined ? new Date() : parseTime(flags.now)
    const config = await loadCommandConfig(flags)
    const [{settleLintOptions, settlePipelineOptions}, {analyzeManifests}] = await Promise.all([import('../config/apply-config.js'), import('../pipeline/analyze.js')])
    const {output: format, failOn} = settleLintOptions(flags, config)
    const {stdinFilename} = readManifestInputFlags(argv as string[], flags.filename, flags)
    if ((flags.implementation ?? config?.implementation)?.toLowerCase() === 'all') {
      if (flags.status) throw new UserError('usage', '--status cannot be combined with --implementation all', {hint: 'name one implementation for --status'})
      if (format !== 'stylish' && format !== 'json') throw new UserError('usage', `--implementation all prints a matrix as text or json, not ${format}`, {hint: 'use -o json, or name one implementation'})
      const {lintEveryImplementation} = await import('../lint/lint-every-implementation.js')
      const result = await lintEveryImplementation(argv as string[], {filenames: flags.filename, ...settlePipelineOptions(flags, config), stdinFilename, now}, failOn)
      process.stdout.write(`${format === 'json' ? result.json : result.text}\n`)
      process.exitCode = result.exitCode
      return
    }
    const analysis = await analyzeManifests(argv as string[], {filenames: flags.filename, ...settlePipelineOptions(flags, config), stdinFilename, now, implementation: await settleImplementation(flags.implementation, config)})
    const [{buildLintReport, renderStatusYaml}, {formatReport}, {exitCodeFor}, {shouldUseColor}] = await Promise.all([
      import('../lint/build-report.js'), import('../lint/format/format-report.js'), import('../lint/report.js'), import('../lint/format/color-choice.js'),
    ])
    const report = buildLintReport(analysis, {version: this.config.version}, now)
    const options = {failOn, cwd: process.cwd()}
    if (flags.status) {
      process.stdout.write(renderStatusYaml(analysis, now))
      const text = formatReport(report, format, {...options, verbose: flags.verbose, color: shouldUseColor(process.env, Boolean(process.stderr.isTTY), flags.color)})
      if (text !== '') process.stderr.write(`${text}\n`)
    } else {
      const text = formatReport(report, format, {...options, verbose: flags.verbose, color: shouldUseColor(process.env, Boolean(process.stdout.isTTY), flags.color)})
      if (text !== '') process.stdout.write(`${text}\n`)
    }
    process.exitCode = analysis.fatal ? 2 : exitCodeFor(report, failOn)
  }
}

function parseTime(value: string): Date {
  const time = new Date(value)
  if (Number.isNaN(time.getTime())) throw new UserError('usage', `--now '${value}' is not an RFC 3339 time`)
  return time
}
