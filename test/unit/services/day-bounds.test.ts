import { describe, expect, it } from 'vitest'
import { dayBounds, daysLater } from '../../../src/main/services/day-book'

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

describe('a free-slot search of so many days', () => {
  it('ends at the same wall time that many clinic days later, across a clock change either way', () => {
    // Fourteen days from midnight on 12 October ends at midnight on the 26th, GMT by then.
    expect(daysLater('2026-10-11T23:00:00.000Z', 14, 'Europe/London')).toBe('2026-10-26T00:00:00.000Z')
    // From midnight on 16 March to midnight on the 30th, BST by then.
    expect(daysLater('2026-03-16T00:00:00.000Z', 14, 'Europe/London')).toBe('2026-03-29T23:00:00.000Z')
    // From the middle of a day, to the same time of day.
    expect(daysLater('2026-10-20T09:30:00.000Z', 7, 'Europe/London')).toBe('2026-10-27T10:30:00.000Z')
    expect(daysLater('2026-01-10T09:30:00.000Z', 7, 'Europe/London')).toBe('2026-01-17T09:30:00.000Z')
  })
})
