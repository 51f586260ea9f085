/**
 * Healthie over GraphQL, pinned to one API version (default 2026-01-01, `options.apiVersion`).
 * Business failures come back as HTTP 200 with `messages: [{ field, message }]` on the payload.
 *
 * Client reference: `metadata` on appointments and clients holds `{"frontdeskRef": clientRef}`;
 * Healthie cannot filter on it, so `findWrite` lists the slot's day for the patient and matches it
 * (or, failing that, patient + provider + start).
 */
import { DateTime } from 'luxon'
import { z } from 'zod'
import type {
  Appointment,
  AppointmentType,
  Location,
  NewPatient,
  Patient,
  PatientChanges,
  Practitioner,
  Slot,
} from '../../../shared/model'
import { patientChangeFields } from '../../../shared/model'
import { compactNhsNumber, isValidNhsNumber } from '../../../shared/nhs-number'
import { toE164 } from '../../../shared/phone'
import {
  defaultMessages,
  kindForBusinessMessage,
  listTooLong,
  VendorError,
  type FieldMessage,
} from '../errors'
import { shownFields } from '../http/rest'
import { vendorWords } from '../vendor-text'
import { parseVendor } from '../http/boundary'
import { graphqlPath, graphqlRequest } from '../http/graphql'
import { localDate, localDays, normaliseName, sameInstant, toZonedIso } from '../normalise'
import {
  capabilitiesOf,
  type AdapterDeps,
  type BookingWarningQuery,
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
import { healthieChoices } from './assumptions'
import { sunsetNotice, unsupportedVersion } from './versions'
import * as doc from './documents'
import {
  connection,
  fieldErrors,
  frontdeskRefFrom,
  healthieAppointment,
  healthieInstant,
  healthieLocation,
  healthieMember,
  healthieSlot,
  healthieType,
  healthieUser,
  metadataWith,
  toAppointment,
  toAppointmentType,
  toLocation,
  toPatient,
  toPractitioner,
  typesOf,
  type HealthieAppointment,
  type HealthieUser,
  type MapContext,
} from './mappers'

export const DEFAULT_API_VERSION = '2026-01-01'
/** Healthie prices connections by `first`; 50 keeps a page well under the complexity limit of 2000. */
const PAGE_SIZE = 50
const MAX_PAGES = 40
const REFERENCE_TTL_MS = 10 * 60 * 1000
const CHECK_IN_OFF =
  'Arrival cannot be recorded in this clinic’s Healthie: its "Checked-In" status is turned off. Record the arrival in Healthie, or ask its administrator to turn the status on.'

type Mutation = 'createClient' | 'updateClient' | 'createAppointment' | 'updateAppointment'

export class HealthieAdapter implements VendorAdapter {
  readonly vendor = 'healthie' as const
  /** What the adapter can do whatever the organisation's settings; `capabilities` narrows it. */
  private readonly possible: Capabilities
  private readonly path: string
  private readonly ctx: MapContext
  private readonly now: () => Date
  private types: { at: number; value: (AppointmentType & { contactTypes: string[] })[] } | undefined
  private checkIn: { at: number; value: boolean } | undefined
  /** The connection's own user: the provider whose appointment settings are read. */
  private me: string | undefined

  constructor(private readonly deps: AdapterDeps) {
    this.now = deps.now ?? (() => new Date())
    this.path = graphqlPath(deps.connection.baseUrl)
    this.ctx = { connectionId: deps.connection.id, timeZone: deps.connection.timeZone, log: deps.log }
    this.possible = capabilitiesOf(
      this,
      {
        findPatients: 'Searches names, email, date of birth and record number (not phone numbers).',
        createPatient: 'The NHS number is kept in Healthie’s record identifier.',
        updatePatient: this.nhsInRecordIdentifier
          ? 'The NHS number is kept in Healthie’s record identifier; a new address replaces the client’s address in Healthie.'
          : 'NHS numbers are not sent to this Healthie (connection setting): change the NHS number in Healthie. A new address replaces the client’s address in Healthie.',
        findSlots: 'Free times per provider, asked one day at a time; choose an appointment type.',
        book: 'Healthie checks the time is still free (enforce_availability).',
        cancel: 'Sets the status to Cancelled and keeps the reason; the appointment stays visible.',
        markArrived: 'Sets the status to Checked-In, if the organisation has it turned on.',
        markNoShow: 'Sets the status to No-Show.',
        updateNote: 'Kept in the appointment’s notes.',
        undoStatus:
          'Healthie documents no status to go back to after Checked-In or No-Show: once sent, put it right in Healthie (Frontdesk can withdraw it only before it is sent).',
      },
      this.nhsInRecordIdentifier ? patientChangeFields : patientChangeFields.filter((f) => f !== 'nhsNumber'),
    )
  }

  /** The `nhsNumberField` assumption: where the NHS number goes in Healthie, if anywhere. */
  private get nhsInRecordIdentifier(): boolean {
    return healthieChoices(this.deps.connection.options).nhsNumberField === 'record_identifier'
  }

  /**
   * Known before anything is tried: the organisation's settings are read with the reference data
   * (`listAppointmentTypes`), and where "Checked-In" is turned off arrival is not offered, with why.
   */
  get capabilities(): Capabilities {
    if (this.checkIn?.value !== false) return this.possible
    return {
      ...this.possible,
      operations: this.possible.operations.filter((op) => op !== 'markArrived'),
      notes: { ...this.possible.notes, markArrived: CHECK_IN_OFF },
    }
  }

  /** Healthie's latest sunset warning for the version in use, said at the connection test. */
  private versionNotice: string | null = null

  private get apiVersion() {
    return this.deps.connection.options.apiVersion || DEFAULT_API_VERSION
  }

  private async headers(): Promise<Record<string, string>> {
    const { apiKey } = await this.deps.credentials()
    if (!apiKey) {
      throw new VendorError('auth', 'Healthie needs an API key in Settings.', {
        vendor: 'healthie',
        operation: 'auth',
      })
    }
    const h: Record<string, string> = {
      // The raw key after "Basic ", not base64 of user:password (healthie.md §4.1).
      authorization: `Basic ${apiKey}`,
      authorizationsource: 'API',
      'healthie-graphql-api-version': this.apiVersion,
    }
    const shard = this.deps.connection.options.authorizationShard
    if (shard) h.authorizationshard = shard
    return h
  }

  private async call(operation: string, query: string, variables: Record<string, unknown>, write: boolean) {
    const headers = await this.headers()
    try {
      return await graphqlRequest(
        this.deps.http,
        {
          operation,
          query,
          variables,
          write,
          headers,
          path: this.path,
          onWarnings: (w) => {
            this.versionNotice = sunsetNotice(w, this.apiVersion) ?? this.versionNotice
          },
        },
        this.deps.log,
      )
    } catch (err) {
      throw unsupportedVersion(err, this.apiVersion) ?? err
    }
  }

  private async read<T extends z.ZodType>(
    operation: string,
    query: string,
    variables: Record<string, unknown>,
    schema: T,
  ) {
    return parseVendor(schema, await this.call(operation, query, variables, false), {
      vendor: 'healthie',
      operation,
    })
  }

  /** A mutation: its object, or its `messages` as a VendorError. */
  private async mutate<T extends z.ZodType>(
    operation: string,
    field: Mutation,
    objectField: 'user' | 'appointment',
    query: string,
    input: Record<string, unknown>,
    item: T,
  ): Promise<z.output<T>> {
    const facts = { vendor: 'healthie' as const, operation, write: true }
    const data = await this.call(operation, query, { input }, true)
    const parsed = parseVendor(
      z.object({
        [field]: z.looseObject({ [objectField]: item.nullish(), messages: fieldErrors }).nullable(),
      }),
      data,
      facts,
    )
    const payload = parsed[field] as {
      messages?: { field?: string | null; message: string }[] | null
    } & Record<string, unknown>
    const messages = payload?.messages ?? []
    if (messages.length) throw this.businessError(operation, messages)
    const result = payload?.[objectField] as z.output<T> | null | undefined
    if (!result) {
      throw new VendorError('ambiguous', defaultMessages.ambiguous, {
        ...facts,
        vendorMessage: `${field} answered without ${objectField} or messages`,
      })
    }
    return result
  }

  private businessError(
    operation: string,
    messages: { field?: string | null; message: string }[],
  ): VendorError {
    const said: FieldMessage[] = messages.map((m) =>
      m.field ? { field: m.field, message: m.message } : { message: m.message },
    )
    const fields = shownFields(said)
    const text = messages.map((m) => (m.field ? `${m.field} ${m.message}` : m.message)).join('; ')
    const shown = vendorWords(text) ?? 'no reason given'
    // Healthie gives no codes: the wording decides, with "not found" on an id meaning not-found.
    const kind = kindForBusinessMessage(text)
    this.deps.log.info('healthie business error', { operation, kind, vendorMessage: text })
    const message =
      kind === 'conflict'
        ? 'That time is no longer free in Healthie.'
        : kind === 'not-found'
          ? `Healthie could not find it: ${shown}`
          : `Healthie did not accept this: ${shown}`
    return new VendorError(kind, message, { vendor: 'healthie', operation, vendorMessage: text, fields })
  }

  private async connectionPages<T extends z.ZodType>(
    operation: string,
    query: string,
    field: string,
    variables: Record<string, unknown>,
    node: T,
  ): Promise<z.output<T>[]> {
    const out: z.output<T>[] = []
    let after: string | undefined
    for (let n = 0; n < MAX_PAGES; n++) {
      const data = await this.read(
        operation,
        query,
        { ...variables, first: PAGE_SIZE, ...(after ? { after } : {}) },
        z.object({ [field]: connection(node).nullable() }),
      )
      const page = data[field] as {
        nodes?: (z.output<T> | null)[] | null
        page_info?: { has_next_page?: boolean | null; end_cursor?: string | null } | null
      } | null
      for (const x of page?.nodes ?? []) if (x) out.push(x)
      if (!page?.page_info?.has_next_page || !page.page_info.end_cursor) return out
      after = page.page_info.end_cursor
    }
    throw listTooLong('healthie', operation, MAX_PAGES)
  }

  /* ---------------- patients ---------------- */

  async findPatients(q: { text: string; limit?: number }): Promise<Patient[]> {
    // `users` returns patients only; keywords are ANDed across names, email, dob and record number.
    const data = await this.read(
      'FindPatients',
      doc.FIND_PATIENTS,
      { keywords: normaliseName(q.text), first: Math.min(Math.max(q.limit ?? 25, 1), PAGE_SIZE) },
      z.object({ users: connection(healthieUser) }),
    )
    return (data.users.nodes ?? []).flatMap((u) => (u ? [toPatient(u, this.ctx)] : []))
  }

  async listPatients(q: { cursor?: string }): Promise<{ patients: Patient[]; next: string | null }> {
    const data = await this.read(
      'ListPatients',
      doc.LIST_PATIENTS,
      { first: PAGE_SIZE, ...(q.cursor ? { after: q.cursor } : {}) },
      z.object({ users: connection(healthieUser) }),
    )
    const info = data.users.page_info
    return {
      patients: (data.users.nodes ?? []).flatMap((u) => (u ? [toPatient(u, this.ctx)] : [])),
      next: info?.has_next_page && info.end_cursor ? info.end_cursor : null,
    }
  }

  private async client(ref: string): Promise<HealthieUser> {
    const data = await this.read(
      'GetPatient',
      doc.GET_PATIENT,
      { id: ref },
      z.object({ user: healthieUser.nullable() }),
    )
    if (!data.user)
      throw new VendorError('not-found', 'Healthie has no such patient.', {
        vendor: 'healthie',
        operation: 'GetPatient',
      })
    return data.user
  }

  async getPatient(ref: string): Promise<Patient> {
    return toPatient(await this.client(ref), this.ctx)
  }

  async createPatient(p: NewPatient & { clientRef: string }): Promise<Patient> {
    const input: Record<string, unknown> = {
      first_name: normaliseName(p.givenName),
      last_name: normaliseName(p.familyName),
      dob: p.birthDate,
      metadata: metadataWith(p.clientRef),
      // Front-desk registration must not email the patient an invitation.
      dont_send_welcome: true,
      timezone: this.deps.connection.timeZone,
    }
    if (p.email?.trim()) input.email = p.email.trim()
    else input.skipped_email = true
    const phone = p.phone ? toE164(p.phone) : null
    if (phone) input.phone_number = phone
    if (
      p.nhsNumber &&
      isValidNhsNumber(p.nhsNumber) &&
      healthieChoices(this.deps.connection.options).nhsNumberField === 'record_identifier'
    )
      input.record_identifier = compactNhsNumber(p.nhsNumber)
    const user = await this.mutate(
      'CreateClient',
      'createClient',
      'user',
      doc.CREATE_CLIENT,
      input,
      healthieUser,
    )
    return toPatient(user, this.ctx)
  }

  /**
   * Sets only the given details with `updateClient`: phone_number, email, record_identifier (the NHS
   * number, under the `nhsNumberField` assumption) and location (the address, `clientLocation`
   * assumption). For an address the client is read first, so the location they already have is
   * changed in place by its id: a resend after a lost answer sets the same values again and
   * changes nothing.
   */
  async updatePatient(u: { clientRef: string; ref: string; changes: PatientChanges }): Promise<Patient> {
    const c = u.changes
    const invalid = (field: string, message: string) =>
      new VendorError('invalid', `Not sent to Healthie: ${message}`, {
        vendor: 'healthie',
        operation: 'UpdateClient',
        fields: [{ field, message }],
      })
    const input: Record<string, unknown> = { id: u.ref }
    if (c.phone !== undefined) {
      const phone = toE164(c.phone)
      if (!phone) throw invalid('phone', 'that is not a valid phone number.')
      input.phone_number = phone
    }
    if (c.email !== undefined) {
      const email = c.email.trim()
      if (!email) throw invalid('email', 'the email address is empty.')
      input.email = email
    }
    if (c.nhsNumber !== undefined) {
      if (!this.nhsInRecordIdentifier)
        throw invalid(
          'nhsNumber',
          'this connection keeps NHS numbers out of Healthie; change it in Healthie.',
        )
      if (!isValidNhsNumber(c.nhsNumber)) throw invalid('nhsNumber', 'the NHS number is not valid.')
      input.record_identifier = compactNhsNumber(c.nhsNumber)
    }
    if (c.address) {
      const line1 = c.address.line.trim()
      const zip = c.address.postcode.trim().replace(/\s+/g, ' ').toUpperCase()
      if (!line1 || !zip) throw invalid('address', 'the address needs a first line and a postcode.')
      const current = await this.client(u.ref)
      const id = current.location?.id
      input.location = { ...(id ? { id } : {}), line1, line2: '', city: c.address.city?.trim() ?? '', zip }
    }
    // No change given: the record as it is.
    if (Object.keys(input).length === 1) return this.getPatient(u.ref)
    const user = await this.mutate(
      'UpdateClient',
      'updateClient',
      'user',
      doc.UPDATE_CLIENT,
      input,
      healthieUser,
    )
    return toPatient(user, this.ctx)
  }

  /* ---------------- reference data ---------------- */

  async listPractitioners(): Promise<Practitioner[]> {
    const members = await this.connectionPages(
      'OrganizationMembers',
      doc.ORGANIZATION_MEMBERS,
      'organizationMembers',
      {},
      healthieMember,
    )
    // The `providerLink` assumption: where no provider has a type linked, the link is not set up
    // and nobody is left out for it.
    const linked =
      healthieChoices(this.deps.connection.options).providerLink === 'appointment_types' &&
      members.some((m) => typesOf(m).length > 0)
    return members.map((m) => ({
      ...toPractitioner(m, this.deps.connection.id),
      ...(linked ? { appointmentTypeRefs: typesOf(m) } : {}),
    }))
  }

  async listLocations(): Promise<Location[]> {
    const list = await this.connectionPages(
      'AppointmentLocations',
      doc.APPOINTMENT_LOCATIONS,
      'appointmentLocations',
      {},
      healthieLocation,
    )
    return list.map((l) => toLocation(l, this.deps.connection.id))
  }

  private async typesWithContacts() {
    const t = this.now().getTime()
    if (this.types && t - this.types.at < REFERENCE_TTL_MS) return this.types.value
    const list = await this.connectionPages(
      'AppointmentTypes',
      doc.APPOINTMENT_TYPES,
      'appointmentTypes',
      {},
      healthieType,
    )
    const value = list.map((x) => ({
      ...toAppointmentType(x, this.deps.connection.id),
      contactTypes: (x.available_contact_types ?? []).filter((c): c is string => !!c),
    }))
    this.types = { at: t, value }
    return value
  }

  async listAppointmentTypes(): Promise<AppointmentType[]> {
    // Reference data is when the app learns what this clinic's Healthie allows (`capabilities`).
    const [types] = await Promise.all([this.typesWithContacts(), this.checkInEnabled()])
    return types.map(({ contactTypes: _, ...t }) => t)
  }

  /* ---------------- slots and day list ---------------- */

  async findSlots(q: SlotQuery): Promise<Slot[]> {
    if (!q.appointmentTypeRef) {
      throw new VendorError('invalid', 'Choose an appointment type to see free times in Healthie.', {
        vendor: 'healthie',
        operation: 'AvailableSlots',
        fields: [{ field: 'appointmentTypeRef', message: 'is required' }],
      })
    }
    const type = q.appointmentTypeRef
    const providers = q.practitionerRef
      ? [q.practitionerRef]
      : (await this.listPractitioners())
          .filter((p) => !p.appointmentTypeRefs || p.appointmentTypeRefs.includes(type))
          .map((p) => p.ref)
    const zone = this.deps.connection.timeZone
    const from = Date.parse(q.from)
    const to = Date.parse(q.to)
    const out: Slot[] = []
    for (const provider of providers) {
      // Healthie recommends ranges of a day at most (longer ones may time out): whole local days.
      for (const day of localDays(q.from, q.to, zone)) {
        const variables: Record<string, unknown> = {
          provider_id: provider,
          ...this.dayBounds('start_date', 'end_date', day, day),
          appt_type_id: q.appointmentTypeRef,
          timezone: zone,
        }
        if (q.locationRef) variables.appt_loc_id = q.locationRef
        const data = await this.read(
          'AvailableSlots',
          doc.AVAILABLE_SLOTS,
          variables,
          z.object({ availableSlotsForRange: z.array(healthieSlot.nullable()).nullable() }),
        )
        for (const s of data.availableSlotsForRange ?? []) {
          if (!s || s.is_fully_booked) continue
          const start = healthieInstant(s.date, zone)
          const length = s.length ?? (await this.typeLength(q.appointmentTypeRef))
          const end = new Date(Date.parse(start) + length * 60_000).toISOString()
          if (Date.parse(start) < from || Date.parse(start) >= to) continue
          const slot: Slot = {
            connectionId: this.deps.connection.id,
            start,
            end,
            practitionerRef: s.user_id ?? provider,
            appointmentTypeRef: s.appointment_type?.id ?? q.appointmentTypeRef,
          }
          if (q.locationRef) slot.locationRef = q.locationRef
          out.push(slot)
        }
      }
    }
    return out.sort(
      (a, b) =>
        a.start.localeCompare(b.start) || (a.practitionerRef ?? '').localeCompare(b.practitionerRef ?? ''),
    )
  }

  /**
   * Healthie reads these ranges as whole days in the clinic zone, end day included; the arguments
   * are typed ISO8601DateTime, so send the first day's midnight and the last day's 23:59:59 with
   * the zone's offset: right whether Healthie takes the day or the exact instant.
   */
  private dayBounds(startName: string, endName: string, firstDay: string, lastDay: string) {
    const zone = this.deps.connection.timeZone
    const start = DateTime.fromISO(firstDay, { zone }).startOf('day')
    const end = DateTime.fromISO(lastDay, { zone }).endOf('day').set({ millisecond: 0 })
    return {
      [startName]: start.toISO({ suppressMilliseconds: true }),
      [endName]: end.toISO({ suppressMilliseconds: true }),
    }
  }

  private async typeLength(ref: string): Promise<number> {
    return (await this.typesWithContacts()).find((t) => t.ref === ref)?.lengthMinutes || 30
  }

  private async appointmentsOn(
    from: string,
    to: string,
    filter: { provider?: string; patient?: string } = {},
  ): Promise<HealthieAppointment[]> {
    const zone = this.deps.connection.timeZone
    const days = localDays(from, to, zone)
    if (!days.length) return []
    const variables: Record<string, unknown> = this.dayBounds(
      'startDate',
      'endDate',
      days[0]!,
      days[days.length - 1]!,
    )
    if (filter.provider) variables.provider_id = filter.provider
    if (filter.patient) variables.user_id = filter.patient
    return this.connectionPages(
      'ListAppointments',
      doc.LIST_APPOINTMENTS,
      'appointments',
      variables,
      healthieAppointment,
    )
  }

  async listAppointments(q: { from: string; to: string; practitionerRef?: string }): Promise<Appointment[]> {
    const list = await this.appointmentsOn(
      q.from,
      q.to,
      q.practitionerRef ? { provider: q.practitionerRef } : {},
    )
    const from = Date.parse(q.from)
    const to = Date.parse(q.to)
    return list
      .map((a) => toAppointment(a, this.ctx))
      .filter((a) => a.start && Date.parse(a.start) >= from && Date.parse(a.start) < to)
      .sort((a, b) => Date.parse(a.start!) - Date.parse(b.start!))
  }

  private async appointment(ref: string): Promise<HealthieAppointment> {
    const data = await this.read(
      'GetAppointment',
      doc.GET_APPOINTMENT,
      { id: ref },
      z.object({ appointment: healthieAppointment.nullable() }),
    )
    if (!data.appointment) {
      throw new VendorError('not-found', 'Healthie has no such appointment.', {
        vendor: 'healthie',
        operation: 'GetAppointment',
      })
    }
    return data.appointment
  }

  async getAppointment(ref: string): Promise<Appointment> {
    return toAppointment(await this.appointment(ref), this.ctx)
  }

  /* ---------------- writes ---------------- */

  /**
   * Healthie's own pre-booking checks. `date` is typed ISO8601DateTime in 2026-01-01 (older docs
   * show "May 23, 2024"): send the local day's date and the local time as "HH MM", with the zone.
   */
  async bookingWarnings(q: BookingWarningQuery): Promise<string[]> {
    const zone = this.deps.connection.timeZone
    const local = DateTime.fromISO(q.start, { zone })
    const data = await this.read(
      'BookingWarnings',
      doc.BOOKING_WARNINGS,
      {
        provider_id: q.practitionerRef,
        date: local.toISODate(),
        time: local.toFormat('HH mm'),
        timezone: zone,
        appointment_type_id: q.appointmentTypeRef,
        ...(q.currentRef ? { current_appt_id: q.currentRef } : {}),
      },
      z.object({
        appointmentBookingWarnings: z
          .array(
            z.object({
              category: z.string().nullish(),
              subtitle: z.string().nullish(),
              potential_issues: z.array(z.string()).nullish(),
            }),
          )
          .nullable(),
      }),
    )
    return (data.appointmentBookingWarnings ?? []).map((w) =>
      [w.subtitle ?? w.category ?? 'Warning', ...(w.potential_issues ?? [])].join(': '),
    )
  }

  async book(b: BookRequest): Promise<Appointment> {
    const zone = this.deps.connection.timeZone
    const location = b.locationRef ?? this.deps.connection.options.locationId
    const type = (await this.typesWithContacts()).find((t) => t.ref === b.appointmentTypeRef)
    // In person when there is a location; otherwise the type's first remote contact type.
    const contactType =
      this.deps.connection.options.contactType ||
      (location ? 'In Person' : (type?.contactTypes.find((c) => c !== 'In Person') ?? 'In Person'))
    const input: Record<string, unknown> = {
      user_id: b.patientRef,
      appointment_type_id: b.appointmentTypeRef,
      contact_type: contactType,
      datetime: toZonedIso(b.start, zone),
      timezone: zone,
      metadata: metadataWith(b.clientRef),
      // Without this Healthie double-books staff bookings silently (healthie.md §4.2).
      enforce_availability: true,
    }
    if (b.practitionerRef) input.other_party_id = b.practitionerRef
    if (location) input.appointment_location_id = location
    if (b.note?.trim()) input.notes = b.note.trim()
    const appt = await this.mutate(
      'CreateAppointment',
      'createAppointment',
      'appointment',
      doc.CREATE_APPOINTMENT,
      input,
      healthieAppointment,
    )
    const out = toAppointment(appt, this.ctx)
    if (type?.lengthMinutes && out.end && !sameInstant(out.end, b.end)) {
      this.deps.log.info('healthie sets the end from the appointment type', {
        requested: b.end,
        got: out.end,
      })
    }
    return out
  }

  private update(operation: string, input: Record<string, unknown>) {
    return this.mutate(
      operation,
      'updateAppointment',
      'appointment',
      doc.UPDATE_APPOINTMENT,
      input,
      healthieAppointment,
    ).then((a) => toAppointment(a, this.ctx))
  }

  reschedule(r: RescheduleRequest): Promise<Appointment> {
    const zone = this.deps.connection.timeZone
    const input: Record<string, unknown> = {
      id: r.ref,
      datetime: toZonedIso(r.start, zone),
      timezone: zone,
      enforce_availability: true,
    }
    if (r.practitionerRef) input.other_party_id = r.practitionerRef
    return this.update('UpdateAppointment', input)
  }

  /** The appointment's `notes` (updateAppointmentInput has the field), replaced whole. */
  updateNote(n: NoteRequest): Promise<Appointment> {
    return this.update('UpdateAppointment', { id: n.ref, notes: n.note.trim() })
  }

  /** Staff "cancel but keep visible" (healthie.md §4.2), with the receptionist's reason. */
  cancel(c: CancelRequest): Promise<Appointment> {
    return this.update('UpdateAppointment', {
      id: c.ref,
      pm_status: 'Cancelled',
      other_cancellation_reason: c.reason,
      cancellation_initiated_by: 'organization',
    })
  }

  /**
   * "Checked-In" exists only where it is turned on: read the appointment settings (kept for a
   * while). The guide's `appointmentSetting` needs an `id` or a `provider_id`; Frontdesk asks for
   * the connection's own user's (`currentUser`), as the organisation's account. Where they cannot
   * be read, the write itself will tell.
   */
  private async checkInEnabled(): Promise<boolean> {
    const t = this.now().getTime()
    if (this.checkIn && t - this.checkIn.at < REFERENCE_TTL_MS) return this.checkIn.value
    try {
      this.me ??= await this.currentUserId()
      const data = await this.read(
        'AppointmentSetting',
        doc.APPOINTMENT_SETTING,
        { provider_id: this.me },
        z.object({
          appointmentSetting: z
            .looseObject({
              enable_checked_in_status: z.boolean().nullish(),
              pm_statuses: z.array(z.string().nullable()).nullish(),
            })
            .nullable(),
        }),
      )
      const s = data.appointmentSetting
      const value = !s || s.enable_checked_in_status === true || !!s.pm_statuses?.includes('Checked-In')
      this.checkIn = { at: t, value }
      return value
    } catch (err) {
      if (!(err instanceof VendorError) || !['protocol', 'invalid', 'auth'].includes(err.kind)) throw err
      this.deps.log.info('healthie appointment settings not readable; trying the check-in', {
        kind: err.kind,
      })
      return true
    }
  }

  async markArrived(a: MarkRequest): Promise<Appointment> {
    if (!(await this.checkInEnabled())) {
      throw new VendorError('invalid', CHECK_IN_OFF, {
        vendor: 'healthie',
        operation: 'UpdateAppointment',
        fields: [{ field: 'pm_status', message: 'Checked-In is not enabled for this organisation' }],
      })
    }
    return this.update('UpdateAppointment', { id: a.ref, pm_status: 'Checked-In' })
  }

  markNoShow(a: MarkRequest): Promise<Appointment> {
    return this.update('UpdateAppointment', { id: a.ref, pm_status: 'No-Show' })
  }

  /* ---------------- reconciliation ---------------- */

  async findWrite(w: WriteLookup): Promise<Appointment | Patient | null> {
    const { hint } = w
    switch (w.kind) {
      case 'book': {
        if (!hint.start) return null
        const zone = this.deps.connection.timeZone
        const day = localDate(hint.start, zone)
        // The day the booking starts on, as a range (a start at local midnight is an empty range).
        const list = await this.appointmentsOn(
          hint.start,
          new Date(Date.parse(hint.start) + 60_000).toISOString(),
          hint.patientRef ? { patient: hint.patientRef } : {},
        )
        const mine = list.find((a) => frontdeskRefFrom(a.metadata) === w.clientRef)
        if (mine) return toAppointment(mine, this.ctx)
        const match = list.find((a) => {
          const x = toAppointment(a, this.ctx)
          return (
            x.status !== 'cancelled' &&
            x.patientRef === hint.patientRef &&
            (!hint.practitionerRef || x.practitionerRef === hint.practitionerRef) &&
            sameInstant(x.start, hint.start)
          )
        })
        if (match)
          this.deps.log.info('healthie write found by patient, provider and start', {
            clientRef: w.clientRef,
            day,
          })
        return match ? toAppointment(match, this.ctx) : null
      }
      case 'createPatient': {
        const keywords = [hint.familyName, hint.birthDate].filter(Boolean).join(' ')
        if (!keywords) return null
        const data = await this.read(
          'FindPatients',
          doc.FIND_PATIENTS,
          { keywords, first: PAGE_SIZE },
          z.object({ users: connection(healthieUser) }),
        )
        const found = (data.users.nodes ?? []).find((u) => u && frontdeskRefFrom(u.metadata) === w.clientRef)
        return found ? toPatient(found, this.ctx) : null
      }
    }
  }

  /** The id of the user this connection signs in as. */
  private async currentUserId(): Promise<string> {
    const data = await this.read(
      'CurrentUser',
      doc.CURRENT_USER,
      {},
      z.object({ currentUser: z.looseObject({ id: z.union([z.string(), z.number()]) }).nullable() }),
    )
    if (!data.currentUser)
      throw new VendorError('auth', defaultMessages.auth, { vendor: 'healthie', operation: 'CurrentUser' })
    return String(data.currentUser.id)
  }

  async testConnection(): Promise<{ ok: true; detail: string }> {
    this.me = await this.currentUserId()
    const connected = `Connected to Healthie (API version ${this.apiVersion}).`
    return { ok: true, detail: this.versionNotice ? `${connected} ${this.versionNotice}` : connected }
  }
}
