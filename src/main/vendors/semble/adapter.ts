/**
 * Semble (Heydoc) over GraphQL. Business failures come back as HTTP 200 with `{ data: null, error }`
 * on the mutation payload; transport and auth failures in `errors[]`.
 *
 * Client reference: Semble has no idempotency key, so bookings and patients carry the marker
 * `[frontdesk:<clientRef>]` in `comments`; `findWrite` looks for it, and falls back to patient +
 * clinician + start for bookings made without it.
 */
import { z } from 'zod'
import type {
  Appointment,
  AppointmentType,
  Location,
  NewPatient,
  Patient,
  PatientChangeField,
  PatientChanges,
  Practitioner,
  Slot,
} from '../../../shared/model'
import { toE164 } from '../../../shared/phone'
import { compactNhsNumber, isValidNhsNumber } from '../../../shared/nhs-number'
import { defaultMessages, kindForBusinessMessage, listTooLong, VendorError } from '../errors'
import { vendorWords } from '../vendor-text'
import { sembleChoices, type SembleChoices } from './assumptions'
import { parseVendor } from '../http/boundary'
import { graphqlPath, graphqlRequest } from '../http/graphql'
import {
  clientRefFromText,
  clientRefMarker,
  minutesBetween,
  normaliseName,
  plusMinutes,
  sameInstant,
  splitRange,
  toUtcIso,
} from '../normalise'
import {
  capabilitiesOf,
  type AdapterDeps,
  type BookRequest,
  type CancelRequest,
  type Capabilities,
  type MarkRequest,
  type NoteRequest,
  type RescheduleRequest,
  type SlotQuery,
  type VendorAdapter,
  type WriteLookup,
} from '../types'
import { SembleAuth } from './auth'
import * as doc from './documents'
import {
  bookingComments,
  page,
  payload,
  sembleAvailability,
  sembleBooking,
  sembleBookingType,
  sembleProduct,
  sembleLocation,
  semblePatient,
  type SemblePatient,
  sembleUser,
  toAppointment,
  toAppointmentType,
  toLocation,
  toPatient,
  servicesOf,
  toPractitioner,
  type MapContext,
  type SembleBooking,
} from './mappers'

const MAX_AVAILABILITY_HOURS = 168
const PAGE_SIZE = 100
const MAX_PAGES = 50
const REFERENCE_TTL_MS = 10 * 60 * 1000

/** The patient details Semble publishes a write for (addPatientPhoneNumber, add/updatePatientNumber). */
const SEMBLE_PATIENT_FIELDS: readonly PatientChangeField[] = ['phone', 'nhsNumber']

export class SembleAdapter implements VendorAdapter {
  readonly vendor = 'semble' as const
  readonly capabilities: Capabilities
  private readonly auth: SembleAuth
  private readonly path: string
  private readonly ctx: MapContext
  private readonly now: () => Date
  private types: { at: number; value: AppointmentType[] } | undefined
  private locations: { at: number; value: Location[] } | undefined
  private readonly assume: SembleChoices

  constructor(private readonly deps: AdapterDeps) {
    this.now = deps.now ?? (() => new Date())
    this.assume = sembleChoices(deps.connection.options)
    this.path = graphqlPath(deps.connection.baseUrl)
    this.ctx = {
      connectionId: deps.connection.id,
      timeZone: deps.connection.timeZone,
      log: deps.log,
      siteRef: (g) => this.siteRef(g),
    }
    this.auth = new SembleAuth({
      http: deps.http,
      credentials: deps.credentials,
      log: deps.log,
      now: this.now,
      path: this.path,
    })
    this.capabilities = capabilitiesOf(
      this,
      {
        findPatients: 'Searches first name, last name, email and date of birth.',
        createPatient: deps.connection.options.nhsNumberTypeId
          ? 'The NHS number is added as a patient number after the patient is created.'
          : 'NHS numbers are not sent: set the NHS number type id in the connection settings.',
        findSlots: 'Free times per location, at most 7 days per request (longer ranges are split).',
        cancel: 'Semble has no field for the reason: it is kept in Frontdesk only.',
        markArrived: 'Sets the booking journey stage "arrived".',
        markNoShow: 'Sets the booking journey stage "dna" (did not attend).',
        undoStatus:
          'Semble documents no way to clear a journey stage: once sent, put it right in Semble (Frontdesk can withdraw it only before it is sent).',
        updatePatient:
          'Semble publishes writes for a patient’s phone and NHS number only: change the email or address in Semble. A new phone is added beside the old one.',
        updateNote: 'Kept in the booking’s comments.',
      },
      SEMBLE_PATIENT_FIELDS,
    )
  }

