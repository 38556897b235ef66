/**
 * `gwctl implementations [NAME]` output (pure): the table of every
 * implementation (name, aliases, newest version, Gateway API release,
 * profiles), and one implementation in full: the report played, every
 * feature with its support, the documented facts with their sources, and
 * the other reported versions. Text and JSON.
 */
import {listImplementationFacts} from './implementation-facts.js'
import {pickNewestReport} from './find-implementation.js'
import type {FeatureSupport, ImplementationCatalogue, ImplementationData, ReportData} from './implementation-profile.js'

function describeProfiles(report: ReportData): string {
  return report.profiles.map((profile) => (profile.core === 'success' ? profile.name : `${profile.name} (core ${profile.core})`)).join(', ')
}

export function renderImplementationTable(catalogue: ImplementationCatalogue): string {
  const rows = [['NAME', 'ALIASES', 'NEWEST', 'GATEWAY API', 'PROFILES'], ['generic', '', '', 'v1.6.1', "gwctl's own choices (default)"]]
  for (const implementation of catalogue.implementations) {
    const report = pickNewestReport(implementation)
    rows.push([implementation.name, implementation.aliases.join(', '), report.version, report.gatewayAPIVersion, describeProfiles(report)])
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd()).join('\n')
}

export function renderImplementationsJson(catalogue: ImplementationCatalogue): string {
  return JSON.stringify({
    source: catalogue.source,
    implementations: catalogue.implementations.map((implementation) => {
      const report = pickNewestReport(implementation)
      return {name: implementation.name, aliases: implementation.aliases, newest: report.version, gatewayAPIVersion: report.gatewayAPIVersion, profiles: report.profiles}
    }),
  }, null, 2)
}

interface FeatureRow {
  feature: string
  level: string
  channel: string
  support: FeatureSupport
}

function listFeatureRows(catalogue: ImplementationCatalogue, report: ReportData): FeatureRow[] {
  const known = new Map(catalogue.features.map((feature) => [feature.name, feature]))
  const names = new Set([...catalogue.features.map((feature) => feature.name), ...report.supported, ...report.unsupported])
  return [...names].sort().map((feature) => ({
    feature,
    level: known.get(feature)?.level ?? '?',
    channel: known.get(feature)?.channel ?? '?',
    support: report.supported.includes(feature) ? 'supported' : report.unsupported.includes(feature) ? 'unsupported' : 'unreported',
  }))
}

export function describeImplementation(catalogue: ImplementationCatalogue, implementation: ImplementationData, report: ReportData) {
  return {
    name: implementation.name,
    aliases: implementation.aliases,
    organization: implementation.organization,
    project: implementation.project,
    url: implementation.url,
    version: report.version,
    gatewayAPIVersion: report.gatewayAPIVersion,
    gatewayAPIChannel: report.gatewayAPIChannel,
    mode: report.mode,
    report: report.file,
    profiles: report.profiles,
    features: listFeatureRows(catalogue, report),
    facts: listImplementationFacts(implementation.name).map((fact) => ({statement: fact.statement, source: fact.source})),
    versions: implementation.reports.map((candidate) => ({version: candidate.version, gatewayAPIVersion: candidate.gatewayAPIVersion, channel: candidate.gatewayAPIChannel, mode: candidate.mode, report: candidate.file})),
  }
}

export function renderImplementationDetails(catalogue: ImplementationCatalogue, implementation: ImplementationData, report: ReportData): string {
  const details = describeImplementation(catalogue, implementation, report)
  const lines = [
    `${details.name} ${details.version}${details.aliases.length === 0 ? '' : ` (aliases: ${details.aliases.join(', ')})`}`,
    `  ${details.organization}/${details.project}  ${details.url}`,
    `  conformance report: ${details.report} (Gateway API ${details.gatewayAPIVersion}, ${details.gatewayAPIChannel} channel, mode ${details.mode})`,
    `  profiles: ${describeProfiles(report)}`,
    '',
    'FEATURES',
  ]
  const width = Math.max(...details.features.map((row) => row.feature.length))
  for (const row of details.features) lines.push(`  ${row.feature.padEnd(width)}  ${row.support.padEnd(11)}  ${row.level} ${row.channel}`)
  lines.push('', 'DOCUMENTED BEHAVIOUR (not in the conformance report)')
  if (details.facts.length === 0) lines.push('  none recorded: where the report is silent, gwctl says the behaviour is unknown')
  for (const fact of details.facts) lines.push(`  ${fact.statement}`, `    source: ${fact.source}`)
  lines.push('', 'REPORTED VERSIONS (--implementation NAME@VERSION takes the nearest at or below)')
  for (const version of details.versions) lines.push(`  ${version.version.padEnd(20)}  Gateway API ${version.gatewayAPIVersion}, ${version.channel}, mode ${version.mode}`)
  return lines.join('\n')
}
