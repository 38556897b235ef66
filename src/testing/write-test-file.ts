/**
 * Writing test files: `--init` renders generated tests as a new file (flow
 * maps for request and expect, one test per item, a header saying where
 * they came from, the file-wide `backendHeader` when one is given); `--update` rewrites the expectations of an existing file
 * in place through the yaml Document API, so names, requests, comments and
 * hand-written tests stay as written. Per test, only the keys it already
 * states change: its outcome (backend, backends, refused, status, redirect,
 * grpcStatus) is replaced by today's, listener, route and certificate take
 * today's values, headers and what the offline engine cannot observe are
 * kept; file-wide settings (`backendHeader`) are untouched. Tests for parts of the routing table no test exercises are appended.
 */
import {isDeepStrictEqual} from 'node:util'
import {Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq} from 'yaml'
import type {GeneratedTest} from './generate-tests.js'
import type {TestExpectation, TestObservation, TestRequest} from './routing-test.js'

const OUTCOME_KEYS = ['backend', 'backends', 'refused', 'status', 'redirect', 'grpcStatus'] as const

/** The request as written in a file: the Gateway as NAMESPACE/NAME. */
function toYamlRequest(request: TestRequest): Record<string, unknown> {
  const {gateway, ...rest} = request
  return {...(gateway === undefined ? {} : {gateway: `${gateway.namespace}/${gateway.name}`}), ...rest}
}

function createTestNode(doc: Document, test: GeneratedTest): unknown {
  const node = doc.createNode({name: test.name}) as YAMLMap
  const request = doc.createNode(toYamlRequest(test.request)) as YAMLMap
  request.flow = true
  const expect = doc.createNode(test.expect) as YAMLMap
  expect.flow = true
  node.set('request', request)
  node.set('expect', expect)
  return node
}

export function renderTestFile(tests: readonly GeneratedTest[], header: readonly string[], settings: {backendHeader?: string} = {}): string {
  const doc = new Document({kind: 'RoutingTests', ...(settings.backendHeader === undefined ? {} : {backendHeader: settings.backendHeader}), tests: []})
  const seq = doc.get('tests', true) as YAMLSeq
  for (const test of tests) seq.items.push(createTestNode(doc, test) as never)
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n')
  return doc.toString(renderOptions(false))
}

/** Today's expectation in the shape of the one written (see the module comment). */
export function mergeExpectation(written: TestExpectation, today: TestExpectation, observation: TestObservation): TestExpectation {
  const notCheckable = observation.notCheckable ?? {}
  const merged: Record<string, unknown> = {}
  const hadOutcome = OUTCOME_KEYS.some((key) => key in written)
  for (const [key, value] of Object.entries(written)) {
    if ((OUTCOME_KEYS as readonly string[]).includes(key)) {
      if (notCheckable[key] !== undefined && observation.refused === undefined) merged[key] = value
      continue
    }
    if (key === 'listener' || key === 'route') {
      if (today[key] !== undefined) merged[key] = today[key]
    } else if (key === 'certificate') {
      const certificate = observation.certificate
      if (certificate === undefined) continue
      const old = written.certificate!
      merged.certificate = {
        ...(old.covers === undefined ? {} : {covers: notCheckable['certificate.covers'] === undefined ? certificate.covers : old.covers}),
        ...(old.secret === undefined ? {} : {secret: certificate.secret}),
        ...(old.validDaysAtLeast === undefined ? {} : {validDaysAtLeast: old.validDaysAtLeast}),
      }
    } else {
      merged[key] = value
    }
  }
  if (hadOutcome || Object.keys(merged).length === 0) {
    for (const key of OUTCOME_KEYS) {
      if (today[key] !== undefined) merged[key] = today[key]
    }
  }
  return merged as TestExpectation
}

export interface UpdatedTest {
  index: number
  expect: TestExpectation
}

/**
 * The file's text with the given expectations and appended tests; returns
 * the new text and how many tests changed.
 */
export function rewriteTestFile(text: string, updates: readonly UpdatedTest[], added: readonly GeneratedTest[]): {text: string; changed: number} {
  const doc = parseDocument(text, {keepSourceTokens: false})
  const seq = doc.get('tests', true)
  if (!isSeq(seq)) return {text, changed: 0}
  let changed = 0
  for (const {index, expect} of updates) {
    const item = seq.items[index]
    if (!isMap(item)) continue
    const node = item.get('expect', true)
    if (!isMap(node)) continue
    const written = (node.toJSON() ?? {}) as Record<string, unknown>
    if (isDeepStrictEqual(written, expect)) continue
    changed++
    // Comments on values that are replaced or removed move to the replacement (an outcome key may change name).
    const orphaned: Array<{comment?: string | null; commentBefore?: string | null}> = []
    for (const key of Object.keys(written)) {
      if (key in expect) continue
      orphaned.push(node.get(key, true) as {comment?: string | null})
      node.delete(key)
    }
    for (const [key, value] of Object.entries(expect)) {
      if (isDeepStrictEqual(written[key], value)) continue
      const created = doc.createNode(value)
      if (isMap(created)) created.flow = true
      const previous = (node.get(key, true) as {comment?: string | null; commentBefore?: string | null} | undefined) ?? orphaned.shift()
      if (previous !== undefined && typeof previous === 'object') {
        created.comment = previous.comment
        created.commentBefore = previous.commentBefore
      }
      node.set(key, created)
    }
  }
  added.forEach((test, position) => {
    const node = createTestNode(doc, test) as YAMLMap
    if (position === 0) node.commentBefore = ' added by gwctl test --update: parts of the routing table no test exercised'
    seq.items.push(node as never)
  })
  if (changed === 0 && added.length === 0) return {text, changed}
  return {text: doc.toString(renderOptions(/^tests:\r?\n[ \t]+-/m.test(text))), changed}
}

/** How files are written: `{a: b}` flow maps on one line, sequence items at the key's indentation unless the file indents them. */
function renderOptions(indentSeq: boolean): {lineWidth: number; flowCollectionPadding: boolean; indentSeq: boolean} {
  return {lineWidth: 0, flowCollectionPadding: false, indentSeq}
}
