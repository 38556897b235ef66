/**
 * `gwctl test`: flags → one service (runRoutingTests, with the live or
 * target executor's factory for --live/--target; initTestFile or
 * updateTestFiles with --init/--update) → render. Exit 0 when every test
 * passed (not checkable ones do not fail), 1 when one failed, 2 on bad
 * input: a malformed test file (every problem printed with
 * file:line:column), an unknown Gateway or port, unreadable manifests.
 */
import type {Interfaces} from '@oclif/core'
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {CONFIG_FLAGS, loadCommandConfig} from '../cli/config-flags.js'
import {parseGatewayFlag} from '../cli/gateway-flag.js'
import {GwctlCommand, USAGE_EXIT_CODE} from '../cli/gwctl-command.js'
import type {ExitCodes} from '../cli/help.js'
import {IMPLEMENTATION_FLAG, settleImplementation} from '../cli/implementation-flag.js'
import {manifestInputFlags, readManifestInputFlags} from '../cli/manifest-input-flags.js'
import {UserError} from '../errors/user-error.js'
import type {ManifestPipeline} from '../testing/live/manifest-facts.js'
import type {TestFileProblem} from '../testing/read-test-file.js'
import type {ExecutorFactory} from '../testing/run-routing-tests.js'

const OUTPUT_FORMATS = ['stylish', 'json', 'junit', 'tap', 'github'] as const
/** The flags that choose the live or target executor. */
const EXECUTOR_FLAGS = ['live', 'target', 'target-map']
/** Flags that only mean something to the live or target executor. */
const PROBE_FLAGS = ['ca-file', 'backend-header', 'tolerance'] as const

export default class Test extends GwctlCommand {
  static override summary = 'Check routing expectations written as tests (*.gwctl-test.yaml) against the manifests'

