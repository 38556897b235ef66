/**
 * Order of implementation versions as conformance reports write them
 * (v1.9.0, 2.7.0-pre-release, 1.35.2-gke.1751000, 3.7, main): numeric
 * major.minor.patch, then a release sorts above its pre-releases (a
 * suffix starting with -), then the suffix as text. A version with no
 * leading number sorts below every numbered one. Pure.
 */

/** The version without a leading v or a word prefix (version-2.18 → 2.18). */
export function normalizeVersion(version: string): string {
  return version.trim().replace(/^[A-Za-z]+-(?=\d)/, '').replace(/^v(?=\d)/i, '')
}

interface ParsedVersion {
  numbers: number[]
  suffix: string
}

function parseVersion(version: string): ParsedVersion | undefined {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(normalizeVersion(version))
  if (match === null) return undefined
  return {numbers: [match[1], match[2], match[3]].map((part) => (part === undefined ? 0 : Number(part))), suffix: match[4]}
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a)
  const pb = parseVersion(b)
  if (pa === undefined || pb === undefined) {
    if (pa !== undefined) return 1
    if (pb !== undefined) return -1
    return normalizeVersion(a).localeCompare(normalizeVersion(b))
  }
  for (let i = 0; i < 3; i++) {
    if (pa.numbers[i] !== pb.numbers[i]) return pa.numbers[i] - pb.numbers[i]
  }
  if (pa.suffix === pb.suffix) return 0
  if (pa.suffix === '') return pb.suffix.startsWith('-') ? 1 : -1
  if (pb.suffix === '') return pa.suffix.startsWith('-') ? -1 : 1
  return pa.suffix < pb.suffix ? -1 : 1
}
