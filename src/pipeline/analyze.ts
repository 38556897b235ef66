/**
 * The pipeline every command shares: load → validate (JSON Schema + CEL) →
 * model → bind → findings. `lint` renders all of it, `resolve` and `serve`
 * use the binding and refuse unusable input, `certs create --for` reads the
 * binding's certificate needs. Findings come back sorted.
 *
 * `.gwctl.yaml` rule levels and `gwctl/ignore` annotations are applied last
 * (suppress-findings.ts) and change what is reported and the exit status of
 * lint, never what is usable: `blocking` is taken before them, so turning
 * off a schema or input error does not let serve, resolve or certs --for run
 * on an object the API server would reject.
 */
import {isDeepStrictEqual} from 'node:util'
import {UserError} from '../errors/user-error.js'
import {describeObjectName, isClusterScoped} from '../manifests/cluster-scoped.js'
import {bind} from '../gatewayapi/bind.js'
import type {Binding} from '../gatewayapi/binding.js'
import {CERTIFICATE_RULES} from '../certs/certificate-rules.js'
import {loadManifests, type LoadOptions} from '../manifests/load-manifests.js'
import {INPUT_RULES, makesInputUnusable} from '../manifests/input-rules.js'
import {parseManifestText} from '../manifests/parse-manifest-text.js'
import type {LoadResult, SkippedFile, SourceObject} from '../manifests/source.js'
import {buildSnapshot} from '../model/build-snapshot.js'
import type {Snapshot} from '../model/types.js'
import {checkListenerCertificates} from './certificate-findings.js'
import {convertProblem, describeResource} from './engine-findings.js'
import {compareFindings, type Finding, type RuleMeta, type SuppressedFinding} from '../findings/finding.js'
import {listRules} from './rule-catalogue.js'
import {SEMANTIC_RULES} from './semantic-rules.js'
import {suppressFindings, type RuleSettings} from './suppress-findings.js'
import {SUPPRESSION_RULES} from './suppression-rules.js'
import {findImplementationFindings, IMPLEMENTATION_RULES} from './implementation-findings.js'
import type {ImplementationProfile} from '../implementations/implementation-profile.js'
import {profileEngineFeatures} from '../implementations/profile-engine-features.js'

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
  /** Globs of paths directories and globs leave out (`--exclude`, `.gwctl.yaml` `exclude:`), relative to `cwd`. */
  exclude?: readonly string[]
  /** How `-` is named in findings (`--stdin-filename`). */
  stdinFilename?: string
  /** `.gwctl.yaml` `rules:`: severities changed or turned off (reporting only). */
  rules?: RuleSettings
  /** The implementation gwctl plays (`--implementation`); undefined: generic, gwctl's own choices. */
  implementation?: ImplementationProfile
}

export interface Analysis {
  objects: SourceObject[]
  files: number
  /** Files left out: found in a directory but holding no Kubernetes object, or excluded. */
  skipped: SkippedFile[]
  /** Some input could not be used (exit code 2): see makesInputUnusable. */
  fatal: boolean
  snapshot: Snapshot
  binding: Binding
  /** What is reported: after rule levels and suppressions. */
  findings: Finding[]
  /** Findings silenced by a `gwctl/ignore` annotation or `rules: {ID: off}`. */
  suppressed: SuppressedFinding[]
  /**
   * Error findings of category input or schema as detected, before rule
   * levels and suppressions: what makes the input unusable.
   */
  blocking: Finding[]
  /** Metadata of every rule that can fire, for SARIF. */
  rules: RuleMeta[]
  /** The implementation played (`--implementation`); undefined: generic. */
  implementation?: ImplementationProfile
}

/** Findings that make a configuration unusable: unreadable input, or what the API server would reject. */
function findBlocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.severity === 'error' && (finding.category === 'input' || finding.category === 'schema'))
}

/** A configuration serve, resolve and certs --for must refuse (and serve --watch must not load). */
export function isBroken(analysis: Pick<Analysis, 'fatal' | 'blocking'>): boolean {
  return analysis.fatal || analysis.blocking.length > 0
}

