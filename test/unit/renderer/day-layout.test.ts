import { describe, expect, it } from 'vitest'
import type { DayColumn } from '../../../src/shared/contract'
import type { CardWidth } from '../../../src/renderer/src/today/card-width'
import {
  dayRange,
  layoutDay,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  minutesInZone,
} from '../../../src/renderer/src/today/layout'

describe('minutes after local midnight', () => {
  it('reads the wall clock across both clock changes', () => {
    // London springs forward at 01:00 UTC on 29 March 2026 and falls back at 01:00 UTC on 25 October.
    expect(minutesInZone('2026-03-29T00:30:00.000Z', 'Europe/London')).toBe(30)
    expect(minutesInZone('2026-03-29T01:30:00.000Z', 'Europe/London')).toBe(150)
    expect(minutesInZone('2026-10-25T00:30:00.000Z', 'Europe/London')).toBe(90)
    expect(minutesInZone('2026-10-25T01:30:00.000Z', 'Europe/London')).toBe(90)
  })

  it('answers the same instant per zone, asked again', () => {
    // Remembered answers are kept per zone: one instant is a different wall clock elsewhere.
    const at = '2026-11-25T09:15:00.000Z'
    for (let i = 0; i < 2; i++) {
      expect(minutesInZone(at, 'Europe/London')).toBe(9 * 60 + 15)
      expect(minutesInZone(at, 'America/New_York')).toBe(4 * 60 + 15)
      expect(minutesInZone(at, 'Asia/Kolkata')).toBe(14 * 60 + 45)
    }
  })

  it('widens the day to its earliest and latest appointment on whole hours', () => {
    const column = (starts: string[]) => ({
      connectionId: 'c',
      label: 'C',
      timeZone: 'Europe/London',
      asOf: null,
      fromCache: false,
      version: '',
      practitioners: [],
      appointments: starts.map((start, i) => ({
        id: `a${i}`,
        connectionId: 'c',
        status: 'booked' as const,
        sync: 'synced' as const,
        start,
        end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
      })),
    })
    expect(dayRange([column(['2026-11-25T07:10:00.000Z', '2026-11-25T19:40:00.000Z'])])).toEqual({
      startMin: 7 * 60,
      endMin: 21 * 60,
    })
  })
})

describe('laying a day out', () => {
  const appt = (id: string, start: string): DayColumn['appointments'][number] => ({
    id,
    connectionId: 'c',
    status: 'booked',
    sync: 'synced',
    practitionerRef: 'p1',
    start,
    end: new Date(Date.parse(start) + 15 * 60_000).toISOString(),
  })
  const column = (appointments: DayColumn['appointments'], problem?: string): DayColumn => ({
    connectionId: 'c',
    label: 'North',
    timeZone: 'Europe/London',
    asOf: null,
    fromCache: !!problem,
    version: 'v1',
    ...(problem ? { problem } : {}),
    practitioners,
    appointments,
  })
  const practitioners = [{ ref: 'p1', name: 'Dr Okafor' }]
  const reference = {}
  const links: never[] = []

  it('reuses the lanes when a re-read changed only its notice', () => {
    const list = [appt('a1', '2026-11-25T09:00:00.000Z')]
    const first = layoutDay([column(list)], reference, links)
    const again = layoutDay(
      [column(list, 'North is offline; showing the copy Frontdesk keeps.')],
      reference,
      links,
    )
    expect(again.lanes).toBe(first.lanes)
  })

  it('lays the day out again when its appointments changed', () => {
    const before = [appt('b1', '2026-11-25T09:00:00.000Z')]
    const first = layoutDay([column(before)], reference, links)
    // What an action's answer does: the same day, the appointment moved, in a new list.
    const after = [appt('b1', '2026-11-25T11:00:00.000Z')]
    const moved = layoutDay([column(after)], reference, links)
    expect(moved.lanes).not.toBe(first.lanes)
    const card = moved.lanes.flatMap((l) => l.items).find((p) => p.id === 'b1')!
    expect(card.a.start).toBe('2026-11-25T11:00:00.000Z')
    expect(moved.range.endMin).toBeGreaterThanOrEqual(18 * 60)
  })

  describe('lane widths from the cards', () => {
    const named = (id: string, start: string, familyName: string): DayColumn['appointments'][number] => ({
      ...appt(id, start),
      patient: { givenName: 'Ann', familyName, birthDate: '1980-01-01' },
    })
    // Ten pixels a letter of the surname: what a page's measure would say, in round numbers.
    const byLetters: CardWidth = (a) => (a.patient?.familyName.length ?? 0) * 10

    it('widens a lane so each card has room in its share of it, and no more', () => {
      const list = [
        // Side by side with a short name: the lane is two of the long name's columns.
        named('w1', '2026-11-25T09:00:00.000Z', 'X'.repeat(30)),
        named('w2', '2026-11-25T09:00:00.000Z', 'Li'),
        // Of no practitioner known: a lane of its own, which keeps the least width.
        { ...named('w3', '2026-11-25T12:00:00.000Z', 'Kaur'), practitionerRef: 'p9' },
      ]
      expect(layoutDay([column(list)], reference, links, byLetters).lanes.map((l) => l.width)).toEqual([
        2 * 300,
        MIN_COLUMN_WIDTH,
      ])
      // A long name alone, short names side by side later: wide enough for each, not their product.
      const apart = [
        named('x1', '2026-11-25T09:00:00.000Z', 'X'.repeat(30)),
        named('x2', '2026-11-25T14:00:00.000Z', 'Li'),
        named('x3', '2026-11-25T14:00:00.000Z', 'Rees'),
      ]
      expect(layoutDay([column(apart)], reference, links, byLetters).lanes[0]!.width).toBe(
        2 * MIN_COLUMN_WIDTH,
      )
    })

    it('keeps the least width for short names, and widens a column no further than the most', () => {
      const short = layoutDay(
        [column([named('s1', '2026-11-25T09:00:00.000Z', 'Li')])],
        reference,
        links,
        byLetters,
      )
      expect(short.lanes[0]!.width).toBe(MIN_COLUMN_WIDTH)
      const long = layoutDay(
        [column([named('l1', '2026-11-25T09:00:00.000Z', 'X'.repeat(90))])],
        reference,
        links,
        byLetters,
      )
      expect(long.lanes[0]!.width).toBe(MAX_COLUMN_WIDTH)
    })

    it('lays a day out again for another measure', () => {
      const list = [named('m1', '2026-11-25T09:00:00.000Z', 'X'.repeat(30))]
      const unmeasured = layoutDay([column(list)], reference, links)
      const measured = layoutDay([column(list)], reference, links, byLetters)
      expect(unmeasured.lanes[0]!.width).toBe(MIN_COLUMN_WIDTH)
      expect(measured.lanes[0]!.width).toBe(300)
    })
  })
})