  /* ---------------- transport ---------------- */

  private async call(operation: string, query: string, variables: Record<string, unknown>, write: boolean) {
    const send = (token: string) =>
      graphqlRequest(
        this.deps.http,
        { operation, query, variables, write, headers: { 'x-token': token }, path: this.path },
        this.deps.log,
      )
    const { token } = await this.auth.token()
    try {
      return await send(token)
    } catch (err) {
      // UNAUTHENTICATED means the request was refused before anything happened, so one re-send is safe.
      if (
        err instanceof VendorError &&
        err.kind === 'auth' &&
        (err.vendorCode === 'UNAUTHENTICATED' || err.status === 401)
      ) {
        if (await this.auth.refused(token)) {
          this.deps.log.info('semble token refused; signing in again once', { operation })
          const fresh = await this.auth.token()
          return send(fresh.token)
        }
      }
      throw err
    }
  }

  private async read<T extends z.ZodType>(
    operation: string,
    query: string,
    variables: Record<string, unknown>,
    schema: T,
  ) {
    const data = await this.call(operation, query, variables, false)
    return parseVendor(schema, data, { vendor: 'semble', operation })
  }

  /** A mutation with a `{ data, error }` payload: the data, or the error as a VendorError. */
  private async mutate<T extends z.ZodType>(
    operation: string,
    field: string,
    query: string,
    variables: Record<string, unknown>,
    item: T,
  ): Promise<z.output<T>> {
    const data = await this.call(operation, query, variables, true)
    const facts = { vendor: 'semble' as const, operation, write: true }
    const body = parseVendor(z.object({ [field]: payload(item).nullable() }), data, facts)[field] as {
      data?: z.output<T> | null
      error?: string | null
    } | null
    if (body?.error) throw this.businessError(operation, body.error)
    if (!body?.data) {
      throw new VendorError('ambiguous', defaultMessages.ambiguous, {
        ...facts,
        vendorMessage: `${field} answered without data or error`,
      })
    }
    return body.data
  }

  private businessError(operation: string, message: string): VendorError {
    const kind = kindForBusinessMessage(message)
    const shown = vendorWords(message) ?? 'no reason given'
    const text =
      kind === 'conflict'
        ? `That time is no longer free in Semble: ${shown}`
        : `Semble did not accept this: ${shown}`
    this.deps.log.info('semble business error', { operation, kind, vendorMessage: message })
    return new VendorError(kind, text, {
      vendor: 'semble',
      operation,
      vendorMessage: message,
      ...(kind === 'invalid' ? { fields: [{ message: shown }] } : {}),
    })
  }

  private async pages<T extends z.ZodType>(
    operation: string,
    query: string,
    field: string,
    variables: Record<string, unknown>,
    item: T,
  ): Promise<z.output<T>[]> {
    const out: z.output<T>[] = []
    for (let n = 1; n <= MAX_PAGES; n++) {
      const data = await this.read(
        operation,
        query,
        { ...variables, pagination: { page: n, pageSize: PAGE_SIZE } },
        z.object({ [field]: page(item).nullable() }),
      )
      const p = data[field] as {
        data?: (z.output<T> | null)[] | null
        pageInfo?: { hasMore?: boolean | null } | null
      } | null
      for (const x of p?.data ?? []) if (x) out.push(x)
      if (!p?.pageInfo?.hasMore) return out
    }
    throw listTooLong('semble', operation, MAX_PAGES)
  }

  /* ---------------- patients ---------------- */

