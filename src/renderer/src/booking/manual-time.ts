/** A time typed by hand while the clinic system cannot offer free times: read and checked. */
import type { SlotView } from '../../../shared/contract'
import { localToInstant } from '../../../shared/instant'
import { parseDayFirst, parseTime } from '../patients/input'
import { ANY, type BookingState, type ManualEntry } from './booking-state'

export interface ManualReading {
  /** The location it is for: chosen, else the finder's, else the clinic's only one ('' if none). */
  location: string
  /** The typed date and time as a UTC instant, when they read as one. */
  start: string | null
  /** Why it cannot be checked yet, in words; null when it can. */
  problem: string | null
}

/** What the "passed" message is remembered for: the typed date and time. */
export const pastKey = (m: ManualEntry) => `${m.date} ${m.time}`
/** What a clash is remembered for: the typed date, time and practitioner. */
export const clashKey = (m: ManualEntry) => `${m.date} ${m.time} ${m.practitionerRef}`

export function readManualTime(
  s: Pick<BookingState, 'manual' | 'where' | 'manualPast' | 'manualClash'>,
  locations: { ref: string }[],
  today: string,
  zone: string,
): ManualReading {
  const { manual } = s
  const location =
    manual.locationRef || (s.where !== ANY ? s.where : locations.length === 1 ? locations[0]!.ref : '')
  const date = parseDayFirst(manual.date, today)
  const time = parseTime(manual.time)
  // A time the clocks skip is refused in words; in the repeated hour the first (e.g. BST) is read.
  const read = date.ok && time ? localToInstant(date.date, time, zone) : null
  const start = read?.ok ? read.instant : null
  const problem = !date.ok
    ? date.message
    : !manual.time.trim()
      ? 'Enter the time, e.g. 14:30.'
      : !start
        ? read && !read.ok
          ? read.message
          : 'That is not a time of day: type it as 14:30.'
        : !manual.practitionerRef
          ? 'Choose the practitioner.'
          : locations.length > 0 && !location
            ? 'Choose the location.'
            : s.manualPast === pastKey(manual)
              ? 'That time has passed.'
              : s.manualClash?.at === clashKey(manual)
                ? s.manualClash.message
                : null
  return { location, start, problem }
}

/** The end of an appointment of `minutes` starting at `start` (UTC ISO). */
export const endAfter = (start: string, minutes: number) =>
  new Date(Date.parse(start) + minutes * 60_000).toISOString()

/** The typed time as the slot the confirmation step books. */
export function manualSlot(
  connectionId: string,
  start: string,
  end: string,
  practitionerRef: string,
  appointmentTypeRef: string,
  location: string,
): SlotView {
  return {
    connectionId,
    start,
    end,
    practitionerRef,
    appointmentTypeRef,
    ...(location ? { locationRef: location } : {}),
  }
}
