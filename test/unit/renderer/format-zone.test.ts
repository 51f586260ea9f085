import { describe, expect, it } from 'vitest'
import { groupByDay, slotWhen } from '../../../src/renderer/src/booking/slots'
import { formatDateTime, formatTime, formatZoneName } from '../../../src/renderer/src/lib/format'

describe('times on clock-change days carry the zone', () => {
  it('Europe/London, clocks back: 01:30 BST and 01:30 GMT read differently', () => {
    expect(formatTime('2027-10-31T00:30:00.000Z', 'Europe/London')).toBe('01:30 BST')
    expect(formatTime('2027-10-31T01:30:00.000Z', 'Europe/London')).toBe('01:30 GMT')
    expect(formatDateTime('2027-10-31T01:30:00.000Z', 'Europe/London')).toBe('Sun 31 Oct, 01:30 GMT')
  })

  it('Europe/London, clocks forward: either side of the missing hour is named', () => {
    expect(formatTime('2027-03-28T00:30:00.000Z', 'Europe/London')).toBe('00:30 GMT')
    expect(formatTime('2027-03-28T01:30:00.000Z', 'Europe/London')).toBe('02:30 BST')
  })

  it('America/New_York, both directions: EDT and EST', () => {
    expect(formatTime('2027-11-07T05:30:00.000Z', 'America/New_York')).toBe('01:30 EDT')
    expect(formatTime('2027-11-07T06:30:00.000Z', 'America/New_York')).toBe('01:30 EST')
    expect(formatTime('2027-03-14T06:30:00.000Z', 'America/New_York')).toBe('01:30 EST')
    expect(formatTime('2027-03-14T07:30:00.000Z', 'America/New_York')).toBe('03:30 EDT')
  })

  it('the day book names its zone as it is on the day shown, either side of a change', () => {
    expect(formatZoneName('Europe/London', '2027-10-30')).toBe('Europe/London (BST)')
    expect(formatZoneName('Europe/London', '2027-10-31')).toBe('Europe/London (GMT)')
    expect(formatZoneName('America/New_York', '2027-03-14')).toBe('America/New_York (EDT)')
    expect(formatZoneName('America/New_York', '2027-03-13')).toBe('America/New_York (EST)')
    // Asked again (now from what was remembered), the same answer.
    expect(formatZoneName('Europe/London', '2027-10-31')).toBe('Europe/London (GMT)')
  })

  it('ordinary days, and the other zone’s change days, stay as they were', () => {
    expect(formatTime('2027-10-30T22:30:00.000Z', 'Europe/London')).toBe('23:30')
    expect(formatTime('2027-11-07T06:30:00.000Z', 'Europe/London')).toBe('06:30')
    expect(formatTime('2027-10-31T05:30:00.000Z', 'America/New_York')).toBe('01:30')
  })

  it('a confirmation across the autumn change names both ends', () => {
    expect(
      slotWhen({ start: '2027-10-31T00:30:00.000Z', end: '2027-10-31T01:00:00.000Z' }, 'Europe/London'),
    ).toMatch(/^Sunday,? 31 October 2027, 01:30 BST–01:00 GMT$/)
  })

  it('slot lists across a change fall on their local days, in time order', () => {
    const slot = (start: string) => ({ connectionId: 'c', start, end: start })
    const days = groupByDay(
      [
        slot('2027-10-31T01:30:00.000Z'),
        slot('2027-10-30T22:30:00.000Z'),
        slot('2027-10-30T23:30:00.000Z'),
        slot('2027-10-31T00:30:00.000Z'),
      ],
      'Europe/London',
    )
    expect(days.map((d) => [d.date, d.slots.map((s) => formatTime(s.start, 'Europe/London'))])).toEqual([
      ['2027-10-30', ['23:30']],
      ['2027-10-31', ['00:30 BST', '01:30 BST', '01:30 GMT']],
    ])
  })
})
