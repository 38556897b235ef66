/**
 * The executor factories `gwctl test` hands to runRoutingTests for `--live`
 * and `--target`: each starts its executor on the manifests of the run (the
 * PATHS without the test files), with the run's clock, and names it in the
 * report together with what it runs against (serve commands and their
 * bound listeners, target addresses). Live, serve starts only for the
 * Gateways the run's tests address (after --gateway narrowed them). Weighted shares are compared within
 * the sampling tolerance the executor checked them with. Live, manifests
 * the API server would reject start no serve (it refuses them).
 */
import type {ExecutorFactory, ExecutorHandle} from '../run-routing-tests.js'
import type {LiveExecutorOptions, TargetExecutorOptions} from './executor-options.js'
import type {RunningExecutor} from './live-executor.js'
import {DEFAULT_TOLERANCE_PERCENT} from './weighted-sample.js'

export function createLiveExecutorFactory(options: Omit<LiveExecutorOptions, 'paths' | 'now'>): ExecutorFactory {
  return async ({analysis, manifestPaths, tests, now}) => {
    const [rejected] = analysis.blocking
    if (rejected !== undefined) return refuseToServe(`${rejected.file}:${rejected.line}:${rejected.column}: ${rejected.message} [${rejected.ruleId}]${analysis.blocking.length > 1 ? ` (and ${analysis.blocking.length - 1} more)` : ''}`)
    const {startLiveExecutor} = await import('./live-executor.js')
    return wrapExecutor('live', await startLiveExecutor({...options, paths: [...manifestPaths], tests, now: () => now}), options.tolerancePercent)
  }
}

export function createTargetExecutorFactory(options: Omit<TargetExecutorOptions, 'paths' | 'now'>): ExecutorFactory {
  return async ({manifestPaths, now}) => {
    const {createTargetExecutor} = await import('./target-executor.js')
    return wrapExecutor('target', await createTargetExecutor({...options, paths: [...manifestPaths], now: () => now}), options.tolerancePercent)
  }
}

/**
 * Manifests the API server would reject cannot be applied, and gwctl serve
 * refuses to start on them: nothing is sent. The tests that touch the
 * rejected objects fail with the error (run-routing-tests.ts); the others
 * are not checkable live.
 */
function refuseToServe(rejected: string): ExecutorHandle {
  const reason = `the manifests hold an object the API server would reject, so gwctl serve does not start on them: ${rejected}`
  const keys = ['backend', 'backends', 'refused', 'status', 'redirect', 'grpcStatus', 'listener', 'route', 'certificate', 'headers'] as const
  return {
    name: 'live',
    execute: async (test) => ({trace: [`not sent: ${reason}`], notCheckable: Object.fromEntries(keys.filter((key) => test.expect[key] !== undefined).map((key) => [key, reason]))}),
    describe: () => [`gwctl serve not started: ${reason}`],
  }
}

function wrapExecutor(name: string, running: RunningExecutor, tolerancePercent: number | undefined): ExecutorHandle {
  return {name, execute: running.execute, tolerance: tolerancePercent ?? DEFAULT_TOLERANCE_PERCENT, close: () => running.close(), describe: () => running.describe()}
}
