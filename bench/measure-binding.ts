/**
 * Binding alone, in a fresh process per manifest set: load DIR with
 * loadManifests (not timed), then time src/model buildSnapshot +
 * src/gatewayapi bind (no certificate inspection callback: the pure engine)
 * ROUNDS times after one warm-up, wall-clock and CPU (process.cpuUsage,
 * GC threads included). Run with --expose-gc, each round starts from a
 * collected heap, so it pays for its own garbage only, not the last
 * round's. Prints one JSON line `{"medianMs", "minMs", "cpuMs", "routes",
 * "listeners"}`.
 *
 *   node --expose-gc --import tsx bench/measure-binding.ts DIR [ROUNDS]
 */
import {bind} from '../src/gatewayapi/bind.js'
import {loadManifests} from '../src/manifests/load-manifests.js'
import {buildSnapshot} from '../src/model/build-snapshot.js'
import {median} from './measure-process.js'

/** What the warm-up bound; the binding itself is not kept, so it does not weigh on the timed rounds' GC. */
function countBinding(binding: ReturnType<typeof bind>): {routes: number; listeners: number} {
  return {routes: binding.routes.length, listeners: binding.gateways.reduce((sum, gateway) => sum + gateway.listeners.length, 0)}
}

const [directory, roundsText] = process.argv.slice(2)
const rounds = Number(roundsText ?? 5)
const {objects} = await loadManifests([directory])
const run = () => bind(buildSnapshot(objects))
const {routes, listeners} = countBinding(run())
const times: number[] = []
const cpu: number[] = []
const collectGarbage = (globalThis as {gc?: () => void}).gc
for (let round = 0; round < rounds; round++) {
  collectGarbage?.()
  const start = performance.now()
  const startCpu = process.cpuUsage()
  run()
  times.push(performance.now() - start)
  const used = process.cpuUsage(startCpu)
  cpu.push((used.user + used.system) / 1000)
}
process.stdout.write(`${JSON.stringify({medianMs: median(times), minMs: Math.min(...times), cpuMs: median(cpu), routes, listeners})}\n`)
