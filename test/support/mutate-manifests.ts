/**
 * Seeded generator of broken manifests for robustness tests. It starts from
 * valid Gateway, TLSRoute, HTTPRoute, Service and Secret manifests and
 * applies one to three mutations to each case: structural ones that keep
 * the YAML valid but break the object (deleted keys, swapped types, deep
 * nesting, very long strings) and textual ones that break the YAML itself
 * (random bytes, truncation, duplicated keys, random indentation). The same
 * seed gives the same cases on every machine, so every stage (loading,
 * schema, binding) can run the very same inputs through its own code.
 */
import {parse, stringify} from 'yaml'
import {createRandom, type Random} from './seeded-random.js'

export const VALID_MANIFESTS: Readonly<Record<string, string>> = {
  gateway: `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
  - name: passthrough
    protocol: TLS
    port: 443
    hostname: "*.example.com"
    tls:
      mode: Passthrough
    allowedRoutes:
      namespaces:
        from: All
      kinds:
      - kind: TLSRoute
  - name: https
    protocol: HTTPS
    port: 8443
    hostname: app.example.com
    tls:
      mode: Terminate
      certificateRefs:
      - kind: Secret
        name: app-tls
`,
  tlsroute: `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata:
  name: api
  namespace: apps
spec:
  parentRefs:
  - name: gw
    namespace: infra
    sectionName: passthrough
  hostnames: ["api.example.com", "*.api.example.com"]
  rules:
  - backendRefs:
    - {name: api, port: 8443, weight: 90}
    - {name: api-canary, port: 8443, weight: 10}
`,
  httproute: `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: infra
spec:
  parentRefs:
  - name: gw
    sectionName: https
  hostnames:
  - app.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api
      headers:
      - name: x-env
        value: "canary"
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - {name: x-gateway, value: gwctl}
    backendRefs:
    - name: web
      port: 8080
`,
  service: `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: apps
  labels: {app: api}
spec:
  selector:
    app: api
  ports:
  - name: tls
    port: 8443
    targetPort: 9443
    protocol: TCP
`,
  secret: `apiVersion: v1
kind: Secret
metadata:
  name: app-tls
  namespace: infra
type: kubernetes.io/tls
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENDQVRlZ0F3SUJBZ0lVZmFrZQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JR0hBZ0VBTUJNR0J5cUdTTTQ5CmZha2UKLS0tLS1FTkQgUFJJVkFURSBLRVktLS0tLQo=
`,
}

export type MutationName =
  | 'delete-key' | 'swap-type' | 'deep-nesting' | 'long-string' | 'json-rendering'
  | 'insert-bytes' | 'truncate' | 'duplicate-key' | 'random-indentation' | 'join-documents'

export interface MutatedManifest {
  /** Unique and stable: `<index>-<base>-<mutations>`, usable as a file name. */
  name: string
  base: string
  mutations: MutationName[]
  text: string
}

export interface MutateOptions {
  seed?: number
  count?: number
  /** Valid manifests to start from; VALID_MANIFESTS when absent. */
  bases?: Readonly<Record<string, string>>
}

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
type Container = Json[] | {[key: string]: Json}

interface Draft {
  /** The object while mutations stay structural; undefined once the text is edited. */
  value: Json | undefined
  text: string
}

/** Structural mutations run on the parsed object; the others edit the text. */
const STRUCTURAL: readonly MutationName[] = ['delete-key', 'swap-type', 'deep-nesting', 'long-string', 'json-rendering']
const TEXTUAL: readonly MutationName[] = ['insert-bytes', 'truncate', 'duplicate-key', 'random-indentation', 'join-documents']

export function mutateManifests(opts: MutateOptions = {}): MutatedManifest[] {
  const random = createRandom(opts.seed ?? 20_251_122)
  const bases = opts.bases ?? VALID_MANIFESTS
  const names = Object.keys(bases).sort()
  const parsed = new Map(names.map(name => [name, parse(bases[name]) as Json]))
  const cases: MutatedManifest[] = []
  for (let index = 0; index < (opts.count ?? 1000); index++) {
    const base = names[index % names.length]
    const mutations = chooseMutations(random)
    const draft: Draft = {value: structuredClone(parsed.get(base)), text: bases[base]}
    for (const mutation of mutations) applyMutation(random, draft, mutation, bases)
    cases.push({name: `${index}-${base}-${mutations.join('+')}`, base, mutations, text: draft.text})
  }
  return cases
}

/** One to three mutations in the order they can apply: structural ones (they need the object) in list order, then textual ones. */
function chooseMutations(random: Random): MutationName[] {
  const count = random.int(1, 3)
  const chosen: MutationName[] = []
  for (let index = 0; index < count; index++) chosen.push(random.pick([...STRUCTURAL, ...TEXTUAL]))
  const structural = chosen.filter(name => STRUCTURAL.includes(name)).sort((a, b) => STRUCTURAL.indexOf(a) - STRUCTURAL.indexOf(b))
  return [...structural, ...chosen.filter(name => TEXTUAL.includes(name))]
}

