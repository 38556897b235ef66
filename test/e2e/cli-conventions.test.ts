/**
 * Issue 9 §7, CLI conventions, with the built CLI: help (`help [COMMAND]`,
 * `-h`, `--help`) on every command with its exit codes; did-you-mean for
 * commands and flags; the commands of kubernetes-sigs/gwctl; bash
 * completion (oclif's autocomplete plugin, offline); one duration parser and
 * one --gateway parser for every flag; `-o json` and `--fail-on` on
 * `certs inspect`; usage errors are one line and exit 2 on every command.
 */
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {REPO_ROOT} from '../support/fixture-expectations.js'
import {BIN, type RunResult} from '../support/run-cli.js'

const COMMANDS = ['lint', 'resolve', 'serve', 'test', 'certs create', 'certs inspect', 'implementations', 'help']
const PASSTHROUGH = join(REPO_ROOT, 'fixtures', 'scenarios', 'passthrough')

/**
 * The built CLI, as test/support/run-cli.ts runs it, but killed after a minute: a serve
 * that should have refused its flags would otherwise serve until the suite hangs.
 */
async function runGwctl(argv: string[], options: {input?: string} = {}): Promise<RunResult> {
  const stdin = options.input === undefined ? {stdin: 'ignore' as const} : {input: options.input}
  const result = await execa('node', [BIN, ...argv], {...stdin, reject: false, timeout: 60_000, env: {NO_COLOR: '1'}})
  return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr}
}

function assertOneLineUsageError(result: RunResult, pattern: RegExp, what: string): void {
  assert.equal(result.exitCode, 2, `${what}: exit 2 (stderr: ${result.stderr})`)
  assert.equal(result.stdout, '', `${what}: nothing on stdout`)
  assert.match(result.stderr, /^gwctl: [^\n]+$/, `${what}: one line on stderr`)
  assert.match(result.stderr, pattern, what)
}