  static override description = `Runs every test of the test files found next to the manifests (*.gwctl-test.yaml in PATHS, walked as lint walks them) or named with --tests, each through the engine that resolve and serve use, and reports expected against actual, with the resolve trace and the lint findings about what a failed test touches (its Gateway, the routes in its trace, the Services it expects).

A test file:

  kind: RoutingTests
  backendHeader: x-served-by                         # optional: the header in which this file's backends name themselves, live and with --target (wins over --backend-header)
  tests:
  - name: app is passed through
    request: {sni: app.example.com, port: 443}       # also: gateway (NAMESPACE/NAME), host, path, method, headers, protocol (tls|https|http|grpc|tcp|udp), clientCertificate {certificate, key}
    expect: {backend: passthrough/app:443}           # NAMESPACE/NAME:PORT; or backends: {NS/NAME:PORT: PERCENT}; refused: ALERT|closed; status; redirect; grpcStatus; listener; route: KIND NS/NAME; certificate {covers, secret, validDaysAtLeast}; headers

A test that names no Gateway tests the one Gateway listening on its port (of several, the one defined in the test file's directory tree). Without protocol, a test speaks what the listeners on its port take (HTTPS, then TLS, HTTP, TCP, UDP); sni defaults to the host for https and grpc, '' is a client without SNI.

Offline, what the gateway answers itself is observed (refusals as serve's TLS alerts, 404/421/500, redirects, gRPC 12/14, the certificate), while a backend's status and response headers are not: such expectations are reported as not checkable, which neither passes nor fails a test. Manifests the API server would reject fail the tests that touch the rejected objects, naming the error.

--init writes routing.gwctl-test.yaml next to the first PATH (or the --tests file) from today's routing table: one test per listener, hostname and route match, and a client without SNI and one with an unknown SNI per TLS port; it never overwrites without --force. --update rewrites the expectations of the test files found after an intended change, keeping names, comments and hand-written tests, and appends tests for the parts of the routing table no test exercises yet (a listener, route, rule and match; a client without SNI; an unrouted name per TLS port).

--live sends every test as real traffic through gwctl serve on the same manifests (one serve child process per Gateway the tests address — with --gateway, that one —, every listener port at an OS-chosen loopback port): a real TLS ClientHello with the test's SNI, the served certificate judged as a client judges it (chain against --ca-file, else the ca.crt next to the manifests and Secrets' ca.crt; names; expiry), then an HTTP/1.1, HTTP/2 or gRPC request, or a probe line on TCP, TLS and UDP. Backends are serve's --stub-backends (echo backends that name themselves; Passthrough stubs present a certificate from the stub CA, which the client then trusts too) or your --backend/--backends mappings. Listener and route come from serve's access log; the backend from its echo (the backend header in the response or gRPC metadata, or a stub's first line), else from the access log. A weighted expectation is sampled with enough connections to check each share within --tolerance percentage points (99% confidence). Live, a backend's status and headers are observed too. A listener serve cannot serve (a Secret that is not there yet, as cert-manager's until it issues one: run gwctl certs create --for and add its --out-dir to PATHS) makes the tests on its port not checkable, with serve's reason.

--target HOST[:PORT] sends the same traffic to a real gateway (a load balancer, a kubectl port-forward): HOST alone reaches every listener on its own port, HOST:PORT one listener port; one --target per Gateway in the manifests' order, or --target-map NS/GATEWAY[:LISTENER_PORT]=HOST[:PORT]. SNI, alerts, the certificate (and which Secret of the manifests it is), status codes, redirects and headers are checked; the backend when it names itself in the backend header, else it is not checkable; listener and route are never observable from outside and are reported not checkable.

The backend header (live and with --target) is the test file's backendHeader for its tests, else --backend-header (default x-gwctl-backend); offline it has no effect.

Not checkable means neither passed nor failed: the report says why for each expectation. Every format names the executor (offline, live, target) and, live and against a target, what it ran against and each test's connection trace.

A .gwctl.yaml (see gwctl lint --help) gives the defaults of --namespace, --gateway-class and --implementation, and its exclude and channel.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> manifests/',
    '<%= config.bin %> <%= command.id %> --tests tests/routing.gwctl-test.yaml manifests/',
    '<%= config.bin %> <%= command.id %> -o junit manifests/ > routing-tests.xml',
    '<%= config.bin %> <%= command.id %> --live --stub-backends fixtures/scenarios/passthrough',
    '<%= config.bin %> <%= command.id %> --live --backend web/api:80=127.0.0.1:8080 manifests/',
    '<%= config.bin %> <%= command.id %> --target 203.0.113.7 --ca-file ca.crt --backend-header x-served-by manifests/',
    '<%= config.bin %> <%= command.id %> --target-map infra/public:443=127.0.0.1:8443 manifests/',
    '<%= config.bin %> <%= command.id %> --init manifests/',
    '<%= config.bin %> <%= command.id %> --update manifests/',
  ]

  static exitCodes: ExitCodes = {
    0: 'every test passed, or --init/--update wrote its file',
    1: 'a test failed',
    2: 'usage error or bad input: a malformed test file, an unknown Gateway or port, unreadable manifests',
  }

  static override strict = false

  static override args = {
    paths: Args.string({description: 'manifest files, directories (recursive), globs, or - for stdin, and test files; default: the current directory'}),
  }

  static override flags = {
    tests: Flags.string({description: 'a test file, or a directory of *.gwctl-test.yaml files, to run besides those found next to the manifests (repeatable); with --init, the file to write', multiple: true, helpValue: 'FILE|DIR'}),
    output: Flags.string({char: 'o', description: 'output format', options: [...OUTPUT_FORMATS], default: 'stylish'}),
    gateway: Flags.string({description: 'only the tests of this Gateway (NAMESPACE/NAME, or NAME in --namespace); a test that names none tests it unless another Gateway is its own'}),
    init: Flags.boolean({description: 'write a test file from today\'s routing table instead of running tests', exclusive: ['update', ...EXECUTOR_FLAGS]}),
    update: Flags.boolean({description: 'rewrite the expectations of the test files to today\'s routing, keeping names, comments and hand-written tests', exclusive: ['init', ...EXECUTOR_FLAGS]}),
    live: Flags.boolean({description: 'send the tests as real traffic through gwctl serve on the same manifests (with --stub-backends or --backend/--backends)', exclusive: ['target', 'target-map']}),
    'stub-backends': Flags.boolean({description: 'with --live: serve starts a built-in echo backend for every Service port no --backend/--backends entry maps', dependsOn: ['live']}),
    'stub-ca-dir': Flags.string({description: 'with --stub-backends: the local CA (ca.crt, ca.key; created if absent) of the TLS stubs\' certificates; default: one per serve run, removed after it', dependsOn: ['stub-backends'], helpValue: 'DIR'}),
    backend: Flags.string({description: 'with --live: local address of a Service port, NAMESPACE/NAME:PORT=HOST:PORT (repeatable; wins over --backends)', multiple: true, dependsOn: ['live'], helpValue: 'NS/NAME:PORT=HOST:PORT'}),
    backends: Flags.string({description: 'with --live: YAML file mapping NAMESPACE/NAME:PORT to HOST:PORT', dependsOn: ['live'], helpValue: 'FILE'}),
    target: Flags.string({description: 'send the tests to a real gateway: HOST (every listener on its own port) or HOST:PORT (one listener port); one per Gateway in the manifests\' order (repeatable)', multiple: true, helpValue: 'HOST[:PORT]', exclusive: ['live']}),
    'target-map': Flags.string({description: 'where one Gateway (or one of its listener ports) of the manifests is reached, NS/GATEWAY[:LISTENER_PORT]=HOST[:PORT] (repeatable; wins over --target)', multiple: true, helpValue: 'NS/GATEWAY[:PORT]=ADDRESS', exclusive: ['live']}),
    'ca-file': Flags.string({description: 'with --live or --target: a CA certificate (PEM) the client trusts instead of the manifests\' ca.crt files and Secrets (repeatable)', multiple: true, helpValue: 'FILE'}),
    'backend-header': Flags.string({description: 'with --live or --target: the response header (gRPC metadata) in which a backend names itself, NAMESPACE/NAME:PORT; a test file\'s backendHeader wins for its tests', default: 'x-gwctl-backend', helpValue: 'NAME'}),
    tolerance: Flags.string({description: 'with --live or --target: percentage points each weighted share may differ from its weight, checked at 99% confidence by sampling (more connections for a smaller tolerance)', default: '5', helpValue: 'POINTS'}),
    force: Flags.boolean({description: 'with --init: overwrite an existing test file', dependsOn: ['init']}),
    filename: Flags.string({char: 'f', description: 'file, directory or glob of manifests, as kubectl takes it (repeatable)', multiple: true}),
    namespace: Flags.string({char: 'n', description: 'namespace of objects (and test Gateways) that do not set one (default: namespace in .gwctl.yaml, else default)'}),
    'gateway-class': Flags.string({description: 'only Gateways of this GatewayClass (repeatable; default: gateway-class in .gwctl.yaml)', multiple: true}),
    channel: Flags.string({description: 'Gateway API release channel the cluster runs: on standard, objects of experimental versions or fields are rejected and fail the tests that touch them (default: channel in .gwctl.yaml, else experimental)', options: ['experimental', 'standard']}),
    ...manifestInputFlags,
    color: Flags.boolean({description: 'colour the stylish output (default: when stdout is a terminal and NO_COLOR is unset)', allowNo: true}),
    now: Flags.string({description: 'the time certificates are checked against (RFC 3339); for reproducible runs', hidden: true}),
    ...CONFIG_FLAGS,
    ...IMPLEMENTATION_FLAG,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Test)
    const config = await loadCommandConfig(flags)
    const {settlePipelineOptions} = await import('../config/apply-config.js')
    const settings = settlePipelineOptions(flags, config)
    const now = flags.now === undefined ? new Date() : new Date(flags.now)
    if (Number.isNaN(now.getTime())) throw new UserError('usage', `--now '${flags.now}' is not an RFC 3339 time`)
    const {stdinFilename} = readManifestInputFlags(argv as string[], flags.filename, flags)
    const paths = [...(argv as string[]), ...(flags.filename ?? [])]
    const options = {
      ...settings, stdinFilename, paths, tests: flags.tests ?? [], cwd: process.cwd(), now,
      gateway: flags.gateway === undefined ? undefined : parseGatewayFlag(flags.gateway, settings.defaultNamespace),
      implementation: await settleImplementation(flags.implementation, config),
    }

    if (flags.init) {
      const {initTestFile} = await import('../testing/maintain-test-files.js')
      const written = await initTestFile({...options, force: flags.force})
      if (flags.output === 'json') {
        process.stdout.write(`${JSON.stringify(written, null, 2)}\n`)
        return
      }
      process.stdout.write(`wrote ${written.file}: ${written.tests} test${written.tests === 1 ? '' : 's'} from today's routing table${written.leftOut > 0 ? ` (${written.leftOut} RegularExpression match${written.leftOut === 1 ? '' : 'es'} left out)` : ''}; review each expectation against the intended routing\n`)
      return
    }
    if (flags.update) {
      const {updateTestFiles} = await import('../testing/maintain-test-files.js')
      const updated = await updateTestFiles(options)
      if (updated.problems !== undefined) return this.reportProblems(updated.problems, flags.output)
      if (flags.output === 'json') {
        process.stdout.write(`${JSON.stringify({files: updated.files}, null, 2)}\n`)
        return
      }
      for (const file of updated.files) process.stdout.write(`${file.file}: ${file.changed} test${file.changed === 1 ? '' : 's'} updated, ${file.added} added\n`)
      return
    }

    const {runRoutingTests} = await import('../testing/run-routing-tests.js')
    const outcome = await runRoutingTests({...options, createExecutor: await this.chooseExecutor(flags, argv as string[], {
      defaultNamespace: settings.defaultNamespace, gatewayClassNames: settings.gatewayClassNames, channel: settings.channel, exclude: settings.exclude, implementation: options.implementation, cwd: options.cwd,
    })})
    if (outcome.problems !== undefined) return this.reportProblems(outcome.problems, flags.output)
    const [{formatTestReport}, {shouldUseColor}] = await Promise.all([import('../testing/format/format-test-report.js'), import('../lint/format/color-choice.js')])
    const color = shouldUseColor(process.env, Boolean(process.stdout.isTTY), flags.color)
    process.stdout.write(`${formatTestReport(outcome.report, flags.output as typeof OUTPUT_FORMATS[number], {color})}\n`)
    process.exitCode = outcome.report.summary.failed > 0 ? 1 : 0
  }

  /** --live or --target: the factory of that executor, its options from the flags; undefined: offline. */
  private async chooseExecutor(flags: Interfaces.InferredFlags<typeof Test.flags>, argv: string[], pipeline: ManifestPipeline & {defaultNamespace: string}): Promise<ExecutorFactory | undefined> {
    const target = (flags.target ?? []).length > 0 || (flags['target-map'] ?? []).length > 0
    if (!flags.live && !target) {
      const given = PROBE_FLAGS.filter((name) => this.argvNames(name))
      if (given.length > 0) throw new UserError('usage', `--${given[0]} applies to --live and --target, which this run does not use`, {hint: 'add --live (or --target HOST) to send the tests as traffic'})
      return undefined
    }
    if ([...argv, ...(flags.filename ?? [])].includes('-')) throw new UserError('usage', `${flags.live ? '--live' : '--target'} reads the manifests from files, not from stdin (-)`, {hint: 'name the manifest files instead'})
    const tolerancePercent = Number(flags.tolerance)
    if (!(tolerancePercent > 0 && tolerancePercent < 50)) throw new UserError('usage', `--tolerance '${flags.tolerance}' is not a number of percentage points above 0 and below 50`)
    const probe = {pipeline, caFiles: flags['ca-file'], backendHeader: flags['backend-header'], tolerancePercent}
    const {createLiveExecutorFactory, createTargetExecutorFactory} = await import('../testing/live/executor-factories.js')
    if (target) return createTargetExecutorFactory({...probe, targets: flags.target, targetMap: flags['target-map']})
    if (!flags['stub-backends'] && (flags.backend ?? []).length === 0 && flags.backends === undefined) {
      throw new UserError('usage', '--live needs backends to send traffic to: --stub-backends (built-in echo backends) or --backend/--backends mappings')
    }
    const serveArgs = ['--namespace', pipeline.defaultNamespace,
      ...(flags['gateway-class'] ?? []).flatMap((name) => ['--gateway-class', name]),
      ...(flags.exclude ?? []).flatMap((glob) => ['--exclude', glob]),
      ...(flags.config === undefined ? [] : ['--config', flags.config]), ...(flags['no-config'] ? ['--no-config'] : []),
      ...(flags.implementation === undefined ? [] : ['--implementation', flags.implementation])]
    return createLiveExecutorFactory({...probe, stubBackends: flags['stub-backends'], stubCaDir: flags['stub-ca-dir'], backendFlags: flags.backend, backendsFile: flags.backends, serveArgs})
  }

  /** Whether the command line names this flag (a flag with a default is always set). */
  private argvNames(name: string): boolean {
    return this.argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))
  }

  /** Every problem of the test files on its own line (or as JSON; with -o github also as annotations), exit 2. */
  private async reportProblems(problems: readonly TestFileProblem[], output: string): Promise<void> {
    if (output === 'github') {
      const {escapeData, escapeProperty} = await import('../lint/format/github.js')
      for (const problem of problems) {
        process.stdout.write(`::error file=${escapeProperty(problem.file)},line=${problem.line},col=${problem.column},title=${escapeProperty('gwctl test: bad test file')}::${escapeData(`${problem.message}${problem.hint === undefined ? '' : ` (${problem.hint})`}`)}\n`)
      }
    }
    if (output === 'json') {
      const [first] = problems
      process.stdout.write(`${JSON.stringify({error: {code: 'input', message: first.message, file: `${first.file}:${first.line}:${first.column}`, ...(first.hint === undefined ? {} : {hint: first.hint}),
        problems: problems.map((problem) => ({...problem}))}})}\n`)
    } else {
      for (const problem of problems) process.stderr.write(`gwctl: ${problem.file}:${problem.line}:${problem.column}: ${problem.message}${problem.hint === undefined ? '' : ` (${problem.hint})`}\n`)
    }
    process.exitCode = USAGE_EXIT_CODE
  }
}
