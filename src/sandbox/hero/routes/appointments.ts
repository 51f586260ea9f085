/** Appointments: reserve, edit a reservation, book (confirm), cancel, reschedule, one by id and the list. */
import { json, type Route, type RouteHandler, type SimResponse } from '../../core'
import { isActive } from '../slots'
import { type HeroAppointmentRecord, publicAppointment } from '../state'
import {
  err,
  type HeroContext,
  isResponse,
  obj,
  page,
  paging,
  parseRangeBound,
  recorder,
  str,
} from './shared'

const RESCHEDULE_FIELDS = [
  'practitioner_id',
  'duration',
  'start_time',
  'suppress_mail',
  'suppress_availability_check',
]

function find({ state }: HeroContext, id: string): HeroAppointmentRecord | SimResponse {
  const a = state.appointments.get(id)
  if (!a) return err(404, 'Appointment not found')
  if (a.cancelledAt) return err(410, 'Appointment has been cancelled')
  return a
}

/** Where a write asks for a time: a slot id, or explicit practitioner, type and start. */
function resolveTime(
  { state, grid, opts }: HeroContext,
  body: Record<string, unknown>,
  now: Date,
  current?: HeroAppointmentRecord,
) {
  const slotId = str(body.slot_id)
  if (slotId) {
    const slot = grid.slotFromId(slotId)
    if (!slot) return err(404, 'Slot not found')
    const takeable = opts.allowOverlaps
      ? Date.parse(slot.start_time) > now.getTime()
      : grid.isAvailable(slot, now, current?.id)
    if (!takeable) return err(409, 'Slot is no longer available')
    const type = state.appointmentTypes.find((t) => t.id === slot.appointment_type_id)
    return {
      slot,
      practitionerId: slot.practitioner_id,
      typeId: slot.appointment_type_id,
      locationId: slot.location_id,
      start: slot.start_time,
      duration: type?.duration ?? 10,
    }
  }
  const practitionerId = str(body.practitioner_id) ?? current?.practitioner_id
  const typeId = str(body.appointment_type_id) ?? current?.appointment_type_id
  const startRaw = str(body.start_time)
  const missing = [
    !practitionerId && 'practitioner_id',
    !typeId && 'appointment_type_id',
    !startRaw && 'start_time',
  ].filter(Boolean)
  if (missing.length) return err(400, `Provide slot_id, or ${missing.join(', ')}`)
  const start = Date.parse(startRaw as string)
  if (Number.isNaN(start)) return err(400, 'start_time must be an ISO 8601 date-time')
  const p = state.practitioners.find((x) => x.id === practitionerId)
  if (!p) return err(404, 'Practitioner not found')
  const type = state.appointmentTypes.find((t) => t.id === typeId)
  if (!type) return err(404, 'Appointment type not found')
  if (!p.typeIds.includes(type.id)) return err(400, 'The practitioner does not offer this appointment type')
  const locationId = str(body.location_id) ?? current?.location_id ?? p.location_id
  if (!state.locations.some((l) => l.id === locationId)) return err(404, 'Location not found')
  const duration = typeof body.duration === 'number' && body.duration >= 1 ? body.duration : type.duration
  return {
    slot: undefined,
    practitionerId: p.id,
    typeId: type.id,
    locationId,
    start: new Date(start).toISOString(),
    duration,
  }
}

/** An explicit time must be in the future, in working hours and, unless overlaps are allowed, free. */
function checkTime(
  { state, grid, opts }: HeroContext,
  t: { practitionerId: string; start: string; duration: number },
  now: Date,
  ignoreId?: string,
): SimResponse | undefined {
  const start = Date.parse(t.start)
  if (start <= now.getTime()) return err(409, 'start_time is in the past')
  const p = state.practitioners.find((x) => x.id === t.practitionerId)
  if (!p || !grid.withinHours(p, new Date(start), t.duration)) return err(409, 'No availability at that time')
  if (!opts.allowOverlaps && !grid.isFree(p.id, start, start + t.duration * 60_000, now, ignoreId))
    return err(409, 'The practitioner is already booked at that time')
  return undefined
}

