/**
 * A gwctl test file's text → its RoutingTests, validated (pure, no I/O):
 * YAML syntax, the JSON Schema (routing-tests-schema.ts, through ajv) and
 * the checks a schema cannot say — percentages of `backends` summing to
 * 100, `backend` and `backends` together, an expectation of an outcome the
 * protocol cannot have (a path for TCP, an SNI for plain HTTP), and test
 * names repeated in one file. The file-wide `backendHeader` is given to
 * each of its tests (lower case). Every problem carries file:line:column (of
 * the offending key or value) and, for a misspelled key or value, a
 * did-you-mean. Loads ajv: import this module lazily.
 */
import {Ajv2020, type ErrorObject} from 'ajv/dist/2020.js'
import {LineCounter, parseDocument, type Document, type Node} from 'yaml'
import {suggestName} from '../errors/suggest-name.js'
import {findNodeAtPath} from '../manifests/locate-node.js'
import {describeYamlError} from '../manifests/yaml-errors.js'
import type {RoutingTest, TestExpectation, TestRequest} from './routing-test.js'
import {
  CERTIFICATE_KEYS, EXPECT_KEYS, FILE_KEYS, REQUEST_KEYS, ROUTING_TESTS_SCHEMA, TEST_KEYS,
} from './routing-tests-schema.js'

export interface TestFileProblem {
  file: string
  line: number
  column: number
  message: string
  hint?: string
}

export interface FieldPosition {
  line: number
  column: number
}

export interface ReadTestFileResult {
  tests: RoutingTest[]
  /** Per test (same index): where its request keys are (`request.port`, `request.gateway`, ...), for later checks. */
  positions: Array<Record<string, FieldPosition>>
  problems: TestFileProblem[]
}

const LOCATED_KEYS: Path[] = [['request', 'port'], ['request', 'gateway'], ['request', 'protocol'], ['request', 'clientCertificate', 'certificate'], ['request', 'clientCertificate', 'key']]

type Path = Array<string | number>

let compiled: ReturnType<Ajv2020['compile']> | undefined

function validator(): ReturnType<Ajv2020['compile']> {
  compiled ??= new Ajv2020({allErrors: true, strict: true, allowUnionTypes: true}).compile(ROUTING_TESTS_SCHEMA)
  return compiled
}

/** The keys allowed at a path of the file, for did-you-mean. */
function knownKeysAt(path: Path): readonly string[] {
  const names = path.filter((part) => typeof part === 'string')
  const last = names.at(-1)
  if (names.length === 0) return FILE_KEYS
  if (last === 'tests') return TEST_KEYS
  if (last === 'request') return REQUEST_KEYS
  if (last === 'expect') return EXPECT_KEYS
  if (last === 'certificate') return CERTIFICATE_KEYS
  if (last === 'clientCertificate') return ['certificate', 'key']
  if (last === 'gateway') return ['namespace', 'name']
  return []
}

