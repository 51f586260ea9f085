import { describe, expect, it } from 'vitest'
import { ageLabel, confirmationNote, copyLabel } from '../../../src/renderer/src/booking/slots'
import type { SlotView } from '../../../src/shared/contract'

const NOW = Date.parse('2026-03-30T09:00:00.000Z')
const slot = (fetchedAt: string, fromCopy = false): SlotView => ({
  connectionId: 'c',
  start: '2026-03-30T10:00:00.000Z',
  end: '2026-03-30T10:15:00.000Z',
  fetchedAt,
  ...(fromCopy ? { fromCopy } : {}),
})

describe('slot labels', () => {
  it('says how old a slot from the copy is', () => {
    expect(ageLabel('2026-03-30T08:59:30.000Z', NOW)).toBe('just now')
    expect(ageLabel('2026-03-30T08:55:00.000Z', NOW)).toBe('5 min old')
    expect(ageLabel('2026-03-30T06:30:00.000Z', NOW)).toBe('2 h old')
    expect(ageLabel('2026-03-27T09:00:00.000Z', NOW)).toBe('3 days old')
    expect(ageLabel(undefined, NOW)).toBeUndefined()
  })

  it("labels the copy's slots with the oldest age, and nothing when the clinic system answered", () => {
    expect(
      copyLabel([slot('2026-03-30T08:58:00.000Z', true), slot('2026-03-30T08:40:00.000Z', true)], NOW),
    ).toBe("From Frontdesk's copy, 20 min old — will be checked when sent.")
    expect(copyLabel([slot('2026-03-30T08:40:00.000Z')], NOW)).toBeUndefined()
  })

  it('notes what the confirmation took away or added', () => {
    expect(confirmationNote(0, 0)).toBe('')
    expect(confirmationNote(1, 0)).toBe('1 time no longer free (taken meanwhile)')
    expect(confirmationNote(2, 3)).toBe('2 times no longer free (taken meanwhile); 3 new times')
  })
})
