/**
 * `gwctl diff`: flags → diffConfigurations (src/diff/) → render. Adds no
 * rule of its own. Exit 0 (with --exit-code: 0 when traffic does not
 * change, 1 when it does), 2 on a usage error or unreadable input.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {CONFIG_FLAGS, loadCommandConfig} from '../cli/config-flags.js'
import {GwctlCommand} from '../cli/gwctl-command.js'
import type {ExitCodes} from '../cli/help.js'
import {IMPLEMENTATION_FLAG, settleImplementation} from '../cli/implementation-flag.js'
import {EXCLUDE_FLAG_DESCRIPTION} from '../cli/manifest-input-flags.js'
import {UserError} from '../errors/user-error.js'
import type {DiffSources} from '../diff/diff-configurations.js'

export default class Diff extends GwctlCommand {
  static override summary = 'Show what a change does to traffic and status: routing rows, conditions and findings, old → new'

  static override description = `Compares two configurations as the engine sees them, not as text: routing rows added, removed or changed (port → Gateway listener → hostname → route and match → backends with their shares in percent, and the certificate a terminating listener presents, with its subject, SANs and expiry), status conditions that flip (object, listener or route parent, condition, old → new status and reason), objects added or removed, and findings that appear or are fixed (rule, object, message).

Name the two configurations as OLD NEW (two paths: a file, a directory or a glob each); as --old PATH --new PATH, both repeatable, for several paths each; or as --git REF [PATHS...]: the PATHS (default .) as committed at REF, read through git without a checkout, against the working tree. At a git ref, paths are taken as lint takes them: directories are walked for *.yaml, *.yml and *.json files, skipping hidden entries, node_modules, dist and --exclude globs, and files without a Kubernetes object are skipped; symbolic links and submodules are not followed; a path that exists only at REF, or only in the working tree, is empty on the other side.

--map-namespace OLD=NEW compares copies that differ in namespace (a staging and a production overlay): on the old side, a namespace OLD or OLD-SUFFIX (and a cluster-scoped name such as a GatewayClass written that way) is read as NEW or NEW-SUFFIX.

-o markdown is for a pull-request comment or a GitHub job summary (a summary line, then tables); -o json has a stable shape (version 1, see the output contracts in the README). Input the API server would reject is compared all the same (its schema findings show up as findings that appear); input that cannot be read at all is an error (exit 2).

--exit-code exits 1 when traffic changes: a routing row added, removed or changed (backends, shares, certificate, listener readiness, protocol, shadowing). Conditions that flip and findings that appear or are fixed alone do not count.

A .gwctl.yaml (see gwctl lint --help) gives both sides the same namespace, gateway-class, channel, exclude, rules and implementation.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> manifests-before/ manifests/',
    '<%= config.bin %> <%= command.id %> --git main manifests/',
    '<%= config.bin %> <%= command.id %> --git origin/main --output markdown >> "$GITHUB_STEP_SUMMARY"',
    '<%= config.bin %> <%= command.id %> --old base/ --old overlays/staging/ --new base/ --new overlays/prod/ --map-namespace shop-staging=shop-prod',
    '<%= config.bin %> <%= command.id %> --git HEAD~1 --exit-code --output json',
  ]

  static exitCodes: ExitCodes = {
    0: 'compared (with --exit-code: traffic does not change)',
    1: 'with --exit-code: traffic changes (a routing row added, removed or changed; condition and finding changes alone do not count)',
    2: 'usage error or unreadable input (a missing path, a bad git ref, a path outside the repository, a file that is not YAML)',
  }

  static override strict = false

  static override args = {
    paths: Args.string({description: 'OLD NEW (two paths), or with --git the paths to compare (default: the current directory)'}),
  }

  static override flags = {
    git: Flags.string({description: 'compare PATHS as committed at this git ref (branch, tag, commit, HEAD~1) with the working tree', helpValue: 'REF'}),
    old: Flags.string({description: 'a path of the old configuration (repeatable; use with --new)', multiple: true, helpValue: 'PATH'}),
    new: Flags.string({description: 'a path of the new configuration (repeatable; use with --old)', multiple: true, helpValue: 'PATH'}),
    output: Flags.string({char: 'o', description: 'output format: text, markdown (pull-request comment, job summary) or json', options: ['text', 'markdown', 'json'], default: 'text'}),
    'exit-code': Flags.boolean({description: 'exit 1 when traffic changes (routing rows added, removed or changed); condition and finding changes alone do not count'}),
    'map-namespace': Flags.string({description: 'read namespace OLD (and OLD-*) of the old configuration as NEW (NEW-*), for copies that differ in namespace (repeatable)', multiple: true, helpValue: 'OLD=NEW'}),
    namespace: Flags.string({char: 'n', description: 'namespace of objects that do not set one (default: namespace in .gwctl.yaml, else default)'}),
    'gateway-class': Flags.string({description: 'only Gateways of this GatewayClass (repeatable; default: gateway-class in .gwctl.yaml)', multiple: true}),
    channel: Flags.string({description: 'Gateway API release channel the cluster runs (default: channel in .gwctl.yaml, else experimental)', options: ['experimental', 'standard']}),
    exclude: Flags.string({description: EXCLUDE_FLAG_DESCRIPTION, multiple: true, helpValue: 'GLOB'}),
    color: Flags.boolean({description: 'colour the text output (default: when stdout is a terminal and NO_COLOR is unset)', allowNo: true}),
    ...CONFIG_FLAGS,
    ...IMPLEMENTATION_FLAG,
    now: Flags.string({description: 'the time certificates are checked against (RFC 3339); for reproducible runs', hidden: true}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Diff)
    const paths = argv as string[]
    let sources: DiffSources
    if (flags.git !== undefined) {
      if (flags.old !== undefined || flags.new !== undefined) throw new UserError('usage', '--git compares the working tree with a ref: it takes no --old or --new', {hint: 'gwctl diff --git REF [PATHS...], or gwctl diff --old PATH --new PATH'})
      sources = {kind: 'git', ref: flags.git, paths}
    } else if (flags.old !== undefined || flags.new !== undefined) {
      if (paths.length > 0) throw new UserError('usage', `with --old and --new, paths are not also given as arguments (got ${paths.join(' ')})`, {hint: 'add them with --old or --new'})
      if (flags.old === undefined || flags.new === undefined) throw new UserError('usage', `${flags.old === undefined ? '--new' : '--old'} needs ${flags.old === undefined ? '--old' : '--new'}: the other configuration`, {hint: 'gwctl diff --old PATH... --new PATH...'})
      sources = {kind: 'paths', old: flags.old, new: flags.new}
    } else {
      if (paths.length !== 2) {
        throw new UserError('usage', `gwctl diff needs two configurations: OLD NEW (got ${paths.length === 0 ? 'no path' : paths.join(' ')})`, {hint: 'gwctl diff OLD NEW, --old PATH --new PATH (repeatable), or --git REF [PATHS...]'})
      }
      sources = {kind: 'paths', old: [paths[0]], new: [paths[1]]}
    }
    const now = flags.now === undefined ? new Date() : new Date(flags.now)
    if (Number.isNaN(now.getTime())) throw new UserError('usage', `--now '${flags.now}' is not an RFC 3339 time`)
    const config = await loadCommandConfig(flags)
    const [{settlePipelineOptions}, {parseNamespaceRename}, {diffConfigurations}] = await Promise.all([
      import('../config/apply-config.js'), import('../diff/namespace-renames.js'), import('../diff/diff-configurations.js'),
    ])
    const renames = (flags['map-namespace'] ?? []).map(parseNamespaceRename)
    const report = await diffConfigurations(sources, {
      ...settlePipelineOptions(flags, config), renames, now, implementation: await settleImplementation(flags.implementation, config),
    })
    if (flags.output === 'json') {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    } else if (flags.output === 'markdown') {
      const {renderDiffMarkdown} = await import('../diff/render-diff-markdown.js')
      process.stdout.write(`${renderDiffMarkdown(report)}\n`)
    } else {
      const [{renderDiffText}, {shouldUseColor}] = await Promise.all([import('../diff/render-diff-text.js'), import('../lint/format/color-choice.js')])
      process.stdout.write(`${renderDiffText(report, shouldUseColor(process.env, Boolean(process.stdout.isTTY), flags.color))}\n`)
    }
    process.exitCode = flags['exit-code'] && report.summary.trafficChanged ? 1 : 0
  }
}
