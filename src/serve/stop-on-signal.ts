/**
 * SIGINT/SIGTERM for `gwctl serve` (one process or a worker pool's
 * primary): the first signal runs `drain` (stop accepting, drain, report);
 * a second one exits at once (130, 143); and whatever still holds the event
 * loop (a backend that never closes, a timer), the process is gone by drain
 * timeout + 1 s, after `hardStop`. Resolves once `drain` has finished.
 */
export function onStopSignal(drainTimeoutMs: number, drain: (signal: NodeJS.Signals) => Promise<void>, hardStop: () => void): Promise<void> {
  return new Promise((resolve) => {
    const stop = async (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      setTimeout(() => {
        hardStop()
        process.exit(0)
      }, drainTimeoutMs + 1000).unref()
      await drain(signal)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
