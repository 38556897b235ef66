/**
 * Checking weighted expectations (`backends: {NS/NAME:PORT: PERCENT}`) with
 * real traffic: how many connections to sample so that every observed share
 * lies within ± tolerance percentage points of the configured one at the
 * stated confidence (normal approximation of the binomial: n = z² p(1−p) / t²,
 * for the share p nearest 50 %; a share of 0 % or 100 % is sampled as if it
 * were t, so a leak of t to another backend shows), and the verdict on the
 * counts. Pure.
 */

export interface SamplingPlan {
  /** Connections to make. */
  samples: number
  /** Percentage points. */
  tolerancePercent: number
  /** Two-sided confidence, e.g. 0.99. */
  confidence: number
}

export const DEFAULT_TOLERANCE_PERCENT = 5
export const DEFAULT_CONFIDENCE = 0.99

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function invertNormalCdf(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability ${p} is not in (0, 1)`)
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  if (p > 1 - low) return -invertNormalCdf(1 - p)
  const q = p - 0.5
  const r = q * q
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}

/** How many connections check these expected shares (percent) within the tolerance. */
export function planSampling(expected: Readonly<Record<string, number>>, tolerancePercent = DEFAULT_TOLERANCE_PERCENT, confidence = DEFAULT_CONFIDENCE): SamplingPlan {
  if (!(tolerancePercent > 0 && tolerancePercent < 50)) throw new RangeError(`tolerance ${tolerancePercent} is not between 0 and 50 percentage points`)
  const t = tolerancePercent / 100
  const z = invertNormalCdf(1 - (1 - confidence) / 2)
  const variance = Math.max(...Object.values(expected).map((percent) => {
    const p = Math.min(Math.max(percent / 100, t), 1 - t)
    return p * (1 - p)
  }), t * (1 - t))
  return {samples: Math.ceil((z * z * variance) / (t * t)), tolerancePercent, confidence}
}

export interface ShareVerdict {
  /** Observed share of each backend seen or expected, percent rounded to 0.1. */
  observed: Record<string, number>
  withinTolerance: boolean
  /** One line per backend: `web/a:80 91.2% (expected 90% ± 5)`. */
  lines: string[]
}

/** Compare counts of `samples` identified answers with the expected shares (a backend not expected counts as 0 %). */
export function judgeShares(expected: Readonly<Record<string, number>>, counts: ReadonlyMap<string, number>, tolerancePercent: number): ShareVerdict {
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0)
  const keys = [...new Set([...Object.keys(expected), ...counts.keys()])].sort()
  const observed: Record<string, number> = {}
  const lines: string[] = []
  let withinTolerance = total > 0
  for (const key of keys) {
    const share = total === 0 ? 0 : ((counts.get(key) ?? 0) * 100) / total
    const want = expected[key] ?? 0
    const ok = Math.abs(share - want) <= tolerancePercent
    withinTolerance &&= ok
    observed[key] = Math.round(share * 10) / 10
    lines.push(`${key} ${observed[key]}% of ${total} (expected ${want}% ± ${tolerancePercent})${ok ? '' : ' OUT OF TOLERANCE'}`)
  }
  return {observed, withinTolerance, lines}
}
