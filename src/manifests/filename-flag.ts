/**
 * `-f/--filename` values as kubectl reads them: each value may be a
 * comma-separated list (`-f a.yaml,b.yaml`), with double quotes around a
 * name that itself contains a comma (`-f '"a,b.yaml",c.yaml'`), as pflag's
 * string slices parse them. Spaces around names are dropped, empty names too.
 */

export function splitFilenameFlag(value: string): string[] {
  const names: string[] = []
  let current = ''
  let quoted = false
  for (let index = 0; index < value.length; index++) {
    const char = value[index]
    if (quoted) {
      if (char === '"' && value[index + 1] === '"') {
        current += '"'
        index++
      } else if (char === '"') quoted = false
      else current += char
    } else if (char === '"' && current.trim() === '') {
      current = ''
      quoted = true
    } else if (char === ',') {
      names.push(current)
      current = ''
    } else current += char
  }
  names.push(current)
  return names.map(name => name.trim()).filter(name => name !== '')
}
