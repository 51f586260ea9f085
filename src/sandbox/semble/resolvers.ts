import { GraphQLError } from 'graphql'
import { isValidNhsNumber } from '../../shared/nhs-number'
import { type Clock } from '../core'
import { type ResolverMap } from '../graphql/graphql-http'
import { type Interval, overlaps, slots, subtract, workingIntervals } from '../graphql/schedule'
import {
  type SembleBooking,
  type SembleJourney,
  type SemblePatient,
  type SembleState,
  type SembleUser,
  SIGN_IN_TOKEN_HOURS,
} from './state'

export interface SembleContext {
  state: SembleState
  clock: Clock
  recordWrite(operation: string, input: unknown, outcome: 'applied' | 'rejected', result?: unknown): void
}

type Args = Record<string, unknown>
interface Payload<T> {
  data: T | null
  error: string | null
}

const MAX_AVAILABILITY_HOURS = 168

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined)
const obj = (v: unknown): Args => (typeof v === 'object' && v !== null ? (v as Args) : {})

/** Semble's `Date` inputs are ISO strings; a plain date means midnight UTC. */
function instant(v: unknown): number | undefined {
  const s = str(v)
  if (!s) return undefined
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s)
  return Number.isNaN(ms) ? undefined : ms
}

function plainDate(v: unknown): string | undefined {
  const s = str(v)
  if (!s) return undefined
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s)
  return m && !Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`)) ? m[1] : undefined
}

const fail = <T>(error: string): Payload<T> => ({ data: null, error })
const ok = <T>(data: T): Payload<T> => ({ data, error: null })

function page<T>(
  items: T[],
  pagination: unknown,
  state: SembleState,
): { data: T[]; pageInfo: { hasMore: boolean } } {
  const p = obj(pagination)
  const number = typeof p.page === 'number' ? p.page : 1
  if (number < 1)
    throw new GraphQLError('pagination.page starts at 1', { extensions: { code: 'BAD_USER_INPUT' } })
  const requested = typeof p.pageSize === 'number' ? p.pageSize : state.options.defaultPageSize
  if (requested < 1)
    throw new GraphQLError('pagination.pageSize must be positive', { extensions: { code: 'BAD_USER_INPUT' } })
  const size = Math.min(requested, state.options.maxPageSize)
  const from = (number - 1) * size
  return { data: items.slice(from, from + size), pageInfo: { hasMore: items.length > from + size } }
}

function inRange(iso: string, range: unknown): boolean {
  const r = obj(range)
  const t = Date.parse(iso)
  const start = instant(r.start)
  const end = instant(r.end)
  return (start === undefined || t >= start) && (end === undefined || t <= end)
}

function passesOptions(
  item: { createdAt: string; updatedAt: string; deleted: boolean },
  options: unknown,
): boolean {
  const o = obj(options)
  if (item.deleted && o.includeDeleted !== true) return false
  if (o.createdAt && !inRange(item.createdAt, o.createdAt)) return false
  if (o.updatedAt && !inRange(item.updatedAt, o.updatedAt)) return false
  return true
}

const digits = (s: string) => {
  const d = s.replace(/\D/g, '')
  return d.startsWith('44') ? `0${d.slice(2)}` : d
}

function matchesTerm(p: SemblePatient, term: string, phone: boolean): boolean {
  if (p.firstName.toLowerCase().includes(term) || p.lastName.toLowerCase().includes(term)) return true
  if (p.email?.toLowerCase().includes(term)) return true
  if (p.birthDate) {
    const [y, m, d] = p.birthDate.split('-')
    if (p.birthDate === term || `${d}/${m}/${y}` === term) return true
  }
  if (phone) {
    const t = digits(term)
    if (
      t.length >= 6 &&
      /^[+\d\s()-]+$/.test(term) &&
      p.phones.some((ph) => digits(ph.phoneNumber).includes(t))
    )
      return true
  }
  return false
}

function bookingConflict(
  state: SembleState,
  b: { doctorId: string; start: string; end: string },
  except?: string,
) {
  const slot = { start: Date.parse(b.start), end: Date.parse(b.end) }
  for (const other of state.bookings.values()) {
    if (other.deleted || other.id === except || other.doctorId !== b.doctorId) continue
    if (overlaps(slot, { start: Date.parse(other.start), end: Date.parse(other.end) })) return other
  }
  return undefined
}

function record<T>(ctx: SembleContext, operation: string, input: Args, result: Payload<T>): Payload<T> {
  ctx.recordWrite(operation, input, result.error === null ? 'applied' : 'rejected', result)
  return result
}

interface BookingFields {
  patient?: string
  location?: string
  bookingType?: string
  doctor?: string
  comments?: string | null
  start?: number
  end?: number
}

function readBookingInput(input: Args): BookingFields | string {
  const out: BookingFields = {}
  for (const key of ['patient', 'location', 'bookingType', 'doctor'] as const) {
    if (input[key] !== undefined && input[key] !== null) out[key] = String(input[key])
  }
  if (input.comments !== undefined) out.comments = typeof input.comments === 'string' ? input.comments : null
  for (const key of ['start', 'end'] as const) {
    if (input[key] === undefined || input[key] === null) continue
    const ms = instant(input[key])
    if (ms === undefined) return `Invalid ${key} date`
    out[key] = ms
  }
  return out
}

/** Checks the references of a booking (all required on create) and its times. */
function checkBooking(state: SembleState, f: Required<Omit<BookingFields, 'comments'>>): string | undefined {
  if (!state.patients.get(f.patient) || state.patients.get(f.patient)?.deleted) return 'Patient not found'
  const doctor = state.users.get(f.doctor)
  if (!doctor || doctor.deleted) return 'Doctor not found'
  if (!doctor.isDoctor) return 'The selected user is not a clinician'
  if (!state.locations.has(f.location)) return 'Location not found'
  if (!state.bookingTypes.has(f.bookingType)) return 'Booking type not found'
  if (f.end <= f.start) return 'The booking must end after it starts'
  return undefined
}

function roomFor(state: SembleState, doctorId: string, locationId: string): string {
  const doctor = state.users.get(doctorId)
  const location = state.locations.get(locationId)
  if (doctor?.roomName && doctor.locationId === locationId) return doctor.roomName
  return location?.rooms[0]?.name ?? location?.name ?? ''
}

/** Every product: the booking types (bookable) and the retail ones, as Semble's `Product`. */
function productsOf(state: SembleState) {
  const bookable = [...state.bookingTypes.values()].map((t) => ({
    id: t.id,
    status: 'active',
    productType: 'service',
    itemCode: null,
    name: t.title,
    price: t.price,
    isBookable: true,
    duration: t.duration,
    color: null,
    isVideoConsultation: false,
    requiresPayment: false,
    requiresConfirmation: false,
  }))
  const retail = state.retailProducts.map((p) => ({
    id: p.id,
    status: 'active',
    productType: 'product',
    itemCode: null,
    name: p.name,
    price: p.price,
    isBookable: false,
    duration: null,
    color: null,
    isVideoConsultation: false,
    requiresPayment: false,
    requiresConfirmation: false,
  }))
  return [...bookable, ...retail]
}

const JOURNEY_STAGES = ['arrived', 'consultation', 'departed', 'dna'] as const

function fullName(u: { title: string | null; firstName: string; lastName: string }, withTitle: boolean) {
  return [withTitle ? u.title : null, u.firstName, u.lastName].filter(Boolean).join(' ')
}

export function sembleResolvers(): ResolverMap<SembleContext> {
  const createPatient = (_: unknown, args: Args, ctx: SembleContext) => {
    const input = obj(args.patientData)
    const first = str(input.first)
    const last = str(input.last)
    const result = ((): Payload<SemblePatient> => {
      if (!args.patientData) return fail('patientData is required')
      if (!first) return fail('First name is required')
      if (!last) return fail('Last name is required')
      let birthDate: string | null = null
      if (input.dob !== undefined && input.dob !== null) {
        birthDate = plainDate(input.dob) ?? null
        if (!birthDate) return fail('Invalid date of birth')
      }
      const { state, clock } = ctx
      const now = clock.now()
      const phone = str(input.phoneNumber)
      const patient: SemblePatient = {
        id: state.ids.next('patient', now),
        title: str(input.title) ?? null,
        status: 'active',
        firstName: first,
        lastName: last,
        birthDate,
        gender: str(input.gender) ?? null,
        sex: str(input.sex) ?? null,
        email: str(input.email) ?? null,
        paymentReference: str(input.paymentReference) ?? null,
        phones: phone
          ? [
              {
                phoneId: state.ids.next('phone', now),
                phoneType: str(input.phoneType) ?? 'Mobile',
                phoneNumber: phone,
              },
            ]
          : [],
        address: {
          address: str(input.address) ?? null,
          city: str(input.city) ?? null,
          postcode: str(input.postcode) ?? null,
          country: str(input.country) ?? null,
        },
        numbers: [],
        comments: typeof input.comments === 'string' ? input.comments : null,
        onHold: false,
        deleted: false,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      }
      state.patients.set(patient.id, patient)
      return ok(patient)
    })()
    return record(ctx, 'createPatient', args, result)
  }

  const withPatient = (
    operation: string,
    args: Args,
    ctx: SembleContext,
    change: (p: SemblePatient, now: Date) => string | undefined,
  ) => {
    const patient = ctx.state.patients.get(String(args.patientId))
    let result: Payload<SemblePatient>
    if (!patient || patient.deleted) result = fail('Patient not found')
    else {
      const now = ctx.clock.now()
      const error = change(patient, now)
      if (error) result = fail(error)
      else {
        patient.updatedAt = now.toISOString()
        result = ok(patient)
      }
    }
    return record(ctx, operation, args, result)
  }

  const withBooking = (
    operation: string,
    args: Args,
    ctx: SembleContext,
    change: (b: SembleBooking, now: Date) => string | undefined,
  ) => {
    const booking = ctx.state.bookings.get(String(args.id))
    let result: Payload<SembleBooking>
    if (!booking) result = fail('Booking not found')
    else {
      const now = ctx.clock.now()
      const error = change(booking, now)
      if (error) result = fail(error)
      else {
        booking.updatedAt = now.toISOString()
        result = ok(booking)
      }
    }
    return record(ctx, operation, args, result)
  }

  return {
    Query: {
      patient: (_, args: Args, { state }) => {
        const p = state.patients.get(String(args.id))
        return p && !p.deleted ? p : null
      },
      patients: (_, args: Args, { state }) => {
        const terms = (str(args.search) ?? '').toLowerCase().split(/\s+/).filter(Boolean)
        const phone = state.options.searchMatchesPhone
        const found: SemblePatient[] = []
        for (const p of state.patients.values()) {
          if (!passesOptions(p, args.options)) continue
          if (terms.every((t) => matchesTerm(p, t, phone))) found.push(p)
        }
        return page(found, args.pagination, state)
      },
      booking: (_, args: Args, { state }) => state.bookings.get(String(args.id)) ?? null,
      bookings: (_, args: Args, { state }) => {
        const found = [...state.bookings.values()].filter(
          (b) => passesOptions(b, args.options) && (!args.dateRange || inRange(b.start, args.dateRange)),
        )
        found.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id))
        return page(found, args.pagination, state)
      },
      users: (_, args: Args, { state }) => {
        const o = obj(args.options)
        const search = (str(o.search) ?? '').toLowerCase()
        const found = [...state.users.values()].filter(
          (u) =>
            passesOptions(u, o) &&
            (o.cliniciansOnly !== true || u.isDoctor) &&
            (!search || `${u.firstName} ${u.lastName} ${u.email}`.toLowerCase().includes(search)),
        )
        return page(found, args.pagination, state)
      },
      availabilities: (_, args: Args, { state, clock }) => {
        const range = obj(args.dateRange)
        const start = instant(range.start)
        const end = instant(range.end)
        const bad = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })
        if (start === undefined || end === undefined)
          throw bad('dateRange.start and dateRange.end are required')
        if (end <= start) throw bad('dateRange.end must be after dateRange.start')
        if (end - start > MAX_AVAILABILITY_HOURS * 3_600_000)
          throw bad(`The date range cannot be longer than ${MAX_AVAILABILITY_HOURS} hours`)
        const location = state.locations.get(String(args.locationId))
        if (!location) throw bad('Location not found')
        const doctors = [...state.users.values()].filter(
          (u) =>
            u.isDoctor &&
            !u.deleted &&
            u.locationId === location.id &&
            (args.doctorId === undefined || args.doctorId === null || u.id === String(args.doctorId)),
        )
        const from = Math.max(start, clock.now().getTime())
        const step = state.options.availabilitySlotMinutes
        const out: { start: string; end: string; doctor: SembleUser }[] = []
        for (const doctor of doctors) {
          const working = workingIntervals(
            {
              ...state.workingHours,
              timeZone: state.timeZone,
              days: doctor.days.filter((d) => state.workingHours.days.includes(d)),
            },
            from,
            end,
          )
          const busy: Interval[] = []
          for (const b of state.bookings.values()) {
            if (!b.deleted && b.doctorId === doctor.id)
              busy.push({ start: Date.parse(b.start), end: Date.parse(b.end) })
          }
          const free = step
            ? slots(working, step * 60_000, step * 60_000).filter((s) => !busy.some((b) => overlaps(s, b)))
            : subtract(working, busy)
          for (const s of free)
            out.push({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), doctor })
        }
        out.sort((a, b) => a.start.localeCompare(b.start) || a.doctor.id.localeCompare(b.doctor.id))
        return { data: out }
      },
      availabilitySettings: (_, __, { state }) => state.availabilitySettings,
      products: (_, args: Args, { state }) => {
        const search = (str(args.search) ?? '').toLowerCase()
        const found = productsOf(state).filter((p) => !search || p.name.toLowerCase().includes(search))
        return page(found, args.pagination, state)
      },
      product: (_, args: Args, { state }) => productsOf(state).find((p) => p.id === String(args.id)) ?? null,
    },
    Mutation: {
      signIn: (_, args: Args, ctx) => {
        const { state, clock } = ctx
        const input = { email: args.email, password: '[redacted]' }
        if (args.email !== state.signIn.email || args.password !== state.signIn.password) {
          ctx.recordWrite('signIn', input, 'rejected')
          throw new GraphQLError('Invalid email or password', { extensions: { code: 'UNAUTHENTICATED' } })
        }
        const token = state.issueSessionToken(state.signIn.userId, clock.now())
        ctx.recordWrite('signIn', input, 'applied', { validForHours: SIGN_IN_TOKEN_HOURS })
        return { token }
      },
      createPatient,
      addPatientPhoneNumber: (_, args: Args, ctx) =>
        withPatient('addPatientPhoneNumber', args, ctx, (p, now) => {
          const data = obj(args.phoneData)
          const number = str(data.phoneNumber)
          if (!number) return 'Phone number is required'
          p.phones.push({
            phoneId: ctx.state.ids.next('phone', now),
            phoneType: str(data.phoneType) ?? 'Mobile',
            phoneNumber: number,
          })
          return undefined
        }),
      addPatientNumber: (_, args: Args, ctx) =>
        withPatient('addPatientNumber', args, ctx, (p, now) => {
          const data = obj(args.patientNumber)
          const typeId = String(data.numberId)
          const name = ctx.state.numberTypes.get(typeId)
          if (!name) return 'Patient number type not found'
          const value = String(data.value ?? '').trim()
          if (!value) return 'A value is required'
          if (
            typeId === ctx.state.nhsNumberTypeId &&
            ctx.state.options.validateNhsNumbers &&
            !isValidNhsNumber(value)
          )
            return 'Invalid NHS number'
          if (p.numbers.some((n) => n.numberTypeId === typeId)) return `The patient already has a ${name}`
          p.numbers.push({ id: ctx.state.ids.next('patientNumber', now), numberTypeId: typeId, name, value })
          return undefined
        }),
      updatePatientNumber: (_, args: Args, ctx) =>
        withPatient('updatePatientNumber', args, ctx, (p) => {
          const n = p.numbers.find((x) => x.id === String(args.patientNumberId))
          if (!n) return 'Patient number not found'
          const value = typeof args.value === 'string' ? args.value.trim() : ''
          if (
            n.numberTypeId === ctx.state.nhsNumberTypeId &&
            ctx.state.options.validateNhsNumbers &&
            !isValidNhsNumber(value)
          )
            return 'Invalid NHS number'
          n.value = value
          return undefined
        }),
      createBooking: (_, args: Args, ctx) => {
        const { state, clock } = ctx
        const result = ((): Payload<SembleBooking> => {
          if (!args.bookingData) return fail('bookingData is required')
          const f = readBookingInput(obj(args.bookingData))
          if (typeof f === 'string') return fail(f)
          for (const key of ['patient', 'location', 'bookingType', 'doctor', 'start', 'end'] as const)
            if (f[key] === undefined) return fail(`${key} is required`)
          const full = f as Required<BookingFields>
          const error = checkBooking(state, full)
          if (error) return fail(error)
          const candidate = {
            doctorId: full.doctor,
            start: new Date(full.start).toISOString(),
            end: new Date(full.end).toISOString(),
          }
          if (!state.options.allowDoubleBooking && bookingConflict(state, candidate))
            return fail('The doctor already has a booking at this time')
          const now = clock.now()
          const messages = obj(obj(args.bookingData).sendPatientMessages)
          const booking: SembleBooking = {
            id: state.ids.next('booking', now),
            deleted: false,
            cancellationReason: null,
            ...candidate,
            locationId: full.location,
            roomName: roomFor(state, full.doctor, full.location),
            bookingTypeId: full.bookingType,
            patientId: full.patient,
            bookingJourney: { arrived: null, consultation: null, departed: null, dna: null },
            createdAt: now.toISOString(),
            updatedAt: now.toISOString(),
            videoUrl: null,
            comments: full.comments ?? null,
            reference: state.nextBookingReference(),
            billed: false,
            patientMessagesSent: {
              confirmation: messages.confirmation === true,
              reminder: messages.reminder === true,
              followup: messages.followup === true,
              cancellation: false,
            },
            onlineBookingPaymentStatus: null,
          }
          state.bookings.set(booking.id, booking)
          return ok(booking)
        })()
        return record(ctx, 'createBooking', args, result)
      },
      updateBooking: (_, args: Args, ctx) =>
        withBooking('updateBooking', args, ctx, (b) => {
          const { state } = ctx
          if (b.deleted) return 'Cannot update a deleted booking'
          const f = readBookingInput(obj(args.bookingData))
          if (typeof f === 'string') return f
          if (f.patient !== undefined && f.patient !== b.patientId)
            return 'The patient of a booking cannot be changed'
          if (!state.options.updateKeepsOmitted) {
            const left = (['doctor', 'location', 'bookingType', 'start', 'end'] as const).find(
              (k) => f[k] === undefined,
            )
            if (left) return `bookingData.${left} is required`
          }
          const next = {
            patient: b.patientId,
            doctor: f.doctor ?? b.doctorId,
            location: f.location ?? b.locationId,
            bookingType: f.bookingType ?? b.bookingTypeId,
            start: f.start ?? Date.parse(b.start),
            end: f.end ?? Date.parse(b.end),
          }
          const error = checkBooking(state, next)
          if (error) return error
          const times = {
            doctorId: next.doctor,
            start: new Date(next.start).toISOString(),
            end: new Date(next.end).toISOString(),
          }
          if (!state.options.allowDoubleBooking && bookingConflict(state, times, b.id))
            return 'The doctor already has a booking at this time'
          if (next.doctor !== b.doctorId || next.location !== b.locationId)
            b.roomName = roomFor(state, next.doctor, next.location)
          Object.assign(b, times, { locationId: next.location, bookingTypeId: next.bookingType })
          if (f.comments !== undefined) b.comments = f.comments
          else if (!state.options.updateKeepsOmitted) b.comments = null
          return undefined
        }),
      deleteBooking: (_, args: Args, ctx) =>
        withBooking('deleteBooking', args, ctx, (b) => {
          if (b.deleted) return 'Booking has already been deleted'
          b.deleted = true
          if (args.sendCancellationMessages === true) b.patientMessagesSent.cancellation = true
          return undefined
        }),
      updateBookingJourney: (_, args: Args, ctx) =>
        withBooking('updateBookingJourney', args, ctx, (b, now) => {
          if (b.deleted) return 'Cannot update the journey of a deleted booking'
          const input = obj(args.bookingJourneyInput)
          const stage = input.journeyStage as (typeof JOURNEY_STAGES)[number] | undefined
          if (!stage || !JOURNEY_STAGES.includes(stage)) return 'journeyStage is required'
          let at = now.toISOString()
          if (input.date !== undefined && input.date !== null) {
            const day = /^\d{4}-\d{2}-\d{2}$/.test(String(input.date))
            const ms = instant(input.date)
            if (ms === undefined) return 'Invalid date'
            // A plain date (what Semble's own n8n node sends) means "now" when it is today.
            if (!day || String(input.date) !== at.slice(0, 10)) at = new Date(ms).toISOString()
          }
          const journey: SembleJourney = b.bookingJourney
          journey[stage] = at
          return undefined
        }),
    },
    Patient: {
      fullName: (p: SemblePatient) => fullName(p, false),
      dob: (p: SemblePatient, _: Args, { state }: SembleContext) =>
        p.birthDate && state.options.dobFormat === 'datetime' ? `${p.birthDate}T00:00:00.000Z` : p.birthDate,
      bookings: (p: SemblePatient, args: Args, { state }: SembleContext) => {
        const range = { start: args.start, end: args.end }
        return [...state.bookings.values()]
          .filter((b) => b.patientId === p.id && !b.deleted && inRange(b.start, range))
          .sort((a, b) => a.start.localeCompare(b.start))
      },
    },
    User: {
      fullName: (u: SembleUser) => fullName(u, true),
      servicesProvided: (u: SembleUser, _: Args, { state }: SembleContext) =>
        productsOf(state).filter((p) => u.servicesProvided.includes(p.id)),
    },
    Booking: {
      doctorName: (b: SembleBooking, _: Args, { state }: SembleContext) => {
        const u = state.users.get(b.doctorId)
        return u ? fullName(u, true) : null
      },
      doctor: (b: SembleBooking, _: Args, { state }: SembleContext) => state.users.get(b.doctorId) ?? null,
      // The room booked: `name` is the room, `groupName` the practice location (release note 2026-10-16).
      location: (b: SembleBooking, _: Args, { state }: SembleContext) => {
        const l = state.locations.get(b.locationId)
        const room = l?.rooms.find((r) => r.name === b.roomName)
        return {
          id: room?.id ?? b.locationId,
          name: b.roomName,
          groupName: l?.name ?? null,
          address: l?.address ?? null,
        }
      },
      appointment: (b: SembleBooking, _: Args, { state }: SembleContext) =>
        state.bookingTypes.get(b.bookingTypeId) ?? null,
      patient: (b: SembleBooking, _: Args, { state }: SembleContext) =>
        state.patients.get(b.patientId) ?? null,
      patientId: (b: SembleBooking) => b.patientId,
    },
    AvailabilitySettings: {
      location: (a: { locationId: string }, _: Args, { state }: SembleContext) =>
        state.locations.get(a.locationId) ?? null,
      doctor: (a: { doctorId: string }, _: Args, { state }: SembleContext) =>
        state.users.get(a.doctorId) ?? null,
      createdBy: () => null,
    },
  }
}
