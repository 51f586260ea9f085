import { describe, expect, it } from 'vitest'
import { dayBounds } from '../../../src/main/services/day-book'

describe('a clinic day in UTC', () => {
  it('is 24 hours on an ordinary London day, starting at midnight local', () => {
    expect(dayBounds('2026-01-15', 'Europe/London')).toEqual({
      from: '2026-01-15T00:00:00.000Z',
      to: '2026-01-16T00:00:00.000Z',
    })
    expect(dayBounds('2026-07-15', 'Europe/London')).toEqual({
      from: '2026-07-14T23:00:00.000Z',
      to: '2026-07-15T23:00:00.000Z',
    })
  })

  it('is 23 hours when the clocks go forward and 25 when they go back', () => {
    const spring = dayBounds('2026-03-29', 'Europe/London')
    expect(spring).toEqual({ from: '2026-03-29T00:00:00.000Z', to: '2026-03-29T23:00:00.000Z' })
    const autumn = dayBounds('2026-10-25', 'Europe/London')
    expect(autumn).toEqual({ from: '2026-10-24T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' })
    expect(Date.parse(autumn.to) - Date.parse(autumn.from)).toBe(25 * 3600_000)
  })

  it("follows each connection's own zone", () => {
    expect(dayBounds('2026-03-08', 'America/New_York')).toEqual({
      from: '2026-03-08T05:00:00.000Z',
      to: '2026-03-09T04:00:00.000Z',
    })
  })

  it('refuses what is not a date', () => {
    expect(() => dayBounds('2026-02-30', 'Europe/London')).toThrow(/is not a date/)
  })
})
