import { describe, expect, it } from 'vitest'
import type { DayColumn } from '../../../src/shared/contract'
import { versionsOf, withHeldLists } from '../../../src/renderer/src/today/state/day-versions'

const column = (connectionId: string, version: string, ids: string[]): DayColumn => ({
  connectionId,
  label: connectionId,
  timeZone: 'Europe/London',
  asOf: null,
  fromCache: false,
  version,
  practitioners: [{ ref: 'p1', name: 'Dr Okafor' }],
  appointments: ids.map((id) => ({ id, connectionId, status: 'booked', sync: 'synced' })),
})
const unchanged = (c: DayColumn): DayColumn => ({
  ...c,
  unchanged: true,
  practitioners: [],
  appointments: [],
})

describe('a day read again by version', () => {
  const held = [column('north', 'v1', ['a1', 'a2']), column('south', 's1', ['b1'])]

  it('names each held column’s version, and none for a column changed here', () => {
    expect(versionsOf(held)).toEqual({ north: 'v1', south: 's1' })
    expect(versionsOf([{ ...held[0]!, version: '' }])).toEqual({})
    expect(versionsOf(undefined)).toEqual({})
  })

  it('keeps the held lists, as the same arrays, for a column that came back unchanged', () => {
    const answer = [
      unchanged({ ...held[0]!, problem: 'North is offline.' }),
      column('south', 's2', ['b1', 'b2']),
    ]
    const whole = withHeldLists(answer, held)!
    expect(whole[0]!.appointments).toBe(held[0]!.appointments)
    expect(whole[0]!.practitioners).toBe(held[0]!.practitioners)
    expect(whole[0]!.problem).toBe('North is offline.')
    expect(whole[0]!.unchanged).toBeUndefined()
    expect(whole[1]!.appointments.map((a) => a.id)).toEqual(['b1', 'b2'])
  })

  it('asks for the whole day again when the held column is no longer that version', () => {
    // Changed here during the read (an action's answer), or let go from the cache.
    const answer = [unchanged(held[0]!)]
    expect(withHeldLists(answer, [{ ...held[0]!, version: '' }])).toBeNull()
    expect(withHeldLists(answer, [column('north', 'v0', ['a1'])])).toBeNull()
    expect(withHeldLists(answer, undefined)).toBeNull()
  })
})
