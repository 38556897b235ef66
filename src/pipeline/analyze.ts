/**
 * The pipeline every command shares: load → validate (JSON Schema + CEL) →
 * model → bind → findings. `lint` renders all of it, `resolve` and `serve`
 * use the binding and refuse unusable input, `certs create --for` reads the
 * binding's certificate needs. Findings come back sorted.
 */
import {UserError} from '../errors/user-error.js'
import {bind} from '../gatewayapi/bind.js'
import type {Binding} from '../gatewayapi/binding.js'
import {checkCaBundleUsable} from '../certs/check-ca-bundle.js'
import {checkSecretUsable} from '../certs/check-tls-secret.js'
import {CERTIFICATE_RULES} from '../certs/certificate-rules.js'
import {loadManifests, type LoadOptions} from '../manifests/load-manifests.js'
import {INPUT_RULES} from '../manifests/input-rules.js'
import {parseManifestText} from '../manifests/parse-manifest-text.js'
import type {SourceObject} from '../manifests/source.js'
import {buildSnapshot} from '../model/build-snapshot.js'
import type {Snapshot} from '../model/types.js'
import {checkListenerCertificates} from './certificate-findings.js'
import {convertProblem, describeResource} from './engine-findings.js'
import {compareFindings, type Finding, type RuleMeta} from '../findings/finding.js'
import {SEMANTIC_RULES} from './semantic-rules.js'

export type Channel = 'standard' | 'experimental'

export interface AnalyzeOptions {
  /** Namespace of objects without one (`-n`). */
  defaultNamespace?: string
  channel?: Channel
  /** Bind only Gateways of these classes (`--gateway-class`). */
  gatewayClassNames?: readonly string[]
  /** Clock for certificate validity and lastTransitionTime. */
  now?: Date
  /** certificate-expiring threshold in days (`--expiry-warning`). */
  expiryWarningDays?: number
  /** References to objects absent from the input are errors (`--require-refs`). */
  requireRefs?: boolean
  /** Run JSON Schema + CEL validation (default true). */
  validateSchemas?: boolean
  /** Check the certificates of listener Secrets (default true). */
  checkCertificates?: boolean
  cwd?: string
  stdin?: LoadOptions['stdin']
  /** `-f/--filename` values. */
  filenames?: readonly string[]
}

export interface Analysis {
  objects: SourceObject[]
  files: number
  /** An input was unusable as a whole (exit code 2). */
  fatal: boolean
  snapshot: Snapshot
  binding: Binding
  findings: Finding[]
  /** Metadata of every rule that can fire, for SARIF. */
  rules: RuleMeta[]
}

/** Findings that make a configuration unusable: unreadable input, or what the API server would reject. */
function blockingFindings(analysis: Pick<Analysis, 'findings'>): Finding[] {
  return analysis.findings.filter((finding) => finding.severity === 'error' && (finding.category === 'input' || finding.category === 'schema'))
}

/** A configuration serve, resolve and certs --for must refuse (and serve --watch must not load). */
export function isBroken(analysis: Pick<Analysis, 'fatal' | 'findings'>): boolean {
  return analysis.fatal || blockingFindings(analysis).length > 0
}

/** Throw the user error for a broken configuration, naming its first problem at file:line:column. */
export function assertUsable(analysis: Pick<Analysis, 'fatal' | 'findings'>): void {
  if (!isBroken(analysis)) return
  const errors = blockingFindings(analysis)
  const [first] = errors
  if (first === undefined) throw new UserError('input', 'the input cannot be read', {hint: 'run gwctl lint for every problem'})
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
  throw new UserError('input', `${first.message} [${first.ruleId}]${more}`, {file: `${first.file}:${first.line}:${first.column}`, hint: 'run gwctl lint for every problem'})
}

export async function analyzeManifests(inputs: readonly string[], options: AnalyzeOptions = {}): Promise<Analysis> {
  const schema = await prepareSchemaPass(options)
  const loaded = await loadManifests(inputs, {
    defaultNamespace: options.defaultNamespace, cwd: options.cwd, stdin: options.stdin, filenames: options.filenames, visit: schema?.validate,
  })
  return analyzeObjects(loaded.objects, loaded.findings, loaded.files, loaded.fatal, options, schema)
}