  async findPatients(q: { text: string; limit?: number }): Promise<Patient[]> {
    const pageSize = Math.min(Math.max(q.limit ?? 25, 1), PAGE_SIZE)
    const data = await this.read(
      'FindPatients',
      doc.FIND_PATIENTS,
      { search: normaliseName(q.text), pagination: { page: 1, pageSize } },
      z.object({ patients: page(semblePatient).nullable() }),
    )
    return (data.patients?.data ?? []).flatMap((p) => (p ? [toPatient(p, this.ctx)] : []))
  }

  async listPatients(q: { cursor?: string }): Promise<{ patients: Patient[]; next: string | null }> {
    const n = Math.max(1, Number(q.cursor) || 1)
    const data = await this.read(
      'FindPatients',
      doc.FIND_PATIENTS,
      { search: '', pagination: { page: n, pageSize: PAGE_SIZE } },
      z.object({ patients: page(semblePatient).nullable() }),
    )
    const patients = (data.patients?.data ?? []).flatMap((p) => (p ? [toPatient(p, this.ctx)] : []))
    return { patients, next: data.patients?.pageInfo?.hasMore ? String(n + 1) : null }
  }

  async getPatient(ref: string): Promise<Patient> {
    return toPatient(await this.semblePatient(ref), this.ctx)
  }

  /** The patient as Semble answers it (its phones and numbers with their ids), or not-found. */
  private async semblePatient(ref: string): Promise<SemblePatient> {
    const data = await this.read(
      'GetPatient',
      doc.GET_PATIENT,
      { id: ref },
      z.object({ patient: semblePatient.nullable() }),
    )
    if (!data.patient)
      throw new VendorError('not-found', 'Semble has no such patient.', {
        vendor: 'semble',
        operation: 'GetPatient',
      })
    return data.patient
  }

  async createPatient(p: NewPatient & { clientRef: string }): Promise<Patient> {
    const phone = p.phone ? toE164(p.phone) : null
    const patientData: Record<string, unknown> = {
      first: normaliseName(p.givenName),
      last: normaliseName(p.familyName),
      dob: p.birthDate,
      comments: clientRefMarker(p.clientRef),
    }
    if (p.email) patientData.email = p.email.trim()
    if (phone) Object.assign(patientData, { phoneType: 'Mobile', phoneNumber: phone })
    if (p.addressLine) patientData.address = p.addressLine
    if (p.city) patientData.city = p.city
    if (p.postcode) patientData.postcode = p.postcode.trim().toUpperCase()
    const created = await this.mutate(
      'CreatePatient',
      'createPatient',
      doc.CREATE_PATIENT,
      { patientData },
      semblePatient,
    )
    let patient = created
    const typeId = this.deps.connection.options.nhsNumberTypeId
    if (p.nhsNumber && isValidNhsNumber(p.nhsNumber)) {
      if (!typeId) {
        this.deps.log.warn('semble NHS number not sent: no nhsNumberTypeId in connection options', {
          patientRef: created.id,
        })
      } else {
        // A second write: the patient exists already, so a failure here is logged, not thrown,
        // and the NHS number stays on the local record for staff to add.
        try {
          patient = await this.mutate(
            'AddPatientNumber',
            'addPatientNumber',
            doc.ADD_PATIENT_NUMBER,
            {
              patientId: created.id,
              patientNumber: { numberId: typeId, value: compactNhsNumber(p.nhsNumber) },
            },
            semblePatient,
          )
        } catch (err) {
          this.deps.log.warn('semble NHS number not added', {
            patientRef: created.id,
            error: err instanceof VendorError ? err.toLog() : String(err),
          })
        }
      }
    }
    return toPatient(patient, this.ctx)
  }

