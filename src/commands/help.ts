/**
 * `gwctl help [COMMAND...]`: the help of gwctl, of a topic or of a command
 * (the same text as `--help`/`-h`, from src/cli/help.ts). An unknown command
 * is a usage error with a did-you-mean (src/cli/unknown-command.ts).
 */
import * as Args from '@oclif/core/args'
import {Help as OclifHelp, loadHelpClass} from '@oclif/core/help'
import {GwctlCommand} from '../cli/gwctl-command.js'
import type {ExitCodes} from '../cli/help.js'
import {explainUnknownCommand} from '../cli/unknown-command.js'

export default class Help extends GwctlCommand {
  static override summary = 'Show the help of gwctl or of a command'

  static override description = 'gwctl help COMMAND prints the same help as gwctl COMMAND --help (or -h): usage, arguments, flags, description, exit codes and examples.'

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> lint',
    '<%= config.bin %> <%= command.id %> certs create',
  ]

  static exitCodes: ExitCodes = {0: 'the help was shown', 2: 'no such command or topic'}

  static override strict = false

  static override args = {
    command: Args.string({description: 'command or topic, words separated by spaces (certs create)'}),
  }

  async run(): Promise<void> {
    const {argv} = await this.parse(Help)
    const words = argv as string[]
    const idOf = (length: number) => words.slice(0, length).join(':')
    let length = words.length
    while (length > 0 && this.config.findCommand(idOf(length)) === undefined) length--
    if (length === 0 && words.length > 0) {
      if (this.config.findTopic(idOf(words.length)) === undefined) {
        throw explainUnknownCommand(idOf(words.length), {commandIds: this.config.commandIDs, topics: this.config.topics.map((topic) => topic.name)}, this.config.bin)
      }
      length = words.length
    }
    const HelpClass = await loadHelpClass(this.config)
    const help = new HelpClass(this.config, this.config.pjson.oclif.helpOptions)
    const command = length === 0 ? undefined : this.config.findCommand(idOf(length))
    // showHelp skips the word 'help' (so `help help` would show the root help): a command is shown directly.
    if (command !== undefined && help instanceof OclifHelp) await help.showCommandHelp(command)
    else await help.showHelp(words.slice(0, length))
  }
}
