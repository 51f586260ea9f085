import { describe, expect, it } from 'vitest'
import { ANY, type ManualEntry } from '../../../src/renderer/src/booking/booking-state'
import {
  clashKey,
  endAfter,
  manualSlot,
  pastKey,
  readManualTime,
} from '../../../src/renderer/src/booking/manual-time'

const ZONE = 'Europe/London'
const TODAY = '2026-03-30'
const TWO_SITES = [{ ref: 'north' }, { ref: 'south' }]

const read = (
  manual: Partial<ManualEntry>,
  opts: {
    where?: string
    locations?: { ref: string }[]
    past?: string
    clash?: { at: string; message: string }
  } = {},
) =>
  readManualTime(
    {
      manual: { date: '31/03/2026', time: '14:30', practitionerRef: 'p1', locationRef: '', ...manual },
      where: opts.where ?? ANY,
      manualPast: opts.past ?? '',
      manualClash: opts.clash ?? null,
    },
    opts.locations ?? [],
    TODAY,
    ZONE,
  )

describe('a time typed by hand', () => {
  it("reads the date day first and the time in the clinic's zone", () => {
    expect(read({})).toEqual({ location: '', start: '2026-03-31T13:30:00.000Z', problem: null })
    expect(read({ time: '2:30pm' }).start).toBe('2026-03-31T13:30:00.000Z')
  })

  it('says what is missing or unreadable, date first', () => {
    expect(read({ date: '' }).problem).toBe('Enter a date, day first: 12/03/2026.')
    expect(read({ date: '31/02/2026' }).problem).toBe('That month has 28 days.')
    expect(read({ time: ' ' }).problem).toBe('Enter the time, e.g. 14:30.')
    expect(read({ time: 'half two' })).toMatchObject({
      start: null,
      problem: 'That is not a time of day: type it as 14:30.',
    })
    expect(read({ practitionerRef: '' }).problem).toBe('Choose the practitioner.')
  })

  it('refuses a time the clocks skip, in words', () => {
    const r = read({ date: '29/03/2026', time: '01:30' })
    expect(r.start).toBeNull()
    expect(r.problem).toMatch(/^There is no 01:30 on Sunday 29 March 2026 in Europe\/London/)
  })

  it("takes the chosen location, else the finder's, else the clinic's only one", () => {
    expect(read({}, { locations: TWO_SITES }).problem).toBe('Choose the location.')
    expect(read({}, { locations: TWO_SITES, where: 'south' })).toMatchObject({
      location: 'south',
      problem: null,
    })
    expect(read({ locationRef: 'north' }, { locations: TWO_SITES, where: 'south' }).location).toBe('north')
    expect(read({}, { locations: [{ ref: 'only' }] })).toMatchObject({ location: 'only', problem: null })
  })

  it('says "passed" and a clash only for the time (and practitioner) they were found for', () => {
    const manual = { date: '31/03/2026', time: '14:30', practitionerRef: 'p1', locationRef: '' }
    expect(pastKey(manual)).toBe('31/03/2026 14:30')
    expect(clashKey(manual)).toBe('31/03/2026 14:30 p1')
    expect(read({}, { past: pastKey(manual) }).problem).toBe('That time has passed.')
    expect(read({ time: '15:00' }, { past: pastKey(manual) }).problem).toBeNull()
    const clash = { at: clashKey(manual), message: 'Dr Patel is booked 14:15–14:45.' }
    expect(read({}, { clash }).problem).toBe('Dr Patel is booked 14:15–14:45.')
    expect(read({ practitionerRef: 'p2' }, { clash }).problem).toBeNull()
  })

  it('becomes a slot of the type’s length, with a location only when there is one', () => {
    const start = '2026-03-31T13:30:00.000Z'
    expect(endAfter(start, 20)).toBe('2026-03-31T13:50:00.000Z')
    expect(manualSlot('c', start, endAfter(start, 20), 'p1', 't1', '')).toEqual({
      connectionId: 'c',
      start,
      end: '2026-03-31T13:50:00.000Z',
      practitionerRef: 'p1',
      appointmentTypeRef: 't1',
    })
    expect(manualSlot('c', start, start, 'p1', 't1', 'north').locationRef).toBe('north')
  })
})

describe('a two-digit year in a date typed by hand', () => {
  it('reads 05/01/27 typed in December 2026 as next January for a hand-typed booking time', () => {
    const r = readManualTime(
      {
        manual: { date: '05/01/27', time: '10:00', practitionerRef: 'p1', locationRef: '' },
        where: ANY,
        manualPast: '',
        manualClash: null,
      },
      [],
      '2026-12-20',
      ZONE,
    )
    expect(r.start).toBe('2027-01-05T10:00:00.000Z')
  })
})
