/**
 * The pure part of loading: the text of one file (or of stdin) to the
 * Kubernetes objects in it and the `input` findings about it. No IO, never
 * throws. Documents are parsed one by one (see split-documents.ts), so an
 * error costs only its own document; a document with a syntax error is
 * dropped, one with only duplicate keys is kept (last value wins). `kind:
 * List` and `*List` objects with `items` are flattened, each item becoming
 * an object whose `locate` takes paths relative to the item. A document's
 * AST lives only while the document is read: `locate` parses the document's
 * piece of text again on its first call, so a large input holds plain values
 * and text, not an AST per object, when only a few objects get findings.
 * A stage that locates many fields of every object (schema validation) runs
 * as `visit`, called with each object while its AST is still held.
 */
import {isScalar, parseAllDocuments, type Document, type Node, type YAMLError} from 'yaml'
import type {Finding, ResourceRef} from '../findings/finding.js'
import {formatFieldPath, type FieldPath} from './field-path.js'
import {isClusterScoped} from './cluster-scoped.js'
import {createInputFinding, type InputFindingDetail, type InputRuleId} from './input-rules.js'
import {createLineIndex, type LocateOffset} from './line-index.js'
import {findKeyAfter, findNodeAtPath} from './locate-node.js'
import {convertToPlainValue, InputLimitError} from './plain-value.js'
import {quoteText} from './quote-text.js'
import type {Position, SourceObject} from './source.js'
import {splitDocuments, type TextRange} from './split-documents.js'
import {describeYamlError} from './yaml-errors.js'

export interface ParseOptions {
  /** Namespace of objects without metadata.namespace (`-n`); `default` when absent. */
  defaultNamespace?: string
  /** Called with each object as soon as it is read, while `locate` needs no second parse. */
  visit?: (object: SourceObject) => void
}

export interface ParsedManifests {
  objects: SourceObject[]
  findings: Finding[]
  /**
   * Some document is (or, failing to parse, mentions) a map with an
   * `apiVersion` or `kind` key. False means the text is no Kubernetes
   * manifest at all (package.json, a Helm values.yaml, an empty file).
   */
  mentionsKinds: boolean
}

/** YAML 1.2 core schema, plus `<<` merge keys as kubectl reads them; errors unprettified (positions are ours). */
const YAML_OPTIONS = {prettyErrors: false, merge: true, uniqueKeys: true} as const

interface ParseContext {
  text: string
  file: string
  defaultNamespace: string
  visit?: (object: SourceObject) => void
  locateOffset: LocateOffset
  objects: SourceObject[]
  findings: Finding[]
  mentionsKinds: boolean
}