function reserve(sim: HeroContext): RouteHandler {
  const { state, opts } = sim
  return (req, _p, ctx) => {
    const { reject, apply } = recorder(sim, ctx, req)
    const now = ctx.clock.now()
    const body = obj(req.body)
    if (req.body === undefined) return reject(err(400, 'Request body must be JSON'))
    if (opts.reserveBody === 'explicit' && body.slot_id !== undefined)
      return reject(err(400, 'Unknown fields: slot_id'))
    if (opts.reserveBody === 'slot' && !str(body.slot_id)) return reject(err(400, 'slot_id is required'))
    const t = resolveTime(sim, body, now)
    if (isResponse(t)) return reject(t)
    if (!t.slot) {
      const bad = checkTime(sim, t, now)
      if (bad) return reject(bad)
    }
    const patientId = str(body.patient_id) ?? null
    if (patientId && !state.patients.has(patientId)) return reject(err(404, 'Patient not found'))
    const type = state.appointmentTypes.find((x) => x.id === t.typeId)
    const id = String(state.nextAppointmentId++)
    const appointment: HeroAppointmentRecord = {
      id,
      patient_id: patientId,
      practitioner_id: t.practitionerId,
      location_id: t.locationId,
      appointment_type_id: t.typeId,
      duration: t.duration,
      start_time: t.start,
      video: type?.video ?? false,
      in_person: type?.in_person ?? true,
      telephone: type?.telephone ?? false,
      video_url: type?.video ? `https://video.herohealth.net/consult/${id}` : null,
      link_id: null,
      reserved_until: new Date(now.getTime() + sim.reservationMs).toISOString(),
      booking_confirmed_at: null,
      can_be_cancelled: true,
      can_be_rescheduled: type?.sector !== 'paid',
      cancellation_policy_hours: type?.sector === 'paid' ? 24 : 0,
      suppress_mail: body.suppress_mail === true,
      cancelledAt: null,
    }
    state.appointments.set(id, appointment)
    return apply(json(201, publicAppointment(appointment)))
  }
}

function list(sim: HeroContext): RouteHandler {
  const { state, opts, zone } = sim
  return (req, _p, ctx) => {
    if (opts.listAppointments === false) return err(404, 'Not found')
    const p = paging(sim, req)
    if (isResponse(p)) return p
    const now = ctx.clock.now()
    const from = parseRangeBound(req.query.get('start_date'), zone, false)
    const to = parseRangeBound(req.query.get('end_date'), zone, true)
    if (from === 'invalid' || to === 'invalid')
      return err(400, 'start_date and end_date must be dates (YYYY-MM-DD) or ISO 8601 date-times')
    const practitionerId = req.query.get('practitioner_id')
    const patientId = req.query.get('patient_id')
    const items = [...state.appointments.values()]
      .filter((a) => isActive(a, now) && a.start_time)
      .filter((a) => !from || Date.parse(a.start_time as string) >= from.getTime())
      .filter((a) => !to || Date.parse(a.start_time as string) < to.getTime())
      .filter((a) => !practitionerId || a.practitioner_id === practitionerId)
      .filter((a) => !patientId || a.patient_id === patientId)
      .sort(
        (a, b) => (a.start_time as string).localeCompare(b.start_time as string) || a.id.localeCompare(b.id),
      )
      .map(publicAppointment)
    return json(200, page(items, p))
  }
}

/** `PUT /v1/appointments/{id}`: moves a reservation that is not confirmed yet. */
function edit(sim: HeroContext): RouteHandler {
  const { state } = sim
  return (req, params, ctx) => {
    const { reject, apply } = recorder(sim, ctx, req)
    const now = ctx.clock.now()
    const a = find(sim, params.id ?? '')
    if (isResponse(a)) return reject(a)
    const body = obj(req.body)
    const missing = ['start_time', 'duration', 'practitioner_id'].filter(
      (k) => body[k] === undefined || body[k] === null,
    )
    if (missing.length) return reject(err(400, `Missing required fields: ${missing.join(', ')}`))
    if (a.booking_confirmed_at)
      return reject(err(409, 'Only appointments that are not yet confirmed can be edited'))
    if (!isActive(a, now)) return reject(err(409, 'The reservation has expired'))
    const start = Date.parse(String(body.start_time))
    const duration = Number(body.duration)
    if (Number.isNaN(start)) return reject(err(400, 'start_time must be an ISO 8601 date-time'))
    if (!Number.isInteger(duration) || duration < 1)
      return reject(err(400, 'duration must be a whole number of minutes, at least 1'))
    const practitionerId = String(body.practitioner_id)
    if (!state.practitioners.some((p) => p.id === practitionerId))
      return reject(err(404, 'Practitioner not found'))
    const next = { practitionerId, start: new Date(start).toISOString(), duration }
    if (body.suppress_availability_check !== true) {
      const bad = checkTime(sim, next, now, a.id)
      if (bad) return reject(bad)
    }
    a.practitioner_id = practitionerId
    a.start_time = next.start
    a.duration = duration
    if (typeof body.suppress_mail === 'boolean') a.suppress_mail = body.suppress_mail
    return apply(json(200, publicAppointment(a)))
  }
}

function book(sim: HeroContext): RouteHandler {
  const { state, opts } = sim
  return (req, params, ctx) => {
    const { reject, apply } = recorder(sim, ctx, req)
    const now = ctx.clock.now()
    const a = find(sim, params.id ?? '')
    if (isResponse(a)) return reject(a)
    const body = obj(req.body)
    if (a.booking_confirmed_at)
      return reject(err(opts.repeatConfirmStatus ?? 409, 'Appointment is already booked'))
    if (!isActive(a, now)) return reject(err(409, 'The reservation has expired; reserve the slot again'))
    const patientId = str(body.patient_id) ?? a.patient_id
    if (!patientId) return reject(err(400, 'patient_id is required'))
    if (!state.patients.has(patientId)) return reject(err(404, 'Patient not found'))
    a.patient_id = patientId
    a.booking_confirmed_at = now.toISOString()
    if (typeof body.suppress_mail === 'boolean') a.suppress_mail = body.suppress_mail
    return apply(json(200, publicAppointment(a)))
  }
}

