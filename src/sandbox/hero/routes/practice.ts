/** The practice itself: `/v1/me`, its locations and the appointment types it offers. */
import { json, type Route, type RouteHandler } from '../../core'
import { DAY_MS, type HeroContext } from './shared'

function appointmentTypes({ state, grid }: HeroContext): RouteHandler {
  return (req, _p, ctx) => {
    const now = ctx.clock.now()
    const ids = req.query
      .getAll('location_ids')
      .flatMap((v) => v.split(','))
      .filter(Boolean)
    const hasAvailability = req.query.get('has_availability') === 'true'
    const horizon = { from: now, to: new Date(now.getTime() + 14 * DAY_MS) }
    const data = state.appointmentTypes
      .filter(
        (t) =>
          ids.length === 0 ||
          state.practitioners.some((p) => p.typeIds.includes(t.id) && ids.includes(p.location_id)),
      )
      .map((t) => {
        const slots = grid
          .list(
            { ...horizon, appointmentTypeId: t.id, ...(ids.length === 1 ? { locationId: ids[0] } : {}) },
            now,
          )
          .filter((s) => ids.length === 0 || ids.includes(s.location_id))
        return { ...t, next_available_at: slots[0]?.start_time ?? null, slot_count: slots.length }
      })
      .filter((t) => !hasAvailability || t.slot_count > 0)
    return json(200, { data, count: data.length })
  }
}

export function practiceRoutes(sim: HeroContext): Route[] {
  const { state, clinic, zone } = sim
  return [
    {
      method: 'GET',
      pattern: '/v1/me',
      handler: () =>
        json(200, { id: state.practiceGroupId, name: clinic.name, time_zone: zone, ods_code: 'F84001' }),
    },
    {
      method: 'GET',
      pattern: '/v1/locations',
      handler: () => json(200, { data: state.locations, count: state.locations.length }),
    },
    { method: 'GET', pattern: '/v1/appointment_types', handler: appointmentTypes(sim) },
  ]
}
