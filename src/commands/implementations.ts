/**
 * `gwctl implementations [NAME[@VERSION]]`: the implementations gwctl has
 * profiles of (from their Gateway API conformance reports), or one in full
 * with every feature's support and the sources of documented behaviour.
 * Exit 0; 2 for an unknown name or version (with a did-you-mean).
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {GwctlCommand} from '../cli/gwctl-command.js'
import type {ExitCodes} from '../cli/help.js'
import {UserError} from '../errors/user-error.js'

export default class Implementations extends GwctlCommand {
  static override summary = 'List the implementations --implementation knows, or show one: features with their support and sources'

  static override description = `Profiles come from the conformance reports each implementation published to the Gateway API project (v1.3 to v1.6): the features declared supported and unsupported, per version. Without NAME: one line per implementation (name, aliases, newest reported version, Gateway API release, conformance profiles). With NAME[@VERSION]: the report gwctl plays for it, every feature with its support (supported, unsupported, or unreported: gwctl then says the behaviour is unknown), documented behaviour that is not in a report with its source, and every reported version.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> nginx-gateway-fabric',
    '<%= config.bin %> <%= command.id %> eg@1.6',
    '<%= config.bin %> <%= command.id %> kong -o json | jq -r \'.features[] | select(.support == "unsupported") | .feature\'',
  ]

  static exitCodes: ExitCodes = {
    0: 'success',
    2: 'an unknown implementation or version (the closest is suggested) or a bad flag',
  }

  static override args = {
    name: Args.string({description: 'an implementation, NAME or NAME@VERSION (aliases such as ngf and eg work); omit to list them all', ignoreStdin: true}),
  }

  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['text', 'json'], default: 'text'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Implementations)
    const json = flags.output === 'json'
    const [{loadImplementationCatalogue, findImplementation, parseImplementationSpec, pickReport, GENERIC_IMPLEMENTATION}, render] = await Promise.all([
      import('../implementations/find-implementation.js'), import('../implementations/render-implementations.js'),
    ])
    const catalogue = await loadImplementationCatalogue()
    if (args.name === undefined) {
      process.stdout.write(`${json ? render.renderImplementationsJson(catalogue) : render.renderImplementationTable(catalogue)}\n`)
      return
    }
    const spec = parseImplementationSpec(args.name)
    if (spec.name.toLowerCase() === GENERIC_IMPLEMENTATION) {
      throw new UserError('usage', "generic is gwctl's own choices, not a reported implementation", {hint: 'gwctl lint --help describes them'})
    }
    const implementation = findImplementation(spec.name, catalogue, 'implementations')
    const report = pickReport(implementation, spec.version, 'implementations')
    process.stdout.write(`${json ? JSON.stringify(render.describeImplementation(catalogue, implementation, report), null, 2) : render.renderImplementationDetails(catalogue, implementation, report)}\n`)
  }
}