function cancel(sim: HeroContext): RouteHandler {
  const { state, opts } = sim
  return (req, params, ctx) => {
    const { reject, apply } = recorder(sim, ctx, req)
    const now = ctx.clock.now()
    const a = state.appointments.get(params.id ?? '')
    if (!a) return reject(err(404, 'Appointment not found'))
    if (a.cancelledAt) return reject(err(opts.repeatCancelStatus ?? 409, 'Appointment is already cancelled'))
    const body = obj(req.body)
    if (!a.can_be_cancelled) return reject(err(400, 'This appointment cannot be cancelled'))
    const hoursLeft = a.start_time ? (Date.parse(a.start_time) - now.getTime()) / 3_600_000 : Infinity
    if (
      a.booking_confirmed_at &&
      hoursLeft < a.cancellation_policy_hours &&
      body.suppress_cancellation_policy !== true
    )
      return reject(
        err(
          400,
          `Appointments cannot be cancelled less than ${a.cancellation_policy_hours} hours before they start`,
        ),
      )
    a.cancelledAt = now.toISOString()
    if (typeof body.suppress_mail === 'boolean') a.suppress_mail = body.suppress_mail
    return apply(json(200, publicAppointment(a)))
  }
}

/**
 * The reference's body: practitioner_id, duration, start_time (+ suppress_mail,
 * suppress_availability_check) — hero-health-api-reference-2.txt. Nothing else is accepted.
 */
function reschedule(sim: HeroContext): RouteHandler {
  const { state } = sim
  return (req, params, ctx) => {
    const { reject, apply } = recorder(sim, ctx, req)
    const now = ctx.clock.now()
    const a = find(sim, params.id ?? '')
    if (isResponse(a)) return reject(a)
    if (!a.can_be_rescheduled) return reject(err(400, 'This appointment cannot be rescheduled'))
    if (!isActive(a, now)) return reject(err(409, 'The reservation has expired'))
    const body = obj(req.body)
    const unknown = Object.keys(body).filter((k) => !RESCHEDULE_FIELDS.includes(k))
    if (unknown.length) return reject(err(400, `Unknown fields: ${unknown.join(', ')}`))
    const missing = ['practitioner_id', 'duration', 'start_time'].filter(
      (k) => body[k] === undefined || body[k] === null || body[k] === '',
    )
    if (missing.length) return reject(err(400, `Missing required fields: ${missing.join(', ')}`))
    for (const k of ['suppress_mail', 'suppress_availability_check'])
      if (body[k] !== undefined && typeof body[k] !== 'boolean')
        return reject(err(400, `${k} must be a boolean`))
    const start = typeof body.start_time === 'string' ? Date.parse(body.start_time) : NaN
    if (Number.isNaN(start)) return reject(err(400, 'start_time must be an ISO 8601 date-time'))
    const duration = body.duration
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1)
      return reject(err(400, 'duration must be a whole number of minutes, at least 1'))
    const practitioner = state.practitioners.find((x) => x.id === str(body.practitioner_id))
    if (!practitioner) return reject(err(404, 'Practitioner not found'))
    const next = { practitionerId: practitioner.id, start: new Date(start).toISOString(), duration }
    if (body.suppress_availability_check !== true) {
      const bad = checkTime(sim, next, now, a.id)
      if (bad) return reject(bad)
    }
    if (a.practitioner_id !== practitioner.id) a.location_id = practitioner.location_id
    a.practitioner_id = practitioner.id
    a.start_time = next.start
    a.duration = duration
    if (typeof body.suppress_mail === 'boolean') a.suppress_mail = body.suppress_mail
    return apply(json(200, publicAppointment(a)))
  }
}

export function appointmentRoutes(sim: HeroContext): Route[] {
  // Confirm is matched before cancel and reschedule, so a `bookAction` naming either takes its path.
  return [
    { method: 'POST', pattern: '/v1/appointments', handler: reserve(sim) },
    { method: 'GET', pattern: '/v1/appointments', handler: list(sim) },
    {
      method: 'GET',
      pattern: '/v1/appointments/:id',
      handler: (_req, params) => {
        const held = sim.state.appointments.get(params.id ?? '')
        if (held?.cancelledAt && sim.opts.cancelledRead === 'cancelled_at')
          return json(200, { ...publicAppointment(held), cancelled_at: held.cancelledAt })
        const a = find(sim, params.id ?? '')
        return isResponse(a) ? a : json(200, publicAppointment(a))
      },
    },
    { method: 'PUT', pattern: '/v1/appointments/:id', handler: edit(sim) },
    { method: 'PATCH', pattern: `/v1/appointments/:id/${sim.bookAction}`, handler: book(sim) },
    { method: 'PATCH', pattern: '/v1/appointments/:id/cancel', handler: cancel(sim) },
    { method: 'PATCH', pattern: '/v1/appointments/:id/reschedule', handler: reschedule(sim) },
  ]
}
