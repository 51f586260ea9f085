import { describe, expect, it } from 'vitest'
import {
  durationLabel,
  freeGaps,
  gapLabel,
  shortestTypeMinutes,
  type GapAppointment,
} from '../../../src/renderer/src/outage/gaps'

const LONDON = 'Europe/London'
const booked = (start: string, end: string): GapAppointment => ({ start, end, status: 'booked' })
const gapsOn = (date: string, appts: GapAppointment[], minMinutes = 10, timeZone = LONDON) =>
  freeGaps(appts, { date, timeZone, minMinutes }).map((g) => ({
    label: gapLabel(g, timeZone),
    start: g.start,
    end: g.end,
  }))
const labels = (date: string, appts: GapAppointment[], minMinutes = 10, timeZone = LONDON) =>
  gapsOn(date, appts, minMinutes, timeZone).map((g) => g.label)

// 2026-03-31 is an ordinary BST day: local = UTC + 1.
describe('free gaps in a practitioner’s day', () => {
  it('finds the gaps before, between and after the appointments, from 08:00 to 18:00', () => {
    expect(
      gapsOn('2026-03-31', [
        booked('2026-03-31T08:00:00.000Z', '2026-03-31T08:30:00.000Z'),
        booked('2026-03-31T09:15:00.000Z', '2026-03-31T09:30:00.000Z'),
      ]),
    ).toEqual([
      { label: 'Free 08:00–09:00 (1 h)', start: '2026-03-31T07:00:00.000Z', end: '2026-03-31T08:00:00.000Z' },
      {
        label: 'Free 09:30–10:15 (45 min)',
        start: '2026-03-31T08:30:00.000Z',
        end: '2026-03-31T09:15:00.000Z',
      },
      {
        label: 'Free 10:30–18:00 (7 h 30 min)',
        start: '2026-03-31T09:30:00.000Z',
        end: '2026-03-31T17:00:00.000Z',
      },
    ])
  })

  it('an empty day is free from 08:00 to 18:00', () => {
    expect(labels('2026-03-31', [])).toEqual(['Free 08:00–18:00 (10 h)'])
  })

  it('stretches the day to an appointment before 08:00 or after 18:00', () => {
    expect(
      labels('2026-03-31', [
        booked('2026-03-31T06:30:00.000Z', '2026-03-31T06:45:00.000Z'), // 07:30–07:45
        booked('2026-03-31T17:30:00.000Z', '2026-03-31T18:00:00.000Z'), // 18:30–19:00
      ]),
    ).toEqual(['Free 07:45–18:30 (10 h 45 min)'])
  })

  it('leaves a cancelled appointment’s time free', () => {
    expect(
      labels('2026-03-31', [
        booked('2026-03-31T07:00:00.000Z', '2026-03-31T08:00:00.000Z'),
        { start: '2026-03-31T08:00:00.000Z', end: '2026-03-31T08:30:00.000Z', status: 'cancelled' },
        booked('2026-03-31T08:30:00.000Z', '2026-03-31T17:00:00.000Z'),
      ]),
    ).toEqual(['Free 09:00–09:30 (30 min)'])
  })

  it('merges overlapping and touching appointments', () => {
    expect(
      labels('2026-03-31', [
        booked('2026-03-31T07:00:00.000Z', '2026-03-31T08:00:00.000Z'),
        booked('2026-03-31T07:30:00.000Z', '2026-03-31T08:15:00.000Z'), // overlaps the first
        booked('2026-03-31T07:45:00.000Z', '2026-03-31T08:05:00.000Z'), // inside both
        booked('2026-03-31T08:15:00.000Z', '2026-03-31T08:30:00.000Z'), // touches
        booked('2026-03-31T09:00:00.000Z', '2026-03-31T17:00:00.000Z'),
      ]),
    ).toEqual(['Free 09:30–10:00 (30 min)'])
  })

  it('drops gaps shorter than the shortest appointment type', () => {
    const day = [
      booked('2026-03-31T07:00:00.000Z', '2026-03-31T08:00:00.000Z'),
      booked('2026-03-31T08:05:00.000Z', '2026-03-31T08:30:00.000Z'), // 5 min gap before
      booked('2026-03-31T08:45:00.000Z', '2026-03-31T09:00:00.000Z'), // 15 min gap before
      booked('2026-03-31T09:10:00.000Z', '2026-03-31T17:00:00.000Z'), // 10 min gap before
    ]
    expect(labels('2026-03-31', day, 10)).toEqual(['Free 09:30–09:45 (15 min)', 'Free 10:00–10:10 (10 min)'])
    expect(labels('2026-03-31', day, 15)).toEqual(['Free 09:30–09:45 (15 min)'])
    expect(labels('2026-03-31', day, 20)).toEqual([])
  })

  it('uses the working hours when the clinic system gives them', () => {
    expect(
      freeGaps([booked('2026-03-31T07:30:00.000Z', '2026-03-31T08:00:00.000Z')], {
        date: '2026-03-31',
        timeZone: LONDON,
        workingHours: { start: '2026-03-31T08:00:00.000Z', end: '2026-03-31T12:00:00.000Z' },
      }),
    ).toEqual([{ start: '2026-03-31T08:00:00.000Z', end: '2026-03-31T12:00:00.000Z', minutes: 240 }])
  })

  it('skips appointments with no time yet and gives one with no end the shortest length', () => {
    expect(
      labels(
        '2026-03-31',
        [
          { status: 'proposed' },
          { start: '2026-03-31T07:00:00.000Z', status: 'booked' },
          booked('2026-03-31T07:15:00.000Z', '2026-03-31T17:00:00.000Z'),
        ],
        5,
      ),
    ).toEqual(['Free 08:05–08:15 (10 min)'])
  })

  it('reads the day in the clinic’s zone, not UTC', () => {
    expect(labels('2026-03-31', [], 10, 'America/New_York')).toEqual(['Free 08:00–18:00 (10 h)'])
    expect(freeGaps([], { date: '2026-03-31', timeZone: 'America/New_York' })[0]!.start).toBe(
      '2026-03-31T12:00:00.000Z',
    )
  })
})

