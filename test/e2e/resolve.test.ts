/**
 * End-to-end tests of `gwctl resolve` with the built CLI (bin/run.js over
 * dist/, so `npm run build` first — `npm test` does it in pretest): text and
 * JSON answers for the fixture scenarios (passthrough, terminate, wildcard,
 * no SNI, unknown SNI, weighted, cross-namespace), the routing table, and
 * bad input as one line and exit 2 (DESIGN.md contracts).
 */
import {strict as assert} from 'node:assert'
import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {runGwctl, type RunResult} from '../support/run-cli.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const scenario = (name: string) => `fixtures/scenarios/${name}`
const resolve = (args: string[], input?: string) => runGwctl(['resolve', ...args], {cwd: ROOT, input})

interface Answer {
  matched: boolean
  sni?: string
  host?: string
  port: number
  gateway?: {namespace: string; name: string}
  listener?: string
  mode?: string
  route?: {kind: string; namespace: string; name: string}
  backends: Array<{kind: string; namespace: string; name: string; port?: number; weight: number}>
  certificate?: {secret: string; subject?: string; subjectAltNames?: string[]; coversSni?: boolean}
  status?: number
  reason: string
  trace: Array<{step: string; candidate: string; result: string; why: string}>
}

function parseJson<T>(result: RunResult, what: string): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    assert.fail(`${what}: stdout is JSON; got:\n${result.stdout}\nstderr:\n${result.stderr}`)
  }
}

/** The keys of `actual` that `expected` names, for a partial comparison. */
function pick<T extends object>(actual: T, expected: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key as keyof T]])) as Partial<T>
}

interface ResolveCase {
  what: string
  args: string[]
  exitCode: 0 | 1
  /** Fields of the JSON answer (the one for `port` when several ports are answered). */
  json: Partial<Answer>
  port?: number
  /** Trace entries (step, result, candidate substring) the JSON must hold. */
  trace?: Array<{step: string; result: string; candidate: string; why: RegExp}>
  /** Lines the text output must contain, in this order. */
  text: string[]
}

