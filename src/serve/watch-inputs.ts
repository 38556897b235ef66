/**
 * `--watch`: call back when any input file or directory has changed and
 * then stayed unchanged for a settle time (a file still being written is
 * not applied half-way; what is applied is then parsed, and a broken
 * result is the caller's to reject). Directories are watched recursively,
 * files through their parent directory (editors that save by renaming), and
 * every input also through its parent, so an input that is deleted and
 * created again (`rm -rf dir && cp -r new dir`) is picked up: the watchers
 * are set up afresh after every settled change.
 */
import {watch, type FSWatcher} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

/** How long the inputs must stay unchanged (checked twice) before a change is applied. */
export const WATCH_SETTLE_MS = 500

export async function watchInputs(paths: readonly string[], onChange: () => void, settleMs = WATCH_SETTLE_MS): Promise<() => void> {
  const targets = [...new Set(paths.map((path) => resolve(path)))]
  let watchers: FSWatcher[] = []
  let timer: NodeJS.Timeout | undefined
  let generation = 0
  let closed = false
  let applied = await fingerprintInputs(targets)

  const changed = () => {
    if (closed) return
    generation += 1
    clearTimeout(timer)
    timer = setTimeout(() => void settle(generation), settleMs)
  }
  const settle = async (started: number) => {
    const first = await fingerprintInputs(targets)
    await new Promise((wake) => {
      timer = setTimeout(wake, settleMs)
    })
    if (closed || started !== generation) return
    const second = await fingerprintInputs(targets)
    if (closed || started !== generation) return
    if (first !== second) {
      changed()
      return
    }
    await arm()
    if (second === applied) return
    applied = second
    onChange()
  }
  const listen = (directory: string, recursive: boolean, names?: Set<string>) => {
    try {
      const watcher = watch(directory, {recursive, persistent: false}, (_event, name) => {
        if (names === undefined || name === null || names.has(basename(name.toString()))) changed()
      })
      watcher.on('error', changed)
      watchers.push(watcher)
    } catch {
      // Gone (being replaced): the watcher on its parent sees it come back.
    }
  }
  const arm = async () => {
    for (const watcher of watchers) watcher.close()
    watchers = []
    if (closed) return
    const namesByParent = new Map<string, Set<string>>()
    for (const target of targets) {
      if ((await stat(target).catch(() => undefined))?.isDirectory()) listen(target, true)
      const parent = dirname(target)
      namesByParent.set(parent, (namesByParent.get(parent) ?? new Set()).add(basename(target)))
    }
    for (const [parent, names] of namesByParent) listen(parent, false, names)
  }
  await arm()
  return () => {
    closed = true
    clearTimeout(timer)
    for (const watcher of watchers) watcher.close()
  }
}

/** Size, mtime and inode of every file under the inputs: equal strings, unchanged inputs. */
async function fingerprintInputs(targets: readonly string[]): Promise<string> {
  const parts: string[] = []
  for (const target of targets) {
    const info = await stat(target).catch(() => undefined)
    if (info === undefined) {
      parts.push(`${target} missing`)
      continue
    }
    if (!info.isDirectory()) {
      parts.push(`${target} ${info.ino} ${info.size} ${info.mtimeMs}`)
      continue
    }
    const entries = await readdir(target, {recursive: true}).catch(() => [] as string[])
    for (const entry of entries.sort()) {
      const file = await stat(join(target, entry)).catch(() => undefined)
      if (file?.isFile()) parts.push(`${join(target, entry)} ${file.ino} ${file.size} ${file.mtimeMs}`)
    }
  }
  return parts.join('\n')
}
