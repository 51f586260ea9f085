/** The confirmation step's words and the booking it sends, from the chosen slot. */
import type { AppointmentView, MethodInput, SlotView } from '../../../shared/contract'
import type { AppError } from '../../../shared/result'
import { formatTime, todayIn } from '../lib/format'
import { ANY, type BookError } from './booking-state'

export interface PatientClashes {
  /** The patient's other appointments on the chosen slot's day in the clinic's zone. */
  sameDay: AppointmentView[]
  /** Those of them that overlap the chosen slot. */
  overlapping: AppointmentView[]
}

/** The patient's appointments that day and at that time; `replacing` (cancel and rebook) is none. */
export function patientClashes(
  appointments: AppointmentView[],
  chosen: { start: string; end: string },
  zone: string,
  replacing?: string,
): PatientClashes {
  const day = todayIn(zone, new Date(chosen.start))
  const sameDay = appointments.filter(
    (a) =>
      (replacing === undefined || a.id !== replacing) &&
      a.start &&
      a.status !== 'cancelled' &&
      todayIn(zone, new Date(a.start)) === day,
  )
  const overlapping = sameDay.filter(
    (a) =>
      Date.parse(a.start!) < Date.parse(chosen.end) &&
      Date.parse(a.end ?? a.start!) > Date.parse(chosen.start),
  )
  return { sameDay, overlapping }
}

/** The line about the patient's other appointments; an overlap is said as an alert. */
export function clashLine(
  givenName: string,
  { sameDay, overlapping }: PatientClashes,
  zone: string,
): { kind: 'overlap' | 'same-day' | 'none'; text: string } {
  const times = (list: AppointmentView[]) => list.map((a) => formatTime(a.start!, zone)).join(', ')
  if (overlapping.length > 0)
    return {
      kind: 'overlap',
      text: `${givenName} already has an appointment at this time (${times(overlapping)}).`,
    }
  if (sameDay.length > 0) {
    const count = sameDay.length === 1 ? 'an appointment' : `${sameDay.length} appointments`
    return { kind: 'same-day', text: `${givenName} already has ${count} that day, at ${times(sameDay)}.` }
  }
  return { kind: 'none', text: `No other appointments for ${givenName} that day.` }
}

/** Booking now is the person's acknowledgement of an overlap shown, or one Frontdesk said on the first try. */
export const isSecondBooking = (clashes: PatientClashes, bookError: BookError | null) =>
  clashes.overlapping.length > 0 || bookError?.code === 'needs-confirmation'

export function bookLabel(busy: boolean, rebook: boolean, secondBooking: boolean): string {
  if (busy) return 'Booking…'
  if (rebook) return 'Book this and cancel the old one'
  return secondBooking ? 'Book a second appointment' : 'Book this appointment'
}

/** Who the appointment is with, in words. */
export const withWhom = (slot: SlotView, nameOf: (ref?: string) => string | undefined) =>
  slot.practitionerName ?? nameOf(slot.practitionerRef) ?? 'Whoever the clinic system assigns'

/** The booking for `appointments.book` / `.rebook`; the finder's location when the slot names none. */
export function bookingInput(
  chosen: SlotView,
  appointmentTypeRef: string,
  where: string,
  note: string,
  confirmOverlap: boolean,
): MethodInput<'appointments.rebook'>['booking'] {
  const location = chosen.locationRef ?? (where !== ANY ? where : undefined)
  return {
    appointmentTypeRef,
    start: chosen.start,
    end: chosen.end,
    ...(chosen.practitionerRef ? { practitionerRef: chosen.practitionerRef } : {}),
    ...(location ? { locationRef: location } : {}),
    ...(chosen.token ? { slotToken: chosen.token } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
    ...(confirmOverlap ? { confirmOverlap: true } : {}),
  }
}

/** A refused booking as shown: a time taken meanwhile says so first. */
export const bookErrorOf = (e: Pick<AppError, 'code' | 'message'>): BookError => ({
  code: e.code,
  message: e.code === 'conflict' ? `That time is no longer free. ${e.message}` : e.message,
})
