/**
 * Measures loading against a bare YAML parse: 10,000 routes and 2,000
 * Gateways (with their Services), 40 objects to a file, written to a temp
 * directory. Prints the time of yaml.parseAllDocuments alone, of
 * parseAllDocuments + toJS, of parseManifestText, of loadManifests (reading
 * from disk), and of locating three fields in every object.
 *
 *   node --import tsx bench/load-manifests.ts [rounds]
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {parseAllDocuments} from 'yaml'
import {loadManifests} from '../src/manifests/load-manifests.js'
import {parseManifestText} from '../src/manifests/parse-manifest-text.js'

const ROUTES = 10_000
const GATEWAYS = 2_000
const OBJECTS_PER_FILE = 40

function renderGateway(index: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw-${index}
  namespace: team-${index % 50}
spec:
  gatewayClassName: example
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.team-${index}.example.com"
    tls:
      mode: Terminate
      certificateRefs:
      - kind: Secret
        name: wildcard-${index}
    allowedRoutes:
      namespaces:
        from: All
  - name: tls
    protocol: TLS
    port: 8443
    hostname: "db.team-${index}.example.com"
    tls:
      mode: Passthrough
`
}

function renderRoute(index: number): string {
  if (index % 2 === 0) {
    return `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata:
  name: tls-${index}
  namespace: team-${index % 50}
spec:
  parentRefs:
  - name: gw-${index % GATEWAYS}
    sectionName: tls
  hostnames: ["db.team-${index % GATEWAYS}.example.com"]
  rules:
  - backendRefs:
    - name: db-${index}
      port: 5432
      weight: 90
    - name: db-canary-${index}
      port: 5432
      weight: 10
`
  }
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web-${index}
  namespace: team-${index % 50}
  labels: {app: web, tier: "frontend"}
spec:
  parentRefs:
  - name: gw-${index % GATEWAYS}
    sectionName: https
  hostnames:
  - app-${index}.team-${index % GATEWAYS}.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api
      headers:
      - name: x-canary
        value: "true"
    backendRefs:
    - name: api-${index}
      port: 8080
  - backendRefs:
    - name: web-${index}
      port: 80
`
}

function renderFiles(): string[] {
  const objects = [
    ...Array.from({length: GATEWAYS}, (_, index) => renderGateway(index)),
    ...Array.from({length: ROUTES}, (_, index) => renderRoute(index)),
  ]
  const files: string[] = []
  for (let start = 0; start < objects.length; start += OBJECTS_PER_FILE) {
    files.push(objects.slice(start, start + OBJECTS_PER_FILE).join('---\n'))
  }
  return files
}

function measure(label: string, rounds: number, run: () => void): number {
  run()
  const times: number[] = []
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint()
    run()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  const best = Math.min(...times)
  console.log(`${label.padEnd(44)} ${best.toFixed(0).padStart(6)} ms (best of ${rounds})`)
  return best
}

/** Median of after/before over rounds that run both back to back: steadier than best times on a busy machine. */
function measurePairedRatios(rounds: number, before: () => void, after: () => void): number {
  const ratios: number[] = []
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint()
    before()
    const middle = process.hrtime.bigint()
    after()
    ratios.push(Number(process.hrtime.bigint() - middle) / Number(middle - start))
  }
  return ratios.sort((a, b) => a - b)[Math.floor(ratios.length / 2)]
}

async function measureAsync(label: string, rounds: number, run: () => Promise<unknown>): Promise<number> {
  await run()
  const times: number[] = []
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint()
    await run()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  const best = Math.min(...times)
  console.log(`${label.padEnd(44)} ${best.toFixed(0).padStart(6)} ms (best of ${rounds})`)
  return best
}

async function runBenchmark(rounds: number): Promise<void> {
  const texts = renderFiles()
  const directory = await mkdtemp(path.join(tmpdir(), 'gwctl-bench-'))
  try {
    await Promise.all(texts.map((text, index) => writeFile(path.join(directory, `m-${String(index).padStart(4, '0')}.yaml`), text)))
    const bytes = texts.reduce((sum, text) => sum + text.length, 0)
    console.log(`${GATEWAYS} Gateways + ${ROUTES} routes in ${texts.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB`)
    const bare = measure('yaml.parseAllDocuments', rounds, () => {
      for (const text of texts) parseAllDocuments(text)
    })
    measure('yaml.parseAllDocuments + toJS', rounds, () => {
      for (const text of texts) for (const doc of parseAllDocuments(text)) doc.toJS()
    })
    const pure = measure('parseManifestText', rounds, () => {
      for (const text of texts) parseManifestText(text, 'bench.yaml')
    })
    const ratios = measurePairedRatios(rounds, () => {
      for (const text of texts) parseAllDocuments(text)
    }, () => {
      for (const text of texts) parseManifestText(text, 'bench.yaml')
    })
    const readOnly = await measureAsync('readFile of every file', rounds, async () => {
      for (const file of texts.keys()) await readFile(path.join(directory, `m-${String(file).padStart(4, '0')}.yaml`), 'utf8')
    })
    const loaded = await measureAsync('loadManifests (from disk)', rounds, () => loadManifests([directory]))
    const result = await loadManifests([directory])
    const locate = measure('locate 3 fields in every object', rounds, () => {
      for (const object of result.objects) {
        object.locate(['metadata', 'name'], 'value')
        object.locate(['spec', 'parentRefs', 0, 'name'], 'value')
        object.locate(['spec', 'listeners', 1, 'tls', 'certificateRefs'])
      }
    })
    console.log(`objects ${result.objects.length}, findings ${result.findings.length}`)
    console.log(`parseManifestText / parseAllDocuments: ${(pure / bare).toFixed(2)}x (best times), median of paired rounds ${ratios.toFixed(2)}x`)
    console.log(`loadManifests / parseAllDocuments: ${(loaded / bare).toFixed(2)}x (of which sequential readFile ${readOnly.toFixed(0)} ms)`)
    console.log(`locate per call: ${((locate * 1000) / (result.objects.length * 3)).toFixed(2)} µs`)
  } finally {
    await rm(directory, {recursive: true, force: true})
  }
}

await runBenchmark(Number(process.argv[2] ?? 5))