const CASES: ResolveCase[] = [
  {
    what: 'passthrough: the TLSRoute by SNI, its backend terminating TLS',
    args: ['--sni', 'app.example.com', scenario('passthrough')],
    exitCode: 0,
    json: {
      matched: true, sni: 'app.example.com', port: 443, gateway: {namespace: 'passthrough', name: 'tls-passthrough'}, listener: 'tls', mode: 'Passthrough',
      route: {kind: 'TLSRoute', namespace: 'passthrough', name: 'app'},
      backends: [{kind: 'Service', namespace: 'passthrough', name: 'app', port: 443, weight: 100}],
    },
    trace: [{step: 'route', result: 'chosen', candidate: 'TLSRoute passthrough/app', why: /hostname app\.example\.com matches app\.example\.com/}],
    text: [
      'SNI app.example.com → port 443 on Gateway passthrough/tls-passthrough',
      '  ✔ Gateway passthrough/tls-passthrough: has listeners on port 443',
      "  ✔ listener 'tls' (TLS/Passthrough :443): has no hostname, so it matches any",
      '  ✔ TLSRoute passthrough/app: hostname app.example.com matches app.example.com',
      '  ✔ Service passthrough/app:443: 100% of connections (weight 1 of 1)',
      '  → TLSRoute passthrough/app → passthrough/app:443 (100%)',
    ],
  },
  {
    what: 'terminate: the certificate presented, then the HTTPRoute rule by path',
    args: ['--sni', 'shop.example.com', '--path', '/api/orders', scenario('https-termination')],
    exitCode: 0,
    json: {
      matched: true, sni: 'shop.example.com', host: 'shop.example.com', port: 443, gateway: {namespace: 'https-termination', name: 'shop'},
      listener: 'https', mode: 'Terminate', route: {kind: 'HTTPRoute', namespace: 'https-termination', name: 'shop'},
      backends: [{kind: 'Service', namespace: 'https-termination', name: 'shop-api', port: 8080, weight: 100}],
    },
    trace: [{step: 'certificate', result: 'chosen', candidate: 'Secret https-termination/shop-example-com-tls', why: /first usable certificateRef/}],
    text: [
      'SNI shop.example.com → port 443 on Gateway https-termination/shop',
      '  ✔ HTTPRoute https-termination/shop: rule 0 matches GET /api/orders with hostname shop.example.com',
      '  certificate https-termination/shop-example-com-tls: subject O=gwctl fixtures, CN=shop.example.com; SANs DNS:shop.example.com; expires 2125-01-01',
      '  → HTTPRoute https-termination/shop → https-termination/shop-api:8080 (100%)',
    ],
  },
  {
    what: 'wildcard: *.apps.example.com beats the *.example.com catch-all, which is shown as lost',
    args: ['--sni', 'shop.apps.example.com', scenario('wildcard')],
    exitCode: 0,
    json: {matched: true, listener: 'tls', mode: 'Passthrough', route: {kind: 'TLSRoute', namespace: 'wildcard', name: 'apps-wildcard'},
      backends: [{kind: 'Service', namespace: 'wildcard', name: 'app-router', port: 8443, weight: 100}]},
    trace: [{step: 'route', result: 'lost', candidate: 'TLSRoute wildcard/catch-all', why: /\*\.example\.com is less specific than \*\.apps\.example\.com/}],
    text: [
      "  ✔ listener 'tls' (TLS/Passthrough :443 *.example.com): hostname *.example.com matches shop.apps.example.com",
      '  ✔ TLSRoute wildcard/apps-wildcard: hostname *.apps.example.com matches shop.apps.example.com',
      '  ↓ TLSRoute wildcard/catch-all: hostname *.example.com is less specific than *.apps.example.com',
      '  → TLSRoute wildcard/apps-wildcard → wildcard/app-router:8443 (100%)',
    ],
  },
  {
    what: 'no SNI: the hostname-less HTTPS listener answers with its certificate, the Host picks the route',
    args: ['--sni', '', '--port', '443', '--host', 'www.example.com', scenario('mixed-modes')],
    exitCode: 0,
    json: {matched: true, sni: '', host: 'www.example.com', port: 443, listener: 'https', mode: 'Terminate', route: {kind: 'HTTPRoute', namespace: 'mixed-modes', name: 'www'},
      backends: [{kind: 'Service', namespace: 'mixed-modes', name: 'web', port: 80, weight: 100}]},
    text: [
      'TLS without SNI, Host www.example.com → port 443 on Gateway mixed-modes/mixed',
      "  ✔ listener 'https' (HTTPS/Terminate :443): has no hostname, so it matches any",
      '  → HTTPRoute mixed-modes/www → mixed-modes/web:80 (100%)',
    ],
  },
  {
    what: 'no SNI on a passthrough listener whose only TLSRoute has a hostname: rejected, exit 1',
    args: ['--sni', '', scenario('passthrough')],
    exitCode: 1,
    json: {matched: false, sni: '', port: 443, listener: 'tls', backends: []},
    trace: [{step: 'route', result: 'skipped', candidate: 'TLSRoute passthrough/app', why: /need an SNI/}],
    text: ['TLS without SNI → port 443 on Gateway passthrough/tls-passthrough', "  ✗ no TLSRoute on listener 'tls' (TLS/Passthrough :443) matches a client without SNI: the connection is rejected"],
  },
  {
    what: 'unknown SNI: no route, exit 1, and the trace says why',
    args: ['--sni', 'unknown.example.com', scenario('passthrough')],
    exitCode: 1,
    json: {matched: false, sni: 'unknown.example.com', port: 443, listener: 'tls', backends: []},
    trace: [{step: 'route', result: 'skipped', candidate: 'TLSRoute passthrough/app', why: /hostnames app\.example\.com do not match unknown\.example\.com/}],
    text: [
      '  ✗ TLSRoute passthrough/app: hostnames app.example.com do not match unknown.example.com',
      "  ✗ no TLSRoute on listener 'tls' (TLS/Passthrough :443) matches SNI unknown.example.com: the connection is rejected",
    ],
  },
  {
    what: 'weighted: weights 90/10 as percentages of the rule',
    args: ['--sni', 'api.example.com', scenario('weighted-canary')],
    exitCode: 0,
    json: {matched: true, route: {kind: 'TLSRoute', namespace: 'weighted-canary', name: 'api'}, backends: [
      {kind: 'Service', namespace: 'weighted-canary', name: 'api-stable', port: 8443, weight: 90},
      {kind: 'Service', namespace: 'weighted-canary', name: 'api-canary', port: 8443, weight: 10},
    ]},
    text: [
      '  ✔ Service weighted-canary/api-stable:8443: 90% of connections (weight 90 of 100)',
      '  ✔ Service weighted-canary/api-canary:8443: 10% of connections (weight 10 of 100)',
      '  → TLSRoute weighted-canary/api → weighted-canary/api-stable:8443 (90%), weighted-canary/api-canary:8443 (10%)',
    ],
  },
  {
    what: 'cross-namespace: without --port every TLS port is answered; 8443 reaches the backend in payments, 443 does not match',
    args: ['--sni', 'pay.example.com', scenario('cross-namespace')],
    exitCode: 0,
    port: 8443,
    json: {matched: true, port: 8443, gateway: {namespace: 'cross-namespace-infra', name: 'edge'}, listener: 'tls', mode: 'Passthrough',
      route: {kind: 'TLSRoute', namespace: 'cross-namespace-store', name: 'pay'},
      backends: [{kind: 'Service', namespace: 'cross-namespace-payments', name: 'pay-api', port: 8443, weight: 100}]},
    text: [
      'SNI pay.example.com → port 443 on Gateway cross-namespace-infra/edge',
      'SNI pay.example.com → port 8443 on Gateway cross-namespace-infra/edge',
      '  → TLSRoute cross-namespace-store/pay → cross-namespace-payments/pay-api:8443 (100%)',
    ],
  },
  {
    what: 'cross-namespace: the certificate Secret from another namespace, permitted by its ReferenceGrant',
    args: ['--sni', 'shop.example.com', '--port', '443', '--gateway', 'cross-namespace-infra/edge', scenario('cross-namespace')],
    exitCode: 0,
    json: {matched: true, listener: 'https', route: {kind: 'HTTPRoute', namespace: 'cross-namespace-store', name: 'shop'},
      backends: [{kind: 'Service', namespace: 'cross-namespace-store', name: 'storefront', port: 80, weight: 100}]},
    trace: [{step: 'certificate', result: 'chosen', candidate: 'Secret cross-namespace-certs/shop-example-com', why: /first usable certificateRef/}],
    text: ['SNI shop.example.com → port 443 on Gateway cross-namespace-infra/edge', '  → HTTPRoute cross-namespace-store/shop → cross-namespace-store/storefront:80 (100%)'],
  },
]

