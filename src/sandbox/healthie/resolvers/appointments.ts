/** Appointments: the queries, booking warnings, create/update/delete and the Appointment fields. */
import { DateTime } from 'luxon'
import { type ResolverMap } from '../../graphql/graphql-http'
import { CONTACT_TYPES, type HealthieAppointment, type HealthieState } from '../state'
import { bookable, conflicts, RELEASED } from './calendar'
import {
  type Args,
  bad,
  listAnswer,
  type FieldError,
  fullName,
  type HealthieContext,
  idOf,
  iso,
  metadataString,
  obj,
  parseDay,
  parseTimeOfDay,
  record,
  str,
  zoneOf,
} from './shared'

/** Not "active" in Healthie's sense (see `appointments(is_active)`). */
const INACTIVE = new Set(['Cancelled', 'Re-Scheduled', 'No-Show', 'Late Cancellation'])
/** Final statuses: under strict transitions nothing follows them but the same status again. */
const FINAL = new Set(['Occurred', 'No-Show', 'Cancelled', 'Re-Scheduled', 'Late Cancellation'])

/** Wall-clock input in `zone`: "YYYY-MM-DD HH:MM[:SS]", ISO 8601 with or without an offset. */
function parseDateTime(value: string, zone: string): number | undefined {
  const s = value.trim().replace(' ', 'T')
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s) && s.includes('T')
  const dt = DateTime.fromISO(s, hasOffset ? { setZone: true } : { zone })
  return dt.isValid ? dt.toMillis() : undefined
}

/** The start of a create/update input: `datetime` wins over `date` + `time`. */
function inputStart(input: Args, zone: string): number | undefined | 'invalid' {
  const datetime = str(input.datetime)
  if (datetime) return parseDateTime(datetime, zone) ?? 'invalid'
  const date = str(input.date)
  if (!date) return undefined
  const time = str(input.time)
  if (!time) return parseDateTime(date, zone) ?? 'invalid'
  const day = parseDay(date, zone)
  const t = parseTimeOfDay(time)
  if (!day || !t) return 'invalid'
  return day.set(t).toMillis()
}

function transitionError(state: HealthieState, from: string | null, to: string): string | undefined {
  if (!state.allowedStatuses().includes(to)) {
    if (to === 'Checked-In' || to === 'Late Cancellation') return `${to} is not enabled for this organization`
    return `is not a valid appointment status: ${JSON.stringify(to)}`
  }
  if (from === to) return undefined
  if (state.options.strictPmStatusTransitions && from !== null && FINAL.has(from))
    return `cannot change from ${from} to ${to}`
  return undefined
}

function appointments(_: unknown, args: Args, ctx: HealthieContext) {
  const { state, clock } = ctx
  const zone = state.timeZone
  let from: number | undefined
  let to: number | undefined
  if ((args.startDate == null) !== (args.endDate == null))
    throw bad('startDate and endDate must be provided together')
  if (typeof args.startDate === 'string' && typeof args.endDate === 'string') {
    const s = parseDay(args.startDate, zone)
    const e = parseDay(args.endDate, zone)
    if (!s || !e) throw bad('startDate and endDate must be dates')
    // Whole days, inclusive, in the organisation's time zone (as Healthie's calendar reads them).
    from = s.toMillis()
    to = e.plus({ days: 1 }).toMillis()
  } else if (typeof args.specificDay === 'string') {
    const d = parseDay(args.specificDay, zone)
    if (!d) throw bad('specificDay must be a date')
    from = d.toMillis()
    to = d.plus({ days: 1 }).toMillis()
  }
  const filter = str(args.filter) ?? (from === undefined ? 'future' : 'all')
  const now = clock.now().getTime()
  const providers = new Set<string>()
  if (idOf(args.provider_id)) providers.add(String(args.provider_id))
  if (Array.isArray(args.provider_ids)) for (const p of args.provider_ids) providers.add(String(p))
  if (providers.size === 0 && args.is_org !== true) providers.add(state.apiUserId)
  const patient = idOf(args.user_id)
  const typeIds = new Set<string>(
    [
      args.filter_by_appointment_type_id,
      ...(Array.isArray(args.filter_by_appointment_type_ids) ? args.filter_by_appointment_type_ids : []),
    ]
      .filter((v) => v !== undefined && v !== null)
      .map(String),
  )
  const locationIds = Array.isArray(args.filter_by_appointment_location_ids)
    ? new Set(args.filter_by_appointment_location_ids.map(String))
    : undefined
  const statuses = Array.isArray(args.filter_by_appointment_statuses)
    ? new Set(args.filter_by_appointment_statuses.map(String))
    : undefined
  const allStatuses = args.with_all_statuses === true
  const found = [...state.appointments.values()].filter((a) => {
    if (a.deleted_at !== null) return false
    if (providers.size > 0 && !providers.has(a.providerId)) return false
    if (patient && a.patientId !== patient) return false
    if (typeIds.size > 0 && !typeIds.has(a.appointmentTypeId)) return false
    if (locationIds && (!a.locationId || !locationIds.has(a.locationId))) return false
    if (from !== undefined && to !== undefined && (a.startMs < from || a.startMs >= to)) return false
    const end = a.startMs + a.length * 60_000
    const inactive = a.pm_status !== null && INACTIVE.has(a.pm_status)
    if (filter === 'future' && a.startMs < now) return false
    if (filter === 'past' && a.startMs >= now) return false
    if (filter === 'ended' && end > now) return false
    if (filter === 'didnt-occur' && !allStatuses && !inactive) return false
    if (args.is_active === true && !allStatuses && inactive) return false
    if (statuses && !statuses.has(a.pm_status ?? '')) return false
    return true
  })
  const order = str(args.order_by as string) ?? 'DATE_ASC'
  const key = (a: HealthieAppointment) =>
    order.startsWith('CREATED_AT')
      ? Date.parse(a.created_at)
      : order.startsWith('UPDATED_AT')
        ? Date.parse(a.updated_at)
        : a.startMs
  const dir = order.endsWith('_DESC') ? -1 : 1
  found.sort((a, b) => dir * (key(a) - key(b)) || Number(a.id) - Number(b.id))
  return listAnswer(found, args, ctx)
}

