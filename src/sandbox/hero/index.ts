import { DateTime } from 'luxon'
import { isValidNhsNumber, compactNhsNumber } from '../../shared/nhs-number'
import {
  type Clock,
  type HandlerContext,
  json,
  matchRoute,
  type Route,
  type SimRequest,
  type SimResponse,
  type SimulatorHandle,
  startSimulator,
} from '../core'
import { type SeedClinic } from '../seed'
import { isActive, SlotGrid, type SlotQuery } from './slots'
import {
  buildHeroState,
  demographicsKey,
  type HeroAppointmentRecord,
  type HeroState,
  type HeroStateOptions,
  heroPatientId,
  publicAppointment,
  toHeroPatient,
} from './state'

export { type HeroState, type HeroAppointment, type HeroAppointmentRecord } from './state'
export { type HeroSlot, decodeSlotId, encodeSlotId } from './slots'

/**
 * Hero publishes no rate limit: the same conservative figure the adapter assumes (the `rateLimit`
 * entry of src/main/vendors/hero/assumptions.ts), so a client pacing itself by it never sees a 429.
 */
export const HERO_DEFAULT_RATE_LIMIT_PER_MINUTE = 120

export interface HeroOptions extends HeroStateOptions {
  port?: number
  clock?: Clock
  /** Hero publishes no limit: HERO_DEFAULT_RATE_LIMIT_PER_MINUTE unless set (0: unlimited). */
  rateLimitPerMinute?: number
  /** [U] How long a reservation holds its slot before it is released. */
  reservationMinutes?: number
  /** [U] The confirm step: `PATCH /v1/appointments/{id}/<bookAction>`. */
  bookAction?: string
  /** [U] Whether the inferred `GET /v1/appointments` list exists at all (the real API may not have one). */
  listAppointments?: boolean
  /** [U] Whether page_index counts from 0 or 1. */
  pageIndexBase?: 0 | 1
  /** [U] The reservation body accepted: a slot id, explicit fields, or (default) either. */
  reserveBody?: 'slot' | 'explicit'
  /** [U] The status a second cancel is refused with (default 409). */
  repeatCancelStatus?: 409 | 410 | 400
  /** [U] The status a second confirm is refused with (default 409). */
  repeatConfirmStatus?: 409 | 400
  /** Reserve and move onto a practitioner's taken time (tests that must see a duplicate booking). */
  allowOverlaps?: boolean
}

const RESCHEDULE_FIELDS = [
  'practitioner_id',
  'duration',
  'start_time',
  'suppress_mail',
  'suppress_availability_check',
]
const BOOKING_PREFIXES = ['/v1/slots', '/v1/appointments', '/v1/appointment_types']
const DAY_MS = 86_400_000

const err = (status: number, message: string): SimResponse => json(status, { message, statusCode: status })

const isoDate = (s: unknown): s is string =>
  typeof s === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim().length > 0 ? v.trim() : typeof v === 'number' ? String(v) : undefined

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}

/** Query dates are plain dates in the clinic's zone (whole days, inclusive) or full ISO instants. */
function parseRangeBound(value: string | null, zone: string, end: boolean): Date | undefined | 'invalid' {
  if (value === null || value === '') return undefined
  if (isoDate(value))
    return DateTime.fromISO(value, { zone })
      .plus({ days: end ? 1 : 0 })
      .toJSDate()
  const t = Date.parse(value)
  return Number.isNaN(t) ? 'invalid' : new Date(t)
}

