/**
 * `--implementation NAME[@VERSION]` (and `.gwctl.yaml` `implementation:`)
 * → the profile gwctl plays: the name or an alias, case-insensitive; the
 * version picks the newest report at or below it (no version: the newest
 * report). `generic` (gwctl's own choices) is no profile. An unknown name
 * or a version below every report is a UserError (exit 2) with a
 * did-you-mean and the list. The compiled data is imported lazily.
 */
import {suggestName} from '../errors/suggest-name.js'
import {UserError} from '../errors/user-error.js'
import {listImplementationFacts} from './implementation-facts.js'
import {compareVersions, normalizeVersion} from './compare-versions.js'
import type {FeatureSupport, ImplementationCatalogue, ImplementationData, ImplementationProfile, ReportData} from './implementation-profile.js'

export const GENERIC_IMPLEMENTATION = 'generic'

/** `gwctl lint --implementation all`: every implementation at once (a matrix); no other command takes it. */
export const ALL_IMPLEMENTATIONS = 'all'

export async function loadImplementationCatalogue(): Promise<ImplementationCatalogue> {
  const {IMPLEMENTATION_CATALOGUE} = await import('./implementation-data.js')
  return IMPLEMENTATION_CATALOGUE
}

export interface ImplementationSpec {
  name: string
  version?: string
}

export function parseImplementationSpec(text: string): ImplementationSpec {
  const at = text.indexOf('@')
  if (at < 0) return {name: text.trim()}
  return {name: text.slice(0, at).trim(), version: text.slice(at + 1).trim()}
}

/** The implementation with this name or alias, or a usage error naming the closest one and every name. */
export function findImplementation(name: string, catalogue: ImplementationCatalogue, context = '--implementation', file?: string): ImplementationData {
  const wanted = name.toLowerCase()
  const found = catalogue.implementations.find((candidate) => candidate.name === wanted || candidate.aliases.includes(wanted))
  if (found !== undefined) return found
  const names = [GENERIC_IMPLEMENTATION, ...catalogue.implementations.map((candidate) => candidate.name)]
  const suggestion = suggestName(wanted, [...names, ...catalogue.implementations.flatMap((candidate) => candidate.aliases)])
  throw new UserError('usage', `${context}: unknown implementation '${name}'`, {
    file,
    hint: `${suggestion === undefined ? '' : `did you mean '${suggestion}'? `}known: ${names.join(', ')} (gwctl implementations lists them)`,
  })
}

/**
 * The newest report: of the newest Gateway API release line reported, the
 * highest version (an implementation may renumber: agentgateway reported
 * 2.2.0-alpha.1 for v1.4.0 and 1.3.1 for v1.6).
 */
export function pickNewestReport(implementation: ImplementationData): ReportData {
  let newest = implementation.reports[0]
  for (const report of implementation.reports) {
    if (compareVersions(report.gatewayAPIVersion, newest.gatewayAPIVersion) > 0) newest = report
  }
  return newest
}

/** The report to play for a version: the newest at or below it; no version: the newest report. */
export function pickReport(implementation: ImplementationData, version: string | undefined, context = '--implementation', file?: string): ReportData {
  if (version === undefined || version === '') return pickNewestReport(implementation)
  const wanted = normalizeVersion(version)
  const report = implementation.reports.find((candidate) => compareVersions(candidate.version, wanted) <= 0)
  if (report !== undefined) return report
  const versions = [...new Set(implementation.reports.map((candidate) => candidate.version))]
  const suggestion = suggestName(wanted, versions)
  throw new UserError('usage', `${context}: ${implementation.name} has no conformance report at or below version ${version}`, {
    file,
    hint: `${suggestion === undefined ? '' : `did you mean '${suggestion}'? `}reported versions: ${versions.join(', ')}`,
  })
}

export function buildProfile(implementation: ImplementationData, report: ReportData, requestedVersion?: string): ImplementationProfile {
  const supported = new Set(report.supported)
  const unsupported = new Set(report.unsupported)
  // A choice no report covers is settled only by a documented fact.
  for (const fact of listImplementationFacts(implementation.name)) (fact.value ? supported : unsupported).add(fact.choice)
  const support = (feature: string): FeatureSupport => (supported.has(feature) ? 'supported' : unsupported.has(feature) ? 'unsupported' : 'unreported')
  return {name: implementation.name, requestedVersion, report, support}
}

/** `NAME[@VERSION]` → the profile, or undefined for `generic`; `file` names where a config file wrote it. */
export async function resolveImplementation(text: string, context = '--implementation', file?: string): Promise<ImplementationProfile | undefined> {
  const spec = parseImplementationSpec(text)
  if (spec.name.toLowerCase() === GENERIC_IMPLEMENTATION) {
    if (spec.version !== undefined) throw new UserError('usage', `${context}: generic has no versions`, {file, hint: 'write generic'})
    return undefined
  }
  if (spec.name.toLowerCase() === ALL_IMPLEMENTATIONS) {
    throw new UserError('usage', `${context}: all is for gwctl lint only (a matrix of every implementation)`, {file, hint: 'name one implementation: gwctl implementations lists them'})
  }
  const catalogue = await loadImplementationCatalogue()
  const implementation = findImplementation(spec.name, catalogue, context, file)
  return buildProfile(implementation, pickReport(implementation, spec.version, context, file), spec.version)
}