/**
 * Throw the user error for a broken configuration, naming its first problem at file:line:column
 * (and saying so when lint would not show it because a suppression silenced it).
 */
export function assertUsable(analysis: Pick<Analysis, 'fatal' | 'blocking'> & Partial<Pick<Analysis, 'suppressed'>>): void {
  if (!isBroken(analysis)) return
  const errors = analysis.blocking
  const [first] = errors
  if (first === undefined) throw new UserError('input', 'the input cannot be read', {hint: 'run gwctl lint for every problem'})
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
  const silenced = (analysis.suppressed ?? []).some((finding) => compareFindings(finding, first) === 0)
  const hint = silenced
    ? 'suppressed for lint by gwctl/ignore or .gwctl.yaml, but the API server would reject it, so it cannot be used'
    : 'run gwctl lint for every problem'
  throw new UserError('input', `${first.message} [${first.ruleId}]${more}`, {file: `${first.file}:${first.line}:${first.column}`, hint})
}

export async function analyzeManifests(inputs: readonly string[], options: AnalyzeOptions = {}): Promise<Analysis> {
  const schema = await prepareSchemaPass(options)
  const loaded = await loadManifests(inputs, {
    defaultNamespace: options.defaultNamespace, cwd: options.cwd, stdin: options.stdin, filenames: options.filenames,
    stdinFilename: options.stdinFilename, exclude: options.exclude, visit: schema?.validate,
  })
  return await analyzeObjects(loaded, options, schema)
}

/**
 * One load and schema pass, then the binding and findings once per
 * implementation profile (undefined: generic), in the order given:
 * `lint --implementation all`.
 */
export async function analyzeManifestsPerImplementation(
  inputs: readonly string[], options: AnalyzeOptions, profiles: ReadonlyArray<ImplementationProfile | undefined>,
): Promise<Analysis[]> {
  const schema = await prepareSchemaPass(options)
  const loaded = await loadManifests(inputs, {
    defaultNamespace: options.defaultNamespace, cwd: options.cwd, stdin: options.stdin, filenames: options.filenames,
    stdinFilename: options.stdinFilename, exclude: options.exclude, visit: schema?.validate,
  })
  const analyses: Analysis[] = []
  for (const implementation of profiles) analyses.push(await analyzeObjects(loaded, {...options, implementation}, schema))
  return analyses
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
  return await analyzeObjects({objects, findings, files: files.length, skipped: [], fatal: findings.some(makesInputUnusable)}, options, schema)
}

/**
 * JSON Schema + CEL validation, run on each object as the loader reads it:
 * schema findings point into every kind of object, and locating them while
 * the document's YAML AST is held spares a second parse per object.
 */
interface SchemaPass {
  validate: (object: SourceObject) => void
  findings: Finding[]
  /** The validated objects with CRD defaults applied: the model is built from these. */
  defaulted: ReadonlyMap<SourceObject, Record<string, unknown>>
  rules: readonly RuleMeta[]
}

async function prepareSchemaPass(options: AnalyzeOptions): Promise<SchemaPass | undefined> {
  if (options.validateSchemas === false) return undefined
  const {createObjectValidator, SCHEMA_RULES} = await import('../schema/validate-objects.js')
  return {...createObjectValidator({channel: options.channel ?? 'experimental'}), rules: SCHEMA_RULES}
}

