/**
 * Exclusion globs (`exclude:` of .gwctl.yaml, `--exclude`) as one predicate
 * over absolute paths. A relative glob is taken from the directory given
 * (the working directory for flags, the config file's directory for the
 * file); an absolute one as it is. A glob without a `/` (other than a
 * trailing one) matches a name at any depth, as in .gitignore: `values.yaml`
 * is `**\/values.yaml`. Syntax: `*` and `?` within one path segment, `**`
 * across segments, `[abc]`/`[!a-z]` classes, `{a,b}` alternatives. A path
 * is excluded when it or one of its parent directories below `root` (where
 * the walk or glob started, itself never tested) matches, so `vendor`
 * excludes everything under every `vendor` directory.
 */
import path from 'node:path'

export type ExcludePredicate = (absolutePath: string, root: string) => boolean

export function compileExcludePatterns(patterns: readonly string[], base: string): ExcludePredicate {
  const expressions = patterns.map((pattern) => compileGlob(anchorExcludePattern(pattern, base)))
  if (expressions.length === 0) return () => false
  return (absolutePath, root) => {
    const top = `${toSlashes(path.resolve(root)).replace(/\/$/, '')}/`
    for (let current = toSlashes(absolutePath); current.startsWith(top); current = current.slice(0, current.lastIndexOf('/'))) {
      if (expressions.some((expression) => expression.test(current))) return true
    }
    return false
  }
}

/**
 * The pattern as an absolute glob with forward slashes, without a trailing
 * slash: what a relative glob means when taken from `base` (so a config
 * file's globs can be handed on as absolute ones).
 */
export function anchorExcludePattern(pattern: string, base: string): string {
  const trimmed = pattern.replace(/\/+$/, '')
  if (path.isAbsolute(trimmed)) return toSlashes(trimmed)
  const anywhere = !trimmed.includes('/')
  const relative = trimmed.replace(/^(\.\/)+/, '')
  const root = toSlashes(path.resolve(base)).replace(/\/$/, '')
  return `${root}/${anywhere ? '**/' : ''}${relative}`
}

function toSlashes(file: string): string {
  return file.split(path.sep).join('/')
}

/** A glob as an anchored regular expression over slash-separated paths. */
export function compileGlob(glob: string): RegExp {
  let source = ''
  let braces = 0
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]
    if (char === '*') {
      if (glob[index + 1] === '*') {
        const atSegmentStart = index === 0 || glob[index - 1] === '/'
        const slashAfter = glob[index + 2] === '/'
        if (atSegmentStart && slashAfter) {
          source += '(?:[^/]*/)*'
          index += 2
        } else if (atSegmentStart && index + 2 === glob.length) {
          source += '.*'
          index += 1
        } else {
          source += '[^/]*'
          index += 1
        }
      } else {
        source += '[^/]*'
      }
    } else if (char === '?') {
      source += '[^/]'
    } else if (char === '[') {
      const close = glob.indexOf(']', index + 2)
      if (close === -1) {
        source += '\\['
        continue
      }
      const body = glob.slice(index + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')
      source += `[${body}]`
      index = close
    } else if (char === '{') {
      braces++
      source += '(?:'
    } else if (char === '}' && braces > 0) {
      braces--
      source += ')'
    } else if (char === ',' && braces > 0) {
      source += '|'
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
    }
  }
  source += ')'.repeat(braces)
  return new RegExp(`^${source}$`)
}