export function startHeroSimulator(
  clinic: SeedClinic,
  opts: HeroOptions = {},
): Promise<SimulatorHandle<HeroState>> {
  const state = buildHeroState(clinic, opts)
  const grid = new SlotGrid(state)
  const reservationMs = (opts.reservationMinutes ?? 15) * 60_000
  const bookAction = opts.bookAction ?? 'book'
  const pageBase = opts.pageIndexBase ?? 0
  const zone = clinic.timeZone

  const paging = (req: SimRequest): { index: number; size: number } | SimResponse => {
    const rawIndex = req.query.get('page_index')
    const rawSize = req.query.get('page_size')
    const index = rawIndex === null ? pageBase : Number(rawIndex)
    const size = rawSize === null ? 50 : Number(rawSize)
    if (!Number.isInteger(index) || index < pageBase)
      return err(400, `page_index must be an integer >= ${pageBase}`)
    if (!Number.isInteger(size) || size < 1 || size > 100)
      return err(400, 'page_size must be an integer from 1 to 100')
    return { index: index - pageBase, size }
  }
  const page = <T>(items: T[], p: { index: number; size: number }) => ({
    data: items.slice(p.index * p.size, (p.index + 1) * p.size),
    count: items.length,
  })

  const slotQuery = (req: SimRequest, now: Date): SlotQuery | SimResponse => {
    const from = parseRangeBound(req.query.get('start_date'), zone, false)
    const to = parseRangeBound(req.query.get('end_date'), zone, true)
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

  const find = (id: string): HeroAppointmentRecord | SimResponse => {
    const a = state.appointments.get(id)
    if (!a) return err(404, 'Appointment not found')
    if (a.cancelledAt) return err(410, 'Appointment has been cancelled')
    return a
  }
  const isResponse = (v: unknown): v is SimResponse =>
    typeof v === 'object' && v !== null && 'status' in v && 'body' in v && !('id' in v)

  const reject = (ctx: HandlerContext, req: SimRequest, r: SimResponse) => {
    ctx.recordWrite(`${req.method} ${routeName(req)}`, req.body, 'rejected', r.body)
    return r
  }
  const apply = (ctx: HandlerContext, req: SimRequest, r: SimResponse) => {
    ctx.recordWrite(`${req.method} ${routeName(req)}`, req.body, 'applied', r.body)
    return r
  }

  /** Where a write asks for a time: a slot id, or explicit practitioner, type and start. */
  const resolveTime = (body: Record<string, unknown>, now: Date, current?: HeroAppointmentRecord) => {
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

  const checkTime = (
    t: { practitionerId: string; start: string; duration: number },
    now: Date,
    ignoreId?: string,
  ): SimResponse | undefined => {
    const start = Date.parse(t.start)
    if (start <= now.getTime()) return err(409, 'start_time is in the past')
    const p = state.practitioners.find((x) => x.id === t.practitionerId)
    if (!p || !grid.withinHours(p, new Date(start), t.duration))
      return err(409, 'No availability at that time')
    if (!opts.allowOverlaps && !grid.isFree(p.id, start, start + t.duration * 60_000, now, ignoreId))
      return err(409, 'The practitioner is already booked at that time')
    return undefined
  }

  const routes: Route[] = [
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
    {
      method: 'GET',
      pattern: '/v1/appointment_types',
      handler: (req, _p, ctx) => {
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
      },
    },
    {
      method: 'GET',
      pattern: '/v1/slots',
      handler: (req, _p, ctx) => {
        const p = paging(req)
        if (isResponse(p)) return p
        const q = slotQuery(req, ctx.clock.now())
        if (isResponse(q)) return q
        return json(200, page(grid.list(q, ctx.clock.now()), p))
      },
    },
    {
      method: 'GET',
      pattern: '/v1/slots/count',
      handler: (req, _p, ctx) => {
        const q = slotQuery(req, ctx.clock.now())
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
    {
      method: 'POST',
      pattern: '/v1/appointments',
      handler: (req, _p, ctx) => {
        const now = ctx.clock.now()
        const body = obj(req.body)
        if (req.body === undefined) return reject(ctx, req, err(400, 'Request body must be JSON'))
        if (opts.reserveBody === 'explicit' && body.slot_id !== undefined)
          return reject(ctx, req, err(400, 'Unknown fields: slot_id'))
        if (opts.reserveBody === 'slot' && !str(body.slot_id))
          return reject(ctx, req, err(400, 'slot_id is required'))
        const t = resolveTime(body, now)
        if (isResponse(t)) return reject(ctx, req, t)
        if (!t.slot) {
          const bad = checkTime(t, now)
          if (bad) return reject(ctx, req, bad)
        }
        const patientId = str(body.patient_id) ?? null
        if (patientId && !state.patients.has(patientId))
          return reject(ctx, req, err(404, 'Patient not found'))
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
          reserved_until: new Date(now.getTime() + reservationMs).toISOString(),
          booking_confirmed_at: null,
          can_be_cancelled: true,
          can_be_rescheduled: type?.sector !== 'paid',
          cancellation_policy_hours: type?.sector === 'paid' ? 24 : 0,
          suppress_mail: body.suppress_mail === true,
          cancelledAt: null,
        }
        state.appointments.set(id, appointment)
        return apply(ctx, req, json(201, publicAppointment(appointment)))
      },
    },
    {
      method: 'GET',
      pattern: '/v1/appointments',
      handler: (req, _p, ctx) => {
        if (opts.listAppointments === false) return err(404, 'Not found')
        const p = paging(req)
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
            (a, b) =>
              (a.start_time as string).localeCompare(b.start_time as string) || a.id.localeCompare(b.id),
          )
          .map(publicAppointment)
        return json(200, page(items, p))
      },
    },
    {
      method: 'GET',
      pattern: '/v1/appointments/:id',
      handler: (_req, params) => {
        const a = find(params.id ?? '')
        return isResponse(a) ? a : json(200, publicAppointment(a))
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/appointments/:id',
      handler: (req, params, ctx) => {
        const now = ctx.clock.now()
        const a = find(params.id ?? '')
        if (isResponse(a)) return reject(ctx, req, a)
        const body = obj(req.body)
        const missing = ['start_time', 'duration', 'practitioner_id'].filter(
          (k) => body[k] === undefined || body[k] === null,
        )
        if (missing.length)
          return reject(ctx, req, err(400, `Missing required fields: ${missing.join(', ')}`))
        if (a.booking_confirmed_at)
          return reject(ctx, req, err(409, 'Only appointments that are not yet confirmed can be edited'))
        if (!isActive(a, now)) return reject(ctx, req, err(409, 'The reservation has expired'))
        const start = Date.parse(String(body.start_time))
        const duration = Number(body.duration)
        if (Number.isNaN(start)) return reject(ctx, req, err(400, 'start_time must be an ISO 8601 date-time'))
        if (!Number.isInteger(duration) || duration < 1)
          return reject(ctx, req, err(400, 'duration must be a whole number of minutes, at least 1'))
        const practitionerId = String(body.practitioner_id)
        if (!state.practitioners.some((p) => p.id === practitionerId))
          return reject(ctx, req, err(404, 'Practitioner not found'))
        const next = { practitionerId, start: new Date(start).toISOString(), duration }
        if (body.suppress_availability_check !== true) {
          const bad = checkTime(next, now, a.id)
          if (bad) return reject(ctx, req, bad)
        }
        a.practitioner_id = practitionerId
        a.start_time = next.start
        a.duration = duration
        if (typeof body.suppress_mail === 'boolean') a.suppress_mail = body.suppress_mail
        return apply(ctx, req, json(200, publicAppointment(a)))
      },
    },
    {
      method: 'PATCH',
      pattern: `/v1/appointments/:id/${bookAction}`,
      handler: (req, params, ctx) => {
        const now = ctx.clock.now()
        const a = find(params.id ?? '')
        if (isResponse(a)) return reject(ctx, req, a)
        const body = obj(req.body)
        if (a.booking_confirmed_at)
          return reject(ctx, req, err(opts.repeatConfirmStatus ?? 409, 'Appointment is already booked'))
        if (!isActive(a, now))
          return reject(ctx, req, err(409, 'The reservation has expired; reserve the slot again'))
        const patientId = str(body.patient_id) ?? a.patient_id
        if (!patientId) return reject(ctx, req, err(400, 'patient_id is required'))
        if (!state.patients.has(patientId)) return reject(ctx, req, err(404, 'Patient not found'))
        a.patient_id = patientId
        a.booking_confirmed_at = now.toISOString()
        if (typeof body.suppress_mail === 'boolean') a.suppress_mail = body.suppress_mail
        return apply(ctx, req, json(200, publicAppointment(a)))
      },
    },
    {
      method: 'PATCH',
      pattern: '/v1/appointments/:id/cancel',
      handler: (req, params, ctx) => {
        const now = ctx.clock.now()
        const a = state.appointments.get(params.id ?? '')
        if (!a) return reject(ctx, req, err(404, 'Appointment not found'))
        if (a.cancelledAt)
          return reject(ctx, req, err(opts.repeatCancelStatus ?? 409, 'Appointment is already cancelled'))
        const body = obj(req.body)
        if (!a.can_be_cancelled) return reject(ctx, req, err(400, 'This appointment cannot be cancelled'))
        const hoursLeft = a.start_time ? (Date.parse(a.start_time) - now.getTime()) / 3_600_000 : Infinity
        if (
          a.booking_confirmed_at &&
          hoursLeft < a.cancellation_policy_hours &&
          body.suppress_cancellation_policy !== true
        )
          return reject(
            ctx,
            req,
            err(
              400,
              `Appointments cannot be cancelled less than ${a.cancellation_policy_hours} hours before they start`,
            ),
          )
        a.cancelledAt = now.toISOString()
        if (typeof body.suppress_mail === 'boolean') a.suppress_mail = body.suppress_mail
        return apply(ctx, req, json(200, publicAppointment(a)))
      },
    },
    {
      method: 'PATCH',
      pattern: '/v1/appointments/:id/reschedule',
      // The reference's body: practitioner_id, duration, start_time (+ suppress_mail,
      // suppress_availability_check) — hero-health-api-reference-2.txt. Nothing else is accepted.
      handler: (req, params, ctx) => {
        const now = ctx.clock.now()
        const a = find(params.id ?? '')
        if (isResponse(a)) return reject(ctx, req, a)
        if (!a.can_be_rescheduled) return reject(ctx, req, err(400, 'This appointment cannot be rescheduled'))
        if (!isActive(a, now)) return reject(ctx, req, err(409, 'The reservation has expired'))
        const body = obj(req.body)
        const unknown = Object.keys(body).filter((k) => !RESCHEDULE_FIELDS.includes(k))
        if (unknown.length) return reject(ctx, req, err(400, `Unknown fields: ${unknown.join(', ')}`))
        const missing = ['practitioner_id', 'duration', 'start_time'].filter(
          (k) => body[k] === undefined || body[k] === null || body[k] === '',
        )
        if (missing.length)
          return reject(ctx, req, err(400, `Missing required fields: ${missing.join(', ')}`))
        for (const k of ['suppress_mail', 'suppress_availability_check'])
          if (body[k] !== undefined && typeof body[k] !== 'boolean')
            return reject(ctx, req, err(400, `${k} must be a boolean`))
        const start = typeof body.start_time === 'string' ? Date.parse(body.start_time) : NaN
        if (Number.isNaN(start)) return reject(ctx, req, err(400, 'start_time must be an ISO 8601 date-time'))
        const duration = body.duration
        if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1)
          return reject(ctx, req, err(400, 'duration must be a whole number of minutes, at least 1'))
        const practitioner = state.practitioners.find((x) => x.id === str(body.practitioner_id))
        if (!practitioner) return reject(ctx, req, err(404, 'Practitioner not found'))
        const next = { practitionerId: practitioner.id, start: new Date(start).toISOString(), duration }
        if (body.suppress_availability_check !== true) {
          const bad = checkTime(next, now, a.id)
          if (bad) return reject(ctx, req, bad)
        }
        if (a.practitioner_id !== practitioner.id) a.location_id = practitioner.location_id
        a.practitioner_id = practitioner.id
        a.start_time = next.start
        a.duration = duration
        if (typeof body.suppress_mail === 'boolean') a.suppress_mail = body.suppress_mail
        return apply(ctx, req, json(200, publicAppointment(a)))
      },
    },
    {
      method: 'POST',
      pattern: '/v1/patients/register_pds',
      handler: (req, _p, ctx) => {
        const body = obj(req.body)
        const dob = body.dob
        const nhsRaw = body.nhs_number
        let person
        if (nhsRaw !== undefined && nhsRaw !== null && nhsRaw !== '') {
          if (typeof nhsRaw !== 'string' || !isValidNhsNumber(nhsRaw))
            return reject(ctx, req, err(400, 'nhs_number must be a valid 10-digit NHS number'))
          if (!isoDate(dob)) return reject(ctx, req, err(400, 'dob must be a date in the form YYYY-MM-DD'))
          const found = state.pdsByNhs.get(compactNhsNumber(nhsRaw))
          person = found && found.birthDate === dob ? found : undefined
        } else {
          const missing = ['forename', 'surname', 'postcode'].filter((k) => !str(body[k]))
          if (missing.length === 3 && !isoDate(dob))
            return reject(
              ctx,
              req,
              err(400, 'Provide nhs_number and dob, or forename, surname, dob and postcode'),
            )
          if (missing.length)
            return reject(ctx, req, err(400, `Missing required fields: ${missing.join(', ')}`))
          if (!isoDate(dob)) return reject(ctx, req, err(400, 'dob must be a date in the form YYYY-MM-DD'))
          person = state.pdsByDemographics.get(
            demographicsKey(String(body.forename), String(body.surname), dob, String(body.postcode)),
          )
        }
        if (!person) return reject(ctx, req, err(404, 'No patient found'))
        if (state.identityCheck.has(person.nhsNumber)) {
          const token = Buffer.from(person.nhsNumber).toString('base64url')
          return apply(
            ctx,
            req,
            json(200, {
              message: 'Patient must verify their identity before proceeding',
              login_url: `https://patient.herohealth.net/verify/${token}`,
            }),
          )
        }
        const id = heroPatientId(person)
        if (!state.patients.has(id)) state.patients.set(id, toHeroPatient(person))
        return apply(ctx, req, json(200, { patient_id: id }))
      },
    },
  ]

  /** The route's pattern, for write records: `POST /v1/appointments/:id/book`. */
  const routeName = (req: SimRequest) => {
    const m = matchRoute(routes, req.method, req.path)
    return m.route ? m.route.pattern : req.path
  }

  return startSimulator<HeroState>(
    {
      vendor: 'hero',
      state,
      credentials: {
        apiKey: state.apiKeys[0]?.key ?? '',
        practiceGroupId: state.practiceGroupId,
        messagingOnlyApiKey: state.apiKeys[1]?.key ?? '',
      },
      isWrite: (req) => req.method !== 'GET' && req.method !== 'HEAD',
      operationName: (req) => `${req.method} ${routeName(req)}`,
      rateLimited: () => err(429, 'Too many requests'),
      unavailable: (status) => err(status, status === 500 ? 'Internal server error' : 'Service unavailable'),
      onExpireTokens: () => {
        for (const k of state.apiKeys) state.revokedKeys.add(k.key)
      },
      onReinstateTokens: () => {
        for (const k of state.apiKeys) state.revokedKeys.delete(k.key)
      },
      ...((opts.rateLimitPerMinute ?? HERO_DEFAULT_RATE_LIMIT_PER_MINUTE) > 0
        ? { rateLimitPerMinute: opts.rateLimitPerMinute ?? HERO_DEFAULT_RATE_LIMIT_PER_MINUTE }
        : {}),
      handle: (req, ctx) => {
        const key = req.headers['x-api-key']
        const group = req.headers['x-practice-group-id']
        if (!key || !group)
          return err(401, 'Unauthorized: x-api-key and x-practice-group-id headers are required')
        const known = state.apiKeys.find((k) => k.key === key)
        if (!known) return err(401, 'Unauthorized: invalid API key')
        if (state.revokedKeys.has(key)) return err(401, 'Unauthorized: API key has been revoked')
        if (group !== state.practiceGroupId)
          return err(401, 'Unauthorized: practice group not accessible with this key')
        const m = matchRoute(routes, req.method, req.path)
        if (!m.route)
          return m.methodMismatch
            ? err(405, 'Method not allowed')
            : err(404, `Cannot ${req.method} ${req.path}`)
        if (BOOKING_PREFIXES.some((p) => req.path.startsWith(p)) && !known.scopes.includes('booking'))
          return err(403, 'Forbidden: this API key does not have the booking scope')
        return m.route.handler(req, m.params, ctx)
      },
    },
    { ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.clock ? { clock: opts.clock } : {}) },
  )
}
