import { describe, expect, it } from 'vitest'
import {
  ANY,
  bookingReducer,
  initialBooking,
  type BookingAction,
  type BookingState,
} from '../../../src/renderer/src/booking/booking-state'
import type { SlotView } from '../../../src/shared/contract'

const TODAY = '2026-03-30'
const slot: SlotView = {
  connectionId: 'c',
  start: '2026-03-31T09:00:00.000Z',
  end: '2026-03-31T09:15:00.000Z',
  practitionerRef: 'p1',
}
const run = (...actions: BookingAction[]): BookingState =>
  actions.reduce(bookingReducer, initialBooking(TODAY))

describe('booking dialog state', () => {
  it('starts on today, any practitioner and location, nothing chosen', () => {
    const s = initialBooking(TODAY)
    expect(s).toMatchObject({ typeRef: '', who: ANY, where: ANY, from: TODAY, fromText: '30/03/2026' })
    expect(s.chosen).toBeNull()
    expect(s.manual).toEqual({ date: '30/03/2026', time: '', practitionerRef: '', locationRef: '' })
  })

  it('follows the typed From date, never before today, and keeps the last good day while it is unreadable', () => {
    expect(run({ type: 'fromText', text: '2/4/26', today: TODAY })).toMatchObject({
      from: '2026-04-02',
      fromText: '2/4/26',
    })
    expect(run({ type: 'fromText', text: '01/03/2026', today: TODAY }).from).toBe(TODAY)
    const half = run(
      { type: 'fromText', text: '2/4/26', today: TODAY },
      { type: 'fromText', text: '2/4/', today: TODAY },
    )
    expect(half).toMatchObject({ from: '2026-04-02', fromText: '2/4/' })
  })

  it('"Later times" moves From and writes it back day first', () => {
    expect(run({ type: 'later', from: '2026-04-13' })).toMatchObject({
      from: '2026-04-13',
      fromText: '13/04/2026',
    })
  })

  it('choosing a slot clears the last refusal', () => {
    const s = run(
      { type: 'choose', slot },
      { type: 'booking' },
      { type: 'bookFailed', error: { code: 'needs-confirmation', message: 'again?' } },
      { type: 'back' },
      { type: 'choose', slot },
    )
    expect(s.chosen).toEqual(slot)
    expect(s.bookError).toBeNull()
  })

  it('is busy from Book until the answer, and keeps a refusal to show', () => {
    expect(run({ type: 'choose', slot }, { type: 'booking' }).busy).toBe(true)
    const refused = run(
      { type: 'choose', slot },
      { type: 'booking' },
      { type: 'bookFailed', error: { code: 'vendor-rejected', message: 'no' } },
    )
    expect(refused).toMatchObject({ busy: false, bookError: { code: 'vendor-rejected', message: 'no' } })
    expect(run({ type: 'choose', slot }, { type: 'booking' }, { type: 'booked' }).busy).toBe(false)
  })

  it('back to free times asks for them again only after a time was taken meanwhile', () => {
    const refusedWith = (code: 'conflict' | 'vendor-rejected') =>
      run(
        { type: 'choose', slot },
        { type: 'booking' },
        { type: 'bookFailed', error: { code, message: 'x' } },
        { type: 'back' },
      )
    expect(refusedWith('conflict')).toMatchObject({ chosen: null, bookError: null, retry: 1 })
    expect(refusedWith('vendor-rejected')).toMatchObject({ chosen: null, bookError: null, retry: 0 })
    expect(run({ type: 'choose', slot }, { type: 'back' }).retry).toBe(0)
  })

  it('keeps the note and the typed time across going back', () => {
    const s = run(
      { type: 'manual', change: { time: '14:30' } },
      { type: 'manual', change: { practitionerRef: 'p1' } },
      { type: 'choose', slot },
      { type: 'note', note: 'Wheelchair' },
      { type: 'back' },
    )
    expect(s.manual).toEqual({ date: '30/03/2026', time: '14:30', practitionerRef: 'p1', locationRef: '' })
    expect(s.note).toBe('Wheelchair')
  })

  it('remembers a passed time and a clash for what was typed', () => {
    const s = run(
      { type: 'manualTried' },
      { type: 'manualPast', at: '30/03/2026 08:00' },
      { type: 'manualClash', at: '30/03/2026 15:00 p1', message: 'Dr A is booked then.' },
    )
    expect(s).toMatchObject({
      manualTried: true,
      manualPast: '30/03/2026 08:00',
      manualClash: { at: '30/03/2026 15:00 p1', message: 'Dr A is booked then.' },
    })
  })
})

describe('the free-time finder’s start typed with a two-digit year', () => {
  it('starts the free-time finder from next January when 05/01/27 is typed in December 2026', () => {
    const s = bookingReducer(initialBooking('2026-12-20'), {
      type: 'fromText',
      text: '05/01/27',
      today: '2026-12-20',
    })
    expect(s.from).toBe('2027-01-05')
  })
})
