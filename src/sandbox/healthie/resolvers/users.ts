/** Clients and organization members: the user queries, createClient/updateClient and the User fields. */
import { DateTime } from 'luxon'
import { type ResolverMap } from '../../graphql/graphql-http'
import { type HealthieClientLocation, type HealthieState, type HealthieUser } from '../state'
import { holdsSlot } from './calendar'
import {
  type Args,
  listAnswer,
  type FieldError,
  fullName,
  type HealthieContext,
  idOf,
  iso,
  metadataString,
  obj,
  record,
  str,
  zoneOf,
} from './shared'

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

function createClient(_: unknown, args: Args, ctx: HealthieContext) {
  const { state, clock } = ctx
  const input = obj(args.input)
  const messages: FieldError[] = []
  const first = str(input.first_name)
  const last = str(input.last_name)
  const email = str(input.email)
  if (!first) messages.push({ field: 'first_name', message: "can't be blank" })
  if (!last) messages.push({ field: 'last_name', message: "can't be blank" })
  if (!email && input.skipped_email !== true) messages.push({ field: 'email', message: "can't be blank" })
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
}

/**
 * Only the fields given change; a value the client already holds changes nothing (not even
 * updated_at). Problems answer in `messages` and change nothing.
 */
function updateClient(_: unknown, args: Args, ctx: HealthieContext) {
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
}

export function userResolvers(): ResolverMap<HealthieContext> {
  return {
    Query: {
      currentUser: (_, __, { state }) => state.users.get(state.apiUserId) ?? null,
      user: (_, args: Args, { state }) => {
        const id = idOf(args.id)
        if (id) return state.users.get(id) ?? null
        const email = str(args.email)?.toLowerCase()
        if (email) return [...state.users.values()].find((u) => u.email?.toLowerCase() === email) ?? null
        return args.or_current_user === true ? (state.users.get(state.apiUserId) ?? null) : null
      },
      users: (_, args: Args, ctx) => listAnswer(filterUsers(ctx.state, 'patient', args), args, ctx),
      organizationMembers: (_, args: Args, ctx) =>
        listAnswer(filterUsers(ctx.state, 'provider', args), args, ctx),
    },
    Mutation: { createClient, updateClient },
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
    Location: {
      to_oneline: (l: HealthieClientLocation) =>
        [l.line1, l.line2, l.city, l.state, l.zip, l.country].filter(Boolean).join(', '),
    },
  }
}
