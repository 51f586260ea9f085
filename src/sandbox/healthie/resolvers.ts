import { GraphQLError } from 'graphql'
import { DateTime } from 'luxon'
import { type Clock } from '../core'
import { type ResolverMap } from '../graphql/graphql-http'
import { type Interval, overlaps, slots, within, workingIntervals } from '../graphql/schedule'
import {
  CONTACT_TYPES,
  type HealthieAppointment,
  type HealthieAppointmentType,
  type HealthieClientLocation,
  type HealthieState,
  type HealthieUser,
} from './state'

export interface HealthieContext {
  state: HealthieState
  clock: Clock
  recordWrite(operation: string, input: unknown, outcome: 'applied' | 'rejected', result?: unknown): void
}

type Args = Record<string, unknown>
interface FieldError {
  field: string | null
  message: string
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
const obj = (v: unknown): Args => (typeof v === 'object' && v !== null ? (v as Args) : {})
const idOf = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v)
const bad = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })

/** Statuses after which an appointment no longer holds its slot. */
const RELEASED = new Set(['Cancelled', 'Re-Scheduled', 'Late Cancellation'])
/** Not "active" in Healthie's sense (see `appointments(is_active)`). */
const INACTIVE = new Set(['Cancelled', 'Re-Scheduled', 'No-Show', 'Late Cancellation'])
/** Final statuses: under strict transitions nothing follows them but the same status again. */
const FINAL = new Set(['Occurred', 'No-Show', 'Cancelled', 'Re-Scheduled', 'Late Cancellation'])

// ---------- connections ----------

const encodeCursor = (offset: number) => Buffer.from(String(offset)).toString('base64')
function decodeCursor(cursor: string): number {
  const n = Number(Buffer.from(cursor, 'base64').toString('utf8'))
  if (!Number.isInteger(n) || n < 1) throw bad(`Invalid cursor: ${cursor}`)
  return n
}

/** Relay connection over an already filtered and sorted list; cursors are 1-based offsets, base64-encoded. */
function connection<T>(items: T[], args: Args, state: HealthieState) {
  let from = 0
  let to = items.length
  if (typeof args.after === 'string') from = Math.min(decodeCursor(args.after), items.length)
  if (typeof args.before === 'string')
    to = Math.max(from, Math.min(decodeCursor(args.before) - 1, items.length))
  const limit = (v: unknown) => {
    if (typeof v !== 'number') return undefined
    if (v < 0) throw bad('first and last must not be negative')
    return Math.min(v, state.options.maxPageSize)
  }
  const first = limit(args.first)
  const last = limit(args.last)
  if (first !== undefined) to = Math.min(to, from + first)
  else if (last === undefined) to = Math.min(to, from + state.options.defaultPageSize)
  if (last !== undefined) from = Math.max(from, to - last)
  const edges = items.slice(from, to).map((node, i) => ({ node, cursor: encodeCursor(from + i + 1) }))
  return {
    edges,
    nodes: edges.map((e) => e.node),
    page_info: {
      has_next_page: to < items.length,
      has_previous_page: from > 0,
      start_cursor: edges[0]?.cursor ?? null,
      end_cursor: edges[edges.length - 1]?.cursor ?? null,
    },
    total_count: items.length,
  }
}

// ---------- time ----------

const iso = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString()

/** Wall-clock input in `zone`: "YYYY-MM-DD HH:MM[:SS]", ISO 8601 with or without an offset. */
function parseDateTime(value: string, zone: string): number | undefined {
  const s = value.trim().replace(' ', 'T')
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s) && s.includes('T')
  const dt = DateTime.fromISO(s, hasOffset ? { setZone: true } : { zone })
  return dt.isValid ? dt.toMillis() : undefined
}

function parseTimeOfDay(value: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2})[:\s](\d{2})(?::\d{2})?\s*([AaPp][Mm])?$/.exec(value.trim())
  if (!m) return undefined
  let hour = Number(m[1])
  const minute = Number(m[2])
  const half = m[3]?.toLowerCase()
  if (half === 'pm' && hour < 12) hour += 12
  if (half === 'am' && hour === 12) hour = 0
  return hour < 24 && minute < 60 ? { hour, minute } : undefined
}

