/**
 * Whether human output gets ANSI colours, decided once by the command.
 * Precedence: the `--color` / `--no-color` flag, then `NO_COLOR` (any
 * non-empty value, https://no-color.org), then `FORCE_COLOR` ('0' or
 * 'false' off, any other non-empty value on), then a non-TTY stdout or
 * `TERM=dumb` (off), else on.
 */
export function shouldUseColor(
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
  flag: boolean | undefined,
): boolean {
  if (flag !== undefined) return flag
  if (env.NO_COLOR) return false
  const force = env.FORCE_COLOR
  if (force) return force !== '0' && force !== 'false'
  return isTTY && env.TERM !== 'dumb'
}