/** An `apiVersion:` or `kind:` key at the start of a line (after indentation or `- `) or after `{` or `,`, quoted as JSON writes it or not. */
const KIND_KEY_PATTERN = /(?:^|[{,])[ \t]*(?:-[ \t]+)*["']?(?:apiVersion|kind)["']?[ \t]*:/m

/**
 * One parsed document and the piece of the file it was parsed from. The AST
 * is dropped by `release()` once the document is read, and parsed again from
 * the same text with the same options (so to the same nodes and offsets) the
 * first time it is asked for after that.
 */
class DocumentSource {
  private parsed: Document | undefined

  constructor(
    private readonly text: string,
    readonly range: TextRange,
    /** Position of the document among those parsed from `range`. */
    private readonly position: number,
    /** 0-based index of the document in the file. */
    readonly index: number,
    doc: Document,
  ) {
    this.parsed = doc
  }

  get doc(): Document {
    this.parsed ??= (parseAllDocuments(this.text.slice(this.range.start, this.range.end), YAML_OPTIONS) as Document[])[this.position]
    return this.parsed
  }

  release(): void {
    this.parsed = undefined
  }
}

export function parseManifestText(text: string, file: string, opts: ParseOptions = {}): ParsedManifests {
  const context: ParseContext = {
    text, file, defaultNamespace: opts.defaultNamespace || 'default', visit: opts.visit, locateOffset: createLineIndex(text), objects: [], findings: [],
    mentionsKinds: false,
  }
  const nul = text.indexOf('\0')
  if (nul !== -1) {
    report(context, 'input-binary', 'text contains NUL characters: not a manifest', context.locateOffset(nul))
    return {objects: [], findings: context.findings, mentionsKinds: KIND_KEY_PATTERN.test(text)}
  }
  let documentCount = 0
  for (const range of splitDocuments(text)) {
    const documents = parseAllDocuments(text.slice(range.start, range.end), YAML_OPTIONS)
    if ('empty' in documents) {
      reportFirstError(context, documents.errors, range)
      noteKindKeysInText(context, range)
      continue
    }
    documents.forEach((doc, position) => {
      const source = new DocumentSource(text, range, position, documentCount++, doc)
      readDocument(context, source)
      source.release()
    })
  }
  if (documentCount === 0 && context.findings.length === 0) {
    report(context, 'input-empty-document', 'no YAML documents in this input', {line: 1, column: 1})
  }
  return {objects: context.objects, findings: context.findings, mentionsKinds: context.mentionsKinds}
}

function readDocument(context: ParseContext, source: DocumentSource): void {
  const {doc} = source
  const syntaxErrors = doc.errors.filter(error => error.code !== 'DUPLICATE_KEY')
  if (syntaxErrors.length > 0) {
    reportFirstError(context, syntaxErrors, source.range, doc)
    noteKindKeysInText(context, source.range)
    return
  }
  const root = doc.contents as Node | null
  if (isEmptyDocument(root)) {
    report(context, 'input-empty-document', 'empty document (a stray `---`, or only comments): ignored',
      context.locateOffset(source.range.start + (doc.range?.[0] ?? 0)))
    return
  }
  let value: unknown
  try {
    value = convertToPlainValue(root)
  } catch (error) {
    if (!(error instanceof InputLimitError)) throw error
    report(context, error.ruleId, error.message, positionOf(context, source, error.node))
    noteKindKeysInText(context, source.range)
    return
  }
  if (hasKindKey(value) || (Array.isArray(value) && value.some(hasKindKey))) context.mentionsKinds = true
  for (const error of doc.errors) reportDuplicateKey(context, source, root as Node, value, error)
  if (!isPlainObject(value)) {
    report(context, 'input-not-object', `document is ${describeValue(value)}, not an object with apiVersion and kind`,
      positionOf(context, source, root))
    return
  }
  collectObjects(context, source, root as Node, value, [])
}

/**
 * Adds the object, or the items of a List, to the context. `prefix` is the
 * path of `node` from the document root, for messages about List items.
 */
function collectObjects(
  context: ParseContext, source: DocumentSource, node: Node, value: Record<string, unknown>, prefix: FieldPath,
): void {
  if (isListObject(value)) {
    value.items.forEach((item, index) => {
      const itemNode = findNodeAtPath(node, ['items', index], source.doc).value ?? node
      const itemPath = [...prefix, 'items', index]
      if (isPlainObject(item)) collectObjects(context, source, itemNode, item, itemPath)
      else {
        report(context, 'input-not-object', `${formatFieldPath(itemPath)} of the ${value.kind} is ${describeValue(item)}, not an object`,
          positionOf(context, source, itemNode), {field: formatFieldPath(itemPath)})
      }
    })
    return
  }
  const {apiVersion, kind} = value
  if (!isNonEmptyString(apiVersion) || !isNonEmptyString(kind)) {
    reportMissingKind(context, source, node, value, prefix)
    return
  }
  const object = createSourceObject(context, source, prefix, value, apiVersion, kind)
  context.objects.push(object)
  context.visit?.(object)
}

/** The node of the object at `prefix` (`[]`, or `items` indexes through nested Lists), found as collectObjects found it. */
function findObjectNode(doc: Document, prefix: FieldPath): Node {
  let node = doc.contents as Node
  for (let index = 0; index + 1 < prefix.length; index += 2) {
    node = findNodeAtPath(node, [prefix[index], prefix[index + 1]], doc).value ?? node
  }
  return node
}

function createSourceObject(
  context: ParseContext, source: DocumentSource, prefix: FieldPath, object: Record<string, unknown>, apiVersion: string, kind: string,
): SourceObject {
  const metadata = isPlainObject(object.metadata) ? object.metadata : {}
  const namespaceExplicit = isNonEmptyString(metadata.namespace)
  return {
    file: context.file,
    documentIndex: source.index,
    object,
    apiVersion,
    kind,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: namespaceExplicit ? metadata.namespace as string : context.defaultNamespace,
    namespaceExplicit,
    locate(path: FieldPath, target: 'key' | 'value' = 'key'): Position {
      const node = findObjectNode(source.doc, prefix)
      const found = findNodeAtPath(node, path, source.doc)
      const chosen = found.complete && target === 'value' ? found.value ?? found.key : found.key ?? found.value
      return positionOf(context, source, chosen ?? node)
    },
  }
}

function reportMissingKind(
  context: ParseContext, source: DocumentSource, node: Node, value: Record<string, unknown>, prefix: FieldPath,
): void {
  const missing = ['apiVersion', 'kind'].filter(name => value[name] === undefined)
  const wrong = ['apiVersion', 'kind'].filter(name => value[name] !== undefined && !isNonEmptyString(value[name]))
  const problems = [
    ...(missing.length > 0 ? [`object has no ${missing.join(' and no ')}`] : []),
    ...wrong.map(name => `${name} must be a non-empty string`),
  ]
  const where = prefix.length > 0 ? `${formatFieldPath(prefix)}: ` : ''
  const at = wrong.length > 0 ? findNodeAtPath(node, [wrong[0]], source.doc).value : node
  report(context, 'input-missing-kind', `${where}${problems.join('; ')}`, positionOf(context, source, at ?? node),
    prefix.length > 0 ? {field: formatFieldPath(prefix)} : {})
}

function reportDuplicateKey(context: ParseContext, source: DocumentSource, root: Node, value: unknown, error: YAMLError): void {
  if (error.code !== 'DUPLICATE_KEY') return
  const key = findKeyAfter(root, error.pos[0])
  const label = key ? `duplicate key ${quoteText(String(key.path[key.path.length - 1]))}` : 'duplicate key'
  report(context, 'input-duplicate-key', `${label} in this map: kubectl rejects it (the last value is used here)`,
    context.locateOffset(source.range.start + (key?.offset ?? error.pos[0])),
    {...(key ? {field: formatFieldPath(key.path)} : {}), ...describeResource(context, value)})
}

/** Reports the earliest error only: yaml's recovery makes the later ones echoes of it. */
function reportFirstError(context: ParseContext, errors: readonly YAMLError[], range: TextRange, doc?: Document): void {
  if (errors.length === 0) return
  const first = errors.reduce((earliest, error) => error.pos[0] < earliest.pos[0] ? error : earliest)
  const {ruleId, message, offset} = describeYamlError(first, context.text.slice(range.start, range.end), doc)
  report(context, ruleId, message, context.locateOffset(range.start + offset))
}

/** For a document that could not be read: does its text look like a Kubernetes object? */
function noteKindKeysInText(context: ParseContext, range: TextRange): void {
  if (!context.mentionsKinds) context.mentionsKinds = KIND_KEY_PATTERN.test(context.text.slice(range.start, range.end))
}

function hasKindKey(value: unknown): boolean {
  return isPlainObject(value) && ('apiVersion' in value || 'kind' in value)
}

function report(context: ParseContext, ruleId: InputRuleId, message: string, position: Position, detail?: InputFindingDetail): void {
  context.findings.push(createInputFinding(ruleId, message, context.file, position, detail))
}

function positionOf(context: ParseContext, source: DocumentSource, node: Node | null): Position {
  return context.locateOffset(source.range.start + (node?.range?.[0] ?? source.doc.range?.[0] ?? 0))
}

function describeResource(context: ParseContext, value: unknown): {resource?: ResourceRef} {
  if (!isPlainObject(value) || isListObject(value)) return {}
  const {apiVersion, kind} = value
  if (!isNonEmptyString(apiVersion) || !isNonEmptyString(kind)) return {}
  const metadata = isPlainObject(value.metadata) ? value.metadata : {}
  const name = typeof metadata.name === 'string' ? metadata.name : ''
  if (isClusterScoped(apiVersion, kind)) return {resource: {apiVersion, kind, name}}
  const namespace = isNonEmptyString(metadata.namespace) ? metadata.namespace : context.defaultNamespace
  return {resource: {apiVersion, kind, namespace, name}}
}

function isEmptyDocument(root: Node | null): boolean {
  if (root === null) return true
  return isScalar(root) && root.value === null && !root.source && !root.tag && !root.anchor
}

/** `kind: List`, or any `*List` kind (ServiceList, ...) that has an `items` array. */
function isListObject(value: Record<string, unknown>): value is Record<string, unknown> & {items: unknown[]} {
  return typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a sequence'
  if (typeof value === 'string') return 'a string'
  return `a ${typeof value}`
}
