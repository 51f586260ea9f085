/** Free slots: availableSlotsForRange over the providers' working hours, less the times appointments hold. */
import { type ResolverMap } from '../../graphql/graphql-http'
import { slots } from '../../graphql/schedule'
import { conflicts, providerWorking } from './calendar'
import { type Args, bad, type HealthieContext, idOf, iso, parseDay, str, zoneOf } from './shared'

function availableSlotsForRange(_: unknown, args: Args, { state, clock }: HealthieContext) {
  const provider = state.users.get(String(args.provider_id))
  if (!provider || provider.kind !== 'provider') return []
  const zone = zoneOf(args.timezone, state)
  const typeId = idOf(args.appt_type_id)
  const type = typeId ? state.appointmentTypes.get(typeId) : undefined
  if (typeId && !type) throw bad('Appointment type not found')
  const length = type?.length ?? Number(args.length)
  if (!Number.isFinite(length) || length <= 0) throw bad('appt_type_id or length is required')
  const startDay = typeof args.start_date === 'string' ? parseDay(args.start_date, zone) : undefined
  const endDay = typeof args.end_date === 'string' ? parseDay(args.end_date, zone) : undefined
  if (!startDay || !endDay) throw bad('start_date and end_date are required')
  if (endDay < startDay) throw bad('end_date must not be before start_date')
  const apptLoc = idOf(args.appt_loc_id)
  if (apptLoc && provider.locationId !== apptLoc) return []
  const contactType = str(args.contact_type)
  if (type && contactType && !type.available_contact_types.includes(contactType)) return []
  const from = Math.max(startDay.toMillis(), clock.now().getTime())
  const to = endDay.plus({ days: 1 }).toMillis()
  const step = (state.options.slotIntervalMinutes ?? length) * 60_000
  const except = idOf(args.appointment_to_reschedule_id)
  return slots(providerWorking(state, provider, from, to), length * 60_000, step)
    .filter((s) => conflicts(state, provider.id, s, except).length === 0)
    .map((s) => ({
      user_id: provider.id,
      date: iso(s.start, zone),
      length,
      appointment_type: type ?? null,
      appointment_id: null,
      is_fully_booked: false,
      has_waitlist_enabled: false,
    }))
}

export function availabilityResolvers(): ResolverMap<HealthieContext> {
  return { Query: { availableSlotsForRange } }
}