async function analyzeObjects(loaded: LoadResult, options: AnalyzeOptions, schema: SchemaPass | undefined): Promise<Analysis> {
  const {objects, files, skipped, fatal} = loaded
  const now = options.now ?? new Date()
  const findings: Finding[] = [...loaded.findings]
  const rules: RuleMeta[] = [...INPUT_RULES, ...SEMANTIC_RULES, ...CERTIFICATE_RULES, ...SUPPRESSION_RULES, ...IMPLEMENTATION_RULES]
  if (schema !== undefined && objects.length > 0) {
    findings.push(...schema.findings)
    rules.push(...schema.rules)
  }
  const superseded = findSupersededObjects(objects)
  for (const [index, later] of superseded) {
    const object = objects[index]
    const position = object.locate(['metadata', 'name'], 'value')
    const where = `${later.file}:${later.locate([]).line}`
    const identical = isDeepStrictEqual(object.object, later.object)
    findings.push({
      ruleId: identical ? 'input-identical-duplicate' : 'input-duplicate-object', severity: identical ? 'info' : 'warning', category: 'input',
      message: identical
        ? `${describeObjectName(object)} is defined again, identically, at ${where}; the copies are the same object`
        : `${describeObjectName(object)} is defined again at ${where} with different content; as with kubectl apply, the later definition is used`,
      resource: describeResource(object), field: 'metadata.name', file: object.file, line: position.line, column: position.column,
    })
  }
  const snapshot = buildSnapshot(objects.map((object, index) => (superseded.has(index) ? undefined : {
    object: object.object, namespace: object.namespace, namespaceExplicit: object.namespaceExplicit, defaulted: schema?.defaulted.get(object),
  })))
  // Certificate parsing (@peculiar/x509) is loaded only when the engine will read a certificate or a CA bundle.
  const certificates = readsCertificates(snapshot) ? await loadCertificateChecks() : undefined
  const binding = bind(snapshot, {
    gatewayClassNames: options.gatewayClassNames,
    features: profileEngineFeatures(options.implementation),
    ...(certificates === undefined ? {} : {
      inspectCertificate: (secret: Snapshot['secrets'][number]) => certificates.checkSecretUsable({type: secret.type, data: secret.data}),
      inspectCaBundle: certificates.checkCaBundleUsable,
    }),
  })
  const requireRefs = options.requireRefs ?? false
  for (const problem of binding.problems) findings.push(convertProblem(problem, objects, {requireRefs}))
  if (options.implementation !== undefined) findings.push(...findImplementationFindings(objects.filter((_, index) => !superseded.has(index)), options.implementation))
  if (options.checkCertificates !== false) {
    findings.push(...(await checkListenerCertificates(binding, objects, {now, expiryWarningDays: options.expiryWarningDays ?? 30})))
  }
  findings.sort(compareFindings)
  const reported = suppressFindings(findings, objects, {rules: options.rules, knownRuleIds: listRules().map((rule) => rule.id)})
  return {objects, files, skipped, fatal, snapshot, binding, findings: reported.findings, suppressed: reported.suppressed, blocking: findBlocking(findings), rules, implementation: options.implementation}
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
    const key = `${group}|${object.kind}|${isClusterScoped(object.apiVersion, object.kind) ? '' : object.namespace}|${object.name}`
    const previous = last.get(key)
    if (previous !== undefined) superseded.set(previous, object)
    last.set(key, index)
  })
  return superseded
}

/**
 * Does binding read certificate data: a Secret or ConfigMap in the input and
 * something that references one (listener certificateRefs, Gateway
 * spec.tls.frontend or backend client certificate, BackendTLSPolicy CA refs)?
 * A passthrough-only configuration never pays for loading X.509 parsing.
 */
function readsCertificates(snapshot: Snapshot): boolean {
  if (snapshot.secrets.length === 0 && snapshot.configMaps.length === 0) return false
  const listeners = [...snapshot.gateways, ...snapshot.listenerSets].flatMap((parent) => parent.listeners)
  return listeners.some((listener) => (listener.tls?.certificateRefs.length ?? 0) > 0)
    || snapshot.gateways.some((gateway) => gateway.frontendTLS !== undefined || gateway.backendClientCertificateRef !== undefined)
    || snapshot.backendTLSPolicies.some((policy) => policy.caCertificateRefs.length > 0)
}

async function loadCertificateChecks(): Promise<{
  checkSecretUsable: typeof import('../certs/check-tls-secret.js').checkSecretUsable
  checkCaBundleUsable: typeof import('../certs/check-ca-bundle.js').checkCaBundleUsable
}> {
  const [{checkSecretUsable}, {checkCaBundleUsable}] = await Promise.all([import('../certs/check-tls-secret.js'), import('../certs/check-ca-bundle.js')])
  return {checkSecretUsable, checkCaBundleUsable}
}
