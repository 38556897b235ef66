/**
 * `gwctl test`: flags → one service (runRoutingTests; initTestFile or
 * updateTestFiles with --init/--update) → render. Exit 0 when every test
 * passed (not checkable ones do not fail), 1 when one failed, 2 on bad
 * input: a malformed test file (every problem printed with
 * file:line:column), an unknown Gateway or port, unreadable manifests.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {CONFIG_FLAGS, loadCommandConfig} from '../cli/config-flags.js'
import {parseGatewayFlag} from '../cli/gateway-flag.js'
import {GwctlCommand, USAGE_EXIT_CODE} from '../cli/gwctl-command.js'
import type {ExitCodes} from '../cli/help.js'
import {IMPLEMENTATION_FLAG, settleImplementation} from '../cli/implementation-flag.js'
import {manifestInputFlags, readManifestInputFlags} from '../cli/manifest-input-flags.js'
import {UserError} from '../errors/user-error.js'
import type {TestFileProblem} from '../testing/read-test-file.js'

const OUTPUT_FORMATS = ['stylish', 'json', 'junit', 'tap', 'github'] as const

export default class Test extends GwctlCommand {
  static override summary = 'Check routing expectations written as tests (*.gwctl-test.yaml) against the manifests'

  static override description = `Runs every test of the test files found next to the manifests (*.gwctl-test.yaml in PATHS, walked as lint walks them) or named with --tests, each through the engine that resolve and serve use, and reports expected against actual, with the resolve trace and the lint findings about what a failed test touches (its Gateway, the routes in its trace, the Services it expects).

A test file:

  kind: RoutingTests
  tests:
  - name: app is passed through
    request: {sni: app.example.com, port: 443}       # also: gateway (NAMESPACE/NAME), host, path, method, headers, protocol (tls|https|http|grpc|tcp|udp), clientCertificate {certificate, key}
    expect: {backend: passthrough/app:443}           # NAMESPACE/NAME:PORT; or backends: {NS/NAME:PORT: PERCENT}; refused: ALERT|closed; status; redirect; grpcStatus; listener; route: KIND NS/NAME; certificate {covers, secret, validDaysAtLeast}; headers

A test that names no Gateway tests the one Gateway listening on its port (of several, the one defined in the test file's directory tree). Without protocol, a test speaks what the listeners on its port take (HTTPS, then TLS, HTTP, TCP, UDP); sni defaults to the host for https and grpc, '' is a client without SNI.

Offline, what the gateway answers itself is observed (refusals as serve's TLS alerts, 404/421/500, redirects, gRPC 12/14, the certificate), while a backend's status and response headers are not: such expectations are reported as not checkable, which neither passes nor fails a test. Manifests the API server would reject fail the tests that touch the rejected objects, naming the error.

--init writes routing.gwctl-test.yaml next to the first PATH (or the --tests file) from today's routing table: one test per listener, hostname and route match, and a client without SNI and one with an unknown SNI per TLS port; it never overwrites without --force. --update rewrites the expectations of the test files found after an intended change, keeping names, comments and hand-written tests, and appends tests for the parts of the routing table no test exercises yet (a listener, route, rule and match; a client without SNI; an unrouted name per TLS port).

A .gwctl.yaml (see gwctl lint --help) gives the defaults of --namespace, --gateway-class and --implementation, and its exclude and channel.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> manifests/',
    '<%= config.bin %> <%= command.id %> --tests tests/routing.gwctl-test.yaml manifests/',
    '<%= config.bin %> <%= command.id %> -o junit manifests/ > routing-tests.xml',
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
    init: Flags.boolean({description: 'write a test file from today\'s routing table instead of running tests', exclusive: ['update']}),
    update: Flags.boolean({description: 'rewrite the expectations of the test files to today\'s routing, keeping names, comments and hand-written tests', exclusive: ['init']}),
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
    const outcome = await runRoutingTests(options)
    if (outcome.problems !== undefined) return this.reportProblems(outcome.problems, flags.output)
    const [{formatTestReport}, {shouldUseColor}] = await Promise.all([import('../testing/format/format-test-report.js'), import('../lint/format/color-choice.js')])
    const color = shouldUseColor(process.env, Boolean(process.stdout.isTTY), flags.color)
    process.stdout.write(`${formatTestReport(outcome.report, flags.output as typeof OUTPUT_FORMATS[number], {color})}\n`)
    process.exitCode = outcome.report.summary.failed > 0 ? 1 : 0
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