  /**
   * A changed phone or NHS number, through the only patient writes Semble publishes: the phone is
   * added (addPatientPhoneNumber), the NHS number updated where the patient has one, else added.
   * The record is read first and a value it already holds is not written again, so a resend after
   * a lost answer adds nothing. Email and address have no published write (see `patientFields`).
   */
  async updatePatient(u: { clientRef: string; ref: string; changes: PatientChanges }): Promise<Patient> {
    const unsupported = (Object.keys(u.changes) as PatientChangeField[]).filter(
      (f) => !SEMBLE_PATIENT_FIELDS.includes(f),
    )
    if (unsupported.length > 0)
      throw new VendorError('invalid', `Semble's API cannot change the ${unsupported.join(' or ')}.`, {
        vendor: 'semble',
        operation: 'UpdatePatient',
      })
    let patient = await this.semblePatient(u.ref)
    const phone = u.changes.phone ? toE164(u.changes.phone) : null
    if (phone && !(patient.phones ?? []).some((p) => p?.phoneNumber && toE164(p.phoneNumber) === phone)) {
      patient = await this.mutate(
        'AddPatientPhoneNumber',
        'addPatientPhoneNumber',
        doc.ADD_PATIENT_PHONE_NUMBER,
        { patientId: u.ref, phoneData: { phoneNumber: phone, phoneType: 'Mobile' } },
        semblePatient,
      )
    }
    const nhs = u.changes.nhsNumber ? compactNhsNumber(u.changes.nhsNumber) : null
    if (nhs) {
      const held = (patient.numbers ?? []).find((n) => n && /\bnhs\b/i.test(n.name ?? ''))
      if (held?.id && compactNhsNumber(held.value ?? '') !== nhs) {
        patient = await this.mutate(
          'UpdatePatientNumber',
          'updatePatientNumber',
          doc.UPDATE_PATIENT_NUMBER,
          { patientId: u.ref, patientNumberId: held.id, value: nhs },
          semblePatient,
        )
      } else if (!held) {
        const typeId = this.deps.connection.options.nhsNumberTypeId
        if (!typeId)
          throw new VendorError(
            'invalid',
            'Semble needs the NHS number type id in the connection settings before Frontdesk can add an NHS number.',
            { vendor: 'semble', operation: 'AddPatientNumber' },
          )
        patient = await this.mutate(
          'AddPatientNumber',
          'addPatientNumber',
          doc.ADD_PATIENT_NUMBER,
          { patientId: u.ref, patientNumber: { numberId: typeId, value: nhs } },
          semblePatient,
        )
      }
    }
    return toPatient(patient, this.ctx)
  }

  /* ---------------- reference data ---------------- */

  async listPractitioners(): Promise<Practitioner[]> {
    const users = await this.pages(
      'ListClinicians',
      doc.LIST_CLINICIANS,
      'users',
      { options: { cliniciansOnly: true } },
      sembleUser,
    )
    const clinicians = users.filter((u) => !u.deleted && u.isDoctor !== false)
    // The `providerLink` assumption: a practice where no clinician has a service set does not use
    // the link, so nobody is left out for it.
    const linked =
      this.assume.providerLink === 'servicesProvided' && clinicians.some((u) => servicesOf(u).length > 0)
    return clinicians.map((u) => ({
      ...toPractitioner(u, this.deps.connection.id),
      ...(linked ? { appointmentTypeRefs: servicesOf(u) } : {}),
    }))
  }

  /** A JSON list from a connection option, checked against the vendor's own item shape. */
  private configured<T extends z.ZodType>(option: string, item: T): z.output<T>[] {
    let parsed: unknown
    try {
      parsed = JSON.parse(this.deps.connection.options[option] ?? '')
    } catch {
      parsed = undefined
    }
    return parseVendor(z.array(item), parsed, { vendor: 'semble', operation: `options.${option}` })
  }

  /**
   * Semble publishes no query that lists practice locations: each location with working hours
   * appears in `availabilitySettings` (published). See the `locationsFrom` assumption.
   */
  async listLocations(): Promise<Location[]> {
    const t = this.now().getTime()
    if (this.locations && t - this.locations.at < REFERENCE_TTL_MS) return this.locations.value
    let found: z.output<typeof sembleLocation>[]
    if (this.assume.locationsFrom === 'settings') found = this.configured('locations', sembleLocation)
    else {
      const data = await this.read(
        'ListLocations',
        doc.LIST_LOCATIONS,
        {},
        z.object({
          availabilitySettings: z
            .array(z.looseObject({ location: sembleLocation.nullish() }).nullable())
            .nullable(),
        }),
      )
      const byId = new Map<string, z.output<typeof sembleLocation>>()
      for (const s of data.availabilitySettings ?? []) if (s?.location) byId.set(s.location.id, s.location)
      found = [...byId.values()]
    }
    const value = found.map((l) => toLocation(l, this.deps.connection.id))
    this.locations = { at: t, value }
    return value
  }

