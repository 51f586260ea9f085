/**
 * Healthie shapes (API version 2026-01-01) ↔ the canonical model, with the zod schemas that check
 * Healthie's answers.
 */
import { DateTime } from 'luxon'
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
  nhsNumberOrDrop,
  normaliseName,
  optional,
  phoneOrDrop,
  plainDate,
  plusMinutes,
  TimeError,
  toUtcIso,
} from '../normalise'

const str = z.string().nullish()
const id = z.union([z.string(), z.number()]).transform(String)

export const healthieUser = z.looseObject({
  id: id,
  first_name: str,
  last_name: str,
  dob: str,
  email: str,
  phone_number: str,
  record_identifier: str,
  /** "The address of this user" (User.location). */
  location: z.looseObject({ id: id.nullish(), line1: str, city: str, zip: str }).nullish(),
  metadata: z.unknown().optional(),
  updated_at: str,
})
export type HealthieUser = z.infer<typeof healthieUser>

export const healthieMember = z.looseObject({
  id: id,
  first_name: str,
  last_name: str,
  full_name: str,
  qualifications: str,
  /** "All available appointment types for the provider" (User.appointment_types). */
  appointment_types: z.array(z.looseObject({ id: id }).nullable()).nullish(),
})
export const healthieType = z.looseObject({
  id: id,
  name: str,
  length: z.number().nullish(),
  available_contact_types: z.array(z.string().nullable()).nullish(),
})
export const healthieLocation = z.looseObject({ id: id, location: str })

export const healthieSlot = z.looseObject({
  date: z.string(),
  length: z.number().nullish(),
  user_id: id.nullish(),
  is_fully_booked: z.boolean().nullish(),
  appointment_type: z.looseObject({ id: id }).nullish(),
})

export const healthieAppointment = z.looseObject({
  id: id,
  date: str,
  start: str,
  end: str,
  length: z.number().nullish(),
  pm_status: str,
  appointment_type_id: id.nullish(),
  appointment_type: z.looseObject({ id: id }).nullish(),
  appointment_location_id: id.nullish(),
  other_party_id: id.nullish(),
  user_id: id.nullish(),
  provider: z.looseObject({ id: id }).nullish(),
  user: z.looseObject({ id: id }).nullish(),
  notes: str,
  metadata: z.unknown().optional(),
  deleted_at: str,
  updated_at: str,
})
export type HealthieAppointment = z.infer<typeof healthieAppointment>

export const fieldErrors = z.array(z.looseObject({ field: str, message: z.string() })).nullish()

export const connection = <T extends z.ZodType>(node: T) =>
  z.looseObject({
    nodes: z.array(node.nullable()).nullish(),
    page_info: z.looseObject({ has_next_page: z.boolean().nullish(), end_cursor: str }).nullish(),
  })

export interface MapContext {
  connectionId: string
  timeZone: string
  log: Logger
}

/**
 * Healthie `metadata` is "a serialized JSON string" on input; reads have shown both a string and an
 * object ([I]). Either way, our client reference sits under `frontdeskRef`.
 */
export function frontdeskRefFrom(metadata: unknown, log?: Logger): string | undefined {
  let value = metadata
  if (typeof metadata === 'string') {
    if (!metadata.trim()) return undefined
    try {
      value = JSON.parse(metadata) as unknown
    } catch {
      log?.debug('healthie metadata is not JSON', { length: metadata.length })
      return undefined
    }
  }
  if (value && typeof value === 'object' && 'frontdeskRef' in value) {
    const ref = (value as { frontdeskRef?: unknown }).frontdeskRef
    return typeof ref === 'string' ? ref : undefined
  }
  return undefined
}

export const metadataWith = (clientRef: string) => JSON.stringify({ frontdeskRef: clientRef })

export function toPatient(u: HealthieUser, ctx: MapContext): Patient {
  const where = { vendor: 'healthie', patientRef: u.id }
  const out: Patient = {
    ref: u.id,
    connectionId: ctx.connectionId,
    givenName: normaliseName(u.first_name),
    familyName: normaliseName(u.last_name),
    birthDate: plainDate(u.dob) ?? '',
  }
  // Healthie has no NHS number field; UK clinics keep it in `record_identifier` ([I]). Anything
  // else there (a US record number) is not an NHS number and is dropped from that field.
  const nhs = nhsNumberOrDrop(u.record_identifier, ctx.log, where)
  if (nhs) out.nhsNumber = nhs
  const phone = phoneOrDrop(u.phone_number, ctx.log, where)
  if (phone) out.phone = phone
  const email = optional(u.email)
  if (email) out.email = email
  const postcode = optional(u.location?.zip)
  if (postcode) out.postcode = postcode.toUpperCase()
  if (u.updated_at) out.updatedAt = toUtcIso(u.updated_at, ctx.timeZone)
  return out
}

export function toPractitioner(m: z.infer<typeof healthieMember>, connectionId: string): Practitioner {
  const givenName = normaliseName(m.first_name)
  const familyName = normaliseName(m.last_name)
  return {
    ref: m.id,
    connectionId,
    name: normaliseName(m.full_name) || normaliseName(`${givenName} ${familyName}`),
    givenName,
    familyName,
    ...(m.qualifications?.trim() ? { role: m.qualifications.trim() } : {}),
  }
}

