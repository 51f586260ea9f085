import { describe, expect, it } from 'vitest'
import { ANY } from '../../../src/renderer/src/booking/booking-state'
import {
  checkLine,
  dayAfter,
  finderKey,
  finderStatus,
  readAnswer,
  slotsQuery,
} from '../../../src/renderer/src/booking/finder'
import type { SlotsAnswer } from '../../../src/renderer/src/booking/useSlots'
import type { SlotView } from '../../../src/shared/contract'

const ZONE = 'Europe/London'
const TODAY = '2026-03-30'
const AT = { connectionId: 'c', patientId: 'pt', today: TODAY, zone: ZONE, now: '2026-03-30T08:12:00.000Z' }
const slot = (start: string, fromCopy = false): SlotView => ({
  connectionId: 'c',
  start,
  end: new Date(Date.parse(start) + 15 * 60_000).toISOString(),
  ...(fromCopy ? { fromCopy } : {}),
})
const filters = { typeRef: 't1', who: ANY, where: ANY, from: TODAY, retry: 0 }

describe('the booking finder', () => {
  it('asks again whenever a filter, the first day or "Try again" changes', () => {
    const key = finderKey(filters)
    expect(finderKey({ ...filters, who: 'p1' })).not.toBe(key)
    expect(finderKey({ ...filters, where: 'north' })).not.toBe(key)
    expect(finderKey({ ...filters, from: '2026-03-31' })).not.toBe(key)
    expect(finderKey({ ...filters, retry: 1 })).not.toBe(key)
    expect(finderKey({ ...filters })).toBe(key)
  })

  it('asks nothing until a type is chosen; from today it asks from now', () => {
    expect(slotsQuery({ ...filters, typeRef: '' }, AT)).toBeNull()
    expect(slotsQuery(filters, AT)).toEqual({
      connectionId: 'c',
      appointmentTypeRef: 't1',
      patientId: 'pt',
      from: AT.now,
      days: 14,
      limit: 80,
    })
  })

  it("asks a later day from its midnight in the clinic's zone, for the chosen practitioner and site", () => {
    expect(slotsQuery({ ...filters, from: '2026-04-02', who: 'p1', where: 'north' }, AT)).toMatchObject({
      from: '2026-04-01T23:00:00.000Z',
      practitionerRef: 'p1',
      locationRef: 'north',
    })
  })

  it('keeps the last answer on screen, marked as loading, until the new one is in', () => {
    const old: SlotsAnswer = {
      key: 'old',
      slots: [slot('2026-03-30T09:00:00.000Z')],
      state: 'confirmed',
      note: '',
    }
    const v = readAnswer(old, 'new', 't1', ZONE)
    expect(v.loading).toBe(true)
    expect(v.slots).toHaveLength(1)
    expect(v.fromCopy).toBe(false)
    expect(readAnswer(old, 'old', 't1', ZONE).loading).toBe(false)
    // No type chosen: nothing is being asked, so nothing is loading.
    expect(readAnswer(null, 'k', '', ZONE)).toMatchObject({
      loading: false,
      slots: [],
      failed: null,
      days: [],
    })
  })

  it('shows a refusal only for the question on screen, and notices slots from the copy', () => {
    const refused: SlotsAnswer = { key: 'k', error: 'Semble is offline.', code: 'offline' }
    expect(readAnswer(refused, 'k', 't1', ZONE).failed).toEqual(refused)
    expect(readAnswer(refused, 'k2', 't1', ZONE).failed).toBeNull()
    const copy: SlotsAnswer = {
      key: 'k',
      slots: [slot('2026-03-30T09:00:00.000Z', true)],
      state: 'unconfirmed',
      note: '',
    }
    expect(readAnswer(copy, 'k', 't1', ZONE).fromCopy).toBe(true)
  })

  it('says what it is doing and what it found, grouped by day', () => {
    const none = readAnswer(null, 'k', '', ZONE)
    expect(finderStatus('', none)).toBe('Choose the appointment type to see free times.')
    expect(finderStatus('t1', readAnswer(null, 'k', 't1', ZONE))).toBe('Finding free times…')
    const empty = readAnswer({ key: 'k', slots: [], state: 'confirmed', note: '' }, 'k', 't1', ZONE)
    expect(finderStatus('t1', empty)).toBe(
      'No free times in the 14 days from the chosen date. Try another practitioner or a later date.',
    )
    const one = [slot('2026-03-30T09:00:00.000Z')]
    expect(
      finderStatus('t1', readAnswer({ key: 'k', slots: one, state: 'confirmed', note: '' }, 'k', 't1', ZONE)),
    ).toBe('1 free time over 1 day.')
    // 23:30 UTC on the 30th is 00:30 on the 31st in London: a second day.
    const three = [...one, slot('2026-03-30T10:00:00.000Z'), slot('2026-03-30T23:30:00.000Z')]
    const v = readAnswer({ key: 'k', slots: three, state: 'confirmed', note: '' }, 'k', 't1', ZONE)
    expect(v.days.map((d) => d.date)).toEqual(['2026-03-30', '2026-03-31'])
    expect(finderStatus('t1', v)).toBe('3 free times over 2 days.')
    const failed = readAnswer({ key: 'k', error: 'x', code: 'offline' }, 'k', 't1', ZONE)
    expect(finderStatus('t1', failed)).toBe('')
  })

  it('says whether the clinic system has confirmed the times, with what changed', () => {
    const answer = (state: 'checking' | 'confirmed' | 'unconfirmed', note = '') => ({
      key: 'k',
      slots: [],
      state,
      note,
    })
    expect(checkLine(answer('checking'), 'Semble')).toBe('Checking with Semble…')
    expect(checkLine(answer('confirmed'), 'Semble')).toBe('Checked with Semble.')
    expect(checkLine(answer('confirmed', '1 new time'), 'Semble')).toBe('Checked with Semble: 1 new time.')
    expect(checkLine(answer('unconfirmed'), 'Semble')).toBe(
      'Not yet checked with Semble: booking checks the time.',
    )
  })

  it('"Later times" starts the day after the last one shown, across month and year ends', () => {
    expect(dayAfter('2026-03-30')).toBe('2026-03-31')
    expect(dayAfter('2026-03-31')).toBe('2026-04-01')
    expect(dayAfter('2026-12-31')).toBe('2027-01-01')
    expect(dayAfter('2028-02-28')).toBe('2028-02-29')
  })
})
