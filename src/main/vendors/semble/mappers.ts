/**
 * Semble (Heydoc) shapes ↔ the canonical model, with the zod schemas that check Semble's answers.
 */
import { z } from 'zod'
import type {
  Appointment,
  AppointmentStatus,
  AppointmentType,
  Location,
  Patient,
  Practitioner,
} from '../../../shared/model'
import type { Logger } from '../../log/logger'
import {
  clientRefFromText,
  nhsNumberOrDrop,
  normaliseName,
  optional,
  phoneOrDrop,
  plainDate,
  stripMarker,
  toUtcIso,
} from '../normalise'

const str = z.string().nullish()

export const semblePatient = z.looseObject({
  id: z.string(),
  firstName: str,
  lastName: str,
  dob: str,
  email: str,
  phones: z.array(z.looseObject({ phoneType: str, phoneNumber: str }).nullable()).nullish(),
  address: z.looseObject({ postcode: str }).nullish(),
  numbers: z.array(z.looseObject({ id: str, name: str, value: str }).nullable()).nullish(),
  comments: str,
  updatedAt: str,
})
export type SemblePatient = z.infer<typeof semblePatient>

export const sembleUser = z.looseObject({
  id: z.string(),
  title: str,
  firstName: str,
  lastName: str,
  fullName: str,
  isDoctor: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  qualifications: str,
  /** The products (appointment types) this clinician provides ([C] objects/user). */
  servicesProvided: z.array(z.looseObject({ id: z.string() }).nullable()).nullish(),
})

export const sembleLocation = z.looseObject({
  id: z.string(),
  name: str,
  groupName: str,
  address: z.looseObject({ postcode: str }).nullish(),
})

export const sembleBookingType = z.looseObject({ id: z.string(), title: str, duration: z.number().nullish() })

/** A product; `isBookable` ones are appointment types. */
export const sembleProduct = z.looseObject({
  id: z.string(),
  name: str,
  isBookable: z.boolean().nullish(),
  duration: z.number().nullish(),
})

export const sembleJourney = z.looseObject({ arrived: str, consultation: str, departed: str, dna: str })

export const sembleBooking = z.looseObject({
  id: z.string(),
  deleted: z.boolean().nullish(),
  start: str,
  end: str,
  comments: str,
  patientId: str,
  // `doctor` needs the settingsSeeUsers permission: it may come back null with a field error.
  doctor: z.looseObject({ id: z.string() }).nullish(),
  location: z.looseObject({ id: str, name: str, groupName: str }).nullish(),
  appointment: z.looseObject({ id: str, title: str, duration: z.number().nullish() }).nullish(),
  bookingJourney: sembleJourney.nullish(),
  updatedAt: str,
})
export type SembleBooking = z.infer<typeof sembleBooking>

export const sembleAvailability = z.looseObject({
  start: z.string(),
  end: z.string(),
  doctor: z.looseObject({ id: z.string() }).nullish(),
})

export const payload = <T extends z.ZodType>(data: T) => z.looseObject({ data: data.nullish(), error: str })

export const page = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    data: z.array(item.nullable()).nullish(),
    pageInfo: z.looseObject({ hasMore: z.boolean().nullish() }).nullish(),
  })

export interface MapContext {
  connectionId: string
  timeZone: string
  log: Logger
  /** The practice location named `groupName` on a booking (its `name` is the room), if known. */
  siteRef?: (groupName: string) => string | undefined
}

export function toPatient(p: SemblePatient, ctx: MapContext): Patient {
  const where = { vendor: 'semble', patientRef: p.id }
  // NHS numbers are practice-defined PatientNumbers; Semble's seeded type is named "NHS Number".
  const nhs = p.numbers?.find((n) => n && /\bnhs\b/i.test(n.name ?? ''))?.value
  // The `phonesOrder` assumption: listed as added, so the last is the newest (an edit adds one).
  const phone = p.phones?.findLast((ph) => ph?.phoneNumber)?.phoneNumber
  const out: Patient = {
    ref: p.id,
    connectionId: ctx.connectionId,
    givenName: normaliseName(p.firstName),
    familyName: normaliseName(p.lastName),
    birthDate: plainDate(p.dob) ?? '',
  }
  const nhsNumber = nhsNumberOrDrop(nhs, ctx.log, where)
  if (nhsNumber) out.nhsNumber = nhsNumber
  const e164 = phoneOrDrop(phone, ctx.log, where)
  if (e164) out.phone = e164
  const email = optional(p.email)
  if (email) out.email = email
  const postcode = optional(p.address?.postcode)
  if (postcode) out.postcode = postcode.toUpperCase()
  if (p.updatedAt) out.updatedAt = toUtcIso(p.updatedAt, ctx.timeZone)
  return out
}