function applyMutation(random: Random, draft: Draft, mutation: MutationName, bases: Readonly<Record<string, string>>): void {
  switch (mutation) {
    case 'delete-key': return editValue(draft, value => deleteRandomEntry(random, value))
    case 'swap-type': return editValue(draft, value => replaceRandomValue(random, value, () => swapType(random)))
    case 'deep-nesting': return editValue(draft, value => replaceRandomValue(random, value, () => nest(random, random.int(20, 250))))
    case 'long-string': return editValue(draft, value => replaceRandomValue(random, value, () => longString(random)))
    case 'json-rendering':
      if (draft.value !== undefined) draft.text = JSON.stringify(draft.value, null, random.pick([0, 2, '\t']))
      return
    case 'insert-bytes': return editText(draft, text => insertBytes(random, text))
    case 'truncate': return editText(draft, text => text.slice(0, random.int(0, text.length)))
    case 'duplicate-key': return editText(draft, text => duplicateLine(random, text))
    case 'random-indentation': return editText(draft, text => reindentLine(random, text))
    case 'join-documents': return editText(draft, text => `${text}\n---\n${bases[random.pick(Object.keys(bases))]}`)
  }
}

function editValue(draft: Draft, edit: (value: Json) => Json): void {
  if (draft.value === undefined) return
  draft.value = edit(draft.value)
  draft.text = stringify(draft.value, {lineWidth: 0})
}

function editText(draft: Draft, edit: (text: string) => string): void {
  draft.value = undefined
  draft.text = edit(draft.text)
}

/** Every map and sequence in the value, the root first. */
function listContainers(value: Json): Container[] {
  const found: Container[] = []
  const pending: Json[] = [value]
  while (pending.length > 0) {
    const current = pending.pop()!
    if (current === null || typeof current !== 'object') continue
    found.push(current)
    for (const child of Object.values(current)) pending.push(child)
  }
  return found
}

function deleteRandomEntry(random: Random, value: Json): Json {
  const containers = listContainers(value).filter(container => Object.keys(container).length > 0)
  if (containers.length === 0) return value
  const container = random.pick(containers)
  if (Array.isArray(container)) container.splice(random.int(0, container.length - 1), 1)
  else delete container[random.pick(Object.keys(container))]
  return value
}

function replaceRandomValue(random: Random, value: Json, make: () => Json): Json {
  const containers = listContainers(value).filter(container => Object.keys(container).length > 0)
  if (containers.length === 0 || random.chance(0.05)) return make()
  const container = random.pick(containers)
  if (Array.isArray(container)) container[random.int(0, container.length - 1)] = make()
  else container[random.pick(Object.keys(container))] = make()
  return value
}

function swapType(random: Random): Json {
  return random.pick<() => Json>([
    () => null, () => true, () => random.int(-70000, 70000), () => 0.5, () => '', () => 'x', () => '443',
    () => [], () => ['a', 1], () => ({}), () => ({unexpected: {field: [1, 2]}}),
  ])()
}

function nest(random: Random, levels: number): Json {
  let value: Json = random.pick<Json>(['leaf', 1, null])
  for (let level = 0; level < levels; level++) value = random.chance(0.5) ? [value] : {k: value}
  return value
}

function longString(random: Random): string {
  const unit = random.pick(['a', 'é', '😀', 'line\n', '"q" ', ' ', '*.example.com.'])
  return unit.repeat(random.int(200, 5_000))
}

const INSERTABLE = [
  '\0', '\t', '\r', '\n', '\uFEFF', '\u0007', '\u001B', '\uFFFD', '\uD800', ':', ': ', '- ', '---\n', '...\n', '"', "'",
  '[', ']', '{', '}', '&a ', '*a', '*b', '!!binary ', '!custom ', '%YAML 1.2\n', '#', '|', '>', '? ', '<<: ', ',', '@', '`', '😀', 'é',
]

function insertBytes(random: Random, text: string): string {
  let result = text
  for (let count = random.int(1, 5); count > 0; count--) {
    const at = random.int(0, result.length)
    const insert = random.chance(0.7) ? random.pick(INSERTABLE) : String.fromCharCode(random.int(0, 0xFFFF))
    result = result.slice(0, at) + insert + result.slice(at)
  }
  return result
}

function duplicateLine(random: Random, text: string): string {
  const lines = text.split('\n')
  const keyed = lines.map((line, index) => ({line, index})).filter(({line}) => /^\s*(- )?[\w.-]+:/.test(line))
  if (keyed.length === 0) return text
  const {line, index} = random.pick(keyed)
  const copy = line.replace(/^(\s*)- /, '$1  ')
  lines.splice(index + 1, 0, copy)
  return lines.join('\n')
}

function reindentLine(random: Random, text: string): string {
  const lines = text.split('\n')
  const index = random.int(0, lines.length - 1)
  const content = lines[index].trimStart()
  const indentation = random.pick([' ', '\t', '  \t'])
  lines[index] = indentation.repeat(random.int(0, 9)) + content
  return lines.join('\n')
}
