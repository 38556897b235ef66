/**
 * "Did you mean": the closest known name to a mistyped one, by edit distance
 * (a case-only difference counts as closest). Every did-you-mean of gwctl
 * (schema fields, commands, flags, rule ids, .gwctl.yaml keys) uses this.
 */

/**
 * Edit distance counting an insertion, deletion, substitution or swap of two
 * adjacent characters as one edit (optimal string alignment), so the most
 * common typos (`--dsn` for `--dns`, `lnit` for `lint`) are one edit away.
 */
export function measureEditDistance(a: string, b: string): number {
  let previous: number[] = []
  let row = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, previous[j - 2] + 1)
      next.push(best)
    }
    previous = row
    row = next
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
