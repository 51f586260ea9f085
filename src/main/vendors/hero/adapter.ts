/**
 * Hero Health public API (REST), for UK GP practices. Patients are reached only by an exact PDS
 * trace (`register_pds`), which also registers them with Hero; there is no free search, no
 * practitioner list and no arrival marking (hero-health.md §2.7), so those operations are absent.
 *
 * Booking is two steps: reserve (`POST /v1/appointments`) then confirm (`PATCH …/book`). Hero keeps
 * no client reference, so our own reservation is recognised by patient + practitioner + start: a
 * `book` that finds the time held by our earlier, unconfirmed reservation confirms that one.
 */
import { z } from 'zod'
import type { Appointment, AppointmentType, Location, Slot } from '../../../shared/model'
import { compactNhsNumber } from '../../../shared/nhs-number'
import { listTooLong, VendorError } from '../errors'
import { heroChoices, type HeroChoices } from './assumptions'
import { parseVendor } from '../http/boundary'
import type { HttpMethod, QueryValue } from '../http/client'
import { restCall } from '../http/rest'
import { localDate, minutesBetween, normaliseName, sameInstant, dayRange } from '../normalise'
import {
  capabilitiesOf,
  type AdapterDeps,
  type BookRequest,
  type CancelRequest,
  type Capabilities,
  type RescheduleRequest,
  type SlotQuery,
  type TraceQuery,
  type TraceResult,
  type VendorAdapter,
  type WriteLookup,
} from '../types'
import {
  heroAppointment,
  heroAppointmentType,
  heroLocation,
  heroSlot,
  list,
  pdsAnswer,
  toAppointment,
  toAppointmentType,
  toLocation,
  toSlot,
  type HeroAppointment,
  type MapContext,
} from './mappers'

const PAGE_SIZE = 100
const MAX_PAGES = 30

export class HeroAdapter implements VendorAdapter {
  readonly vendor = 'hero' as const
  readonly capabilities: Capabilities
  private readonly ctx: MapContext
  /** Hero's first page index is undocumented ([U]): learnt from the first paged answer. */
  private pageBase: number | undefined

  private readonly assume: HeroChoices

  constructor(private readonly deps: AdapterDeps) {
    this.assume = heroChoices(deps.connection.options)
    this.ctx = {
      connectionId: deps.connection.id,
      timeZone: deps.connection.timeZone,
      cancelledAtField: this.assume.cancelledRead === 'cancelled_at',
    }
    if (this.assume.pageIndexBase !== 'auto') this.pageBase = Number(this.assume.pageIndexBase)
    // Without a list endpoint there is no day list to offer (capabilities are read off the adapter).
    if (this.assume.appointmentList === 'none')
      Object.defineProperty(this, 'listAppointments', { value: undefined })
    this.capabilities = capabilitiesOf(this, {
      tracePatient:
        'Exact NHS Spine (PDS) trace only: NHS number and date of birth, or name, date of birth and postcode.',
      findPatients: 'Hero has no patient search: use the PDS trace.',
      createPatient: 'Patients are registered by the PDS trace.',
      listPractitioners: 'Hero has no practitioner list; practitioners come with the free slots.',
      listAppointments:
        'Hero documents no day list; this uses GET /v1/appointments where the practice’s API offers it.',
      book: 'Reserves the slot, then confirms it.',
      cancel: 'Hero has no field for the reason: it is kept in Frontdesk only.',
      markArrived: 'Hero does not record arrivals; record them in the clinical system.',
      markNoShow: 'Hero does not record no-shows; record them in the clinical system.',
      undoStatus: 'Hero records neither arrivals nor no-shows.',
      updatePatient:
        'Hero reads patients from the NHS Spine (PDS) and publishes no patient update: change details in the GP system.',
      updateNote: 'Hero publishes no way to change an appointment’s notes: change them in the GP system.',
    })
  }

  private async headers(): Promise<Record<string, string>> {
    const { apiKey } = await this.deps.credentials()
    const group = this.deps.connection.options.practiceGroupId
    if (!apiKey || !group) {
      throw new VendorError('auth', 'Hero Health needs an API key and the practice group id in Settings.', {
        vendor: 'hero',
        operation: 'auth',
      })
    }
    return { 'x-api-key': apiKey, 'x-practice-group-id': group }
  }