  /** Appointment types are Semble's bookable products; see the `appointmentTypesFrom` assumption. */
  async listAppointmentTypes(): Promise<AppointmentType[]> {
    const t = this.now().getTime()
    if (this.types && t - this.types.at < REFERENCE_TTL_MS) return this.types.value
    const types =
      this.assume.appointmentTypesFrom === 'settings'
        ? this.configured('bookingTypes', sembleBookingType)
        : (await this.pages('ListProducts', doc.LIST_PRODUCTS, 'products', {}, sembleProduct))
            .filter((p) => p.isBookable === true)
            .map((p) => ({ id: p.id, title: p.name ?? null, duration: p.duration ?? null }))
    const value = types.map((x) => toAppointmentType(x, this.deps.connection.id))
    this.types = { at: t, value }
    return value
  }

  /** The site of a booking's room, by the location name Semble gives as `groupName`. */
  private siteRef(groupName: string): string | undefined {
    const name = normaliseName(groupName)
    return this.locations?.value.find((l) => l.name === name)?.ref
  }

  /* ---------------- slots and day list ---------------- */

  async findSlots(q: SlotQuery): Promise<Slot[]> {
    const locations = q.locationRef ? [q.locationRef] : (await this.listLocations()).map((l) => l.ref)
    let length: number | undefined
    if (q.appointmentTypeRef) {
      const type = (await this.listAppointmentTypes()).find((t) => t.ref === q.appointmentTypeRef)
      if (!type)
        throw new VendorError('not-found', 'Semble has no such appointment type.', {
          vendor: 'semble',
          operation: 'findSlots',
        })
      length = type.lengthMinutes || undefined
    }
    const slots: Slot[] = []
    for (const locationRef of locations) {
      // Semble refuses ranges over 168 hours: ask week by week.
      const free: { doctor: string; start: string; end: string }[] = []
      for (const range of splitRange(q.from, q.to, MAX_AVAILABILITY_HOURS)) {
        const variables: Record<string, unknown> = { dateRange: range, locationId: locationRef }
        if (q.practitionerRef) variables.doctorId = q.practitionerRef
        const data = await this.read(
          'Availabilities',
          doc.AVAILABILITIES,
          variables,
          z.object({
            availabilities: z.object({ data: z.array(sembleAvailability.nullable()).nullish() }).nullable(),
          }),
        )
        for (const a of data.availabilities?.data ?? []) {
          if (!a) continue
          const doctor = a.doctor?.id ?? q.practitionerRef
          if (!doctor) continue
          const start = this.instant(a.start)
          const end = this.instant(a.end)
          if (Date.parse(start) < Date.parse(q.to) && Date.parse(end) > Date.parse(q.from))
            free.push({ doctor, start, end })
        }
      }
      for (const s of cutSlots(free, length)) {
        const slot: Slot = {
          connectionId: this.deps.connection.id,
          start: s.start,
          end: s.end,
          practitionerRef: s.doctor,
          locationRef,
        }
        if (q.appointmentTypeRef) slot.appointmentTypeRef = q.appointmentTypeRef
        slots.push(slot)
      }
    }
    return slots.sort(
      (a, b) =>
        a.start.localeCompare(b.start) || (a.practitionerRef ?? '').localeCompare(b.practitionerRef ?? ''),
    )
  }

  private instant(v: string): string {
    return toUtcIso(v, this.deps.connection.timeZone)
  }

  async listAppointments(q: { from: string; to: string; practitionerRef?: string }): Promise<Appointment[]> {
    // The locations name each booking's site; a day list is still worth having without them.
    await this.listLocations().catch((err: unknown) =>
      this.deps.log.warn('semble locations not read for the day list', {
        error: err instanceof VendorError ? err.toLog() : String(err),
      }),
    )
    const bookings = await this.bookingsBetween(q.from, q.to)
    return bookings
      .map((b) => toAppointment(b, this.ctx))
      .filter(
        (a) => a.start && Date.parse(a.start) >= Date.parse(q.from) && Date.parse(a.start) < Date.parse(q.to),
      )
      .filter((a) => !q.practitionerRef || a.practitionerRef === q.practitionerRef)
  }

