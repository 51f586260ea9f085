/**
 * Everything the booking dialog's steps share, in one reducer: what the finder asks for, the time
 * typed by hand, the chosen slot and the booking's progress. The dialog holds it; steps dispatch.
 */
import type { ReferenceData, SlotView } from '../../../shared/contract'
import type { ErrorCode } from '../../../shared/result'
import { dayFirst, parseDayFirst } from '../patients/input'

export type AppointmentType = ReferenceData['appointmentTypes'][number]

/** "Any practitioner" / "Any location" in the finder's selects. */
export const ANY = '*'

export interface ManualEntry {
  /** As typed, day first. */
  date: string
  /** As typed, e.g. `14:30`. */
  time: string
  practitionerRef: string
  /** Empty: the finder's location, or the clinic's only one. */
  locationRef: string
}

export interface BookError {
  message: string
  code: ErrorCode
}

export interface BookingState {
  typeRef: string
  who: string
  where: string
  /** The finder's first day, YYYY-MM-DD in the clinic's zone, never before today. */
  from: string
  /** The From field as typed; `from` follows it whenever it reads as a date. */
  fromText: string
  /** Counts "ask again": part of the finder's key. */
  retry: number
  /** The slot on the confirmation step; null while choosing. */
  chosen: SlotView | null
  note: string
  busy: boolean
  bookError: BookError | null
  manual: ManualEntry
  /** "Check this time" was pressed: its message may now show as an error. */
  manualTried: boolean
  /** The typed `date time` found to have passed. */
  manualPast: string
  /** The clash "Check this time" found in the local copy, for the typed time it was found for. */
  manualClash: { at: string; message: string } | null
}

export type BookingAction =
  | { type: 'type'; typeRef: string }
  | { type: 'who'; who: string }
  | { type: 'where'; where: string }
  | { type: 'fromText'; text: string; today: string }
  | { type: 'later'; from: string }
  | { type: 'retry' }
  | { type: 'choose'; slot: SlotView }
  | { type: 'manual'; change: Partial<ManualEntry> }
  | { type: 'manualTried' }
  | { type: 'manualPast'; at: string }
  | { type: 'manualClash'; at: string; message: string }
  | { type: 'note'; note: string }
  | { type: 'booking' }
  | { type: 'bookFailed'; error: BookError }
  | { type: 'booked' }
  | { type: 'back' }

export function initialBooking(today: string): BookingState {
  return {
    typeRef: '',
    who: ANY,
    where: ANY,
    from: today,
    fromText: dayFirst(today),
    retry: 0,
    chosen: null,
    note: '',
    busy: false,
    bookError: null,
    manual: { date: dayFirst(today), time: '', practitionerRef: '', locationRef: '' },
    manualTried: false,
    manualPast: '',
    manualClash: null,
  }
}

export function bookingReducer(s: BookingState, a: BookingAction): BookingState {
  switch (a.type) {
    case 'type':
      return { ...s, typeRef: a.typeRef }
    case 'who':
      return { ...s, who: a.who }
    case 'where':
      return { ...s, where: a.where }
    case 'fromText': {
      // A date before today asks from today; an unreadable one keeps the last good day.
      const r = parseDayFirst(a.text, a.today)
      return { ...s, fromText: a.text, ...(r.ok ? { from: r.date < a.today ? a.today : r.date } : {}) }
    }
    case 'later':
      return { ...s, from: a.from, fromText: dayFirst(a.from) }
    case 'retry':
      return { ...s, retry: s.retry + 1 }
    case 'choose':
      return { ...s, chosen: a.slot, bookError: null }
    case 'manual':
      return { ...s, manual: { ...s.manual, ...a.change } }
    case 'manualTried':
      return { ...s, manualTried: true }
    case 'manualPast':
      return { ...s, manualPast: a.at }
    case 'manualClash':
      return { ...s, manualClash: { at: a.at, message: a.message } }
    case 'note':
      return { ...s, note: a.note }
    case 'booking':
      return { ...s, busy: true, bookError: null }
    case 'bookFailed':
      return { ...s, busy: false, bookError: a.error }
    case 'booked':
      return { ...s, busy: false }
    case 'back':
      // A time taken meanwhile: the free times are asked for again.
      return {
        ...s,
        chosen: null,
        bookError: null,
        retry: s.bookError?.code === 'conflict' ? s.retry + 1 : s.retry,
      }
  }
}