function appointmentBookingWarnings(_: unknown, args: Args, { state }: HealthieContext) {
  const provider = state.users.get(String(args.provider_id))
  if (!provider || provider.kind !== 'provider') throw bad('provider_id is required')
  const zone = zoneOf(args.timezone, state)
  const day = typeof args.date === 'string' ? parseDay(args.date, zone) : undefined
  const time = typeof args.time === 'string' ? parseTimeOfDay(args.time) : undefined
  if (!day || !time) throw bad('date and time are required')
  const typeId = idOf(args.appointment_type_id)
  const length =
    (typeId ? state.appointmentTypes.get(typeId)?.length : undefined) ?? Number(args.length_in_minutes)
  if (!Number.isFinite(length) || length <= 0)
    throw bad('appointment_type_id or length_in_minutes is required')
  const start = day.set(time).toMillis()
  const found = conflicts(
    state,
    provider.id,
    { start, end: start + length * 60_000 },
    idOf(args.current_appt_id),
  )
  if (found.length === 0) return []
  const describe = (a: HealthieAppointment) => {
    const who = a.patientId ? state.users.get(a.patientId) : undefined
    const type = state.appointmentTypes.get(a.appointmentTypeId)
    const when = DateTime.fromMillis(a.startMs, { zone }).toFormat('h:mm a')
    return `${type?.name ?? 'Appointment'} with ${who ? fullName(who) : 'a client'} at ${when}`
  }
  return [
    {
      category: 'Event Conflicts',
      subtitle: `${fullName(provider)} has ${found.length} conflicting event${found.length === 1 ? '' : 's'} at this time`,
      potential_issues: found.map(describe),
      potential_issue_ids: found.map((a) => a.id),
    },
  ]
}