describe('e2e: CLI conventions (issue 9 §7)', function () {
  this.timeout(120_000)

  describe('help', () => {
    it('gwctl help and gwctl --help: the commands, the certs topic and the exit codes', async () => {
      const [help, flag] = await Promise.all([runGwctl(['help']), runGwctl(['--help'])])
      assert.equal(help.exitCode, 0, help.stderr)
      assert.equal(help.stdout, flag.stdout)
      for (const line of [/^ {2}lint {2,}Check Gateway API manifests/m, /^ {2}certs {2,}Create and inspect/m, /^ {2}autocomplete /m, /^EXIT CODES\n {2}0 {2}success/m]) assert.match(help.stdout, line)
    })

    for (const command of COMMANDS) {
      it(`${command}: gwctl help ${command}, ${command} -h and ${command} --help print the same help, with EXIT CODES`, async () => {
        const words = command.split(' ')
        const [viaHelp, short, long] = await Promise.all([runGwctl(['help', ...words]), runGwctl([...words, '-h']), runGwctl([...words, '--help'])])
        for (const [what, result] of [['help', viaHelp], ['-h', short], ['--help', long]] as const) {
          assert.equal(result.exitCode, 0, `${command} ${what}: ${result.stderr}`)
          assert.equal(result.stderr, '', `${command} ${what}: nothing on stderr`)
        }
        assert.equal(short.stdout, viaHelp.stdout)
        assert.equal(long.stdout, viaHelp.stdout)
        assert.match(viaHelp.stdout, new RegExp(`^USAGE\\n {2}\\$ gwctl ${command} `, 'm'))
        const exitCodes = /^EXIT CODES\n((?: {2}.*\n?)+)/m.exec(viaHelp.stdout)
        assert.ok(exitCodes !== null, `${command}: an EXIT CODES section`)
        assert.match(exitCodes[1], /^ {2}0 {2}\S/m, `${command}: exit 0 explained`)
        assert.match(exitCodes[1], /^ {2}2 {2}\S/m, `${command}: exit 2 explained`)
      })
    }

    it('exit 1 is explained where a command uses it: lint, resolve, test, certs inspect', async () => {
      for (const command of ['lint', 'resolve', 'test', 'certs inspect']) {
        const result = await runGwctl([...command.split(' '), '-h'])
        assert.match(result.stdout, /^EXIT CODES\n {2}0 .*\n {2}1 {2}\S/m, command)
      }
    })

    it('gwctl help certs shows the topic; -h anywhere after the command works', async () => {
      const topic = await runGwctl(['help', 'certs'])
      assert.equal(topic.exitCode, 0, topic.stderr)
      assert.match(topic.stdout, /certs create .*\n.*\n? *certs inspect /)
      const late = await runGwctl(['lint', PASSTHROUGH, '--fail-on', 'warning', '-h'])
      assert.equal(late.exitCode, 0, late.stderr)
      assert.match(late.stdout, /^USAGE\n {2}\$ gwctl lint /m)
    })

    it('gwctl help with an unknown command: one line with a did-you-mean, exit 2', async () => {
      assertOneLineUsageError(await runGwctl(['help', 'lnt']), /^gwctl: unknown command 'lnt' \(did you mean 'lint'\? see gwctl help\)$/, 'help lnt')
      assertOneLineUsageError(await runGwctl(['help', 'certs', 'inspct']), /did you mean 'certs inspect'\?/, 'help certs inspct')
    })
  })

  describe('did you mean', () => {
    const commands: Array<[string[], RegExp]> = [
      [['lnt'], /^gwctl: unknown command 'lnt' \(did you mean 'lint'\? see gwctl help\)$/],
      [['lnt', PASSTHROUGH, '--fail-on', 'warning'], /^gwctl: unknown command 'lnt' \(did you mean 'lint'\?/],
      [['reslove', '--sni', 'a.example.com'], /did you mean 'resolve'\?/],
      [['certs', 'inspct', 'ca.crt'], /^gwctl: unknown command 'certs inspct' \(did you mean 'certs inspect'\?/],
      [['srve'], /did you mean 'serve'\?/],
      [['fixtures/'], /^gwctl: unknown command 'fixtures\/' \(to check manifests: gwctl lint fixtures\/\)$/],
    ]
    for (const [argv, pattern] of commands) {
      it(`gwctl ${argv.join(' ')}: one line, exit 2`, async () => assertOneLineUsageError(await runGwctl(argv), pattern, argv.join(' ')))
    }

    it('with -o json the unknown command is {"error": ...} on stdout', async () => {
      const result = await runGwctl(['lnt', '-o', 'json'])
      assert.equal(result.exitCode, 2)
      assert.deepEqual(JSON.parse(result.stdout), {error: {code: 'usage', message: "unknown command 'lnt'", hint: "did you mean 'lint'? see gwctl help"}})
    })

    const flags: Array<[string[], string]> = [
      [['lint', '--fail-in', 'error', PASSTHROUGH], '--fail-on'],
      [['lint', '--fail-in=warning', PASSTHROUGH], '--fail-on'],
      [['resolve', '--snii', 'a.example.com', PASSTHROUGH], '--sni'],
      [['serve', '--port-ofset', '8000', PASSTHROUGH], '--port-offset'],
      [['certs', 'create', '--dnss', 'a.example.com'], '--dns'],
      [['certs', 'inspect', '--verify-wth', 'ca.crt', 'leaf.crt'], '--verify-with'],
      [['certs', 'inspect', '--expiry-warnings', '30d', 'leaf.crt'], '--expiry-warning'],
    ]
    for (const [argv, suggestion] of flags) {
      it(`gwctl ${argv.join(' ')}: did you mean ${suggestion}?`, async () => {
        assertOneLineUsageError(await runGwctl(argv), new RegExp(`^gwctl: Nonexistent flag: --\\S+ \\(did you mean ${suggestion}\\? see --help\\)$`), argv.join(' '))
      })
    }
  })

  describe('the commands of kubernetes-sigs/gwctl', () => {
    for (const argv of [['get', 'gateways'], ['describe', 'gateway', 'gw'], ['analyze', '-f', '-'], ['apply', '-f', 'x.yaml'], ['delete', 'gateway', 'gw']]) {
      it(`gwctl ${argv.join(' ')}: this gwctl is the offline TLS toolkit, kubernetes-sigs/gwctl a different program; exit 2`, async () => {
        const result = await runGwctl(argv, {input: ''})
        assertOneLineUsageError(result, new RegExp(`^gwctl: unknown command '${argv[0]}': this gwctl is the offline Gateway API TLS toolkit .*kubernetes-sigs/gwctl, which talks to a cluster, is a different program`), argv.join(' '))
      })
    }
  })

  describe('shell completion (oclif autocomplete plugin)', () => {
    let home: string
    before(() => {
      home = mkdtempSync(join(tmpdir(), 'gwctl-e2e-completion-'))
    })
    after(() => rmSync(home, {recursive: true, force: true}))

    it('the plugin ships its oclif.manifest.json, so start-up does not import its commands', () => {
      assert.ok(existsSync(join(REPO_ROOT, 'node_modules', '@oclif', 'plugin-autocomplete', 'oclif.manifest.json')))
      const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
      assert.ok(!('autocomplete' in manifest.commands), 'the plugin\'s commands are not copied into gwctl\'s manifest')
    })

    it('gwctl autocomplete bash, then the script it prints completes commands, subcommands and flags in bash', async () => {
      const env = {HOME: home, XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1'}
      const instructions = await execa('node', [BIN, 'autocomplete', 'bash'], {env, reject: false})
      assert.equal(instructions.exitCode, 0, instructions.stderr)
      assert.match(instructions.stdout, /gwctl autocomplete script bash/)
      const script = await execa('node', [BIN, 'autocomplete', 'script', 'bash'], {env, reject: false})
      assert.equal(script.exitCode, 0, script.stderr)
      assert.match(script.stdout, /GWCTL_AC_BASH_SETUP_PATH=/)
      const complete = async (line: string) => {
        const program = [
          script.stdout,
          'read -ra COMP_WORDS <<< "$LINE"',
          '[[ "$LINE" == *" " ]] && COMP_WORDS+=("")',
          'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$LINE"; COMP_POINT=${#LINE}',
          '_gwctl_autocomplete',
          'printf "%s\\n" "${COMPREPLY[@]}" | sort -u',
        ].join('\n')
        const result = await execa('bash', ['--norc', '--noprofile', '-c', program], {env: {...env, LINE: line}, reject: false})
        assert.equal(result.exitCode, 0, result.stderr)
        return result.stdout.split('\n').filter((word) => word !== '')
      }
      assert.deepEqual(await complete('gwctl '), ['autocomplete', 'certs', 'diff', 'help', 'implementations', 'lint', 'resolve', 'rules', 'serve', 'test'])
      assert.deepEqual(await complete('gwctl l'), ['lint'])
      assert.deepEqual(await complete('gwctl certs '), ['create', 'inspect'])
      assert.deepEqual(await complete('gwctl lint --fa'), ['--fail-on'])
      assert.deepEqual(await complete('gwctl certs inspect --fa'), ['--fail-on'])
    })
  })

  describe('durations: one parser for every flag', () => {
    let dir: string
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gwctl-e2e-durations-'))
      const created = await runGwctl(['certs', 'create', 'soon', '--dns', 'soon.example.com', '--days', '20', '--out-dir', dir])
      assert.equal(created.exitCode, 0, created.stderr)
    })
    after(() => rmSync(dir, {recursive: true, force: true}))

    it('lint and certs inspect both take --expiry-warning 30d, 720h and 2w', async () => {
      for (const value of ['30d', '720h', '2w']) {
        const [lint, inspect] = await Promise.all([
          runGwctl(['lint', '--expiry-warning', value, PASSTHROUGH]),
          runGwctl(['certs', 'inspect', '--expiry-warning', value, join(dir, 'soon.crt'), '-o', 'json']),
        ])
        assert.equal(lint.exitCode, 0, `lint --expiry-warning ${value}: ${lint.stderr}`)
        assert.equal(inspect.exitCode, 0, `certs inspect --expiry-warning ${value}: ${inspect.stderr}`)
        const problems = (JSON.parse(inspect.stdout) as {sources: Array<{problems: Array<{ruleId: string}>}>}).sources[0].problems.map((problem) => problem.ruleId)
        assert.deepEqual(problems, value === '2w' ? [] : ['certificate-expiring'], `certs inspect --expiry-warning ${value}: 20 days left`)
      }
    })

    const bare: Array<[string[], RegExp]> = [
      [['lint', '--expiry-warning', '30', PASSTHROUGH], /^gwctl: --expiry-warning '30' has no unit \(use 30d; units: ms, s, m, h, d, w\)$/],
      [['certs', 'inspect', '--expiry-warning', '30', join(REPO_ROOT, 'fixtures', 'scenarios', 'passthrough', 'ca.crt')], /^gwctl: --expiry-warning '30' has no unit \(use 30d;/],
      [['serve', '--idle-timeout', '300', PASSTHROUGH, '--port-map', '443=0'], /^gwctl: --idle-timeout '300' has no unit \(use 300s;/],
      [['serve', '--drain-timeout', 'soon', PASSTHROUGH, '--port-map', '443=0'], /^gwctl: --drain-timeout 'soon' is not a duration/],
    ]
    for (const [argv, pattern] of bare) {
      it(`${argv.slice(0, 3).join(' ')}: refused with a hint, exit 2`, async () => assertOneLineUsageError(await runGwctl(argv), pattern, argv.join(' ')))
    }
  })

  describe('--gateway: one parser for resolve and serve', () => {
    for (const [value, pattern] of [['a/b/c', /--gateway 'a\/b\/c' has more than one \//], ['Infra/edge', /--gateway 'Infra\/edge': 'Infra' is not a namespace name/], ['edge_1', /'edge_1' is not a Gateway name/]] as const) {
      it(`--gateway ${value}: the same one-line error from both commands, exit 2`, async () => {
        const [resolve, serve] = await Promise.all([
          runGwctl(['resolve', '--sni', 'app.example.com', '--gateway', value, PASSTHROUGH]),
          runGwctl(['serve', PASSTHROUGH, '--gateway', value, '--port-map', '443=0']),
        ])
        assertOneLineUsageError(resolve, pattern, `resolve --gateway ${value}`)
        assertOneLineUsageError(serve, pattern, `serve --gateway ${value}`)
        assert.equal(resolve.stderr, serve.stderr)
      })
    }

    it('NAME is taken in --namespace by both', async () => {
      const resolve = await runGwctl(['resolve', '--sni', 'app.example.com', '--gateway', 'tls-passthrough', '-n', 'passthrough', '-o', 'json', PASSTHROUGH])
      assert.equal(resolve.exitCode, 0, resolve.stderr)
      assert.deepEqual((JSON.parse(resolve.stdout) as {gateway: unknown}).gateway, {namespace: 'passthrough', name: 'tls-passthrough'})
    })
  })

  describe('certs inspect: -o json, --fail-on, exit 1 on errors', () => {
    let dir: string
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gwctl-e2e-inspect-exit-'))
      const results = await Promise.all([
        runGwctl(['certs', 'create', 'expired', '--dns', 'old.example.com', '--not-before', '-30d', '--not-after', '-1d', '--out-dir', dir]),
        runGwctl(['certs', 'create', 'soon', '--dns', 'soon.example.com', '--days', '10', '--out-dir', dir]),
        runGwctl(['certs', 'create', 'fine', '--dns', 'fine.example.com', '--out-dir', dir]),
      ])
      for (const result of results) assert.equal(result.exitCode, 0, result.stderr)
    })
    after(() => rmSync(dir, {recursive: true, force: true}))

    it('an expired certificate is an error: exit 1 (text and json), 0 with --fail-on none', async () => {
      const file = join(dir, 'expired.crt')
      const [text, json, none] = await Promise.all([
        runGwctl(['certs', 'inspect', file]), runGwctl(['certs', 'inspect', file, '-o', 'json']), runGwctl(['certs', 'inspect', file, '--fail-on', 'none']),
      ])
      assert.equal(text.exitCode, 1, text.stderr)
      assert.match(text.stdout, /^ {2}error {3}.*certificate-expired$/m)
      assert.equal(json.exitCode, 1, json.stderr)
      const report = JSON.parse(json.stdout) as {version: number; sources: Array<{problems: Array<{ruleId: string; severity: string}>}>}
      assert.equal(report.version, 1)
      assert.deepEqual(report.sources[0].problems.map(({ruleId, severity}) => [ruleId, severity]), [['certificate-expired', 'error']])
      assert.equal(none.exitCode, 0, none.stderr)
    })

    it('a certificate expiring soon is a warning: exit 0, 1 with --fail-on warning; --json is -o json', async () => {
      const file = join(dir, 'soon.crt')
      const [plain, warning, json, output] = await Promise.all([
        runGwctl(['certs', 'inspect', file]), runGwctl(['certs', 'inspect', file, '--fail-on', 'warning']),
        runGwctl(['certs', 'inspect', file, '--json']), runGwctl(['certs', 'inspect', file, '-o', 'json']),
      ])
      assert.equal(plain.exitCode, 0, plain.stderr)
      assert.equal(warning.exitCode, 1, warning.stderr)
      assert.deepEqual(JSON.parse(json.stdout), JSON.parse(output.stdout))
      assert.deepEqual(JSON.parse(json.stdout).sources[0].problems.map((problem: {ruleId: string}) => problem.ruleId), ['certificate-expiring'])
    })

    it('a valid certificate: exit 0 even with --fail-on info', async () => {
      const result = await runGwctl(['certs', 'inspect', join(dir, 'fine.crt'), '--fail-on', 'info'])
      assert.equal(result.exitCode, 0, result.stderr)
    })
  })

  describe('-o json where a command prints a result', () => {
    it('serve -o json prints the ready report as one JSON line', async () => {
      const child = execa('node', [BIN, 'serve', PASSTHROUGH, '--port-map', '443=0', '-o', 'json'], {reject: false, stdin: 'ignore', env: {NO_COLOR: '1'}})
      const line = await new Promise<string>((resolve, reject) => {
        let seen = ''
        child.stdout!.on('data', (chunk: Buffer) => {
          seen += chunk.toString()
          const ready = seen.split('\n').find((candidate) => candidate.startsWith('{"event":"ready"'))
          if (ready !== undefined) resolve(ready)
        })
        void child.then((result) => reject(new Error(`serve exited ${result.exitCode} before ready: ${result.stderr}`)))
      })
      child.kill('SIGTERM')
      const result = await child
      const ready = JSON.parse(line) as {event: string; listeners: Array<{listener: string; port: number}>}
      assert.equal(ready.event, 'ready')
      assert.deepEqual(ready.listeners.map((listener) => listener.listener), ['tls'])
      assert.equal(result.exitCode, 0, result.stderr)
    })
  })

  describe('usage errors: one line, exit 2, on every command', () => {
    const cases: Array<[string[], RegExp]> = [
      [['lint', '-o', 'xml', PASSTHROUGH], /--output=xml to be one of/],
      [['resolve', '-o', 'xml', PASSTHROUGH], /--output=xml to be one of/],
      [['serve', '-o', 'xml', PASSTHROUGH], /--output=xml to be one of/],
      [['certs', 'create', '-o', 'xml', '--dns', 'a.example.com'], /--output=xml to be one of/],
      [['certs', 'inspect', '-o', 'xml', 'x.crt'], /--output=xml to be one of/],
      [['certs', 'inspect', '--fail-on', 'never', 'x.crt'], /--fail-on=never to be one of/],
      [['certs', 'inspect'], /Missing 1 required arg/],
      [['help', '--bogus'], /Nonexistent flag: --bogus/],
      [['autocomplete', 'fish'], /^gwctl: Expected fish to be one of: zsh, bash, powershell/],
      [['--fail-on', 'error', 'lint'], /^gwctl: '--fail-on' before a command: flags go after the command name/],
    ]
    for (const [argv, pattern] of cases) {
      it(`gwctl ${argv.join(' ')}`, async () => assertOneLineUsageError(await runGwctl(argv), pattern, argv.join(' ')))
    }
  })
})
