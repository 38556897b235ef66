/**
 * Errors the user must act on (bad flags, unreadable or unusable input,
 * refusing to overwrite): commands print them as one line and exit 2.
 * Anything else escaping a command is a bug.
 */

export type UserErrorKind = 'usage' | 'input' | 'exists'

export class UserError extends Error {
  readonly kind: UserErrorKind
  /** The file the problem is about, when there is one. */
  readonly file?: string
  /** What to do next, e.g. `use --force to overwrite`. */
  readonly hint?: string

  constructor(kind: UserErrorKind, message: string, options: {file?: string; hint?: string} = {}) {
    super(message)
    this.name = 'UserError'
    this.kind = kind
    this.file = options.file
    this.hint = options.hint
  }
}