/** A calendar day from "2024-05-23", an ISO instant, or the docs' "May 23, 2024". */
function parseDay(value: string, zone: string): DateTime | undefined {
  const s = value.trim()
  const candidates = [
    DateTime.fromISO(s, { zone }),
    DateTime.fromFormat(s, 'MMMM d, yyyy', { zone, locale: 'en-US' }),
    DateTime.fromFormat(s, 'MMM d, yyyy', { zone, locale: 'en-US' }),
  ]
  const day = candidates.find((d) => d.isValid)
  return day?.startOf('day')
}

function zoneOf(v: unknown, state: HealthieState): string {
  const z = str(v)
  return z && DateTime.local().setZone(z).isValid ? z : state.timeZone
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

// ---------- schedule ----------

function providerWorking(state: HealthieState, provider: HealthieUser, from: number, to: number): Interval[] {
  return workingIntervals(
    {
      ...state.workingHours,
      timeZone: state.timeZone,
      days: provider.days.filter((d) => state.workingHours.days.includes(d)),
    },
    from,
    to,
  )
}

const span = (a: HealthieAppointment): Interval => ({ start: a.startMs, end: a.startMs + a.length * 60_000 })

function holdsSlot(a: HealthieAppointment): boolean {
  return a.deleted_at === null && !(a.pm_status !== null && RELEASED.has(a.pm_status))
}

function conflicts(
  state: HealthieState,
  providerId: string,
  slot: Interval,
  except?: string,
): HealthieAppointment[] {
  const out: HealthieAppointment[] = []
  for (const a of state.appointments.values()) {
    if (a.id !== except && a.providerId === providerId && holdsSlot(a) && overlaps(slot, span(a))) out.push(a)
  }
  return out.sort((x, y) => x.startMs - y.startMs)
}

/** What a write may take: a free time, or any time in the provider's hours when overlaps are allowed. */
function bookable(state: HealthieState, provider: HealthieUser, slot: Interval, except?: string): boolean {
  return state.options.allowOverlaps
    ? within(slot, providerWorking(state, provider, slot.start, slot.end))
    : slotAvailable(state, provider, slot, except)
}

/** Free for booking: inside the provider's availability and not taken. */
function slotAvailable(
  state: HealthieState,
  provider: HealthieUser,
  slot: Interval,
  except?: string,
): boolean {
  return (
    within(slot, providerWorking(state, provider, slot.start, slot.end)) &&
    conflicts(state, provider.id, slot, except).length === 0
  )
}

// ---------- users ----------

const fullName = (u: HealthieUser) => `${u.first_name} ${u.last_name}`.trim()

function keywordMatch(u: HealthieUser, term: string): boolean {
  if (u.id === term) return true
  const lower = term.toLowerCase()
  for (const v of [u.first_name, u.last_name, u.legal_name, u.email, u.record_identifier]) {
    if (v?.toLowerCase().includes(lower)) return true
  }
  return u.dob === term
}

const userOrder: Record<string, (a: HealthieUser, b: HealthieUser) => number> = {
  EMAIL_ASC: (a, b) => (a.email ?? '').localeCompare(b.email ?? ''),
  FIRST_NAME_ASC: (a, b) => a.first_name.localeCompare(b.first_name),
  LAST_NAME_ASC: (a, b) => a.last_name.localeCompare(b.last_name) || a.first_name.localeCompare(b.first_name),
  CREATED_AT_ASC: (a, b) => a.created_at.localeCompare(b.created_at) || Number(a.id) - Number(b.id),
  UPDATED_AT_ASC: (a, b) => a.updated_at.localeCompare(b.updated_at) || Number(a.id) - Number(b.id),
}

function sortUsers(users: HealthieUser[], orderBy: unknown): HealthieUser[] {
  if (typeof orderBy !== 'string') return users
  const [key, dir] = [orderBy.replace(/_(ASC|DESC)$/, '_ASC'), orderBy.endsWith('_DESC') ? -1 : 1]
  const cmp = userOrder[key]
  return cmp ? users.sort((a, b) => dir * cmp(a, b)) : users
}

function filterUsers(state: HealthieState, kind: HealthieUser['kind'], args: Args): HealthieUser[] {
  const terms = (str(args.keywords) ?? '').split(/\s+/).filter(Boolean)
  const ids = Array.isArray(args.ids) ? new Set(args.ids.map(String)) : undefined
  const id = idOf(args.id)
  const email = str(args.email)?.toLowerCase()
  const activeStatus = str(args.active_status) ?? 'active'
  const provider = idOf(args.provider_id)
  const out: HealthieUser[] = []
  for (const u of state.users.values()) {
    if (u.kind !== kind) continue
    if (kind === 'patient' && activeStatus === 'active' && !u.active) continue
    if (kind === 'patient' && activeStatus === 'archived' && u.active) continue
    if (ids && !ids.has(u.id)) continue
    if (id && u.id !== id) continue
    if (email && u.email?.toLowerCase() !== email) continue
    if (provider && u.dietitian_id !== provider) continue
    if (terms.every((t) => keywordMatch(u, t))) out.push(u)
  }
  return sortUsers(out, args.order_by)
}

// ---------- mutations ----------

type Payload<K extends string, T> = { [key in K]: T | null } & { messages: FieldError[] | null }

function record<K extends string, T>(
  ctx: HealthieContext,
  operation: string,
  args: Args,
  key: K,
  value: T | null,
  messages: FieldError[],
): Payload<K, T> {
  const payload = {
    [key]: messages.length > 0 ? null : value,
    messages: messages.length > 0 ? messages : null,
  } as Payload<K, T>
  ctx.recordWrite(operation, args, messages.length > 0 ? 'rejected' : 'applied', payload)
  return payload
}

const metadataString = (v: unknown): string | null | undefined =>
  v === undefined ? undefined : v === null ? null : typeof v === 'string' ? v : JSON.stringify(v)

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

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/** The new value of a nullable text field: undefined when not given, null when cleared. */
const text = (v: unknown): string | null | undefined =>
  v === undefined ? undefined : v === null ? null : String(v).trim() === '' ? null : String(v).trim()

const LOCATION_FIELDS = ['name', 'line1', 'line2', 'city', 'state', 'zip', 'country'] as const

/**
 * The client's address after a ClientLocationInput: with the id of their location it is changed in
 * place (only the fields given), `_destroy` removes it, and without an id it becomes their address.
 */
function nextLocation(
  state: HealthieState,
  user: HealthieUser,
  input: Args,
  messages: FieldError[],
): HealthieClientLocation | null {
  const id = idOf(input.id)
  const current = user.location
  if (id && current?.id !== id) {
    messages.push({ field: 'location', message: 'Location not found' })
    return current
  }
  if (id && input._destroy === true) return null
  const base: HealthieClientLocation =
    id && current
      ? { ...current }
      : {
          id: '',
          user_id: user.id,
          name: null,
          line1: null,
          line2: null,
          city: null,
          state: null,
          zip: null,
          country: null,
        }
  for (const f of LOCATION_FIELDS) {
    const v = text(input[f])
    if (v !== undefined) base[f] = v
  }
  if (!base.id) base.id = state.ids.next('clientLocation')
  return base
}

const sameLocation = (a: HealthieClientLocation | null, b: HealthieClientLocation | null) =>
  a === b || (!!a && !!b && a.id === b.id && LOCATION_FIELDS.every((f) => a[f] === b[f]))

// ---------- resolvers ----------

export function healthieResolvers(): ResolverMap<HealthieContext> {
  return {
    Query: {
      currentUser: (_, __, { state }) => state.users.get(state.apiUserId) ?? null,
      appointmentSetting: (_, __, { state }) => ({
        id: 'appointment-setting-1',
        enable_checked_in_status: state.options.checkInEnabled,
        enable_late_cancellation_status: state.options.lateCancellationEnabled,
        pm_statuses: state.allowedStatuses(),
      }),
      user: (_, args: Args, { state }) => {
        const id = idOf(args.id)
        if (id) return state.users.get(id) ?? null
        const email = str(args.email)?.toLowerCase()
        if (email) return [...state.users.values()].find((u) => u.email?.toLowerCase() === email) ?? null
        return args.or_current_user === true ? (state.users.get(state.apiUserId) ?? null) : null
      },
      users: (_, args: Args, { state }) => connection(filterUsers(state, 'patient', args), args, state),
      organizationMembers: (_, args: Args, { state }) =>
        connection(filterUsers(state, 'provider', args), args, state),
      appointmentType: (_, args: Args, { state }) => state.appointmentTypes.get(String(args.id)) ?? null,
      appointmentTypes: (_, args: Args, { state }) => {
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
        return connection(types, args, state)
      },
      appointmentLocations: (_, args: Args, { state }) => {
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
        return connection(locations, args, state)
      },
      contactTypes: () => [...CONTACT_TYPES],
      availableSlotsForRange: (_, args: Args, { state, clock }) => {
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
      },
      appointment: (_, args: Args, { state }) => {
        const a = state.appointments.get(String(args.id))
        if (!a || (a.deleted_at !== null && args.include_deleted !== true)) return null
        return a
      },
      appointments: (_, args: Args, { state, clock }) => {
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
            ...(Array.isArray(args.filter_by_appointment_type_ids)
              ? args.filter_by_appointment_type_ids
              : []),
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
        return connection(found, args, state)
      },
      appointmentBookingWarnings: (_, args: Args, { state }) => {
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
      },
    },
    Mutation: {
      createClient: (_, args: Args, ctx) => {
        const { state, clock } = ctx
        const input = obj(args.input)
        const messages: FieldError[] = []
        const first = str(input.first_name)
        const last = str(input.last_name)
        const email = str(input.email)
        if (!first) messages.push({ field: 'first_name', message: "can't be blank" })
        if (!last) messages.push({ field: 'last_name', message: "can't be blank" })
        if (!email && input.skipped_email !== true)
          messages.push({ field: 'email', message: "can't be blank" })
        if (email && !EMAIL.test(email)) messages.push({ field: 'email', message: 'is invalid' })
        if (email && [...state.users.values()].some((u) => u.email?.toLowerCase() === email.toLowerCase()))
          messages.push({ field: 'email', message: 'has already been taken' })
        const dob = str(input.dob)
        if (dob && !(/^\d{4}-\d{2}-\d{2}$/.test(dob) && DateTime.fromISO(dob).isValid))
          messages.push({ field: 'dob', message: 'is invalid' })
        const dietitian = idOf(input.dietitian_id) ?? state.apiUserId
        if (state.users.get(dietitian)?.kind !== 'provider')
          messages.push({ field: 'dietitian_id', message: 'not found' })
        let user: HealthieUser | null = null
        if (messages.length === 0) {
          const now = clock.now().toISOString()
          user = {
            id: state.ids.next('user'),
            kind: 'patient',
            active: true,
            first_name: first ?? '',
            last_name: last ?? '',
            legal_name: str(input.legal_name) ?? null,
            dob: dob ?? null,
            gender: str(input.gender) ?? null,
            sex: null,
            email: email ?? null,
            phone_number: str(input.phone_number) ?? null,
            record_identifier: idOf(input.record_identifier) ?? null,
            additional_record_identifier: idOf(input.additional_record_identifier) ?? null,
            location: null,
            dietitian_id: dietitian,
            timezone: zoneOf(input.timezone, state),
            metadata: metadataString(input.metadata) ?? null,
            qualifications: null,
            npi: null,
            is_active_provider: false,
            is_org_admin: false,
            created_at: now,
            updated_at: now,
            role: null,
            locationId: null,
            days: [],
          }
          state.users.set(user.id, user)
        }
        return record(ctx, 'createClient', args, 'user', user, messages)
      },
      /**
       * Only the fields given change; a value the client already holds changes nothing (not even
       * updated_at). Problems answer in `messages` and change nothing.
       */
      updateClient: (_, args: Args, ctx) => {
        const { state, clock } = ctx
        const input = obj(args.input)
        const messages: FieldError[] = []
        const user = state.users.get(idOf(input.id) ?? '')
        if (!user || user.kind !== 'patient') {
          messages.push({ field: 'id', message: 'User not found' })
          return record(ctx, 'updateClient', args, 'user', null, messages)
        }
        const next: HealthieUser = { ...user }
        for (const f of ['first_name', 'last_name'] as const) {
          if (input[f] === undefined) continue
          const v = str(input[f])
          if (!v) messages.push({ field: f, message: "can't be blank" })
          else next[f] = v
        }
        if (input.email !== undefined) {
          const email = str(input.email)
          if (!email) {
            if (input.skipped_email === true) next.email = null
            else messages.push({ field: 'email', message: "can't be blank" })
          } else if (!EMAIL.test(email)) messages.push({ field: 'email', message: 'is invalid' })
          else if (
            [...state.users.values()].some(
              (u) => u.id !== user.id && u.email?.toLowerCase() === email.toLowerCase(),
            )
          )
            messages.push({ field: 'email', message: 'has already been taken' })
          else next.email = email
        }
        if (input.dob !== undefined) {
          const dob = str(input.dob)
          if (dob && !(/^\d{4}-\d{2}-\d{2}$/.test(dob) && DateTime.fromISO(dob).isValid))
            messages.push({ field: 'dob', message: 'is invalid' })
          else next.dob = dob ?? null
        }
        for (const f of ['phone_number', 'legal_name', 'gender'] as const) {
          const v = text(input[f])
          if (v !== undefined) next[f] = v
        }
        for (const f of ['record_identifier', 'additional_record_identifier'] as const) {
          if (input[f] !== undefined) next[f] = idOf(input[f]) ?? null
        }
        const metadata = metadataString(input.metadata)
        if (metadata !== undefined) next.metadata = metadata
        if (input.timezone !== undefined) next.timezone = zoneOf(input.timezone, state)
        if (typeof input.active === 'boolean') next.active = input.active
        if (input.location !== undefined && input.location !== null)
          next.location = nextLocation(state, user, obj(input.location), messages)
        if (messages.length > 0) return record(ctx, 'updateClient', args, 'user', null, messages)
        const changed =
          !sameLocation(user.location, next.location) ||
          (Object.keys(next) as (keyof HealthieUser)[]).some((k) => k !== 'location' && next[k] !== user[k])
        if (changed) {
          Object.assign(user, next, { updated_at: clock.now().toISOString() })
        }
        return record(ctx, 'updateClient', args, 'user', user, messages)
      },
      createAppointment: (_, args: Args, ctx) => {
        const { state, clock } = ctx
        const input = obj(args.input)
        const messages: FieldError[] = []
        const zone = zoneOf(input.timezone, state)
        const isBlocker = input.is_blocker === true
        const patientId = idOf(input.user_id)
        const patient = patientId ? state.users.get(patientId) : undefined
        if (!isBlocker && !patientId) messages.push({ field: 'user_id', message: "can't be blank" })
        else if (patientId && patient?.kind !== 'patient')
          messages.push({ field: 'user_id', message: 'not found' })
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
      },
      updateAppointment: (_, args: Args, ctx) => {
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
      },
      deleteAppointment: (_, args: Args, ctx) => {
        const { state, clock } = ctx
        const input = obj(args.input)
        const appt = state.appointments.get(idOf(input.id) ?? '')
        const messages: FieldError[] = []
        if (!appt || appt.deleted_at !== null)
          messages.push({ field: 'id', message: 'Appointment not found' })
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
      },
    },
    User: {
      locations: (u: HealthieUser) => (u.location ? [u.location] : []),
      full_name: (u: HealthieUser) => fullName(u),
      name: (u: HealthieUser) => fullName(u),
      next_appt_date: (u: HealthieUser, _: Args, { state, clock }: HealthieContext) => {
        const now = clock.now().getTime()
        let next: number | undefined
        for (const a of state.appointments.values()) {
          const mine = u.kind === 'patient' ? a.patientId === u.id : a.providerId === u.id
          if (mine && holdsSlot(a) && a.startMs >= now && (next === undefined || a.startMs < next))
            next = a.startMs
        }
        return next === undefined ? null : iso(next, state.timeZone)
      },
      // A provider offers the types of their role: GPs the GP appointments, nurses the nurse ones.
      appointment_types: (u: HealthieUser, args: Args, { state }: HealthieContext) => {
        if (u.kind !== 'provider' || !u.role) return []
        const ids = Array.isArray(args.appointment_type_ids)
          ? new Set(args.appointment_type_ids.map(String))
          : undefined
        return [...state.appointmentTypes.values()]
          .filter(
            (t) =>
              t.deleted_at === null &&
              t.roles.includes(u.role!) &&
              (!ids || ids.has(t.id)) &&
              (args.require_client_bookable !== true || t.clients_can_book),
          )
          .sort((a, b) => a.position - b.position)
      },
    },
    AppointmentType: {
      user_id: (t: HealthieAppointmentType) => t.user_id,
    },
    Location: {
      to_oneline: (l: HealthieClientLocation) =>
        [l.line1, l.line2, l.city, l.state, l.zip, l.country].filter(Boolean).join(', '),
    },
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
