import { describe, expect, it } from 'vitest'
import type { DayColumn, ReferenceData } from '../../../src/shared/contract'
import {
  NO_FILTER,
  buildLanes,
  dayRange,
  filterLanes,
  mergeLinkedLanes,
  practitionerIn,
  practitionerKey,
  siteKey,
  weekLanes,
  weekMembers,
  weekRange,
} from '../../../src/renderer/src/today/layout'

type Appt = DayColumn['appointments'][number]

const appt = (id: string, practitionerRef: string, locationRef: string, type: string, hour: number): Appt =>
  ({
    id,
    connectionId: id.split('-')[0]!,
    start: `2026-12-02T${String(hour).padStart(2, '0')}:00:00Z`,
    end: `2026-12-02T${String(hour).padStart(2, '0')}:30:00Z`,
    status: 'booked',
    practitionerRef,
    locationRef,
    appointmentTypeRef: type,
    sync: { state: 'synced' },
  }) as unknown as Appt

const column = (connectionId: string, label: string, appointments: Appt[]): DayColumn => ({
  connectionId,
  label,
  version: '',
  timeZone: 'Europe/London',
  asOf: null,
  fromCache: false,
  practitioners: [
    { ref: 'p1', name: 'Dr One' },
    { ref: 'p2', name: 'Nurse Two' },
  ],
  appointments,
})

const columns = [
  column('a', 'Riverside', [
    appt('a-1', 'p1', 'north', 'gp', 9),
    appt('a-2', 'p1', 'south', 'blood', 10),
    appt('a-3', 'p2', 'north', 'blood', 11),
  ]),
  column('b', 'Hillside', [appt('b-1', 'p1', 'main', 'blood', 9)]),
]
const reference = {} as Record<string, ReferenceData>
const lanes = buildLanes(columns, reference, dayRange(columns))
const ids = (ls: ReturnType<typeof filterLanes>) => ls.flatMap((l) => l.items.map((p) => p.id))

describe('the day book’s filters', () => {
  it('with nothing chosen, show every lane as laid out', () => {
    expect(filterLanes(lanes, NO_FILTER)).toBe(lanes)
    expect(ids(lanes)).toEqual(['a-1', 'a-2', 'a-3', 'b-1'])
  })

  it('a site keeps that clinic system’s lanes at that site; a whole clinic system keeps all of its own', () => {
    const north = filterLanes(lanes, { ...NO_FILTER, site: siteKey('a', 'north') })
    expect(ids(north)).toEqual(['a-1', 'a-3'])
    expect(north.map((l) => l.name)).toEqual(['Dr One', 'Nurse Two'])
    const hillside = filterLanes(lanes, { ...NO_FILTER, site: siteKey('b') })
    expect(hillside.every((l) => l.connectionId === 'b')).toBe(true)
    expect(ids(hillside)).toEqual(['b-1'])
  })

  it('a practitioner is one person in one clinic system, not everyone with the same ref elsewhere', () => {
    const one = filterLanes(lanes, { ...NO_FILTER, practitioner: practitionerKey('a', 'p1') })
    expect(ids(one)).toEqual(['a-1', 'a-2'])
    expect(new Set(one.map((l) => l.connectionId))).toEqual(new Set(['a']))
  })

  it('a type keeps its clinic system’s lanes with only that type’s appointments', () => {
    const blood = filterLanes(lanes, { ...NO_FILTER, type: 'a:blood' })
    expect(ids(blood)).toEqual(['a-2', 'a-3'])
    expect(blood.some((l) => l.items.length === 0)).toBe(true) // free time beside them still shows
    expect(blood.every((l) => l.connectionId === 'a')).toBe(true)
  })

  it('places the lanes left side by side again without moving the unfiltered ones', () => {
    const before = lanes.map((l) => [l.left, l.groupStart])
    const hillside = filterLanes(lanes, { ...NO_FILTER, site: siteKey('b') })
    expect(hillside[0]!.left).toBe(0)
    expect(hillside[0]!.groupStart).toBe(true)
    for (let i = 1; i < hillside.length; i++)
      expect(hillside[i]!.left).toBe(hillside[i - 1]!.left + hillside[i - 1]!.width)
    expect(lanes.map((l) => [l.left, l.groupStart])).toEqual(before)
  })

  it('filters combine', () => {
    expect(
      ids(
        filterLanes(lanes, {
          site: siteKey('a', 'north'),
          practitioner: practitionerKey('a', 'p2'),
          type: 'a:blood',
        }),
      ),
    ).toEqual(['a-3'])
    expect(ids(filterLanes(lanes, { ...NO_FILTER, site: siteKey('a', 'south'), type: 'a:gp' }))).toEqual([])
  })
})