function createAppointment(_: unknown, args: Args, ctx: HealthieContext) {
  const { state, clock } = ctx
  const input = obj(args.input)
  const messages: FieldError[] = []
  const zone = zoneOf(input.timezone, state)
  const isBlocker = input.is_blocker === true
  const patientId = idOf(input.user_id)
  const patient = patientId ? state.users.get(patientId) : undefined
  if (!isBlocker && !patientId) messages.push({ field: 'user_id', message: "can't be blank" })
  else if (patientId && patient?.kind !== 'patient') messages.push({ field: 'user_id', message: 'not found' })
  const providerId = idOf(input.other_party_id) ?? state.apiUserId
  const provider = state.users.get(providerId)
  if (provider?.kind !== 'provider') messages.push({ field: 'other_party_id', message: 'not found' })
  const typeId = idOf(input.appointment_type_id)
  const type = typeId ? state.appointmentTypes.get(typeId) : undefined
  if (!typeId) messages.push({ field: 'appointment_type_id', message: "can't be blank" })
  else if (!type || type.deleted_at !== null)
    messages.push({ field: 'appointment_type_id', message: 'not found' })
  const contactType = str(input.contact_type)
  if (!contactType && !isBlocker) messages.push({ field: 'contact_type', message: "can't be blank" })
  else if (contactType && !(CONTACT_TYPES as readonly string[]).includes(contactType))
    messages.push({ field: 'contact_type', message: 'is not included in the list' })
  const locationId = idOf(input.appointment_location_id)
  if (locationId && !state.locations.has(locationId))
    messages.push({ field: 'appointment_location_id', message: 'not found' })
  if (contactType === 'In Person' && !locationId && state.options.requireLocationForInPerson)
    messages.push({
      field: 'appointment_location_id',
      message: 'is required for in-person appointments',
    })
  const start = inputStart(input, zone)
  if (start === undefined) messages.push({ field: 'datetime', message: "can't be blank" })
  else if (start === 'invalid') messages.push({ field: 'datetime', message: 'is invalid' })
  let appointment: HealthieAppointment | null = null
  if (messages.length === 0 && type && provider && typeof start === 'number') {
    const slot = { start, end: start + type.length * 60_000 }
    if (input.enforce_availability === true && !isBlocker && !bookable(state, provider, slot)) {
      messages.push({ field: 'datetime', message: 'This time slot is no longer available' })
    } else {
      const now = clock.now().toISOString()
      const roomId = idOf(input.room_id)
      appointment = {
        id: state.ids.next('appointment'),
        startMs: start,
        length: type.length,
        pm_status: null,
        pm_status_changed_at: null,
        contact_type: contactType ?? 'In Person',
        providerId: provider.id,
        patientId: patientId ?? null,
        appointmentTypeId: type.id,
        locationId: locationId ?? null,
        room_id: roomId ?? null,
        notes: typeof input.notes === 'string' ? input.notes : null,
        metadata: metadataString(input.metadata) ?? null,
        confirmed: false,
        is_blocker: isBlocker,
        cancellation_reason_id: null,
        other_cancellation_reason: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      }
      state.appointments.set(appointment.id, appointment)
    }
  }
  return record(ctx, 'createAppointment', args, 'appointment', appointment, messages)
}

function updateAppointment(_: unknown, args: Args, ctx: HealthieContext) {
  const { state, clock } = ctx
  const input = obj(args.input)
  const messages: FieldError[] = []
  const appt = state.appointments.get(idOf(input.id) ?? '')
  if (!appt || appt.deleted_at !== null) {
    messages.push({ field: 'id', message: 'Appointment not found' })
    return record(ctx, 'updateAppointment', args, 'appointment', null, messages)
  }
  const zone = zoneOf(input.timezone, state)
  const start = inputStart(input, zone)
  const providerId = idOf(input.other_party_id) ?? appt.providerId
  const provider = state.users.get(providerId)
  const typeId = idOf(input.appointment_type_id) ?? appt.appointmentTypeId
  const type = state.appointmentTypes.get(typeId)
  const locationId = idOf(input.appointment_location_id)
  const status =
    input.pm_status === undefined || input.pm_status === null ? undefined : String(input.pm_status)
  if (provider?.kind !== 'provider') messages.push({ field: 'other_party_id', message: 'not found' })
  if (!type) messages.push({ field: 'appointment_type_id', message: 'not found' })
  if (locationId && !state.locations.has(locationId))
    messages.push({ field: 'appointment_location_id', message: 'not found' })
  const contactType = str(input.contact_type)
  if (contactType && !(CONTACT_TYPES as readonly string[]).includes(contactType))
    messages.push({ field: 'contact_type', message: 'is not included in the list' })
  if (start === 'invalid') messages.push({ field: 'datetime', message: 'is invalid' })
  if (status !== undefined) {
    const error = transitionError(state, appt.pm_status, status)
    if (error) messages.push({ field: 'pm_status', message: error })
  }
  const moves =
    (typeof start === 'number' && start !== appt.startMs) ||
    providerId !== appt.providerId ||
    (type !== undefined && type.length !== appt.length)
  if (moves && appt.pm_status !== null && RELEASED.has(appt.pm_status))
    messages.push({
      field: 'datetime',
      message: `cannot reschedule an appointment that is ${appt.pm_status}`,
    })
  if (messages.length === 0 && provider && type) {
    const newStart = typeof start === 'number' ? start : appt.startMs
    const slot = { start: newStart, end: newStart + type.length * 60_000 }
    if (moves && input.enforce_availability === true && !bookable(state, provider, slot, appt.id))
      messages.push({ field: 'datetime', message: 'This time slot is no longer available' })
    else {
      const now = clock.now().toISOString()
      appt.startMs = newStart
      appt.length = type.length
      appt.providerId = provider.id
      appt.appointmentTypeId = type.id
      if (locationId) appt.locationId = locationId
      if (contactType) appt.contact_type = contactType
      if (typeof input.notes === 'string') appt.notes = input.notes
      const metadata = metadataString(input.metadata)
      if (metadata !== undefined) appt.metadata = metadata
      if (typeof input.confirmed === 'boolean') appt.confirmed = input.confirmed
      if (idOf(input.room_id)) appt.room_id = idOf(input.room_id) ?? null
      if (status !== undefined && status !== appt.pm_status) {
        appt.pm_status = status
        appt.pm_status_changed_at = now
      }
      if (idOf(input.cancellation_reason_id))
        appt.cancellation_reason_id = idOf(input.cancellation_reason_id) ?? null
      if (typeof input.other_cancellation_reason === 'string')
        appt.other_cancellation_reason = input.other_cancellation_reason
      appt.updated_at = now
    }
  }
  return record(ctx, 'updateAppointment', args, 'appointment', appt, messages)
}

