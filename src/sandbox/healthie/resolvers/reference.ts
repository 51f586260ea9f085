/** The organisation's reference data: appointment types, appointment locations, contact types and settings. */
import { type ResolverMap } from '../../graphql/graphql-http'
import { CONTACT_TYPES, type HealthieAppointmentType } from '../state'
import { type Args, bad, type HealthieContext, idOf, listAnswer, str } from './shared'

function appointmentTypes(_: unknown, args: Args, ctx: HealthieContext) {
  const { state } = ctx
  const ids = Array.isArray(args.appointment_type_ids)
    ? new Set(args.appointment_type_ids.map(String))
    : undefined
  const providerIds = [
    idOf(args.provider_id),
    ...(Array.isArray(args.provider_ids) ? args.provider_ids.map(String) : []),
  ]
  const roles = providerIds
    .filter((p): p is string => p !== undefined)
    .map((p) => state.users.get(p)?.role)
    .filter((r) => r !== undefined)
  const keywords = str(args.keywords)?.toLowerCase()
  let types = [...state.appointmentTypes.values()].filter(
    (t) =>
      (args.with_deleted_appt_types === true || t.deleted_at === null) &&
      (!ids || ids.has(t.id)) &&
      (typeof args.clients_can_book !== 'boolean' || t.clients_can_book === args.clients_can_book) &&
      (!keywords || t.name.toLowerCase().includes(keywords)) &&
      (roles.length === 0 || roles.some((r) => r !== null && t.roles.includes(r))),
  )
  types = types.sort((a, b) => a.position - b.position)
  if (args.order_by === 'POSITION_DESC') types.reverse()
  return listAnswer(types, args, ctx)
}

function appointmentLocations(_: unknown, args: Args, ctx: HealthieContext) {
  const { state } = ctx
  const ids = Array.isArray(args.ids) ? new Set(args.ids.map(String)) : undefined
  const keywords = str(args.keywords)?.toLowerCase()
  const provider = idOf(args.provider_id)
  const providerLocation = provider ? state.users.get(provider)?.locationId : undefined
  const locations = [...state.locations.values()].filter(
    (l) =>
      (!ids || ids.has(l.id)) &&
      (!keywords || l.location.toLowerCase().includes(keywords)) &&
      (!provider || l.id === providerLocation),
  )
  return listAnswer(locations, args, ctx)
}

export function referenceResolvers(): ResolverMap<HealthieContext> {
  return {
    Query: {
      appointmentSetting: (_, args: Args, { state }) => {
        // The guide: "id | Either this or provider_id is required."
        if (!args.id && !args.provider_id) throw bad('appointmentSetting needs an id or a provider_id')
        return {
          id: 'appointment-setting-1',
          enable_checked_in_status: state.options.checkInEnabled,
          enable_late_cancellation_status: state.options.lateCancellationEnabled,
          pm_statuses: state.allowedStatuses(),
        }
      },
      appointmentType: (_, args: Args, { state }) => state.appointmentTypes.get(String(args.id)) ?? null,
      appointmentTypes,
      appointmentLocations,
      contactTypes: () => [...CONTACT_TYPES],
    },
    AppointmentType: {
      user_id: (t: HealthieAppointmentType) => t.user_id,
    },
  }
}