  private bookingsBetween(from: string, to: string): Promise<SembleBooking[]> {
    // Cancelled bookings are soft-deleted: ask for them too, so the day list shows them as cancelled.
    return this.pages(
      'ListBookings',
      doc.LIST_BOOKINGS,
      'bookings',
      { dateRange: { start: from, end: to }, options: { includeDeleted: true } },
      sembleBooking,
    )
  }

  async getAppointment(ref: string): Promise<Appointment> {
    return toAppointment(await this.booking(ref), this.ctx)
  }

  private async booking(ref: string): Promise<SembleBooking> {
    const data = await this.read(
      'GetBooking',
      doc.GET_BOOKING,
      { id: ref },
      z.object({ booking: sembleBooking.nullable() }),
    )
    if (!data.booking)
      throw new VendorError('not-found', 'Semble has no such booking.', {
        vendor: 'semble',
        operation: 'GetBooking',
      })
    return data.booking
  }

  /* ---------------- writes ---------------- */

  private async locationFor(ref: string | undefined): Promise<string> {
    if (ref) return ref
    const configured = this.deps.connection.options.locationId
    if (configured) return configured
    const all = await this.listLocations()
    if (all.length === 1) return all[0]!.ref
    throw new VendorError('invalid', 'Choose a location for this Semble booking.', {
      vendor: 'semble',
      operation: 'createBooking',
      fields: [{ field: 'locationRef', message: 'is required' }],
    })
  }

  /**
   * Semble may accept a booking over another one (`refusesOverlap`), so look first: the clinician's
   * live bookings overlapping [start, end), other than `except`. One carrying our own marker is a
   * resend of this very write.
   */
  private async overlapping(w: {
    doctor: string
    start: string
    end: string
    except?: string
    clientRef: string
    operation: string
  }): Promise<SembleBooking | undefined> {
    if (this.assume.refusesOverlap === 'yes') return undefined
    // Bookings are listed by start: look back as far as the longest appointment type, to see one
    // already running (a booking longer than every type would be missed).
    const longest = Math.max(120, ...(this.types?.value ?? []).map((t) => t.lengthMinutes))
    const around = await this.bookingsBetween(plusMinutes(w.start, -longest), w.end)
    const [from, to] = [Date.parse(w.start), Date.parse(w.end)]
    const clashes = around.filter(
      (b) =>
        !b.deleted &&
        b.id !== w.except &&
        b.doctor?.id === w.doctor &&
        !!b.start &&
        !!b.end &&
        Date.parse(this.instant(b.start)) < to &&
        Date.parse(this.instant(b.end)) > from,
    )
    const ours = clashes.find((b) => clientRefFromText(b.comments) === w.clientRef)
    if (ours) return ours
    if (!clashes.length) return undefined
    this.deps.log.info('semble: the clinician already has a booking then', {
      operation: w.operation,
      clash: clashes[0]!.id,
    })
    throw new VendorError(
      'conflict',
      'That time is no longer free in Semble: the clinician has another booking then.',
      { vendor: 'semble', operation: w.operation, vendorMessage: `overlaps booking ${clashes[0]!.id}` },
    )
  }

  async book(b: BookRequest): Promise<Appointment> {
    if (!b.practitionerRef) {
      throw new VendorError('invalid', 'Choose a clinician for this Semble booking.', {
        vendor: 'semble',
        operation: 'CreateBooking',
        fields: [{ field: 'practitionerRef', message: 'is required' }],
      })
    }
    const ours = await this.overlapping({
      doctor: b.practitionerRef,
      start: b.start,
      end: b.end,
      clientRef: b.clientRef,
      operation: 'CreateBooking',
    })
    if (ours) {
      this.deps.log.info('semble: this booking is already there (a resend)', { ref: ours.id })
      return toAppointment(ours, this.ctx)
    }
    const bookingData = {
      patient: b.patientRef,
      location: await this.locationFor(b.locationRef),
      bookingType: b.appointmentTypeRef,
      doctor: b.practitionerRef,
      start: b.start,
      end: b.end,
      comments: bookingComments(b.note, clientRefMarker(b.clientRef)),
    }
    const booking = await this.mutate(
      'CreateBooking',
      'createBooking',
      doc.CREATE_BOOKING,
      { bookingData },
      sembleBooking,
    )
    const a = toAppointment(booking, this.ctx)
    return a.locationRef ? a : { ...a, locationRef: bookingData.location }
  }

