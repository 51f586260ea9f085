import fc from 'fast-check'
import { DateTime, FixedOffsetZone } from 'luxon'
import { describe, expect, it } from 'vitest'
import { methods } from '../../../src/shared/contract'
import {
  canonicalInstant,
  isCanonicalInstant,
  localToInstant,
  onClockChangeDay,
  zoneAbbreviation,
  zoneLabelIfNeeded,
} from '../../../src/shared/instant'

describe('canonical instants', () => {
  it('writes every notation of one moment as the same UTC string with milliseconds', () => {
    const same = [
      '2027-10-30T22:30:00Z',
      '2027-10-30T22:30:00.000Z',
      '2027-10-30T23:30:00+01:00',
      '2027-10-30T18:30:00.0-04:00',
      '2027-10-31T04:00:00.000000+05:30',
      '2027-10-30T22:30:00-00:00',
    ]
    for (const v of same) expect(canonicalInstant(v), v).toBe('2027-10-30T22:30:00.000Z')
    expect(isCanonicalInstant('2027-10-30T22:30:00.000Z')).toBe(true)
    expect(isCanonicalInstant('2027-10-30T23:30:00+01:00')).toBe(false)
  })

  it('cuts digits below the millisecond rather than rounding', () => {
    expect(canonicalInstant('2027-10-30T23:30:00.9999-05:30')).toBe('2027-10-31T05:00:00.999Z')
  })

  it('refuses a time without a zone', () => {
    expect(() => canonicalInstant('2027-10-30T23:30:00')).toThrow(/no zone/)
  })

  it('is applied by the contract to every instant a method takes', () => {
    const parsed = methods['appointments.book'].input.parse({
      connectionId: 'c',
      patientId: 'p',
      appointmentTypeRef: 't',
      start: '2027-10-30T23:30:00+01:00',
      end: '2027-10-31T00:00:00.5+01:00',
    })
    expect(parsed.start).toBe('2027-10-30T22:30:00.000Z')
    expect(parsed.end).toBe('2027-10-30T23:00:00.500Z')
    const moved = methods['appointments.reschedule'].input.parse({
      appointmentId: 'a',
      start: '2027-03-28T02:30:00+01:00',
      end: '2027-03-28T02:45:00+01:00',
    })
    expect(moved.start).toBe('2027-03-28T01:30:00.000Z')
    const slots = methods['slots.find'].input.parse({
      connectionId: 'c',
      appointmentTypeRef: 't',
      from: '2027-01-01T09:00:00-05:00',
    })
    expect(slots.from).toBe('2027-01-01T14:00:00.000Z')
  })

  it('agrees with luxon for random instants in random offsets and notations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.integer({ min: -12 * 4, max: 14 * 4 }),
        fc.constantFrom('ms', 'seconds', 'micro'),
        (ms, quarterHours, notation) => {
          const local = DateTime.fromMillis(ms).setZone(FixedOffsetZone.instance(quarterHours * 15))
          const pattern =
            notation === 'seconds'
              ? "yyyy-MM-dd'T'HH:mm:ssZZ"
              : notation === 'micro'
                ? "yyyy-MM-dd'T'HH:mm:ss.SSS'123'ZZ"
                : "yyyy-MM-dd'T'HH:mm:ss.SSSZZ"
          const text = local.toFormat(pattern)
          const expected =
            notation === 'seconds'
              ? DateTime.fromMillis(Math.floor(ms / 1000) * 1000, { zone: 'utc' }).toISO()
              : DateTime.fromMillis(ms, { zone: 'utc' }).toISO()
          expect(canonicalInstant(text)).toBe(expected)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('zone names on clock-change days', () => {
  it('names BST/GMT and EDT/EST, whatever the locale calls them', () => {
    expect(zoneAbbreviation('2027-07-01T12:00:00.000Z', 'Europe/London')).toBe('BST')
    expect(zoneAbbreviation('2027-01-01T12:00:00.000Z', 'Europe/London')).toBe('GMT')
    expect(zoneAbbreviation('2027-07-01T12:00:00.000Z', 'America/New_York')).toBe('EDT')
    expect(zoneAbbreviation('2027-01-01T12:00:00.000Z', 'America/New_York')).toBe('EST')
    expect(zoneAbbreviation('2027-07-01T12:00:00.000Z', 'Europe/London', 'en-US')).toBe('BST')
  })

  it('tells 01:30 BST from 01:30 GMT on the night UK clocks go back', () => {
    const bst = '2027-10-31T00:30:00.000Z'
    const gmt = '2027-10-31T01:30:00.000Z'
    expect(zoneLabelIfNeeded(bst, 'Europe/London')).toBe('BST')
    expect(zoneLabelIfNeeded(gmt, 'Europe/London')).toBe('GMT')
    // An ordinary day needs no label.
    expect(zoneLabelIfNeeded('2027-10-30T00:30:00.000Z', 'Europe/London')).toBeUndefined()
  })

  it('labels both clock-change days in London and New York, and no other', () => {
    expect(onClockChangeDay('2027-03-28T12:00:00.000Z', 'Europe/London')).toBe(true)
    expect(onClockChangeDay('2027-10-31T12:00:00.000Z', 'Europe/London')).toBe(true)
    expect(onClockChangeDay('2027-03-14T16:00:00.000Z', 'America/New_York')).toBe(true)
    expect(onClockChangeDay('2027-11-07T16:00:00.000Z', 'America/New_York')).toBe(true)
    expect(onClockChangeDay('2027-03-14T16:00:00.000Z', 'Europe/London')).toBe(false)
    expect(onClockChangeDay('2027-03-28T12:00:00.000Z', 'America/New_York')).toBe(false)
    // Late evening New York time on the change day is still that day (UTC is already the next).
    expect(onClockChangeDay('2027-11-08T03:30:00.000Z', 'America/New_York')).toBe(true)
  })
})

describe('typed local times', () => {
  it('reads an ordinary time in the zone', () => {
    expect(localToInstant('2027-10-30', '23:30', 'Europe/London')).toEqual({
      ok: true,
      instant: '2027-10-30T22:30:00.000Z',
    })
  })

  it('refuses a time the spring change skips in Europe/London, naming the change', () => {
    const r = localToInstant('2027-03-28', '01:30', 'Europe/London')
    expect(r).toEqual({
      ok: false,
      message:
        'There is no 01:30 on Sunday 28 March 2027 in Europe/London: the clocks go forward at 01:00 GMT, straight to 02:00 BST. Choose a time before 01:00 or from 02:00.',
    })
    expect(localToInstant('2027-03-28', '00:59', 'Europe/London')).toEqual({
      ok: true,
      instant: '2027-03-28T00:59:00.000Z',
    })
    expect(localToInstant('2027-03-28', '02:00', 'Europe/London')).toEqual({
      ok: true,
      instant: '2027-03-28T01:00:00.000Z',
    })
  })

  it('refuses a time the spring change skips in America/New_York, naming the change', () => {
    const r = localToInstant('2027-03-14', '2:15', 'America/New_York')
    expect(r).toEqual({
      ok: false,
      message:
        'There is no 02:15 on Sunday 14 March 2027 in America/New_York: the clocks go forward at 02:00 EST, straight to 03:00 EDT. Choose a time before 02:00 or from 03:00.',
    })
  })

  it('gives both readings of a time in the repeated autumn hour, earlier first', () => {
    expect(localToInstant('2027-10-31', '01:30', 'Europe/London')).toEqual({
      ok: true,
      instant: '2027-10-31T00:30:00.000Z',
      repeated: ['2027-10-31T00:30:00.000Z', '2027-10-31T01:30:00.000Z'],
    })
    expect(localToInstant('2027-11-07', '01:30', 'America/New_York')).toEqual({
      ok: true,
      instant: '2027-11-07T05:30:00.000Z',
      repeated: ['2027-11-07T05:30:00.000Z', '2027-11-07T06:30:00.000Z'],
    })
    // Either side of the repeated hour there is one reading.
    expect(localToInstant('2027-10-31', '02:00', 'Europe/London')).toEqual({
      ok: true,
      instant: '2027-10-31T02:00:00.000Z',
    })
  })

  it('refuses what is not a time of day', () => {
    expect(localToInstant('2027-10-31', '25:00', 'Europe/London')).toMatchObject({ ok: false })
    expect(localToInstant('2027-02-30', '10:00', 'Europe/London')).toMatchObject({ ok: false })
  })
})

describe('typed wall times in a US Pacific/Mountain zone', () => {
  const LA = 'America/Los_Angeles'

  it('accepts 03:30 PDT on the day the clocks go forward (it exists)', () => {
    expect(localToInstant('2026-03-08', '03:30', LA)).toEqual({
      ok: true,
      instant: '2026-03-08T10:30:00.000Z',
    })
  })

  it('accepts 02:30 PST on the day the clocks go back (it exists, once)', () => {
    expect(localToInstant('2026-11-01', '02:30', LA)).toEqual({
      ok: true,
      instant: '2026-11-01T10:30:00.000Z',
    })
  })

  it('gives both readings of 01:30 on the day the clocks go back, earlier first', () => {
    expect(localToInstant('2026-11-01', '01:30', LA)).toEqual({
      ok: true,
      instant: '2026-11-01T08:30:00.000Z',
      repeated: ['2026-11-01T08:30:00.000Z', '2026-11-01T09:30:00.000Z'],
    })
    expect(localToInstant('2026-11-01', '01:30', 'America/Denver')).toEqual({
      ok: true,
      instant: '2026-11-01T07:30:00.000Z',
      repeated: ['2026-11-01T07:30:00.000Z', '2026-11-01T08:30:00.000Z'],
    })
  })
})