  private async call(
    method: HttpMethod,
    path: string,
    opts: { query?: Record<string, QueryValue>; json?: unknown; write: boolean },
  ) {
    return restCall(this.deps.http, {
      method,
      path,
      headers: await this.headers(),
      write: opts.write,
      operation: `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`,
      ...(opts.query ? { query: opts.query } : {}),
      ...(opts.json !== undefined ? { json: opts.json } : {}),
    })
  }

  private parse<T extends z.ZodType>(schema: T, body: unknown, operation: string, write = false) {
    return parseVendor(schema, body, { vendor: 'hero', operation, write })
  }

  /** Every page of a `{ data, count }` list. */
  private async pages<T extends z.ZodType>(
    path: string,
    query: Record<string, QueryValue>,
    item: T,
  ): Promise<z.output<T>[]> {
    const out: z.output<T>[] = []
    const seen = new Set<string>()
    // The first request leaves page_index to the server's default; later ones count on from the base.
    for (let n = 0; n < MAX_PAGES; n++) {
      const q: Record<string, QueryValue> = { ...query, page_size: PAGE_SIZE }
      if (n > 0 || this.pageBase !== undefined) q.page_index = (this.pageBase ?? 0) + n
      const { body } = await this.call('GET', path, { query: q, write: false })
      const page = this.parse(list(item), body, `GET ${path}`)
      const fresh = page.data.filter((x) => {
        const key = JSON.stringify(x)
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      if (n === 1 && this.pageBase === undefined && fresh.length === 0 && page.data.length > 0) {
        // Page 1 repeated the first page: Hero counts pages from 1 here.
        this.deps.log.info('hero pages count from 1', { path })
        this.pageBase = 1
        n = 0
        continue
      }
      out.push(...fresh)
      const total = page.count ?? undefined
      if (!page.data.length || page.data.length < PAGE_SIZE || (total !== undefined && out.length >= total))
        return out
    }
    throw listTooLong('hero', `GET ${path}`, MAX_PAGES)
  }

  /* ---------------- patients ---------------- */

  /**
   * PDS trace. A POST, but not one that can duplicate anything: the same trace returns the same
   * patient, so it is treated as a read (a lost answer can simply be asked again).
   */
  async tracePatient(q: TraceQuery): Promise<TraceResult> {
    const json =
      'nhsNumber' in q
        ? { nhs_number: compactNhsNumber(q.nhsNumber), dob: q.birthDate }
        : {
            forename: normaliseName(q.givenName),
            surname: normaliseName(q.familyName),
            dob: q.birthDate,
            postcode: q.postcode.trim().toUpperCase(),
          }
    let body: unknown
    try {
      body = (await this.call('POST', '/v1/patients/register_pds', { json, write: false })).body
    } catch (err) {
      if (err instanceof VendorError && err.kind === 'not-found') return { outcome: 'not-found' }
      throw err
    }
    const answer = this.parse(pdsAnswer, body, 'POST /v1/patients/register_pds')
    if (answer.patient_id) return { outcome: 'found', patientRef: answer.patient_id }
    this.deps.log.info('hero trace needs identity verification')
    return {
      outcome: 'must-verify-identity',
      loginUrl: answer.login_url!,
      message: answer.message ?? 'The patient must verify their identity before proceeding.',
    }
  }

  /* ---------------- reference data and slots ---------------- */

  async listLocations(): Promise<Location[]> {
    const { body } = await this.call('GET', '/v1/locations', { write: false })
    return this.parse(list(heroLocation), body, 'GET /v1/locations').data.map((l) =>
      toLocation(l, this.deps.connection.id),
    )
  }

  async listAppointmentTypes(): Promise<AppointmentType[]> {
    const { body } = await this.call('GET', '/v1/appointment_types', { write: false })
    return this.parse(list(heroAppointmentType), body, 'GET /v1/appointment_types').data.map((t) =>
      toAppointmentType(t, this.deps.connection.id),
    )
  }

  async findSlots(q: SlotQuery): Promise<Slot[]> {
    const slots = await this.pages(
      '/v1/slots',
      {
        start_date: q.from,
        end_date: q.to,
        appointment_type_id: q.appointmentTypeRef,
        practitioner_id: q.practitionerRef,
        location_id: q.locationRef,
      },
      heroSlot,
    )
    const from = Date.parse(q.from)
    const to = Date.parse(q.to)
    return slots
      .map((s) => toSlot(s, this.ctx))
      .filter((s) => Date.parse(s.start) >= from && Date.parse(s.start) < to)
      .sort((a, b) => a.start.localeCompare(b.start))
  }

  /* ---------------- appointments ---------------- */

  private async appointmentsBetween(
    from: string,
    to: string,
    filter: { practitioner?: string; patient?: string },
  ) {
    return this.pages(
      '/v1/appointments',
      { start_date: from, end_date: to, practitioner_id: filter.practitioner, patient_id: filter.patient },
      heroAppointment,
    )
  }

  async listAppointments(q: { from: string; to: string; practitionerRef?: string }): Promise<Appointment[]> {
    const list = await this.appointmentsBetween(q.from, q.to, { practitioner: q.practitionerRef })
    const from = Date.parse(q.from)
    const to = Date.parse(q.to)
    return list
      .map((a) => toAppointment(a, this.ctx))
      .filter((a) => a.start && Date.parse(a.start) >= from && Date.parse(a.start) < to)
      .sort((a, b) => Date.parse(a.start!) - Date.parse(b.start!))
  }

  /** An appointment, or a cancelled stub where Hero answers 410 for it (assumption `cancelledRead`). */
  async getAppointment(ref: string): Promise<Appointment> {
    try {
      const { body } = await this.call('GET', `/v1/appointments/${encodeURIComponent(ref)}`, { write: false })
      return toAppointment(this.parse(heroAppointment, body, 'GET /v1/appointments/{id}'), this.ctx)
    } catch (err) {
      if (err instanceof VendorError && err.status === 410 && this.assume.cancelledRead === '410') {
        return { ref, connectionId: this.deps.connection.id, status: 'cancelled', vendorStatus: 'cancelled' }
      }
      throw err
    }
  }

  /** Our own earlier appointment for this patient, practitioner and start, if Hero holds one. */
  private async own(b: {
    patientRef?: string
    practitionerRef?: string
    start?: string
  }): Promise<HeroAppointment | undefined> {
    if (!b.start || !b.patientRef || this.assume.appointmentList === 'none') return undefined
    const day = dayRange(localDate(b.start, this.ctx.timeZone), this.ctx.timeZone)
    const list = await this.appointmentsBetween(day.start, day.end, { patient: b.patientRef })
    return list.find(
      (a) =>
        a.patient_id === b.patientRef &&
        (!b.practitionerRef || a.practitioner_id === b.practitionerRef) &&
        !!a.start_time &&
        sameInstant(toAppointment(a, this.ctx).start, b.start),
    )
  }

  async book(b: BookRequest): Promise<Appointment> {
    const reservation =
      b.slotToken && this.assume.reserveBody === 'slot'
        ? { slot_id: b.slotToken, patient_id: b.patientRef }
        : {
            practitioner_id: b.practitionerRef,
            appointment_type_id: b.appointmentTypeRef,
            location_id: b.locationRef,
            start_time: b.start,
            duration: minutesBetween(b.start, b.end),
            patient_id: b.patientRef,
          }
    let held: HeroAppointment
    try {
      const { body } = await this.call('POST', '/v1/appointments', { json: reservation, write: true })
      held = this.parse(heroAppointment, body, 'POST /v1/appointments', true)
    } catch (err) {
      // The time may be held by our own earlier reservation (a resend after a failed confirm).
      if (!(err instanceof VendorError) || err.kind !== 'conflict') throw err
      const mine = await this.own(b)
      if (!mine) throw err
      this.deps.log.info('hero: resuming our own reservation', { ref: mine.id, clientRef: b.clientRef })
      if (mine.booking_confirmed_at) return toAppointment(mine, this.ctx)
      held = mine
    }
    return this.confirm(held, b.patientRef)
  }

  private async confirm(held: HeroAppointment, patientRef: string): Promise<Appointment> {
    const path = `/v1/appointments/${encodeURIComponent(held.id)}/${this.assume.confirmAction}`
    try {
      const { body } = await this.call('PATCH', path, { json: { patient_id: patientRef }, write: true })
      return toAppointment(
        this.parse(heroAppointment, body, `PATCH /v1/appointments/{id}/${this.assume.confirmAction}`, true),
        this.ctx,
      )
    } catch (err) {
      // Confirmed already (a resend)? Read it back rather than trust the wording of the refusal.
      if (err instanceof VendorError && String(err.status) === this.assume.repeatConfirmStatus) {
        const { body } = await this.call('GET', `/v1/appointments/${encodeURIComponent(held.id)}`, {
          write: false,
        })
        const current = this.parse(heroAppointment, body, 'GET /v1/appointments/{id}')
        if (current.booking_confirmed_at) return toAppointment(current, this.ctx)
      }
      throw err
    }
  }

  /** The reference's body (hero-health-api-reference-2.txt): practitioner, length and UTC start, not a slot id. */
  async reschedule(r: RescheduleRequest): Promise<Appointment> {
    const practitionerId = r.practitionerRef ?? (await this.getAppointment(r.ref)).practitionerRef
    if (!practitionerId)
      throw new VendorError('invalid', 'Hero Health needs the practitioner to move this appointment.', {
        vendor: 'hero',
        operation: 'reschedule',
      })
    const json = {
      practitioner_id: practitionerId,
      duration: minutesBetween(r.start, r.end),
      start_time: new Date(r.start).toISOString(),
      suppress_mail: false,
      suppress_availability_check: false,
    }
    const { body } = await this.call('PATCH', `/v1/appointments/${encodeURIComponent(r.ref)}/reschedule`, {
      json,
      write: true,
    })
    return toAppointment(
      this.parse(heroAppointment, body, 'PATCH /v1/appointments/{id}/reschedule', true),
      this.ctx,
    )
  }

  async cancel(c: CancelRequest): Promise<Appointment> {
    this.deps.log.info('hero cancel: reason kept locally (no Hero field)', {
      ref: c.ref,
      clientRef: c.clientRef,
    })
    const json: Record<string, unknown> = {}
    if (this.deps.connection.options.suppressCancellationPolicy === 'true')
      json.suppress_cancellation_policy = true
    try {
      const { body } = await this.call('PATCH', `/v1/appointments/${encodeURIComponent(c.ref)}/cancel`, {
        json,
        write: true,
      })
      return toAppointment(
        this.parse(heroAppointment, body, 'PATCH /v1/appointments/{id}/cancel', true),
        this.ctx,
        true,
      )
    } catch (err) {
      // Cancelling twice (a resend after an ambiguous first try) finds it cancelled: the intent holds.
      // Read back rather than match the refusal's wording.
      if (err instanceof VendorError && String(err.status) === this.assume.repeatCancelStatus) {
        const current = await this.getAppointment(c.ref)
        if (current.status === 'cancelled') return current
      }
      throw err
    }
  }

  /* ---------------- reconciliation ---------------- */

  async findWrite(w: WriteLookup): Promise<Appointment | null> {
    const { hint } = w
    switch (w.kind) {
      case 'book': {
        // Only a confirmed booking counts: a reservation still waiting is resumed by sending `book` again.
        const mine = await this.own(hint)
        return mine?.booking_confirmed_at ? toAppointment(mine, this.ctx) : null
      }
      default:
        return null
    }
  }

  async testConnection(): Promise<{ ok: true; detail: string }> {
    const { body } = await this.call('GET', '/v1/me', { write: false })
    const me = this.parse(z.looseObject({ name: z.string().nullish() }), body, 'GET /v1/me')
    return { ok: true, detail: `Connected to Hero Health${me.name ? ` (${normaliseName(me.name)})` : ''}.` }
  }
}