  async reschedule(r: RescheduleRequest): Promise<Appointment> {
    // No `patient` here: Semble is removing it from updates. Comments (and our marker) stay as they are.
    const bookingData: Record<string, unknown> = { start: r.start, end: r.end }
    if (r.practitionerRef) bookingData.doctor = r.practitionerRef
    if (this.assume.refusesOverlap === 'no') {
      const doctor = r.practitionerRef ?? (await this.booking(r.ref)).doctor?.id
      if (doctor)
        await this.overlapping({
          doctor,
          start: r.start,
          end: r.end,
          except: r.ref,
          clientRef: r.clientRef,
          operation: 'UpdateBooking',
        })
    }
    return this.updateBooking(r.ref, bookingData)
  }

  /**
   * `updateBooking` with these changes. Under `updateBookingFields: all` every field the booking
   * has goes too (read first, or `known`), for a Semble that clears or refuses what is left out.
   */
  private async updateBooking(
    ref: string,
    changes: Record<string, unknown>,
    known?: SembleBooking,
  ): Promise<Appointment> {
    let bookingData = changes
    if (this.assume.updateBookingFields === 'all') {
      const b = known ?? (await this.booking(ref))
      await this.listLocations()
      // The booking's location is its room; the practice location is named by `groupName`.
      const site = b.location?.groupName ? this.siteRef(b.location.groupName) : undefined
      bookingData = {
        ...(b.doctor?.id ? { doctor: b.doctor.id } : {}),
        ...(site ? { location: site } : {}),
        ...(b.appointment?.id ? { bookingType: b.appointment.id } : {}),
        ...(b.start ? { start: b.start } : {}),
        ...(b.end ? { end: b.end } : {}),
        ...(b.comments ? { comments: b.comments } : {}),
        ...changes,
      }
    }
    const booking = await this.mutate(
      'UpdateBooking',
      'updateBooking',
      doc.UPDATE_BOOKING,
      { id: ref, bookingData },
      sembleBooking,
    )
    return toAppointment(booking, this.ctx)
  }

  async cancel(c: CancelRequest): Promise<Appointment> {
    this.deps.log.info('semble cancel: reason kept locally (no Semble field)', {
      ref: c.ref,
      clientRef: c.clientRef,
    })
    const sendCancellationMessages = this.deps.connection.options.sendCancellationMessages === 'true'
    try {
      const booking = await this.mutate(
        'DeleteBooking',
        'deleteBooking',
        doc.DELETE_BOOKING,
        { id: c.ref, sendCancellationMessages },
        sembleBooking,
      )
      return toAppointment(booking, this.ctx)
    } catch (err) {
      // Cancelling twice (a resend after an ambiguous first try) finds it already cancelled: that is
      // the intent. Read back rather than match the refusal's wording (`repeatDeleteAnswer`).
      if (err instanceof VendorError && (err.kind === 'invalid' || err.kind === 'conflict')) {
        const existing = await this.booking(c.ref)
        if (existing.deleted) return toAppointment(existing, this.ctx)
      }
      throw err
    }
  }

  /**
   * The note lives in the booking's comments beside Frontdesk's marker, which finds a resent booking
   * again: the new comments keep the marker the booking already carries (read first).
   */
  async updateNote(n: NoteRequest): Promise<Appointment> {
    const current = await this.booking(n.ref)
    const marker = clientRefFromText(current.comments)
    const note = n.note.trim()
    const comments = marker ? bookingComments(note, clientRefMarker(marker)) : note
    return this.updateBooking(n.ref, { comments }, current)
  }

  private journey(operation: string, ref: string, stage: 'arrived' | 'dna', at: string) {
    return this.mutate(
      operation,
      'updateBookingJourney',
      doc.UPDATE_BOOKING_JOURNEY,
      { id: ref, bookingJourneyInput: { journeyStage: stage, date: at } },
      sembleBooking,
    ).then((b) => toAppointment(b, this.ctx))
  }

