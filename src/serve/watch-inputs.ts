/**
 * `--watch`: call back (debounced) when any input file or directory changes.
 * Directories are watched recursively. Editors that replace a file by
 * renaming are covered by watching the parent directory of each file.
 */
import {watch, type FSWatcher} from 'node:fs'
import {stat} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

export async function watchInputs(paths: readonly string[], onChange: () => void, debounceMs = 200): Promise<() => void> {
  const watchers: FSWatcher[] = []
  let timer: NodeJS.Timeout | undefined
  const trigger = () => {
    clearTimeout(timer)
    timer = setTimeout(onChange, debounceMs)
  }
  const directories = new Set<string>()
  const filesByParent = new Map<string, Set<string>>()
  for (const path of paths) {
    const absolute = resolve(path)
    const info = await stat(absolute).catch(() => undefined)
    if (info?.isDirectory()) {
      directories.add(absolute)
    } else {
      const parent = dirname(absolute)
      filesByParent.set(parent, (filesByParent.get(parent) ?? new Set()).add(absolute))
    }
  }
  const listen = (directory: string, recursive: boolean, files?: Set<string>) => {
    const watcher = watch(directory, {recursive, persistent: false}, (_event, name) => {
      if (files === undefined || name === null || files.has(resolve(directory, name.toString()))) trigger()
    })
    watcher.on('error', () => {})
    watchers.push(watcher)
  }
  for (const directory of directories) listen(directory, true)
  for (const [parent, files] of filesByParent) {
    if (!directories.has(parent)) listen(parent, false, files)
  }
  return () => {
    clearTimeout(timer)
    for (const watcher of watchers) watcher.close()
  }
}
