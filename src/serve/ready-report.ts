/**
 * What serve prints when its sockets are bound, so people and scripts know
 * where to connect: one text line per bound listener, or one JSON line
 * (`--json`), and the same JSON written to `--ready-file` (atomically, so a
 * CI script polling for the file never reads half of it).
 */
import {rename, writeFile} from 'node:fs/promises'
import type {BoundListener} from './gateway-server.js'

export interface ReadyReport {
  event: 'ready'
  pid: number
  listeners: BoundListener[]
  /** Problems found at start (unmapped backends, certificates, listeners not served). */
  warnings: string[]
}

export function formatReadyLines(listeners: readonly BoundListener[]): string[] {
  return listeners.map((listener) => `ready ${listener.gateway} listener=${listener.listener} ${listener.protocol}${listener.mode === undefined ? '' : `/${listener.mode}`} hostname=${listener.hostname} port=${listener.port} on ${listener.address}`)
}

export async function writeReadyFile(file: string, report: ReadyReport): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(report)}\n`)
  await rename(temporary, file)
}
