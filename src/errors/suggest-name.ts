/**
 * "Did you mean": the closest known name to a mistyped one, by edit distance
 * (a case-only difference counts as closest). Every did-you-mean of gwctl
 * (schema fields, commands, flags, rule ids, .gwctl.yaml keys) uses this.
 */

export function measureEditDistance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = current
    }
  }
  return row[b.length]
}

/** The closest known name to a typo (field, command, flag, rule id, config key), if close enough to be a likely typo. */
export function suggestName(key: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)))
  for (const candidate of candidates) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0.5 : measureEditDistance(key, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= limit ? best : undefined
}