  markArrived(a: MarkRequest): Promise<Appointment> {
    return this.journey('UpdateBookingJourney', a.ref, 'arrived', a.at)
  }

  markNoShow(a: MarkRequest): Promise<Appointment> {
    return this.journey('UpdateBookingJourney', a.ref, 'dna', a.at)
  }

  /* ---------------- reconciliation ---------------- */

  async findWrite(w: WriteLookup): Promise<Appointment | Patient | null> {
    const { hint } = w
    switch (w.kind) {
      case 'book': {
        if (!hint.start) return null
        // A window around the start: Semble's range semantics at the edges are not documented.
        const bookings = await this.bookingsBetween(plusMinutes(hint.start, -60), plusMinutes(hint.start, 60))
        const byMarker = bookings.find((b) => clientRefFromText(b.comments) === w.clientRef)
        if (byMarker) return toAppointment(byMarker, this.ctx)
        const byMatch = bookings.find(
          (b) =>
            !b.deleted &&
            b.patientId === hint.patientRef &&
            (!hint.practitionerRef || !b.doctor || b.doctor.id === hint.practitionerRef) &&
            sameInstant(b.start ?? undefined, hint.start),
        )
        if (byMatch)
          this.deps.log.info('semble write found by patient, clinician and start', { clientRef: w.clientRef })
        return byMatch ? toAppointment(byMatch, this.ctx) : null
      }
      case 'createPatient': {
        if (!hint.familyName) return null
        // Every page of that surname: at a large practice a common one fills more than the first.
        const all = await this.pages(
          'FindPatients',
          doc.FIND_PATIENTS,
          'patients',
          { search: normaliseName(hint.familyName) },
          semblePatient,
        )
        const found = all.find((p) => clientRefFromText(p.comments) === w.clientRef)
        return found ? toPatient(found, this.ctx) : null
      }
    }
  }

  async testConnection(): Promise<{ ok: true; detail: string }> {
    const { mode } = await this.auth.token()
    await this.read('TestConnection', doc.TEST_CONNECTION, {}, z.object({ patients: z.unknown() }))
    return {
      ok: true,
      detail: `Connected to Semble with ${mode === 'api' ? 'an API token' : 'email sign-in'}.`,
    }
  }
}

/**
 * Free time as bookable slots. Semble answers either fixed-length free slots or whole free
 * intervals (undocumented, [U]): adjoining pieces per clinician are merged, then cut into slots of
 * the appointment type's length, stepping by the vendor's own slot length (or the type's length
 * when Semble gave whole intervals).
 */
export function cutSlots(
  free: { doctor: string; start: string; end: string }[],
  lengthMinutes: number | undefined,
): { doctor: string; start: string; end: string }[] {
  if (!lengthMinutes) return [...free].sort((a, b) => a.start.localeCompare(b.start))
  const lengths = new Set(free.map((f) => minutesBetween(f.start, f.end)))
  const grid = lengths.size === 1 ? [...lengths][0]! : lengthMinutes
  const step = grid > 0 && grid <= lengthMinutes ? grid : lengthMinutes
  const byDoctor = new Map<string, { start: string; end: string }[]>()
  for (const f of free) byDoctor.set(f.doctor, [...(byDoctor.get(f.doctor) ?? []), f])
  const out: { doctor: string; start: string; end: string }[] = []
  for (const [doctor, pieces] of byDoctor) {
    pieces.sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    const merged: { start: string; end: string }[] = []
    for (const p of pieces) {
      const last = merged[merged.length - 1]
      if (last && Date.parse(p.start) <= Date.parse(last.end)) {
        if (Date.parse(p.end) > Date.parse(last.end)) last.end = p.end
      } else merged.push({ ...p })
    }
    for (const m of merged) {
      for (
        let s = m.start;
        Date.parse(plusMinutes(s, lengthMinutes)) <= Date.parse(m.end);
        s = plusMinutes(s, step)
      ) {
        out.push({ doctor, start: s, end: plusMinutes(s, lengthMinutes) })
      }
    }
  }
  return out
}
