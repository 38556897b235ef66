/**
 * Reads a file or a stream whole, but never more than a byte limit: a file
 * over it (even one that never ends, like /dev/zero or a pipe) is given up
 * after limit + 1 bytes. Errors are the file system's; `describeReadError`
 * turns one into the one-line reason a finding states.
 */
import {open} from 'node:fs/promises'

/** The bytes, or undefined when there are more than `limit`. */
export async function readFileBounded(filePath: string, limit: number): Promise<Buffer | undefined> {
  const handle = await open(filePath, 'r')
  try {
    const stats = await handle.stat()
    if (stats.isFile() && stats.size > limit) return undefined
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(limit + 1 - total, Math.max(stats.size + 1, 64 * 1024)))
      const {bytesRead} = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      chunks.push(buffer.subarray(0, bytesRead))
      total += bytesRead
      if (total > limit) return undefined
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total)
  } finally {
    await handle.close()
  }
}

export async function readStreamBounded(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
    chunks.push(buffer)
    total += buffer.length
    if (total > limit) return undefined
  }
  return Buffer.concat(chunks, total)
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
}

export function describeReadError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
  if (code && REASONS[code]) return REASONS[code]
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
  return code ? `${message} (${code})` : message
}