/** Lines of `text` in order (not necessarily adjacent). */
function assertLinesInOrder(text: string, lines: readonly string[], what: string): void {
  const actual = text.split('\n')
  let from = 0
  for (const line of lines) {
    const index = actual.findIndex((candidate, position) => position >= from && candidate.startsWith(line))
    assert.ok(index !== -1, `${what}: text output has, after line ${from}, a line starting with:\n${line}\ngot:\n${text}`)
    from = index + 1
  }
}

function assertOneLineError(result: RunResult, pattern: RegExp, what: string): void {
  assert.equal(result.exitCode, 2, `${what}: exit 2 (stdout: ${result.stdout}; stderr: ${result.stderr})`)
  const lines = result.stderr.trim().split('\n')
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${result.stderr}`)
  assert.match(lines[0], /^gwctl: /, `${what}: the line names the tool`)
  assert.match(lines[0], pattern, what)
  assert.doesNotMatch(result.stderr, /\n\s+at |Error:|\.ts:\d+|node:internal/, `${what}: no stack trace`)
  assert.equal(result.stdout, '', `${what}: nothing on stdout`)
}

describe('e2e: gwctl resolve', function () {
  this.timeout(60_000)

  before(() => {
    assert.ok(existsSync(`${ROOT}dist/commands/resolve.js`), 'the CLI is built: run `npm run build` first')
  })

  describe('answers for the fixture scenarios, in JSON and text', () => {
    const results = new Map<ResolveCase, {json: RunResult; text: RunResult}>()
    before(async () => {
      await Promise.all(CASES.map(async (entry) => {
        const [json, text] = await Promise.all([resolve([...entry.args, '-o', 'json']), resolve(entry.args)])
        results.set(entry, {json, text})
      }))
    })

    for (const entry of CASES) {
      it(`${entry.what}: JSON`, () => {
        const {json} = results.get(entry)!
        assert.equal(json.exitCode, entry.exitCode, `${entry.what}: exit code (stderr: ${json.stderr})`)
        const parsed = parseJson<Answer | Answer[]>(json, entry.what)
        const answers = Array.isArray(parsed) ? parsed : [parsed]
        const answer = entry.port === undefined ? answers[0] : answers.find((candidate) => candidate.port === entry.port)
        assert.ok(answer !== undefined, `${entry.what}: an answer for port ${entry.port ?? 'the only port'}`)
        if (entry.port === undefined) assert.equal(answers.length, 1, `${entry.what}: one answer`)
        assert.deepEqual(pick(answer, entry.json), entry.json, `${entry.what}: answer (reason: ${answer.reason})`)
        const contractKeys = ['matched', 'sni', 'port', 'gateway', 'listener', 'mode', 'route', 'backends', 'trace']
        assert.deepEqual(Object.keys(answer).filter((key) => contractKeys.includes(key)), contractKeys.filter((key) => key in answer), `${entry.what}: keys in contract order (DESIGN.md)`)
        for (const step of entry.trace ?? []) {
          const found = answer.trace.find((candidate) => candidate.step === step.step && candidate.result === step.result && candidate.candidate.includes(step.candidate))
          assert.ok(found !== undefined, `${entry.what}: trace has ${step.result} ${step.candidate}`)
          assert.match(found.why, step.why, `${entry.what}: why ${step.candidate} was ${step.result}`)
        }
      })
      it(`${entry.what}: text`, () => {
        const {text} = results.get(entry)!
        assert.equal(text.exitCode, entry.exitCode, `${entry.what}: exit code (stderr: ${text.stderr})`)
        assert.equal(text.stderr, '', `${entry.what}: nothing on stderr`)
        assertLinesInOrder(text.stdout, entry.text, entry.what)
        assert.doesNotMatch(text.stdout, /\u001B\[/, `${entry.what}: no colour when NO_COLOR is set`)
      })
    }

    it('passthrough text output is exactly the short tree', () => {
      const entry = CASES[0]
      assert.equal(results.get(entry)!.text.stdout, entry.text.join('\n'), 'exact text output (execa strips the final newline)')
    })

    it('terminate JSON describes the certificate: Secret, subject, SANs, and that it covers the SNI', () => {
      const answer = parseJson<Answer>(results.get(CASES[1])!.json, 'terminate')
      assert.deepEqual(pick(answer.certificate!, {secret: 'https-termination/shop-example-com-tls', subject: 'O=gwctl fixtures, CN=shop.example.com', subjectAltNames: ['DNS:shop.example.com'], coversSni: true}),
        {secret: 'https-termination/shop-example-com-tls', subject: 'O=gwctl fixtures, CN=shop.example.com', subjectAltNames: ['DNS:shop.example.com'], coversSni: true}, 'certificate summary')
    })
  })

  describe('special answers', () => {
    it('HTTPS Host that no listener serves: status 404 after the handshake, exit 1', async () => {
      const result = await resolve(['--sni', 'shop.example.com', '--host', 'admin.example.com', '-o', 'json', scenario('https-termination')])
      assert.equal(result.exitCode, 1, result.stderr)
      const answer = parseJson<Answer>(result, '404')
      assert.deepEqual(pick(answer, {matched: false, listener: 'https', status: 404}), {matched: false, listener: 'https', status: 404}, answer.reason)
      assert.equal(answer.certificate?.secret, 'https-termination/shop-example-com-tls', 'the handshake completed with the listener certificate')
    })

    it('plain HTTP by --host and --port, and a redirect with its status', async () => {
      const result = await resolve(['--host', 'www.example.com', '--port', '80', '--path', '/pricing', '-o', 'json', scenario('http-to-https-redirect')])
      assert.equal(result.exitCode, 0, result.stderr)
      const answer = parseJson<Answer>(result, 'redirect')
      assert.deepEqual(pick(answer, {matched: true, port: 80, listener: 'http', status: 301, backends: []}), {matched: true, port: 80, listener: 'http', status: 301, backends: []}, answer.reason)
    })

    it('TCP by port alone', async () => {
      const result = await resolve(['--port', '6379', '-o', 'json', scenario('tls-terminate-tcproute')])
      assert.equal(result.exitCode, 0, result.stderr)
      const answer = parseJson<Answer>(result, 'tcp')
      assert.deepEqual(pick(answer, {matched: true, listener: 'redis', route: {kind: 'TCPRoute', namespace: 'tls-terminate-tcproute-data', name: 'redis'}}),
        {matched: true, listener: 'redis', route: {kind: 'TCPRoute', namespace: 'tls-terminate-tcproute-data', name: 'redis'}}, answer.reason)
    })

    it('manifests from stdin (-) give the same answer as the directory', async () => {
      const text = ['gateway.yaml', 'tlsroute.yaml', 'app.yaml', 'namespace.yaml'].map((file) => readFileSync(`${ROOT}${scenario('passthrough')}/${file}`, 'utf8')).join('\n---\n')
      const result = await resolve(['--sni', 'app.example.com', '-o', 'json', '-'], text)
      assert.equal(result.exitCode, 0, result.stderr)
      assert.deepEqual(parseJson<Answer>(result, 'stdin').route, {kind: 'TLSRoute', namespace: 'passthrough', name: 'app'}, 'route from stdin')
    })
  })

  describe('--table', () => {
    it('text: one aligned row per listener, route and backends, with a header', async () => {
      const result = await resolve(['--table', scenario('cross-namespace')])
      assert.equal(result.exitCode, 0, result.stderr)
      const lines = result.stdout.trimEnd().split('\n')
      assert.equal(lines.length, 3, `header and two rows:\n${result.stdout}`)
      assert.match(lines[0], /^PORT\s+GATEWAY\s+LISTENER\s+PROTOCOL\s+HOSTNAME\s+ROUTE\s+MATCH\s+BACKENDS\s+CERTIFICATE$/, 'header')
      assert.match(lines[1], /^443\s+cross-namespace-infra\/edge\s+https\s+HTTPS\/Terminate\s+shop\.example\.com\s+HTTPRoute cross-namespace-store\/shop #0\s+PathPrefix \/\s+cross-namespace-store\/storefront:80 100%\s+cross-namespace-certs\/shop-example-com$/, 'HTTPS row')
      assert.match(lines[2], /^8443\s+cross-namespace-infra\/edge\s+tls\s+TLS\/Passthrough\s+pay\.example\.com\s+TLSRoute cross-namespace-store\/pay\s+-\s+cross-namespace-payments\/pay-api:8443 100%\s+-$/, 'passthrough row')
      assert.equal(lines[1].indexOf('cross-namespace-infra'), lines[0].indexOf('GATEWAY'), 'columns are aligned')
    })

    it('JSON: the rows with weights as percentages', async () => {
      const result = await resolve(['--table', '-o', 'json', scenario('weighted-canary')])
      assert.equal(result.exitCode, 0, result.stderr)
      const rows = parseJson<Array<Record<string, unknown>>>(result, 'table json')
      assert.deepEqual(rows, [{
        port: 443, gateway: {namespace: 'weighted-canary', name: 'tls-passthrough'}, listener: 'tls', protocol: 'TLS', mode: 'Passthrough', ready: true,
        hostname: 'api.example.com', route: {kind: 'TLSRoute', namespace: 'weighted-canary', name: 'api'},
        backends: [
          {kind: 'Service', namespace: 'weighted-canary', name: 'api-stable', port: 8443, weight: 90, valid: true},
          {kind: 'Service', namespace: 'weighted-canary', name: 'api-canary', port: 8443, weight: 10, valid: true},
        ],
      }], 'routing table rows')
    })
  })

  describe('bad input: one line, exit 2, no stack trace', () => {
    const errors = [
      {what: 'an unreadable path', args: ['--sni', 'a.example.com', 'fixtures/does-not-exist'], pattern: /fixtures\/does-not-exist.*cannot read.*\[input-unreadable\]/},
      {what: 'a broken manifest (schema error)', args: ['--sni', 'app.example.com', 'fixtures/broken/tlsroute-with-matches'], pattern: /tlsroute\.yaml:\d+:\d+: .*\[schema-unknown-field\]/},
      {what: 'bad YAML on stdin', args: ['--sni', 'a.example.com', '-'], input: 'kind: Gateway\nmetadata: {name: [\n', pattern: /<stdin>:\d+:\d+: .*\[input-/},
      {what: '--header without a colon', args: ['--sni', 'a.example.com', '--header', 'x-canary', scenario('passthrough')], pattern: /--header 'x-canary' must be NAME:VALUE/},
      {what: '--gateway with too many slashes', args: ['--sni', 'a.example.com', '--gateway', 'a/b/c', scenario('passthrough')], pattern: /--gateway 'a\/b\/c' has more than one \/ \(use NAMESPACE\/NAME, or NAME with --namespace\)/},
      {what: '--path without a leading slash', args: ['--sni', 'a.example.com', '--path', 'api', scenario('passthrough')], pattern: /--path 'api' must start with \//},
      {what: 'an unknown output format', args: ['-o', 'yaml', scenario('passthrough')], pattern: /--output/},
    ]
    for (const entry of errors) {
      it(entry.what, async () => {
        assertOneLineError(await resolve(entry.args, entry.input), entry.pattern, entry.what)
      })
    }

    const jsonErrors = [
      {what: 'an unreadable path', args: ['--sni', 'a.example.com', 'fixtures/does-not-exist'], code: 'input', message: /cannot read/},
      {what: 'a broken manifest', args: ['--sni', 'app.example.com', 'fixtures/broken/tlsroute-with-matches'], code: 'input', message: /\[schema-unknown-field\]/},
      {what: 'a bad --header', args: ['--header', 'bad', scenario('passthrough')], code: 'usage', message: /--header 'bad' must be NAME:VALUE/},
      {what: 'a bad --gateway', args: ['--gateway', '/x', scenario('passthrough')], code: 'usage', message: /--gateway '\/x': the namespace before \/ is empty/},
    ]
    for (const entry of jsonErrors) {
      it(`-o json: ${entry.what} is {"error": ...} on stdout, exit 2`, async () => {
        const result = await resolve([...entry.args, '-o', 'json'])
        assert.equal(result.exitCode, 2, `${entry.what}: exit 2 (stderr: ${result.stderr})`)
        const parsed = parseJson<{error: {code: string; message: string}}>(result, entry.what)
        assert.deepEqual(Object.keys(parsed), ['error'], `${entry.what}: only an error key`)
        assert.equal(parsed.error.code, entry.code, `${entry.what}: error code`)
        assert.match(parsed.error.message, entry.message, `${entry.what}: error message`)
        assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at |node:internal/, `${entry.what}: no stack trace`)
      })
    }
  })
})
