import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../../../src/main/vendors/http/retry-after'

const now = new Date('2026-03-29T09:00:00Z')

describe('Retry-After', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('1.5', now)).toBe(1_500)
  })

  it('reads an HTTP-date (IMF-fixdate and the obsolete forms)', () => {
    expect(parseRetryAfter('Sun, 29 Mar 2026 09:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Sunday, 29-Mar-26 09:01:00 GMT', now)).toBe(60_000)
    expect(parseRetryAfter('Sun Mar 29 09:00:05 2026', now)).toBe(5_000)
  })

  it('never goes negative for a date in the past', () => {
    expect(parseRetryAfter('Sat, 28 Mar 2026 09:00:00 GMT', now)).toBe(0)
  })

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('', now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
  })
})