describe('free gaps on the days the clocks change (Europe/London)', () => {
  it('2026-03-29, clocks forward: 08:00–18:00 BST, and a night gap across the change is an hour shorter', () => {
    expect(
      gapsOn('2026-03-29', [
        booked('2026-03-29T08:00:00.000Z', '2026-03-29T08:30:00.000Z'), // 09:00–09:30 BST
        booked('2026-03-29T09:00:00.000Z', '2026-03-29T17:00:00.000Z'), // 10:00–18:00 BST
      ]),
    ).toEqual([
      {
        label: 'Free 08:00 BST–09:00 BST (1 h)',
        start: '2026-03-29T07:00:00.000Z',
        end: '2026-03-29T08:00:00.000Z',
      },
      {
        label: 'Free 09:30 BST–10:00 BST (30 min)',
        start: '2026-03-29T08:30:00.000Z',
        end: '2026-03-29T09:00:00.000Z',
      },
    ])
    expect(
      labels('2026-03-29', [
        booked('2026-03-29T00:30:00.000Z', '2026-03-29T00:45:00.000Z'), // 00:30–00:45 GMT
        booked('2026-03-29T02:00:00.000Z', '2026-03-29T17:00:00.000Z'), // 03:00–18:00 BST
      ]),
    ).toEqual(['Free 00:45 GMT–03:00 BST (1 h 15 min)'])
  })

  it('2026-10-25, clocks back: 08:00–18:00 GMT, and a night gap across the change is an hour longer', () => {
    expect(
      gapsOn('2026-10-25', [
        booked('2026-10-24T23:30:00.000Z', '2026-10-25T00:00:00.000Z'), // 00:30–01:00 BST
        booked('2026-10-25T01:30:00.000Z', '2026-10-25T08:30:00.000Z'), // 01:30–08:30 GMT
        booked('2026-10-25T09:00:00.000Z', '2026-10-25T18:00:00.000Z'), // 09:00–18:00 GMT
      ]),
    ).toEqual([
      {
        label: 'Free 01:00 BST–01:30 GMT (1 h 30 min)',
        start: '2026-10-25T00:00:00.000Z',
        end: '2026-10-25T01:30:00.000Z',
      },
      {
        label: 'Free 08:30 GMT–09:00 GMT (30 min)',
        start: '2026-10-25T08:30:00.000Z',
        end: '2026-10-25T09:00:00.000Z',
      },
    ])
    expect(labels('2026-10-25', [])).toEqual(['Free 08:00 GMT–18:00 GMT (10 h)'])
    expect(freeGaps([], { date: '2026-10-25', timeZone: LONDON })).toEqual([
      { start: '2026-10-25T08:00:00.000Z', end: '2026-10-25T18:00:00.000Z', minutes: 600 },
    ])
  })
})

describe('labels', () => {
  it('the shortest appointment type, or 10 minutes', () => {
    expect(shortestTypeMinutes([{ lengthMinutes: 30 }, { lengthMinutes: 15 }, { lengthMinutes: 0 }])).toBe(15)
    expect(shortestTypeMinutes([])).toBe(10)
    expect(shortestTypeMinutes(undefined)).toBe(10)
  })

  it('durations in minutes and hours', () => {
    expect(durationLabel(45)).toBe('45 min')
    expect(durationLabel(60)).toBe('1 h')
    expect(durationLabel(135)).toBe('2 h 15 min')
  })
})
