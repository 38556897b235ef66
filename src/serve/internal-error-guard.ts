/**
 * The last line of defence of the data plane: an exception that escapes a
 * connection's handling (a bug, or input nobody foresaw) is logged as an
 * `internal-error` event on one line and closes only that connection; the
 * gateway keeps serving everyone else. `run` wraps the entry points of a
 * connection (accept, request, backend response); `report` is also what the
 * process-level `uncaughtException`/`unhandledRejection` handlers call. With
 * `fatal` (the test suites set GWCTL_SERVE_FATAL_INTERNAL_ERRORS=1) the
 * process exits 70 right after logging, so no test can pass while one fires.
 */
import type {AccessLog} from './access-log.js'

export const INTERNAL_ERROR_EXIT_CODE = 70

export class InternalErrorGuard {
  /** Internal errors caught so far. */
  count = 0

  constructor(private readonly log: AccessLog, private readonly fatal: boolean) {}

  /** Run `action`; if it throws, log the error and call `close` (which ends that one connection). */
  run<T>(where: string, close: () => void, action: () => T): T | undefined {
    try {
      return action()
    } catch (error) {
      this.report(error, where, close)
      return undefined
    }
  }

  /** Log an error no handler took care of, and close the connection it belongs to when known. */
  report(error: unknown, where: string, close?: () => void): void {
    this.count += 1
    const message = error instanceof Error ? `${error.name}${hasCode(error) ? ` ${error.code}` : ''}: ${error.message}` : String(error)
    const frame = error instanceof Error ? error.stack?.split('\n').find((line) => line.trimStart().startsWith('at '))?.trim() : undefined
    this.log.event('internal-error', `${where}: ${message}${frame === undefined ? '' : ` (${frame})`}; ${close === undefined ? 'no connection known' : 'that connection closed'}, still serving`)
    try {
      close?.()
    } catch {
      // Closing is best effort: the connection may be half torn down already.
    }
    if (this.fatal) {
      this.log.flush()
      process.exit(INTERNAL_ERROR_EXIT_CODE)
    }
  }
}

function hasCode(error: Error): error is Error & {code: string} {
  return typeof (error as {code?: unknown}).code === 'string'
}