/** The same pipeline over texts already in memory (tests, `serve --watch`). */
export async function analyzeTexts(files: ReadonlyArray<{file: string; text: string}>, options: AnalyzeOptions = {}): Promise<Analysis> {
  const schema = await prepareSchemaPass(options)
  const objects: SourceObject[] = []
  const findings: Finding[] = []
  for (const {file, text} of files) {
    const parsed = parseManifestText(text, file, {defaultNamespace: options.defaultNamespace, visit: schema?.validate})
    objects.push(...parsed.objects)
    findings.push(...parsed.findings)
  }
  return analyzeObjects(objects, findings, files.length, false, options, schema)
}

/**
 * JSON Schema + CEL validation, run on each object as the loader reads it:
 * schema findings point into every kind of object, and locating them while
 * the document's YAML AST is held spares a second parse per object.
 */
interface SchemaPass {
  validate: (object: SourceObject) => void
  findings: Finding[]
  rules: readonly RuleMeta[]
}

async function prepareSchemaPass(options: AnalyzeOptions): Promise<SchemaPass | undefined> {
  if (options.validateSchemas === false) return undefined
  const {createObjectValidator, SCHEMA_RULES} = await import('../schema/validate-objects.js')
  return {...createObjectValidator({channel: options.channel ?? 'experimental'}), rules: SCHEMA_RULES}
}

function analyzeObjects(
  objects: SourceObject[], inputFindings: Finding[], files: number, fatal: boolean, options: AnalyzeOptions, schema: SchemaPass | undefined,
): Analysis {
  const now = options.now ?? new Date()
  const findings: Finding[] = [...inputFindings]
  const rules: RuleMeta[] = [...INPUT_RULES, ...SEMANTIC_RULES, ...CERTIFICATE_RULES]
  if (schema !== undefined && objects.length > 0) {
    findings.push(...schema.findings)
    rules.push(...schema.rules)
  }
  const superseded = findSupersededObjects(objects)
  for (const [index, later] of superseded) {
    const object = objects[index]
    const position = object.locate(['metadata', 'name'], 'value')
    findings.push({
      ruleId: 'input-duplicate-object', severity: 'warning', category: 'input',
      message: `${object.kind} ${object.namespace}/${object.name} is defined again at ${later.file}:${later.locate([]).line}; as with kubectl apply, the later definition is used`,
      resource: describeResource(object), field: 'metadata.name', file: object.file, line: position.line, column: position.column,
    })
  }
  const snapshot = buildSnapshot(objects.map((object, index) => (superseded.has(index) ? undefined : object)))
  const binding = bind(snapshot, {
    gatewayClassNames: options.gatewayClassNames,
    inspectCertificate: (secret) => checkSecretUsable({type: secret.type, data: secret.data}),
    inspectCaBundle: checkCaBundleUsable,
  })
  const requireRefs = options.requireRefs ?? false
  for (const problem of binding.problems) findings.push(convertProblem(problem, objects, {requireRefs}))
  if (options.checkCertificates !== false) {
    findings.push(...checkListenerCertificates(binding, objects, {now, expiryWarningDays: options.expiryWarningDays ?? 30}))
  }
  findings.sort(compareFindings)
  return {objects, files, fatal, snapshot, binding, findings, rules}
}

/**
 * Objects defined twice (same group, kind, namespace and name): the earlier
 * definitions, each with the object that supersedes it.
 */
function findSupersededObjects(objects: readonly SourceObject[]): Map<number, SourceObject> {
  const last = new Map<string, number>()
  const superseded = new Map<number, SourceObject>()
  objects.forEach((object, index) => {
    if (object.name === '') return
    const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.lastIndexOf('/')) : ''
    const key = `${group}|${object.kind}|${object.namespace}|${object.name}`
    const previous = last.get(key)
    if (previous !== undefined) superseded.set(previous, object)
    last.set(key, index)
  })
  return superseded
}