function parsePointer(pointer: string): Path {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~')).map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

function describePath(path: Path): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`), '')
}

export function readTestFile(text: string, file: string, options: {defaultNamespace?: string} = {}): ReadTestFileResult {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, uniqueKeys: true, prettyErrors: false})
  const problems: TestFileProblem[] = []
  const at = (offset: number, message: string, hint?: string): void => {
    const {line, col} = lines.linePos(offset)
    problems.push({file, line, column: col, message, ...(hint === undefined ? {} : {hint})})
  }
  for (const error of doc.errors) {
    const described = describeYamlError(error, text, doc)
    at(described.offset, error.code === 'MULTIPLE_DOCS' ? 'holds several YAML documents; a test file is one document of kind RoutingTests' : described.message)
  }
  if (problems.length > 0) return {tests: [], positions: [], problems}
  const root = doc.contents as Node | null
  const locate = (path: Path, target: 'key' | 'value' = 'value'): number => {
    if (root === null) return 0
    const found = findNodeAtPath(root, path, doc as Document)
    const node = target === 'key' && found.complete ? found.key ?? found.value : found.value ?? found.key
    return node?.range?.[0] ?? 0
  }
  const value: unknown = doc.toJS({maxAliasCount: 100})
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    at(locate([]), 'a test file must be a map with kind: RoutingTests and tests: [...]')
    return {tests: [], positions: [], problems}
  }
  const validate = validator()
  if (!validate(value)) reportSchemaErrors(validate.errors ?? [], value, locate, at)
  if (problems.length > 0) return {tests: [], positions: [], problems: sortProblems(problems)}

  const data = value as {backendHeader?: string; tests: Array<{name: string; request: Record<string, unknown>; expect: TestExpectation}>}
  const backendHeader = data.backendHeader?.toLowerCase()
  const tests: RoutingTest[] = []
  const positions: Array<Record<string, FieldPosition>> = []
  const names = new Map<string, number>()
  data.tests.forEach((raw, index) => {
    const request = readRequest(raw.request, options.defaultNamespace ?? 'default')
    const where = (sub: Path, target: 'key' | 'value' = 'key') => locate(['tests', index, ...sub], target)
    checkTest(request, raw.expect, where, at)
    const first = names.get(raw.name)
    if (first !== undefined) at(where(['name'], 'value'), `test name '${raw.name}' is used twice in this file`, `the first is tests[${first}]; reports and --update find tests by name`)
    else names.set(raw.name, index)
    const {line, col} = lines.linePos(locate(['tests', index], 'value'))
    tests.push({name: raw.name, request, expect: raw.expect, ...(backendHeader === undefined ? {} : {backendHeader}), location: {file, line, column: col}})
    positions.push(Object.fromEntries(LOCATED_KEYS.map((sub) => {
      const position = lines.linePos(locate(['tests', index, ...sub], 'value'))
      return [sub.join('.'), {line: position.line, column: position.col}]
    })))
  })
  return {tests, positions, problems: sortProblems(problems)}
}

function readRequest(raw: Record<string, unknown>, defaultNamespace: string): TestRequest {
  const {gateway, ...rest} = raw
  const request = rest as unknown as TestRequest
  if (typeof gateway === 'string') {
    const [namespace, name] = gateway.includes('/') ? gateway.split('/') : [defaultNamespace, gateway]
    request.gateway = {namespace, name}
  } else if (gateway !== undefined) {
    request.gateway = gateway as {namespace: string; name: string}
  }
  return request
}

type At = (offset: number, message: string, hint?: string) => void

/** What the schema cannot say about one test. */
function checkTest(request: TestRequest, expect: TestExpectation, where: (path: Path, target?: 'key' | 'value') => number, at: At): void {
  if (expect.backend !== undefined && expect.backends !== undefined) {
    at(where(['expect', 'backends']), 'expect has both backend and backends', 'backend: X is backends: {X: 100}; keep one')
  }
  if (expect.backends !== undefined) {
    const total = Object.values(expect.backends).reduce((sum, percent) => sum + percent, 0)
    if (Math.abs(total - 100) > 0.011) {
      at(where(['expect', 'backends'], 'value'), `backends percentages sum to ${Math.round(total * 100) / 100}, not 100`, 'give each backend its share of the traffic, in percent')
    }
  }
  const refusalWith = ['backend', 'backends', 'status', 'redirect', 'grpcStatus', 'headers'].filter((key) => key in expect)
  if (expect.refused !== undefined && refusalWith.length > 0) {
    at(where(['expect', 'refused']), `a refused connection has no ${refusalWith.join(', ')}`, 'a test expects either a refusal or an answer')
  }
  const protocol = request.protocol
  if (protocol === undefined) return
  const stream = protocol === 'tcp' || protocol === 'udp' || protocol === 'tls'
  const httpKeys = ['host', 'path', 'method', 'headers'].filter((key) => key in request)
  if (stream && httpKeys.length > 0) at(where(['request', httpKeys[0]]), `protocol ${protocol} carries no HTTP request, so ${httpKeys.join(', ')} cannot apply`)
  if ((protocol === 'http' || protocol === 'tcp' || protocol === 'udp') && request.sni !== undefined) {
    at(where(['request', 'sni']), `protocol ${protocol} has no TLS, so no SNI`, protocol === 'http' ? 'use host for the Host header' : undefined)
  }
  const answerKeys = ['status', 'redirect', 'headers'].filter((key) => key in expect)
  if (stream && answerKeys.length > 0) at(where(['expect', answerKeys[0]]), `protocol ${protocol} has no HTTP answer, so ${answerKeys.join(', ')} cannot be expected`)
  if (protocol !== 'grpc' && expect.grpcStatus !== undefined && stream) at(where(['expect', 'grpcStatus']), `protocol ${protocol} has no gRPC status`)
  if ((protocol === 'http' || protocol === 'tcp' || protocol === 'udp') && expect.certificate !== undefined) at(where(['expect', 'certificate']), `protocol ${protocol} has no TLS, so no certificate`)
}

function reportSchemaErrors(errors: readonly ErrorObject[], value: unknown, locate: (path: Path, target?: 'key' | 'value') => number, at: At): void {
  const seen = new Set<string>()
  const gatewayReported = new Set<string>()
  for (const error of errors) {
    const path = parsePointer(error.instancePath)
    const name = describePath(path) || 'the file'
    const report = (offset: number, message: string, hint?: string) => {
      const key = `${offset}|${message}`
      if (seen.has(key)) return
      seen.add(key)
      at(offset, message, hint)
    }
    if (path.at(-1) === 'gateway' || path.at(-2) === 'gateway') {
      const gatewayPath = path.slice(0, path.lastIndexOf('gateway') + 1)
      const key = describePath(gatewayPath)
      if (gatewayReported.has(key)) continue
      gatewayReported.add(key)
      report(locate(gatewayPath), `${key} must be NAMESPACE/NAME (or NAME in the default namespace), or a map of namespace and name`)
      continue
    }
    switch (error.keyword) {
      case 'additionalProperties': {
        const extra = String(error.params.additionalProperty)
        const known = knownKeysAt(path)
        const suggestion = suggestName(extra, known)
        report(locate([...path, extra], 'key'), `unknown key '${extra}'${path.length === 0 ? '' : ` in ${name}`}`,
          suggestion === undefined ? `known keys: ${known.join(', ')}` : `did you mean '${suggestion}'?`)
        break
      }
      case 'required':
        report(locate(path), `${name} is missing ${String(error.params.missingProperty)}`, requiredHint(String(error.params.missingProperty)))
        break
      case 'const':
        report(locate(path), `${name} must be ${JSON.stringify(error.params.allowedValue)}, got ${JSON.stringify(readAt(value, path))}`)
        break
      case 'enum': {
        const got = readAt(value, path)
        const choices = (error.params.allowedValues as string[])
        const suggestion = typeof got === 'string' ? suggestName(got, choices) : undefined
        report(locate(path), `${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(got)}`, suggestion === undefined ? undefined : `did you mean '${suggestion}'?`)
        break
      }
      case 'pattern':
        if (error.propertyName !== undefined) {
          const keyPath = [...path, error.propertyName]
          report(locate(keyPath, 'key'), `${describePath(path)} key ${JSON.stringify(error.propertyName)} ${describePattern(keyPath)}`)
          break
        }
        report(locate(path), `${name} ${describePattern(path)}, got ${JSON.stringify(readAt(value, path))}`)
        break
      case 'propertyNames':
        break
      case 'minProperties':
        report(locate(path), `${name} must not be empty`, path.at(-1) === 'expect' ? `expect one or more of ${EXPECT_KEYS.join(', ')}` : undefined)
        break
      default:
        report(locate(path), `${name} ${error.message ?? 'is invalid'}`)
    }
  }
}

function requiredHint(key: string): string | undefined {
  if (key === 'tests') return 'tests: [{name, request: {port, sni, ...}, expect: {backend, ...}}]'
  if (key === 'kind') return 'the first line of a test file is kind: RoutingTests'
  if (key === 'port') return 'the listener port the client connects to'
  return undefined
}

/** What a pattern-checked value must look like, by where it is. */
function describePattern(path: Path): string {
  const names = path.filter((part) => typeof part === 'string')
  const last = names.at(-1)
  const parent = names.at(-2)
  if (last === 'backend' || parent === 'backends') return 'must be a backend NAMESPACE/NAME:PORT'
  if (last === 'route') return "must be 'KIND NAMESPACE/NAME', e.g. 'HTTPRoute web/shop'"
  if (last === 'secret') return 'must be a Secret NAMESPACE/NAME'
  if (last === 'path') return 'must start with /'
  if (last === 'method') return 'must be an HTTP method'
  if (parent === 'headers') return 'must be a header name'
  if (last === 'backendHeader') return 'must be an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~), e.g. x-served-by'
  return 'has the wrong form'
}

function readAt(value: unknown, path: Path): unknown {
  let current = value
  for (const part of path) current = (current as Record<string | number, unknown> | undefined)?.[part]
  return current
}

function sortProblems(problems: TestFileProblem[]): TestFileProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column)
}