function deleteAppointment(_: unknown, args: Args, ctx: HealthieContext) {
  const { state, clock } = ctx
  const input = obj(args.input)
  const appt = state.appointments.get(idOf(input.id) ?? '')
  const messages: FieldError[] = []
  if (!appt || appt.deleted_at !== null) messages.push({ field: 'id', message: 'Appointment not found' })
  else {
    const now = clock.now().toISOString()
    appt.deleted_at = now
    appt.updated_at = now
    const reason = obj(input.cancellation_reason)
    if (idOf(reason.id)) appt.cancellation_reason_id = idOf(reason.id) ?? null
    if (typeof reason.other_cancellation_reason === 'string')
      appt.other_cancellation_reason = reason.other_cancellation_reason
  }
  return record(ctx, 'deleteAppointment', args, 'appointment', appt ?? null, messages)
}

export function appointmentResolvers(): ResolverMap<HealthieContext> {
  return {
    Query: {
      appointment: (_, args: Args, { state }) => {
        const a = state.appointments.get(String(args.id))
        if (!a || (a.deleted_at !== null && args.include_deleted !== true)) return null
        return a
      },
      appointments,
      appointmentBookingWarnings,
    },
    Mutation: { createAppointment, updateAppointment, deleteAppointment },
    Appointment: {
      date: (a: HealthieAppointment, _: Args, { state }: HealthieContext) => iso(a.startMs, state.timeZone),
      start: (a: HealthieAppointment, _: Args, { state }: HealthieContext) =>
        DateTime.fromMillis(a.startMs, { zone: state.timeZone }).toFormat('yyyy-MM-dd HH:mm:ss ZZZ'),
      end: (a: HealthieAppointment, _: Args, { state }: HealthieContext) =>
        DateTime.fromMillis(a.startMs + a.length * 60_000, { zone: state.timeZone }).toFormat(
          'yyyy-MM-dd HH:mm:ss ZZZ',
        ),
      provider: (a: HealthieAppointment, _: Args, { state }: HealthieContext) =>
        state.users.get(a.providerId) ?? null,
      provider_name: (a: HealthieAppointment, _: Args, { state }: HealthieContext) => {
        const p = state.users.get(a.providerId)
        return p ? fullName(p) : null
      },
      other_party_id: (a: HealthieAppointment) => Number(a.providerId),
      user: (a: HealthieAppointment, _: Args, { state }: HealthieContext) =>
        a.patientId ? (state.users.get(a.patientId) ?? null) : null,
      user_id: (a: HealthieAppointment) => (a.patientId ? Number(a.patientId) : null),
      attendees: (a: HealthieAppointment, _: Args, { state }: HealthieContext) => {
        const u = a.patientId ? state.users.get(a.patientId) : undefined
        return u ? [u] : []
      },
      appointment_type: (a: HealthieAppointment, _: Args, { state }: HealthieContext) =>
        state.appointmentTypes.get(a.appointmentTypeId) ?? null,
      appointment_type_id: (a: HealthieAppointment) => Number(a.appointmentTypeId),
      appointment_location_id: (a: HealthieAppointment) => a.locationId,
      location: (a: HealthieAppointment, _: Args, { state }: HealthieContext) =>
        a.locationId ? (state.locations.get(a.locationId)?.location ?? null) : null,
      timezone_abbr: (a: HealthieAppointment, _: Args, { state }: HealthieContext) =>
        DateTime.fromMillis(a.startMs, { zone: state.timeZone }).toFormat('ZZZZ'),
    },
  }
}
