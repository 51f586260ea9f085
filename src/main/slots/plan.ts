/**
 * Which vendor requests fetch a connection's free slots for a range, at the fewest calls each
 * vendor allows:
 * - Semble: `availabilities` takes one location, at most one doctor and 168 hours, and its free
 *   times do not depend on the type: one request per location and week for every type at once
 *   (cut to a type's length when read, `appointment_type_ref` '').
 * - Healthie: `availableSlotsForRange` needs one provider and one type, and recommends a day at
 *   most per request: one request per type, provider of that type and day.
 * - Hero: `/v1/slots` takes a whole range and pages: one paged request per type.
 * - Heim: `/v1/availability` answers a task's windows for a range of days: one request per task.
 */
import { DateTime } from 'luxon'
import type { Vendor } from '../../shared/model'
import type { SlotScope } from '../store/slot-cache-repo'
import { localDays, splitRange } from '../vendors/normalise'
import type { SlotQuery } from '../vendors/types'

const SEMBLE_MAX_HOURS = 168

/** Vendors whose free times are the same whatever the type (read per type by cutting). */
export const typeAgnostic = (vendor: Vendor): boolean => vendor === 'semble'

/**
 * Who provides a type by the vendor's own link (Semble `servicesProvided`, Healthie
 * `appointment_types`): the practitioners whose list names it, and those whose vendor gave no list.
 * Undefined where no practitioner has a list (the vendor has no link, or it is not set up):
 * everyone, as before.
 */
export function providersOf(
  practitioners: { ref: string; typeRefs: string[] | null }[],
  appointmentTypeRef: string,
): string[] | undefined {
  if (!practitioners.some((p) => p.typeRefs)) return undefined
  return practitioners.filter((p) => !p.typeRefs || p.typeRefs.includes(appointmentTypeRef)).map((p) => p.ref)
}

export interface SlotUnit {
  scope: SlotScope
  query: SlotQuery
}

export interface PlanInput {
  vendor: Vendor
  connectionId: string
  timeZone: string
  /** UTC ISO instants, [from, to). */
  from: string
  to: string
  /** The types to plan for; one type for a finder's range, every type for the background fill. */
  appointmentTypeRefs: string[]
  locationRefs: string[]
  /** Who provides a type (the vendor's own link, or every practitioner when unknown). */
  providersOf: (appointmentTypeRef: string) => string[]
  practitionerRef?: string
  locationRef?: string
  /** Where the patient is: Heim's windows depend on the area. */
  postcode?: string
}

export function planSlotRequests(p: PlanInput): SlotUnit[] {
  const scope = (
    typeRef: string,
    practitionerRef: string,
    locationRef: string,
    from: string,
    to: string,
  ) => ({
    connectionId: p.connectionId,
    appointmentTypeRef: typeRef,
    practitionerRef,
    locationRef,
    from,
    to,
  })
  const units: SlotUnit[] = []
  const practitioner = p.practitionerRef ?? ''
  const location = p.locationRef ?? ''
  switch (p.vendor) {
    case 'semble': {
      const locations = p.locationRef ? [p.locationRef] : p.locationRefs
      for (const range of splitRange(p.from, p.to, SEMBLE_MAX_HOURS)) {
        for (const loc of locations) {
          units.push({
            scope: scope('', practitioner, loc, range.start, range.end),
            query: {
              from: range.start,
              to: range.end,
              locationRef: loc,
              ...(p.practitionerRef ? { practitionerRef: p.practitionerRef } : {}),
            },
          })
        }
      }
      break
    }
    case 'healthie': {
      const days = localDays(p.from, p.to, p.timeZone)
      for (const day of days) {
        const start = DateTime.fromISO(day, { zone: p.timeZone }).startOf('day')
        const from = maxIso(start.toUTC().toISO()!, p.from)
        const to = minIso(start.plus({ days: 1 }).toUTC().toISO()!, p.to)
        if (from >= to) continue
        for (const typeRef of p.appointmentTypeRefs) {
          const providers = p.practitionerRef ? [p.practitionerRef] : p.providersOf(typeRef)
          for (const provider of providers) {
            units.push({
              scope: scope(typeRef, provider, location, from, to),
              query: {
                from,
                to,
                appointmentTypeRef: typeRef,
                practitionerRef: provider,
                ...(p.locationRef ? { locationRef: p.locationRef } : {}),
              },
            })
          }
        }
      }
      break
    }
    case 'hero':
    case 'heim': {
      for (const typeRef of p.appointmentTypeRefs) {
        units.push({
          scope: scope(typeRef, practitioner, location, p.from, p.to),
          query: {
            from: p.from,
            to: p.to,
            appointmentTypeRef: typeRef,
            ...(p.practitionerRef ? { practitionerRef: p.practitionerRef } : {}),
            ...(p.locationRef ? { locationRef: p.locationRef } : {}),
            ...(p.vendor === 'heim' && p.postcode ? { postcode: p.postcode } : {}),
          },
        })
      }
      break
    }
  }
  // Soonest first: today and tomorrow are what the desk books most.
  return units.sort((a, b) => a.scope.from.localeCompare(b.scope.from))
}

const maxIso = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b)
const minIso = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b)
