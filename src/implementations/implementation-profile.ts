/**
 * The shape of the compiled implementation data (implementation-data.ts,
 * written by scripts/compile-implementations.ts from the conformance
 * reports) and of one resolved profile: an implementation at one version,
 * with the features its report declares supported and unsupported.
 */

export type FeatureLevel = 'Core' | 'Extended' | '?'

export interface FeatureInfo {
  name: string
  level: FeatureLevel
  channel: string
  description: string
}

export interface ProfileResult {
  /** Conformance profile (GATEWAY-HTTP, GATEWAY-TLS, ...). */
  name: string
  core: string
  extended: string
}

/** One conformance report, as compiled. */
export interface ReportData {
  /** The implementation's version without a leading v (2.7.0-pre-release). */
  version: string
  gatewayAPIVersion: string
  gatewayAPIChannel: string
  mode: string
  /** The report's path under conformance-reports/. */
  file: string
  profiles: ProfileResult[]
  /** Features declared supported, plus the Core features of the profiles it ran (sorted). */
  supported: string[]
  /** Features declared unsupported and not declared supported by another profile (sorted). */
  unsupported: string[]
}

export interface ImplementationData {
  /** The name users give (`--implementation NAME`). */
  name: string
  aliases: string[]
  organization: string
  project: string
  url: string
  /** Newest implementation version first; several reports of one version: the preferred one first. */
  reports: ReportData[]
}

export interface ImplementationCatalogue {
  source: string
  features: FeatureInfo[]
  implementations: ImplementationData[]
}

/** A resolved `--implementation NAME[@VERSION]`: the report gwctl plays. */
export interface ImplementationProfile {
  name: string
  /** The version as asked (undefined: the newest was taken). */
  requestedVersion?: string
  report: ReportData
  /** Whether the report declares the feature supported, unsupported, or says nothing of it. */
  support: (feature: string) => FeatureSupport
}

export type FeatureSupport = 'supported' | 'unsupported' | 'unreported'

/** How a profile is named in messages: nginx-gateway-fabric 2.7.0-pre-release. */
export function describeProfile(profile: Pick<ImplementationProfile, 'name' | 'report'>): string {
  return `${profile.name} ${profile.report.version}`
}
