/**
 * gwctl's help (package.json `oclif.helpClass`, loaded only when help is
 * shown): oclif's help plus an EXIT CODES section, on every command from
 * its static `exitCodes` (kept in oclif.manifest.json like any static
 * property, so no command is imported to show it) and on the root help.
 */
import {CommandHelp, getHelpFlagAdditions, Help} from '@oclif/core/help'

/** What each exit status means for one command, as its help lists it. */
export type ExitCodes = Readonly<Partial<Record<'0' | '1' | '2', string>>>

const EXIT_CODES_HEADER = 'EXIT CODES'

export const ROOT_EXIT_CODES: ExitCodes = {
  0: 'success',
  1: 'lint and certs inspect: findings at or above --fail-on; resolve: no route matched',
  2: 'usage error (unknown command or flag, bad flag value) or unusable input',
}

/** The rows of an EXIT CODES section, in code order. */
export function listExitCodes(codes: ExitCodes | undefined): Array<[string, string]> {
  return Object.entries(codes ?? {}).sort(([a], [b]) => Number(a) - Number(b)).map(([code, meaning]) => [code, meaning ?? ''])
}

class GwctlCommandHelp extends CommandHelp {
  protected override sections(): ReturnType<CommandHelp['sections']> {
    const sections = super.sections()
    const rows = listExitCodes((this.command as {exitCodes?: ExitCodes}).exitCodes)
    const allowed = this.opts.sections?.map((name) => name.toLowerCase())
    if (rows.length === 0 || (allowed !== undefined && !allowed.includes(EXIT_CODES_HEADER.toLowerCase()))) return sections
    const at = sections.findIndex(({header}) => header === 'DESCRIPTION')
    sections.splice(at === -1 ? sections.length : at + 1, 0, {header: EXIT_CODES_HEADER, generate: (_data, header) => [{header, body: rows}]})
    return sections
  }
}

export default class GwctlHelp extends Help {
  protected override CommandHelpClass = GwctlCommandHelp

  /** oclif skips the word `help` when it looks for the subject, so `gwctl help -h` would show the root help: it shows the help command's. */
  override async showHelp(argv: string[]): Promise<void> {
    const words = argv.filter((arg) => !getHelpFlagAdditions(this.config).includes(arg))
    const command = words.length === 1 && words[0] === 'help' ? this.config.findCommand('help') : undefined
    if (command === undefined) await super.showHelp(argv)
    else await this.showCommandHelp(command)
  }

  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    this.log(this.section(EXIT_CODES_HEADER, listExitCodes(ROOT_EXIT_CODES)))
    this.log('')
  }
}
