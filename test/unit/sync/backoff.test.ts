import { describe, expect, it } from 'vitest'
import { retryDelayMs } from '../../../src/main/sync/backoff'

describe('retry timing', () => {
  it('draws from zero up to an exponential ceiling (full jitter), capped', () => {
    expect(retryDelayMs(1, undefined, () => 0.999)).toBe(1998)
    expect(retryDelayMs(3, undefined, () => 0.5)).toBe(4000)
    expect(retryDelayMs(1, undefined, () => 0)).toBe(0)
    expect(retryDelayMs(40, undefined, () => 0.999)).toBeLessThanOrEqual(5 * 60_000)
  })

  it("never comes back sooner than the vendor's Retry-After", () => {
    expect(retryDelayMs(1, 30_000, () => 0.1)).toBe(30_000)
    expect(retryDelayMs(12, 1_000, () => 0.9)).toBeGreaterThan(1_000)
  })
})
