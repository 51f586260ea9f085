/**
 * Heim (home visits) REST shapes ↔ the canonical model, with the zod schemas that check Heim's answers.
 */
import { z } from 'zod'
import type { Appointment, AppointmentStatus, AppointmentType, Patient, Slot } from '../../../shared/model'
import type { Logger } from '../../log/logger'
import { nhsNumberOrDrop, normaliseName, optional, phoneOrDrop, plainDate, toUtcIso } from '../normalise'

const str = z.string().nullish()

export const heimAddress = z.looseObject({ line1: str, line2: str, city: str, postcode: str, country: str })

export const heimPatient = z.looseObject({
  id: z.string(),
  firstName: str,
  lastName: str,
  dateOfBirth: str,
  phone: str,
  email: str,
  nhsNumber: str,
  externalReference: str,
  address: z.array(heimAddress).nullish(),
  updatedAt: str,
})
export type HeimPatient = z.infer<typeof heimPatient>

export const heimTask = z.looseObject({ id: z.string(), name: str, durationMinutes: z.number().nullish() })
export const heimWindow = z.looseObject({ id: z.string(), taskId: str, start: z.string(), end: z.string() })

export const heimAppointment = z.looseObject({
  id: z.string(),
  status: z.string(),
  patientId: str,
  patient: z.looseObject({ id: str }).nullish(),
  taskId: str,
  windowId: str,
  window: z.looseObject({ start: z.string(), end: z.string() }).nullish(),
  start: str,
  externalReference: str,
  note: str,
  estimatedTimeOfArrival: str,
  cancellation: z.looseObject({ reasonCode: str, note: str }).nullish(),
  updatedAt: str,
})
export type HeimAppointment = z.infer<typeof heimAppointment>

/** Heim lists: `{ data, hasMore, nextCursor }` (paging is [U]; a bare `{ data }` is read too). */
export const page = <T extends z.ZodType>(item: T) =>
  z.looseObject({ data: z.array(item), hasMore: z.boolean().nullish(), nextCursor: str })

export interface MapContext {
  connectionId: string
  timeZone: string
  log: Logger
}

export const NO_SHOW_REASON = 'patient_not_present'

/**
 * Heim status → FHIR status:
 *   scheduling                                  → proposed  (patient-led: no time chosen yet)
 *   scheduled                                   → booked
 *   completed                                   → fulfilled (the practitioner closes the visit)
 *   cancelled, reasonCode patient_not_present   → noshow
 *   cancelled, any other reason                 → cancelled
 *   anything else                               → booked, and logged
 */
export function heimStatus(
  a: Pick<HeimAppointment, 'status' | 'cancellation'>,
  log?: Logger,
): { status: AppointmentStatus; vendorStatus: string } {
  switch (a.status) {
    case 'scheduling':
      return { status: 'proposed', vendorStatus: a.status }
    case 'scheduled':
      return { status: 'booked', vendorStatus: a.status }
    case 'completed':
      return { status: 'fulfilled', vendorStatus: a.status }
    case 'cancelled':
      return a.cancellation?.reasonCode === NO_SHOW_REASON
        ? { status: 'noshow', vendorStatus: `cancelled: ${NO_SHOW_REASON}` }
        : {
            status: 'cancelled',
            vendorStatus: a.cancellation?.reasonCode
              ? `cancelled: ${a.cancellation.reasonCode}`
              : 'cancelled',
          }
    default:
      log?.warn('heim status not recognised; shown as booked', { status: a.status })
      return { status: 'booked', vendorStatus: a.status }
  }
}

export function toPatient(p: HeimPatient, ctx: MapContext): Patient {
  const where = { vendor: 'heim', patientRef: p.id }
  const out: Patient = {
    ref: p.id,
    connectionId: ctx.connectionId,
    givenName: normaliseName(p.firstName),
    familyName: normaliseName(p.lastName),
    birthDate: plainDate(p.dateOfBirth) ?? '',
  }
  const nhs = nhsNumberOrDrop(p.nhsNumber, ctx.log, where)
  if (nhs) out.nhsNumber = nhs
  const phone = phoneOrDrop(p.phone, ctx.log, where)
  if (phone) out.phone = phone
  const email = optional(p.email)
  if (email) out.email = email
  const postcode = optional(p.address?.[0]?.postcode)
  if (postcode) out.postcode = postcode.toUpperCase()
  if (p.updatedAt) out.updatedAt = toUtcIso(p.updatedAt, ctx.timeZone)
  return out
}

export function toAppointmentType(t: z.infer<typeof heimTask>, connectionId: string): AppointmentType {
  return {
    ref: t.id,
    connectionId,
    name: normaliseName(t.name) || t.id,
    lengthMinutes: t.durationMinutes ?? 0,
  }
}

export function toSlot(w: z.infer<typeof heimWindow>, ctx: MapContext): Slot {
  const out: Slot = {
    connectionId: ctx.connectionId,
    start: toUtcIso(w.start, ctx.timeZone),
    end: toUtcIso(w.end, ctx.timeZone),
    token: w.id,
  }
  if (w.taskId) out.appointmentTypeRef = w.taskId
  return out
}

/** A visit's time is its window (the practitioner arrives within it); none while `scheduling`. */
export function toAppointment(a: HeimAppointment, ctx: MapContext): Appointment {
  const { status, vendorStatus } = heimStatus(a, ctx.log)
  const out: Appointment = { ref: a.id, connectionId: ctx.connectionId, status, vendorStatus }
  const patient = a.patientId ?? a.patient?.id
  if (patient) out.patientRef = patient
  if (a.taskId) out.appointmentTypeRef = a.taskId
  const start = a.window?.start ?? a.start
  if (start) out.start = toUtcIso(start, ctx.timeZone)
  if (a.window?.end) out.end = toUtcIso(a.window.end, ctx.timeZone)
  if (a.externalReference) out.clientRef = a.externalReference
  const note = optional(a.note)
  if (note) out.note = note
  if (a.updatedAt) out.updatedAt = toUtcIso(a.updatedAt, ctx.timeZone)
  return out
}
