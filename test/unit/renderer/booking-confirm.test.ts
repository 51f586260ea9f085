import { describe, expect, it } from 'vitest'
import { ANY } from '../../../src/renderer/src/booking/booking-state'
import {
  bookErrorOf,
  bookingInput,
  bookLabel,
  clashLine,
  isSecondBooking,
  patientClashes,
  withWhom,
} from '../../../src/renderer/src/booking/confirm-summary'
import type { AppointmentView, SlotView } from '../../../src/shared/contract'

const ZONE = 'Europe/London'
const appt = (
  id: string,
  start: string,
  end?: string,
  status: AppointmentView['status'] = 'booked',
): AppointmentView => ({
  id,
  connectionId: 'c',
  start,
  ...(end ? { end } : {}),
  status,
  sync: 'synced',
})
// 10:00–10:30 BST on Tuesday 31 March 2026.
const chosen: SlotView = {
  connectionId: 'c',
  start: '2026-03-31T09:00:00.000Z',
  end: '2026-03-31T09:30:00.000Z',
  practitionerRef: 'p1',
}

describe('the confirmation step', () => {
  it("finds the patient's other appointments that day in the clinic's zone, and those that overlap", () => {
    const list = [
      appt('a', '2026-03-31T09:15:00.000Z', '2026-03-31T09:45:00.000Z'),
      appt('b', '2026-03-31T14:00:00.000Z', '2026-03-31T14:15:00.000Z'),
      // 00:30 BST on the 31st: the same day in London, though the 30th in UTC.
      appt('c', '2026-03-30T23:30:00.000Z', '2026-03-30T23:45:00.000Z'),
      appt('d', '2026-03-31T09:00:00.000Z', undefined, 'cancelled'),
      appt('e', '2026-04-01T09:00:00.000Z', '2026-04-01T09:30:00.000Z'),
      // Ends as the chosen slot starts: the same day, not an overlap.
      appt('f', '2026-03-31T08:30:00.000Z', '2026-03-31T09:00:00.000Z'),
      // No end: an instant inside the slot still overlaps.
      appt('g', '2026-03-31T09:10:00.000Z'),
    ]
    const { sameDay, overlapping } = patientClashes(list, chosen, ZONE)
    expect(sameDay.map((a) => a.id)).toEqual(['a', 'b', 'c', 'f', 'g'])
    expect(overlapping.map((a) => a.id)).toEqual(['a', 'g'])
  })

  it('does not count the appointment being replaced (cancel and rebook)', () => {
    const list = [appt('old', '2026-03-31T09:00:00.000Z', '2026-03-31T09:30:00.000Z')]
    expect(patientClashes(list, chosen, ZONE).overlapping).toHaveLength(1)
    expect(patientClashes(list, chosen, ZONE, 'old')).toEqual({ sameDay: [], overlapping: [] })
  })

  it('says an overlap as an alert, other appointments that day as a warning, and none plainly', () => {
    const a = appt('a', '2026-03-31T09:15:00.000Z', '2026-03-31T09:45:00.000Z')
    const b = appt('b', '2026-03-31T14:00:00.000Z', '2026-03-31T14:15:00.000Z')
    expect(clashLine('Ada', { sameDay: [a, b], overlapping: [a] }, ZONE)).toEqual({
      kind: 'overlap',
      text: 'Ada already has an appointment at this time (10:15).',
    })
    expect(clashLine('Ada', { sameDay: [b], overlapping: [] }, ZONE)).toEqual({
      kind: 'same-day',
      text: 'Ada already has an appointment that day, at 15:00.',
    })
    expect(clashLine('Ada', { sameDay: [a, b], overlapping: [] }, ZONE).text).toBe(
      'Ada already has 2 appointments that day, at 10:15, 15:00.',
    )
    expect(clashLine('Ada', { sameDay: [], overlapping: [] }, ZONE)).toEqual({
      kind: 'none',
      text: 'No other appointments for Ada that day.',
    })
  })

  it('books a second appointment when an overlap was shown or Frontdesk asked to confirm one', () => {
    const a = appt('a', chosen.start, chosen.end)
    const none = { sameDay: [], overlapping: [] }
    expect(isSecondBooking(none, null)).toBe(false)
    expect(isSecondBooking({ sameDay: [a], overlapping: [a] }, null)).toBe(true)
    expect(isSecondBooking(none, { code: 'needs-confirmation', message: 'x' })).toBe(true)
    expect(isSecondBooking(none, { code: 'vendor-rejected', message: 'x' })).toBe(false)
    expect(bookLabel(false, false, false)).toBe('Book this appointment')
    expect(bookLabel(false, false, true)).toBe('Book a second appointment')
    expect(bookLabel(false, true, true)).toBe('Book this and cancel the old one')
    expect(bookLabel(true, true, true)).toBe('Booking…')
  })

  it('names the practitioner from the slot, else the reference data, else says the clinic assigns one', () => {
    const nameOf = (ref?: string) => (ref === 'p1' ? 'Dr Patel' : undefined)
    expect(withWhom({ ...chosen, practitionerName: 'Dr Okafor' }, nameOf)).toBe('Dr Okafor')
    expect(withWhom(chosen, nameOf)).toBe('Dr Patel')
    expect(withWhom({ ...chosen, practitionerRef: 'p9' }, nameOf)).toBe('Whoever the clinic system assigns')
  })

  it("sends the slot's location, else the finder's, and only what was given", () => {
    expect(bookingInput(chosen, 't1', ANY, '  ', false)).toEqual({
      appointmentTypeRef: 't1',
      start: chosen.start,
      end: chosen.end,
      practitionerRef: 'p1',
    })
    expect(bookingInput(chosen, 't1', 'north', '', false).locationRef).toBe('north')
    expect(bookingInput({ ...chosen, locationRef: 'south' }, 't1', 'north', '', false).locationRef).toBe(
      'south',
    )
    const full = bookingInput({ ...chosen, token: 'win_1' }, 't1', ANY, ' Wheelchair \n', true)
    expect(full).toMatchObject({ slotToken: 'win_1', note: 'Wheelchair', confirmOverlap: true })
  })

  it('says a time taken meanwhile is no longer free', () => {
    expect(bookErrorOf({ code: 'conflict', message: 'Dr Patel is booked then.' })).toEqual({
      code: 'conflict',
      message: 'That time is no longer free. Dr Patel is booked then.',
    })
    expect(bookErrorOf({ code: 'offline', message: 'Semble is offline.' }).message).toBe('Semble is offline.')
  })
})
