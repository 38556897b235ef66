import assert from 'node:assert/strict'
import {invertNormalCdf, judgeShares, planSampling} from '../../../src/testing/live/weighted-sample.js'

describe('testing/live/weighted-sample', () => {
  it('inverts the normal CDF', () => {
    for (const [p, z] of [[0.5, 0], [0.975, 1.959964], [0.995, 2.575829], [0.0005, -3.290527], [0.9995, 3.290527]]) {
      assert.ok(Math.abs(invertNormalCdf(p) - z) < 1e-5, `${p} → ${invertNormalCdf(p)}`)
    }
  })

  const plans: Array<{shares: Record<string, number>; tolerance?: number; confidence?: number; samples: number; why: string}> = [
    {shares: {a: 90, b: 10}, samples: 239, why: 'z²·0.09/0.05² at 99 %'},
    {shares: {a: 50, b: 50}, samples: 664, why: 'the share nearest 50 % sets the size'},
    {shares: {a: 80, b: 20}, tolerance: 2, samples: 2654, why: 'a tighter tolerance needs quadratically more'},
    {shares: {a: 90, b: 10}, confidence: 0.95, samples: 139, why: 'lower confidence, fewer'},
    {shares: {a: 100}, samples: 127, why: 'a single backend is sampled as if 5 % could leak'},
    {shares: {a: 99, b: 1}, samples: 127, why: 'shares beyond the tolerance are clamped to it'},
  ]
  for (const {shares, tolerance, confidence, samples, why} of plans) {
    it(`${JSON.stringify(shares)} ±${tolerance ?? 5} → ${samples} connections: ${why}`, () => {
      assert.equal(planSampling(shares, tolerance, confidence).samples, samples)
    })
  }

  it('refuses a tolerance outside (0, 50)', () => {
    assert.throws(() => planSampling({a: 50}, 0), RangeError)
    assert.throws(() => planSampling({a: 50}, 50), RangeError)
  })

  const verdicts: Array<{counts: Array<[string, number]>; within: boolean; observed: Record<string, number>; why: string}> = [
    {counts: [['a', 215], ['b', 24]], within: true, observed: {a: 90, b: 10}, why: 'exact split'},
    {counts: [['a', 205], ['b', 34]], within: true, observed: {a: 85.8, b: 14.2}, why: 'inside ±5'},
    {counts: [['a', 239]], within: false, observed: {a: 100, b: 0}, why: 'an expected backend that never answered'},
    {counts: [['a', 200], ['b', 20], ['c', 19]], within: false, observed: {a: 83.7, b: 8.4, c: 7.9}, why: 'an unexpected backend counts against 0 %'},
    {counts: [], within: false, observed: {a: 0, b: 0}, why: 'no identified answer proves nothing'},
  ]
  for (const {counts, within, observed, why} of verdicts) {
    it(`judges ${JSON.stringify(counts)}: ${why}`, () => {
      const verdict = judgeShares({a: 90, b: 10}, new Map(counts), 5)
      assert.equal(verdict.withinTolerance, within)
      assert.deepEqual(verdict.observed, observed)
      assert.equal(verdict.lines.length, Object.keys(observed).length)
    })
  }
})