describe('a clinician linked across clinic systems', () => {
  // Dr One is p1 in Riverside (a) and p1 in Hillside (b): one person, one lane.
  const link = {
    members: [
      { connectionId: 'a', practitionerRef: 'p1' },
      { connectionId: 'b', practitionerRef: 'p1' },
    ],
  }
  const range = dayRange(columns)
  const merged = mergeLinkedLanes(buildLanes(columns, reference, range), [link], range)

  it('is one lane where their first lane was, holding both clinic systems’ appointments', () => {
    const theirs = merged.filter((l) => l.members)
    expect(theirs).toHaveLength(1)
    const lane = theirs[0]!
    expect(merged.indexOf(lane)).toBe(0)
    expect(lane.items.map((p) => p.id).sort()).toEqual(['a-1', 'a-2', 'b-1'])
    expect(lane.connectionLabel).toBe('Riverside + Hillside')
    // a-1 and b-1 are both at 09:00: side by side, a clash across the two systems in plain sight.
    const nine = lane.items.filter((p) => p.id === 'a-1' || p.id === 'b-1')
    expect(new Set(nine.map((p) => p.slot)).size).toBe(2)
    expect(practitionerIn(lane, 'b')).toBe('p1')
    expect(practitionerIn(lane, 'c')).toBeNull()
    // Every other lane is still there, side by side.
    expect(ids(merged).sort()).toEqual(['a-1', 'a-2', 'a-3', 'b-1'])
    for (let i = 1; i < merged.length; i++)
      expect(merged[i]!.left).toBe(merged[i - 1]!.left + merged[i - 1]!.width)
  })

  it('is found by either clinic system’s filters, and a type keeps only its own system’s cards', () => {
    for (const practitioner of [practitionerKey('a', 'p1'), practitionerKey('b', 'p1')])
      expect(ids(filterLanes(merged, { ...NO_FILTER, practitioner })).sort()).toEqual(['a-1', 'a-2', 'b-1'])
    expect(ids(filterLanes(merged, { ...NO_FILTER, type: 'b:blood' }))).toEqual(['b-1'])
  })

  it('leaves their lanes alone on a day only one of the clinic systems has them', () => {
    const onlyA = [columns[0]!]
    const lanes = buildLanes(onlyA, reference, dayRange(onlyA))
    const after = mergeLinkedLanes(lanes, [link], dayRange(onlyA))
    expect(after.some((l) => l.members)).toBe(false)
    expect(ids(after)).toEqual(ids(lanes))
  })
})

describe('a practitioner’s week', () => {
  const day = (date: string, cols: DayColumn[]) => ({ date, columns: cols })
  const onDay = (date: string, a: Appt): Appt => ({
    ...a,
    start: a.start!.replace('2026-12-02', date),
    end: a.end!.replace('2026-12-02', date),
  })
  const week = [
    day('2026-11-30', [
      column('a', 'Riverside', [onDay('2026-11-30', appt('a-1', 'p1', 'north', 'gp', 9))]),
      column('b', 'Hillside', [onDay('2026-11-30', appt('b-1', 'p1', 'main', 'blood', 9))]),
    ]),
    day('2026-12-01', [
      column('a', 'Riverside', [onDay('2026-12-01', appt('a-2', 'p2', 'north', 'gp', 10))]),
      column('b', 'Hillside', [onDay('2026-12-01', appt('b-2', 'p1', 'main', 'gp', 14))]),
    ]),
  ]
  const members = (m: string | null, links: Parameters<typeof weekMembers>[1]) => weekMembers(m, links)

  it('of one clinic system is their own appointments, a lane a day', () => {
    const only = members(practitionerKey('a', 'p1'), [])
    const lanes = weekLanes(week, only, reference, weekRange(week, only), (d) => d)
    expect(lanes.map((l) => [l.day, l.items.map((p) => p.id)])).toEqual([
      ['2026-11-30', ['a-1']],
      ['2026-12-01', []],
    ])
  })

  it('of a clinician linked across clinic systems holds both systems’ days, one lane a day, chosen by either', () => {
    const links = [
      {
        members: [
          { connectionId: 'a', practitionerRef: 'p1' },
          { connectionId: 'b', practitionerRef: 'p1' },
        ],
      },
    ]
    for (const chosen of [practitionerKey('a', 'p1'), practitionerKey('b', 'p1')]) {
      const both = members(chosen, links)
      expect(both).toHaveLength(2)
      const lanes = weekLanes(week, both, reference, weekRange(week, both), (d) => d)
      expect(lanes.map((l) => [l.day, l.items.map((p) => p.id).sort()])).toEqual([
        ['2026-11-30', ['a-1', 'b-1']],
        ['2026-12-01', ['b-2']],
      ])
      // Monday's 09:00 in the two systems: side by side in the one lane, and each card moves in its own.
      const monday = lanes[0]!
      expect(new Set(monday.items.map((p) => p.slot)).size).toBe(2)
      expect(practitionerIn(monday, 'b')).toBe('p1')
      // The hours run to Tuesday's 14:00 in Hillside.
      expect(weekRange(week, both).endMin).toBeGreaterThanOrEqual(14 * 60 + 30)
    }
  })
})