/** The types a provider offers by `appointment_types` (the `providerLink` assumption). */
export function typesOf(m: z.infer<typeof healthieMember>): string[] {
  return (m.appointment_types ?? []).filter((t) => t !== null).map((t) => t.id)
}

export function toAppointmentType(t: z.infer<typeof healthieType>, connectionId: string): AppointmentType {
  return { ref: t.id, connectionId, name: normaliseName(t.name) || t.id, lengthMinutes: t.length ?? 0 }
}

export function toLocation(l: z.infer<typeof healthieLocation>, connectionId: string): Location {
  return { ref: l.id, connectionId, name: normaliseName(l.location) || l.id }
}

/**
 * Healthie `pm_status` → FHIR status:
 *   null / ""                                   → booked   (new appointments have no status)
 *   "Checked-In"                                → arrived  (only when the org has it enabled)
 *   "Occurred"                                  → fulfilled
 *   "No-Show"                                   → noshow
 *   "Cancelled" / "Late Cancellation"           → cancelled
 *   "Re-Scheduled"                              → cancelled (Healthie books the new time separately)
 *   deleted_at set (deleteAppointment by staff) → cancelled, whatever pm_status says
 *   anything else                               → booked, and logged
 */
export function healthieStatus(
  pmStatus: string | null | undefined,
  deletedAt?: string | null,
  log?: Logger,
): { status: AppointmentStatus; vendorStatus: string } {
  if (deletedAt) return { status: 'cancelled', vendorStatus: 'deleted' }
  const s = (pmStatus ?? '').trim()
  switch (s) {
    case '':
      return { status: 'booked', vendorStatus: 'no status' }
    case 'Checked-In':
      return { status: 'arrived', vendorStatus: s }
    case 'Occurred':
      return { status: 'fulfilled', vendorStatus: s }
    case 'No-Show':
      return { status: 'noshow', vendorStatus: s }
    case 'Cancelled':
    case 'Late Cancellation':
    case 'Re-Scheduled':
      return { status: 'cancelled', vendorStatus: s }
    default:
      log?.warn('healthie pm_status not recognised; shown as booked', { pmStatus: s })
      return { status: 'booked', vendorStatus: s }
  }
}

/**
 * A Healthie date-time as UTC ISO. Newer versions send ISO 8601 (`2026-03-30T09:00:00+01:00`); older
 * pages show `2021-10-10 10:00:00 EDT -04:00`, the appointments guide's object shows
 * `2020-05-08 21:00:00 UTC`, and appointment `start`/`end` come as `2026-03-30 09:00:00 +0100`. A
 * numeric offset decides, then a zone word that is itself an offset (UTC, GMT); a local abbreviation
 * alone (EDT) does not say which zone's rules apply, so that text, like text with nothing after it,
 * is clinic time.
 */
export function healthieInstant(value: string, zone: string): string {
  const text = value.trim()
  const spaced =
    /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?)(?: ([A-Z]{2,5}))? ?([+-]\d{2}:?\d{2}|Z)?$/.exec(text)
  if (spaced) {
    const [, d, t, word, off] = spaced
    const time = t!.length === 5 ? `${t}:00` : t
    const offset = off
      ? off === 'Z' || off.includes(':')
        ? off
        : `${off.slice(0, 3)}:${off.slice(3)}`
      : word === 'UTC' || word === 'GMT'
        ? 'Z'
        : undefined
    // Clinic time goes through the one rule for wall time (the earlier reading in a repeated hour).
    if (!offset) return toUtcIso(`${d}T${time}`, zone)
    const dt = DateTime.fromISO(`${d}T${time}${offset}`, { setZone: true })
    if (!dt.isValid) throw new TimeError(`not a Healthie date-time: ${JSON.stringify(value)}`)
    return dt.toUTC().toISO()!
  }
  return toUtcIso(text, zone)
}

export function toAppointment(a: HealthieAppointment, ctx: MapContext): Appointment {
  const { status, vendorStatus } = healthieStatus(a.pm_status, a.deleted_at, ctx.log)
  const out: Appointment = { ref: a.id, connectionId: ctx.connectionId, status, vendorStatus }
  const patient = a.user?.id ?? a.user_id
  if (patient) out.patientRef = patient
  const provider = a.provider?.id ?? a.other_party_id
  if (provider) out.practitionerRef = provider
  const type = a.appointment_type?.id ?? a.appointment_type_id
  if (type) out.appointmentTypeRef = type
  if (a.appointment_location_id) out.locationRef = a.appointment_location_id
  const startText = a.date ?? a.start
  if (startText) {
    out.start = healthieInstant(startText, ctx.timeZone)
    if (a.length) out.end = plusMinutes(out.start, a.length)
    else if (a.end) out.end = healthieInstant(a.end, ctx.timeZone)
  }
  const clientRef = frontdeskRefFrom(a.metadata, ctx.log)
  if (clientRef) out.clientRef = clientRef
  const note = optional(a.notes)
  if (note) out.note = note
  if (a.updated_at) out.updatedAt = toUtcIso(a.updated_at, ctx.timeZone)
  return out
}
