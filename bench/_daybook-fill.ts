/**
 * The day book bench's clinic (bench/daybook.ts): practitioners, types and locations, patients, and
 * packed days of appointments, written straight into Frontdesk's copy.
 */
import { DateTime } from 'luxon'
import { upsertPatients } from '../src/main/search'
import { mulberry32, seedClinic } from '../src/sandbox/seed'
import type { Appointment, AppointmentStatus, Practitioner } from '../src/shared/model'
import { asCachedPatients, type benchRuntime } from './_support'

/** The day's bookings run from 07:00 to 21:00 local time. */
const DAY_START_MIN = 7 * 60
const DAY_MINUTES = 14 * 60

export interface DayFill {
  practitioners: number
  appointments: number
  patients: number
  connectionId: string
  zone: string
  /** A weekday, outside the clock changes. */
  date: string
  /** Further weekdays packed the same way (a day switch between two packed days). */
  moreDates?: string[]
}

/** Fills the copy; returns common surname prefixes, most frequent first, for the Patients screen. */
export function fillDay(rt: Awaited<ReturnType<typeof benchRuntime>>['rt'], f: DayFill): string[] {
  const { connectionId: CONNECTION, zone: ZONE, date: DATE } = f
  const PRACTITIONERS = f.practitioners
  const APPOINTMENTS = f.appointments
  const PATIENTS = f.patients

  const clinic = seedClinic({
    patients: PATIENTS,
    seed: 2026,
    timeZone: ZONE,
    today: new Date(`${DATE}T09:00:00Z`),
  })
  const rng = mulberry32(6)
  const practitioners: Practitioner[] = Array.from({ length: PRACTITIONERS }, (_, i) => {
    const p = clinic.patients[(i * 97) % clinic.patients.length]!
    return { ref: `prac-${i + 1}`, connectionId: CONNECTION, name: `Dr ${p.givenName} ${p.familyName}` }
  })
  const types = clinic.appointmentTypes.map((t) => ({
    ref: t.key,
    connectionId: CONNECTION,
    name: t.name,
    lengthMinutes: t.lengthMinutes,
  }))
  const locations = clinic.locations.map((l) => ({
    ref: l.key,
    connectionId: CONNECTION,
    name: l.name,
    postcode: l.address.postcode,
  }))
  rt.cache.replaceReference(CONNECTION, practitioners, types, locations)

  const patients = asCachedPatients(clinic.patients, CONNECTION)
  const ids = upsertPatients(rt.db, patients, new Date().toISOString())

  const statuses: AppointmentStatus[] = [
    'booked',
    'booked',
    'booked',
    'booked',
    'arrived',
    'fulfilled',
    'cancelled',
  ]
  const perLane = Math.ceil(APPOINTMENTS / PRACTITIONERS)
  rt.db.transaction(() => {
    for (const [d, date] of [DATE, ...(f.moreDates ?? [])].entries()) {
      const midnight = DateTime.fromISO(date, { zone: ZONE }).startOf('day')
      if (midnight.weekday > 5) throw new Error(`${date} is not a weekday`)
      for (let i = 0; i < APPOINTMENTS; i++) {
        const lane = i % PRACTITIONERS
        const row = Math.floor(i / PRACTITIONERS)
        // Evenly through the day, on five-minute marks, so neighbours overlap (a packed book).
        const startMin = DAY_START_MIN + Math.round((row * DAY_MINUTES) / perLane / 5) * 5
        const type = types[Math.floor(rng() * types.length)]!
        const start = midnight.plus({ minutes: startMin })
        const n = Math.floor(rng() * patients.length)
        const a: Appointment = {
          ref: d ? `appt-${d}-${i + 1}` : `appt-${i + 1}`,
          connectionId: CONNECTION,
          patientRef: patients[n]!.ref!,
          practitionerRef: practitioners[lane]!.ref,
          appointmentTypeRef: type.ref,
          start: start.toUTC().toISO()!,
          end: start.plus({ minutes: type.lengthMinutes }).toUTC().toISO()!,
          status: statuses[Math.floor(rng() * statuses.length)]!,
        }
        rt.cache.putAppointment(d ? `bench-appt-${d}-${i + 1}` : `bench-appt-${i + 1}`, a, ids[n]!)
      }
    }
  })()
  // Common surname prefixes, most frequent first, for the Patients screen.
  const counts = new Map<string, number>()
  for (const p of clinic.patients) {
    const w = p.familyName
      .toLowerCase()
      .replace(/[^a-z]/g, '')
      .slice(0, 4)
    if (w.length === 4) counts.set(w, (counts.get(w) ?? 0) + 1)
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([w]) => w)
}
