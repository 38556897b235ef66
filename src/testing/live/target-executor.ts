/**
 * `gwctl test --target`: the same probes as `--live`, against a real
 * gateway (a cluster's load balancer, a port-forward) reached through
 * `--target`/`--target-map` (target-addresses.ts). SNI, alerts, the served
 * certificate (chain, names, expiry, and which Secret of the manifests it
 * is), status codes, redirects and response headers are observed; the
 * backend when it names itself (the configured header, or a stub banner);
 * listener and route never — a real gateway does not say which took a
 * request — so they are reported not checkable.
 */
import {gatewayListeners} from '../../gatewayapi/decide.js'
import type {TestExecutor} from '../routing-test.js'
import {settleProbeOptions, type TargetExecutorOptions} from './executor-options.js'
import {executeProbes} from './execute-probes.js'
import {readManifestFacts} from './manifest-facts.js'
import {assignTargets} from './target-addresses.js'
import type {RunningExecutor} from './live-executor.js'

export async function createTargetExecutor(options: TargetExecutorOptions): Promise<RunningExecutor> {
  const facts = await readManifestFacts(options.paths, options.pipeline)
  const gateways = facts.gateways.map((gateway) => ({
    gateway: {namespace: gateway.gateway.meta.namespace, name: gateway.gateway.meta.name},
    ports: [...new Set(gatewayListeners(gateway).map((listener) => listener.spec.port).filter((port): port is number => port !== undefined))],
  }))
  const resolveTarget = assignTargets(gateways, options.targets ?? [], options.targetMap ?? [])
  const settled = await settleProbeOptions(options, facts)
  const execute: TestExecutor = (test) => executeProbes({
    ...settled,
    facts,
    findAddress: (gateway, port) => resolveTarget(gateway.gateway.meta, port),
    unexplained: 'a real gateway does not say which listener and route took a request (gwctl test offline and --live check them)',
  }, test)
  return {
    execute,
    close: async () => {},
    describe: () => gateways.map(({gateway, ports}) => `${gateway.namespace}/${gateway.name}: ${ports.map((port) => {
      const address = resolveTarget(gateway, port)
      return 'notServed' in address ? `${port}→(none)` : `${port}→${address.host}:${address.port}`
    }).join(' ')}`),
  }
}
