/**
 * Hero Health REST shapes ↔ the canonical model, with the zod schemas that check Hero's answers.
 */
import { z } from 'zod'
import type { Appointment, AppointmentStatus, AppointmentType, Location, Slot } from '../../../shared/model'
import { normaliseName, optional, plusMinutes, toUtcIso } from '../normalise'

const str = z.string().nullish()
/** Hero ids are numeric strings (`^\d+$`); accept numbers too. */
const id = z.union([z.string(), z.number()]).transform(String)

export const list = <T extends z.ZodType>(item: T) =>
  z.looseObject({ data: z.array(item), count: z.number().nullish() })

export const heroLocation = z.looseObject({ id: id, name: str, postcode: str })
export const heroAppointmentType = z.looseObject({ id: id, name: str, duration: z.number().nullish() })
export const heroSlot = z.looseObject({
  id: id,
  practitioner_id: id.nullish(),
  appointment_type_id: id.nullish(),
  location_id: id.nullish(),
  start_time: z.string(),
  finish_time: str,
})
export const heroAppointment = z.looseObject({
  id: id,
  patient_id: id.nullish(),
  practitioner_id: id.nullish(),
  location_id: id.nullish(),
  appointment_type_id: id.nullish(),
  duration: z.number().nullish(),
  start_time: str,
  reserved_until: str,
  booking_confirmed_at: str,
  // Not in Hero's pages: read only where the connection's `cancelledRead` assumption names it.
  cancelled_at: str,
})
export type HeroAppointment = z.infer<typeof heroAppointment>

/** `{ patient_id }`, or `{ message, login_url }` when the patient must verify their identity first. */
export const pdsAnswer = z
  .looseObject({ patient_id: id.nullish(), login_url: str, message: str })
  .refine((a) => !!a.patient_id || !!a.login_url, 'neither patient_id nor login_url')

export interface MapContext {
  connectionId: string
  timeZone: string
  /** Whether a `cancelled_at` time marks a cancelled appointment (assumption `cancelledRead`). */
  cancelledAtField?: boolean
}

/**
 * Hero has no status field (hero-health.md §2.2); the status is read from the timestamps:
 *   cancelled (the cancel call succeeded, or as assumption `cancelledRead` says) → cancelled
 *   booking_confirmed_at set                                                  → booked
 *   reserved_until set, booking_confirmed_at null                              → pending (held, not yet booked)
 *   neither                                                                    → pending
 */
export function heroStatus(
  a: Pick<HeroAppointment, 'reserved_until' | 'booking_confirmed_at' | 'cancelled_at'>,
  cancelled = false,
  cancelledAtField = false,
): {
  status: AppointmentStatus
  vendorStatus: string
} {
  if (cancelled || (cancelledAtField && a.cancelled_at))
    return { status: 'cancelled', vendorStatus: 'cancelled' }
  if (a.booking_confirmed_at) return { status: 'booked', vendorStatus: 'confirmed' }
  if (a.reserved_until) return { status: 'pending', vendorStatus: 'reserved' }
  return { status: 'pending', vendorStatus: 'created' }
}

export function toAppointment(a: HeroAppointment, ctx: MapContext, cancelled = false): Appointment {
  const { status, vendorStatus } = heroStatus(a, cancelled, ctx.cancelledAtField)
  const out: Appointment = { ref: a.id, connectionId: ctx.connectionId, status, vendorStatus }
  if (a.patient_id) out.patientRef = a.patient_id
  if (a.practitioner_id) out.practitionerRef = a.practitioner_id
  if (a.appointment_type_id) out.appointmentTypeRef = a.appointment_type_id
  if (a.location_id) out.locationRef = a.location_id
  if (a.start_time) {
    out.start = toUtcIso(a.start_time, ctx.timeZone)
    if (a.duration) out.end = plusMinutes(out.start, a.duration)
  }
  return out
}

export function toSlot(s: z.infer<typeof heroSlot>, ctx: MapContext): Slot {
  const start = toUtcIso(s.start_time, ctx.timeZone)
  const out: Slot = {
    connectionId: ctx.connectionId,
    start,
    end: s.finish_time ? toUtcIso(s.finish_time, ctx.timeZone) : start,
    token: s.id,
  }
  if (s.practitioner_id) out.practitionerRef = s.practitioner_id
  if (s.appointment_type_id) out.appointmentTypeRef = s.appointment_type_id
  if (s.location_id) out.locationRef = s.location_id
  return out
}

export function toLocation(l: z.infer<typeof heroLocation>, connectionId: string): Location {
  const out: Location = { ref: l.id, connectionId, name: normaliseName(l.name) || l.id }
  const postcode = optional(l.postcode)
  if (postcode) out.postcode = postcode.toUpperCase()
  return out
}

export function toAppointmentType(
  t: z.infer<typeof heroAppointmentType>,
  connectionId: string,
): AppointmentType {
  return { ref: t.id, connectionId, name: normaliseName(t.name) || t.id, lengthMinutes: t.duration ?? 0 }
}
