/**
 * How a file is named in findings: relative to the working directory when
 * it is under it (`manifests/gw.yaml`), else absolute; `<stdin>` for `-`.
 */
import path from 'node:path'

export const STDIN_NAME = '<stdin>'

export function formatDisplayPath(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath)
  if (relative === '') return '.'
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return absolutePath
  return relative
}
