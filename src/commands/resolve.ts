/**
 * `gwctl resolve`: flags → analyzeManifests → the engine's decision
 * function → render. Adds no rule of its own. Exit 0 when a connection
 * matched, 1 when none did, 2 on unusable input.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {CONFIG_FLAGS, loadCommandConfig} from '../cli/config-flags.js'
import {IMPLEMENTATION_FLAG, settleImplementation} from '../cli/implementation-flag.js'
import {parseGatewayFlag} from '../cli/gateway-flag.js'
import {GwctlCommand} from '../cli/gwctl-command.js'
import type {ExitCodes} from '../cli/help.js'
import {manifestInputFlags, readManifestInputFlags} from '../cli/manifest-input-flags.js'
import {UserError} from '../errors/user-error.js'
import type {ResolveRequest} from '../resolve/build-queries.js'

export default class Resolve extends GwctlCommand {
  static override summary = 'Explain where a connection goes: listener, route, backends, certificate, and why not the others'

  static override description = `Answers, offline, which Gateway listener takes a connection (--sni for TLS and HTTPS, --host for plain HTTP, just --port for TCP and UDP), which route and backends it reaches (weights as percentages), which certificate a terminating listener presents, and why every other candidate was not chosen.

Without --port, every TLS/HTTPS listener port is answered (plus HTTP ports when only --host is given), one answer per port and Gateway; --gateway narrows to one Gateway. --sni '' is a client that sends no SNI. Behind an HTTPS listener, --host (default: the SNI), --path, --method and --header pick the HTTPRoute rule; a Host that belongs to another listener than the SNI is answered 421 (misdirected), as the Gateway API asks.

-o json prints one object per answer (a JSON array when there are several). --table prints the whole routing table instead.

A .gwctl.yaml (see gwctl lint --help) gives the defaults of --namespace and --gateway-class, and its exclude, channel and rules; input the API server would reject is refused even where its rules turn the finding off.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --sni app.example.com manifests/',
    "<%= config.bin %> <%= command.id %> --sni '' --port 443 manifests/",
    '<%= config.bin %> <%= command.id %> --sni shop.example.com --path /cart --header x-canary:true -o json manifests/',
    '<%= config.bin %> <%= command.id %> --host www.example.com --port 80 manifests/',
    '<%= config.bin %> <%= command.id %> --table manifests/',
  ]

  static exitCodes: ExitCodes = {
    0: 'the connection matched a route (of several answers, at least one did)',
    1: 'no route matched (the trace says why)',
    2: 'usage error or unusable input (unreadable file, or manifests with errors)',
  }

  static override strict = false

  static override args = {
    paths: Args.string({description: 'files, directories (recursive), globs, or - for stdin; default: the current directory'}),
  }

  static override flags = {
    sni: Flags.string({description: "server name the TLS client sends ('' for none)"}),
    port: Flags.integer({description: 'listener port the client connects to', min: 1, max: 65_535}),
    gateway: Flags.string({description: 'only this Gateway: NAMESPACE/NAME, or NAME in --namespace'}),
    host: Flags.string({description: 'HTTP Host header (default: the SNI)'}),
    path: Flags.string({description: 'HTTP request path, with an optional ?query', default: undefined}),
    method: Flags.string({description: 'HTTP method (default GET)'}),
    header: Flags.string({description: 'HTTP request header NAME:VALUE (repeatable)', multiple: true}),
    output: Flags.string({char: 'o', description: 'output format', options: ['text', 'json'], default: 'text'}),
    table: Flags.boolean({description: 'print the whole routing table: port, listener, hostname, mode, route, backends, certificate; rows that never receive traffic are marked (shadowed), naming the route or listener that takes it'}),
    filename: Flags.string({char: 'f', description: 'file, directory or glob to read, as kubectl takes it (repeatable)', multiple: true}),
    namespace: Flags.string({char: 'n', description: 'namespace of objects that do not set one (default: namespace in .gwctl.yaml, else default)'}),
    'gateway-class': Flags.string({description: 'only Gateways of this GatewayClass (repeatable; default: gateway-class in .gwctl.yaml)', multiple: true}),
    ...manifestInputFlags,
    color: Flags.boolean({description: 'colour the text output (default: when stdout is a terminal and NO_COLOR is unset)', allowNo: true}),
    ...CONFIG_FLAGS,
    ...IMPLEMENTATION_FLAG,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Resolve)
    const config = await loadCommandConfig(flags)
    const {settlePipelineOptions} = await import('../config/apply-config.js')
    const settings = settlePipelineOptions(flags, config)
    const request: ResolveRequest = {
      sni: flags.sni,
      port: flags.port,
      gateway: flags.gateway === undefined ? undefined : parseGatewayFlag(flags.gateway, settings.defaultNamespace),
      host: flags.host,
      path: flags.path,
      method: flags.method,
      headers: (flags.header ?? []).map(parseHeader),
    }
    if (request.path !== undefined && !request.path.startsWith('/')) throw new UserError('usage', `--path '${request.path}' must start with /`)

    const {analyzeManifests, assertUsable} = await import('../pipeline/analyze.js')
    const {stdinFilename} = readManifestInputFlags(argv as string[], flags.filename, flags)
    const analysis = await analyzeManifests(argv as string[], {filenames: flags.filename, ...settings, stdinFilename, checkCertificates: false, implementation: await settleImplementation(flags.implementation, config)})
    assertUsable(analysis)
    if (request.gateway !== undefined && !analysis.binding.gateways.some((gateway) => gateway.gateway.meta.namespace === request.gateway!.namespace && gateway.gateway.meta.name === request.gateway!.name)) {
      const known = analysis.binding.gateways.map((gateway) => `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}`)
      throw new UserError('usage', `--gateway ${request.gateway.namespace}/${request.gateway.name}: no such Gateway in the input`, {hint: known.length === 0 ? 'the input has no Gateway' : `Gateways: ${known.join(', ')}`})
    }
    const unsupported = analysis.findings.filter((finding) => finding.ruleId === 'implementation-unsupported-feature' && finding.severity === 'error')
    if (unsupported.length > 0) {
      // The engine follows the profile's switches; a feature the controller lacks in a route is not modelled away, so say so.
      process.stderr.write(`note: ${unsupported.length} use${unsupported.length === 1 ? '' : 's'} of features ${analysis.implementation?.name ?? 'the implementation'} declares unsupported, first ${unsupported[0].file}:${unsupported[0].line}: ${unsupported[0].message}; this answer assumes they work (gwctl lint --implementation lists them)\n`)
    }
    const {shouldUseColor} = await import('../lint/format/color-choice.js')
    const color = shouldUseColor(process.env, Boolean(process.stdout.isTTY), flags.color)

    if (flags.table) {
      const [{listRoutingTable}, {renderRoutingTable}] = await Promise.all([import('../gatewayapi/routing-table.js'), import('../resolve/render-table.js')])
      const rows = listRoutingTable(analysis.binding, request.gateway)
      process.stdout.write(`${flags.output === 'json' ? JSON.stringify(rows, null, 2) : renderRoutingTable(rows)}\n`)
      return
    }

    const [{compileRoutingTable}, {buildQueries}, {toDecisionJson, renderDecisionText}] = await Promise.all([
      import('../gatewayapi/decide.js'), import('../resolve/build-queries.js'), import('../resolve/render-decision.js'),
    ])
    const table = compileRoutingTable(analysis.binding)
    const now = new Date()
    const target = request.path ?? '/'
    const search = target.includes('?') ? target.slice(target.indexOf('?')) : ''
    const answers = buildQueries(table, request).flatMap((query) => table.decide(query)
      .map((decision) => toDecisionJson(decision, now, query.request === undefined ? undefined : {request: query.request, search})))
    if (answers.length === 0) {
      const where = request.port === undefined ? 'no Gateway in the input has a TLS or HTTPS listener' : `no Gateway in the input listens on port ${request.port}`
      const empty = {matched: false, ...(request.sni === undefined ? {} : {sni: request.sni}), port: request.port ?? 0, backends: [], reason: where + (request.gateway === undefined ? '' : ` (Gateway ${request.gateway.namespace}/${request.gateway.name})`), trace: []}
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify(empty, null, 2)}\n` : `✗ ${empty.reason}\n`)
      process.exitCode = 1
      return
    }
    if (flags.output === 'json') {
      process.stdout.write(`${JSON.stringify(answers.length === 1 ? answers[0] : answers, null, 2)}\n`)
    } else {
      process.stdout.write(`${answers.map((answer) => renderDecisionText(answer, color)).join('\n\n')}\n`)
    }
    process.exitCode = answers.some((answer) => answer.matched) ? 0 : 1
  }
}

function parseHeader(value: string): [string, string] {
  const colon = value.indexOf(':')
  if (colon <= 0) throw new UserError('usage', `--header '${value}' must be NAME:VALUE`)
  return [value.slice(0, colon).trim(), value.slice(colon + 1).trim()]
}
