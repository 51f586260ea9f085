/** Free slots: the list, its count and one slot by id. */
import { json, type Route, type SimRequest, type SimResponse } from '../../core'
import { type SlotQuery } from '../slots'
import { DAY_MS, err, type HeroContext, isResponse, page, paging, parseRangeBound } from './shared'

function slotQuery(sim: HeroContext, req: SimRequest, now: Date): SlotQuery | SimResponse {
  const from = parseRangeBound(req.query.get('start_date'), sim.zone, false)
  const to = parseRangeBound(req.query.get('end_date'), sim.zone, true)
  if (from === 'invalid') return err(400, 'start_date must be a date (YYYY-MM-DD) or an ISO 8601 date-time')
  if (to === 'invalid') return err(400, 'end_date must be a date (YYYY-MM-DD) or an ISO 8601 date-time')
  const start = from ?? now
  const q: SlotQuery = { from: start, to: to ?? new Date(start.getTime() + 14 * DAY_MS) }
  const t = req.query.get('appointment_type_id')
  const l = req.query.get('location_id')
  const p = req.query.get('practitioner_id')
  if (t) q.appointmentTypeId = t
  if (l) q.locationId = l
  if (p) q.practitionerId = p
  return q
}

export function slotRoutes(sim: HeroContext): Route[] {
  const { grid } = sim
  // `/v1/slots/count` comes before `/v1/slots/:id`, so "count" is never read as a slot id.
  return [
    {
      method: 'GET',
      pattern: '/v1/slots',
      handler: (req, _p, ctx) => {
        const p = paging(sim, req)
        if (isResponse(p)) return p
        const q = slotQuery(sim, req, ctx.clock.now())
        if (isResponse(q)) return q
        return json(200, page(grid.list(q, ctx.clock.now()), p))
      },
    },
    {
      method: 'GET',
      pattern: '/v1/slots/count',
      handler: (req, _p, ctx) => {
        const q = slotQuery(sim, req, ctx.clock.now())
        if (isResponse(q)) return q
        return json(200, { count: grid.list(q, ctx.clock.now()).length })
      },
    },
    {
      method: 'GET',
      pattern: '/v1/slots/:id',
      handler: (_req, params, ctx) => {
        const slot = grid.slotFromId(params.id ?? '')
        if (!slot || !grid.isAvailable(slot, ctx.clock.now())) return err(404, 'Slot not found')
        return json(200, slot)
      },
    },
  ]
}