export function toPractitioner(u: z.infer<typeof sembleUser>, connectionId: string): Practitioner {
  const givenName = normaliseName(u.firstName)
  const familyName = normaliseName(u.lastName)
  return {
    ref: u.id,
    connectionId,
    name: normaliseName(u.fullName) || normaliseName(`${u.title ?? ''} ${givenName} ${familyName}`),
    givenName,
    familyName,
    // Semble has no job-title field: the qualifications text is what says what a clinician is.
    ...(u.qualifications?.trim() ? { role: u.qualifications.trim() } : {}),
  }
}

/** The types each clinician provides by `servicesProvided` (the `providerLink` assumption). */
export function servicesOf(u: z.infer<typeof sembleUser>): string[] {
  return (u.servicesProvided ?? []).filter((p) => p !== null).map((p) => p.id)
}

/** A practice location (`PracticeLocation.name`); its `groupName` groups several locations. */
export function toLocation(l: z.infer<typeof sembleLocation>, connectionId: string): Location {
  const out: Location = { ref: l.id, connectionId, name: normaliseName(l.name) || l.id }
  const postcode = optional(l.address?.postcode)
  if (postcode) out.postcode = postcode.toUpperCase()
  return out
}

export function toAppointmentType(
  t: z.infer<typeof sembleBookingType>,
  connectionId: string,
): AppointmentType {
  return { ref: t.id, connectionId, name: normaliseName(t.title) || t.id, lengthMinutes: t.duration ?? 0 }
}

/**
 * Semble booking → FHIR status, first match wins:
 *   deleted: true               → cancelled   (deleteBooking soft-deletes)
 *   bookingJourney.dna set      → noshow      (did not attend)
 *   bookingJourney.departed set → fulfilled
 *   bookingJourney.consultation → checked-in  (with the clinician)
 *   bookingJourney.arrived set  → arrived
 *   otherwise                   → booked
 */
export function sembleStatus(b: Pick<SembleBooking, 'deleted' | 'bookingJourney'>): {
  status: AppointmentStatus
  vendorStatus: string
} {
  const j = b.bookingJourney
  if (b.deleted) return { status: 'cancelled', vendorStatus: 'deleted' }
  if (j?.dna) return { status: 'noshow', vendorStatus: 'journey: dna' }
  if (j?.departed) return { status: 'fulfilled', vendorStatus: 'journey: departed' }
  if (j?.consultation) return { status: 'checked-in', vendorStatus: 'journey: consultation' }
  if (j?.arrived) return { status: 'arrived', vendorStatus: 'journey: arrived' }
  return { status: 'booked', vendorStatus: 'booked' }
}

export function toAppointment(b: SembleBooking, ctx: MapContext): Appointment {
  const { status, vendorStatus } = sembleStatus(b)
  const out: Appointment = { ref: b.id, connectionId: ctx.connectionId, status, vendorStatus }
  if (b.patientId) out.patientRef = b.patientId
  if (b.doctor?.id) out.practitionerRef = b.doctor.id
  if (b.appointment?.id) out.appointmentTypeRef = b.appointment.id
  // `location.id`/`name` are the room; the site is the practice location named by `groupName`.
  const site = b.location?.groupName ? ctx.siteRef?.(b.location.groupName) : undefined
  if (site) out.locationRef = site
  if (b.start) out.start = toUtcIso(b.start, ctx.timeZone)
  if (b.end) out.end = toUtcIso(b.end, ctx.timeZone)
  // Semble keeps when each journey stage was set: the arrival time, for the waiting room.
  if (status === 'arrived' && b.bookingJourney?.arrived)
    out.arrivedAt = toUtcIso(b.bookingJourney.arrived, ctx.timeZone)
  const clientRef = clientRefFromText(b.comments)
  if (clientRef) out.clientRef = clientRef
  const note = stripMarker(b.comments)
  if (note) out.note = note
  if (b.updatedAt) out.updatedAt = toUtcIso(b.updatedAt, ctx.timeZone)
  return out
}

/** Comments sent with a booking: the receptionist's note plus our marker, so the write can be found again. */
export function bookingComments(note: string | undefined, marker: string): string {
  return note?.trim() ? `${note.trim()}\n${marker}` : marker
}
