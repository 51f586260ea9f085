/**
 * Heim Health (home visits), REST. Heim dispatches its own practitioner, so there is no practitioner
 * or location list, no arrival marking, and no reschedule (cancel and book again). "Appointment
 * types" are Heim tasks (`tsk_…`), free times are windows (`win_…`). A no-show is a cancellation
 * with reason `patient_not_present`; Heim accepts one cancellation per appointment.
 *
 * Client reference: `externalReference` on patients and appointments, filterable but not unique.
 * The filter field is documented both as `externalReference` and `externalRef` ([U]): the adapter
 * tries the first, falls back to the second, and remembers which worked.
 */
import { DateTime } from 'luxon'
import { z } from 'zod'
import type { Appointment, AppointmentType, NewPatient, Patient, Slot } from '../../../shared/model'
import { compactNhsNumber, isValidNhsNumber } from '../../../shared/nhs-number'
import { toE164 } from '../../../shared/phone'
import { listTooLong, VendorError } from '../errors'
import { heimChoices, type HeimChoices } from './assumptions'
import { parseVendor } from '../http/boundary'
import type { HttpMethod, QueryValue } from '../http/client'
import { restCall } from '../http/rest'
import { localDays, normaliseName } from '../normalise'
import {
  capabilitiesOf,
  type AdapterDeps,
  type BookRequest,
  type CancelRequest,
  type Capabilities,
  type MarkRequest,
  type SlotQuery,
  type VendorAdapter,
  type WriteLookup,
} from '../types'
import {
  heimAppointment,
  heimPatient,
  heimTask,
  heimWindow,
  NO_SHOW_REASON,
  page,
  toAppointment,
  toAppointmentType,
  toPatient,
  toSlot,
  type HeimAppointment,
  type MapContext,
} from './mappers'

const PAGE_SIZE = 100
const MAX_PAGES = 30

/** A page number from 1 (paging by number); a cursor from the other paging, or none, starts again at 1. */
const pageNumber = (at: string | undefined) => {
  const n = Number(at)
  return Number.isInteger(n) && n > 0 ? n : 1
}

/** A quoted filter value: strings, ids and dates are quoted, with `"` escaped (heim.md §3.2). */
export const quoted = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

export class HeimAdapter implements VendorAdapter {
  readonly vendor = 'heim' as const
  readonly capabilities: Capabilities
  private readonly ctx: MapContext
  /** Heim documents its base URL with the version (`https://api.heim.health/v1/`); ours may or may not. */
  private readonly baseHasVersion: boolean
  private readonly assume: HeimChoices
  private refField: 'externalReference' | 'externalRef' | undefined
  private nameField: 'name' | 'patient.name' | undefined

  constructor(private readonly deps: AdapterDeps) {
    this.ctx = { connectionId: deps.connection.id, timeZone: deps.connection.timeZone, log: deps.log }
    this.baseHasVersion = /\/v1\/*$/.test(new URL(deps.connection.baseUrl).pathname)
    this.assume = heimChoices(deps.connection.options)
    if ((this.assume.cancelReasonCode as string) === NO_SHOW_REASON) {
      // Heim's own code for a patient who did not come: every cancellation would read as a no-show.
      throw new VendorError(
        'invalid',
        `The connection setting "cancelReasonCode" cannot be ${NO_SHOW_REASON}: that is how a no-show is recorded.`,
        {
          vendor: 'heim',
          operation: 'settings',
          fields: [{ field: 'cancelReasonCode', message: `"${NO_SHOW_REASON}" is kept for no-shows` }],
        },
      )
    }
    if (this.assume.referenceFilterField !== 'auto') this.refField = this.assume.referenceFilterField
    if (this.assume.nameFilterField !== 'auto') this.nameField = this.assume.nameFilterField
    this.capabilities = capabilitiesOf(this, {
      findPatients: 'Searches names only (contains).',
      listAppointmentTypes: 'Heim tasks (the kinds of home visit).',
      findSlots: 'Home-visit windows for a task; give the patient’s postcode.',
      listPractitioners: 'Heim chooses the practitioner.',
      book: 'Without a window Heim asks the patient to choose a time (status: proposed).',
      reschedule: 'Heim cannot move a visit: cancel it and book again.',
      cancel: 'Heim accepts one cancellation per visit; under 24 hours before arrival it may be charged.',
      markNoShow: 'Recorded as a cancellation with reason "patient not present".',
      markArrived: 'Heim’s practitioner records the visit.',
      undoStatus:
        'A Heim no-show is a cancellation, and Heim cannot take a cancellation back: once sent, book the visit again.',
      updatePatient: 'Heim publishes no patient update: change the details in Heim.',
      updateNote:
        'Heim takes a note when a visit is booked and publishes no way to change it: change it in Heim.',
    })
  }

  private async headers(): Promise<Record<string, string>> {
    const { apiKey } = await this.deps.credentials()
    if (!apiKey)
      throw new VendorError('auth', 'Heim needs an API key in Settings.', {
        vendor: 'heim',
        operation: 'auth',
      })
    // The key itself, no "Bearer" (heim.md §3.1).
    return { authorization: apiKey }
  }

  private async call(
    method: HttpMethod,
    path: string,
    opts: { query?: Record<string, QueryValue>; json?: unknown; write: boolean },
  ) {
    return restCall(this.deps.http, {
      method,
      path: this.baseHasVersion ? path.replace(/^\/v1(?=\/|$)/, '') : path,
      headers: await this.headers(),
      write: opts.write,
      operation: `${method} ${path.replace(/\/(p|apt|tsk|win)_[^/]+/g, '/{id}')}`,
      ...(opts.query ? { query: opts.query } : {}),
      ...(opts.json !== undefined ? { json: opts.json } : {}),
    })
  }

  private parse<T extends z.ZodType>(schema: T, body: unknown, operation: string, write = false) {
    return parseVendor(schema, body, { vendor: 'heim', operation, write })
  }

  private async list<T extends z.ZodType>(
    path: string,
    filters: string[],
    item: T,
    limit = Infinity,
  ): Promise<z.output<T>[]> {
    const out: z.output<T>[] = []
    let at: string | undefined
    for (let n = 0; n < MAX_PAGES && out.length < limit; n++) {
      const query = { ...this.filterQuery(filters), ...this.pageQuery(at), limit: Math.min(PAGE_SIZE, limit) }
      const { body } = await this.call('GET', path, { query, write: false })
      const p = this.parse(page(item), body, `GET ${path}`)
      out.push(...p.data)
      at = this.nextPage(p, at)
      if (!at) return out.slice(0, limit)
    }
    // Stopped by the caller's limit, or by the pages Frontdesk reads (then the list is not whole).
    if (out.length >= limit) return out.slice(0, limit)
    throw listTooLong('heim', `GET ${path}`, MAX_PAGES)
  }

  /** Several filters as Heim is assumed to combine them (assumption `filterCombine`). */
  private filterQuery(filters: string[]): Record<string, QueryValue> {
    if (!filters.length) return {}
    return { filter: this.assume.filterCombine === 'comma' ? filters.join(',') : filters }
  }

  /** Where a page starts (assumption `paging`): an opaque cursor, or a page number from 1. */
  private pageQuery(at: string | undefined): Record<string, QueryValue> {
    if (this.assume.paging === 'page') return { page: pageNumber(at) }
    return at ? { cursor: at } : {}
  }

  /** Where the next page starts, or undefined after the last. */
  private nextPage(p: { hasMore?: boolean | null; nextCursor?: string | null }, at: string | undefined) {
    if (!p.hasMore) return undefined
    if (this.assume.paging === 'page') return String(pageNumber(at) + 1)
    return p.nextCursor ?? undefined
  }

  /** A filtered list where the field name is uncertain: the first name that Heim accepts wins. */
  private async withField<F extends string, R>(
    current: F | undefined,
    candidates: readonly F[],
    remember: (f: F) => void,
    run: (f: F) => Promise<R>,
  ): Promise<R> {
    if (current) return run(current)
    let last: unknown
    for (const f of candidates) {
      try {
        const r = await run(f)
        remember(f)
        return r
      } catch (err) {
        if (!(err instanceof VendorError) || err.kind !== 'invalid') throw err
        this.deps.log.info('heim filter field refused; trying the next spelling', {
          field: f,
          vendorMessage: err.vendorMessage,
        })
        last = err
      }
    }
    throw last
  }

  /* ---------------- patients ---------------- */

  async findPatients(q: { text: string; limit?: number }): Promise<Patient[]> {
    const text = normaliseName(q.text)
    const limit = Math.min(Math.max(q.limit ?? 25, 1), PAGE_SIZE)
    const list = await this.withField(
      this.nameField,
      ['name', 'patient.name'] as const,
      (f) => (this.nameField = f),
      (f) => this.list('/v1/patients', [`${f}~${quoted(text)}`], heimPatient, limit),
    )
    return list.map((p) => toPatient(p, this.ctx))
  }

  async listPatients(q: { cursor?: string }): Promise<{ patients: Patient[]; next: string | null }> {
    const query = { ...this.pageQuery(q.cursor), limit: PAGE_SIZE }
    const { body } = await this.call('GET', '/v1/patients', { query, write: false })
    const p = this.parse(page(heimPatient), body, 'GET /v1/patients')
    return { patients: p.data.map((x) => toPatient(x, this.ctx)), next: this.nextPage(p, q.cursor) ?? null }
  }

  async getPatient(ref: string): Promise<Patient> {
    const { body } = await this.call('GET', `/v1/patients/${encodeURIComponent(ref)}`, { write: false })
    return toPatient(this.parse(heimPatient, body, 'GET /v1/patients/{id}'), this.ctx)
  }

  async createPatient(p: NewPatient & { clientRef: string }): Promise<Patient> {
    const json: Record<string, unknown> = {
      firstName: normaliseName(p.givenName),
      lastName: normaliseName(p.familyName),
      dateOfBirth: p.birthDate,
      phone: p.phone ? (toE164(p.phone) ?? p.phone) : null,
      email: p.email?.trim() || null,
      externalReference: p.clientRef,
    }
    if (p.nhsNumber && isValidNhsNumber(p.nhsNumber)) json.nhsNumber = compactNhsNumber(p.nhsNumber)
    if (p.postcode) {
      json.address = [
        {
          line1: p.addressLine ?? '',
          ...(p.city ? { city: p.city } : {}),
          postcode: p.postcode.trim().toUpperCase(),
          country: 'GB',
        },
      ]
    }
    const { body } = await this.call('POST', '/v1/patients', { json, write: true })
    return toPatient(this.parse(heimPatient, body, 'POST /v1/patients', true), this.ctx)
  }

  /* ---------------- tasks and windows ---------------- */

  async listAppointmentTypes(): Promise<AppointmentType[]> {
    const tasks = await this.list(this.assume.tasksPath, [], heimTask)
    return tasks.map((t) => toAppointmentType(t, this.deps.connection.id))
  }

  async findSlots(q: SlotQuery): Promise<Slot[]> {
    if (!q.appointmentTypeRef) {
      throw new VendorError('invalid', 'Choose the kind of visit to see Heim’s windows.', {
        vendor: 'heim',
        operation: 'GET /v1/availability',
        fields: [{ field: 'appointmentTypeRef', message: 'is required' }],
      })
    }
    const days = localDays(q.from, q.to, this.ctx.timeZone)
    if (!days.length) return []
    const path = this.assume.availabilityPath
    const [first, last] = [days[0], days[days.length - 1]]
    const query =
      this.assume.availabilityQuery === 'snake'
        ? { task_id: q.appointmentTypeRef, postcode: q.postcode, start_date: first, end_date: last }
        : { taskId: q.appointmentTypeRef, postcode: q.postcode, from: first, to: last }
    const { body } = await this.call('GET', path, { query, write: false })
    const windows = this.parse(z.looseObject({ data: z.array(heimWindow) }), body, `GET ${path}`).data
    const from = Date.parse(q.from)
    const to = Date.parse(q.to)
    return windows
      .map((w) => toSlot(w, this.ctx))
      .filter((s) => Date.parse(s.start) < to && Date.parse(s.end) > from)
      .sort((a, b) => a.start.localeCompare(b.start))
  }

  /* ---------------- appointments ---------------- */

  async listAppointments(q: { from: string; to: string }): Promise<Appointment[]> {
    // How filters combine and the time field are assumption entries; the day is checked again below.
    const dt = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).toISO()!
    const field = this.assume.appointmentTimeField
    const list = await this.list(
      '/v1/appointments',
      [`${field}>=${quoted(dt(q.from))}`, `${field}<${quoted(dt(q.to))}`],
      heimAppointment,
    )
    const from = Date.parse(q.from)
    const to = Date.parse(q.to)
    return list
      .map((a) => toAppointment(a, this.ctx))
      .filter((a) => a.start && Date.parse(a.start) >= from && Date.parse(a.start) < to)
      .sort((a, b) => Date.parse(a.start!) - Date.parse(b.start!))
  }

  private async appointment(ref: string): Promise<HeimAppointment> {
    const { body } = await this.call('GET', `/v1/appointments/${encodeURIComponent(ref)}`, { write: false })
    return this.parse(heimAppointment, body, 'GET /v1/appointments/{id}')
  }

  async getAppointment(ref: string): Promise<Appointment> {
    return toAppointment(await this.appointment(ref), this.ctx)
  }

  async book(b: BookRequest): Promise<Appointment> {
    // Heim visits the patient: the visit's phone and address are the patient's own.
    const { body: patientBody } = await this.call('GET', `/v1/patients/${encodeURIComponent(b.patientRef)}`, {
      write: false,
    })
    const patient = this.parse(heimPatient, patientBody, 'GET /v1/patients/{id}')
    const address = patient.address?.[0]
    if (!patient.phone || !address?.postcode) {
      throw new VendorError(
        'invalid',
        'Heim needs the patient’s phone number and home address to book a visit.',
        {
          vendor: 'heim',
          operation: 'POST /v1/appointments',
          fields: [
            ...(patient.phone ? [] : [{ field: 'phone', message: 'is required' }]),
            ...(address?.postcode ? [] : [{ field: 'location', message: 'is required' }]),
          ],
        },
      )
    }
    const json: Record<string, unknown> = {
      patientId: b.patientRef,
      taskId: b.appointmentTypeRef,
      windowId: b.slotToken ?? null,
      externalReference: b.clientRef,
      note: b.note?.trim() || null,
      phone: patient.phone,
      location: address,
    }
    const { body } = await this.call('POST', '/v1/appointments', { json, write: true })
    return toAppointment(this.parse(heimAppointment, body, 'POST /v1/appointments', true), this.ctx)
  }

  private async cancelWith(
    ref: string,
    reasonCode: string,
    note: string,
    causingEntity: string,
  ): Promise<Appointment> {
    const json = { note, causingEntity, cancellingEntity: 'organisation', reasonCode }
    try {
      const { body } = await this.call('POST', `/v1/appointments/${encodeURIComponent(ref)}/cancel`, {
        json,
        write: true,
      })
      return toAppointment(
        this.parse(heimAppointment, body, 'POST /v1/appointments/{id}/cancel', true),
        this.ctx,
      )
    } catch (err) {
      // Heim refuses a second cancel: if ours already went through (a resend), that is the intent.
      if (err instanceof VendorError && String(err.status) === this.assume.repeatCancelStatus) {
        const current = await this.appointment(ref)
        if (current.status === 'cancelled' && current.cancellation?.reasonCode === reasonCode) {
          return toAppointment(current, this.ctx)
        }
      }
      throw err
    }
  }

  cancel(c: CancelRequest): Promise<Appointment> {
    const reason = this.assume.cancelReasonCode
    return this.cancelWith(c.ref, reason, c.reason, 'patient')
  }

  markNoShow(a: MarkRequest): Promise<Appointment> {
    return this.cancelWith(a.ref, NO_SHOW_REASON, `Patient not present (recorded ${a.at})`, 'patient')
  }

  /* ---------------- reconciliation ---------------- */

  private byRef<T extends z.ZodType>(path: string, clientRef: string, item: T) {
    return this.withField(
      this.refField,
      ['externalReference', 'externalRef'] as const,
      (f) => (this.refField = f),
      (f) => this.list(path, [`${f}:${quoted(clientRef)}`], item),
    )
  }

  async findWrite(w: WriteLookup): Promise<Appointment | Patient | null> {
    switch (w.kind) {
      case 'book': {
        // Not unique: several may carry the reference (an earlier duplicate); a live one wins. Only
        // records that carry it: a Heim that ignored the filter would list everyone's.
        const found = (await this.byRef('/v1/appointments', w.clientRef, heimAppointment))
          .filter((a) => a.externalReference === w.clientRef)
          .map((a) => toAppointment(a, this.ctx))
        return found.find((a) => a.status !== 'cancelled') ?? found[0] ?? null
      }
      case 'createPatient': {
        const found = (await this.byRef('/v1/patients', w.clientRef, heimPatient)).filter(
          (p) => p.externalReference === w.clientRef,
        )
        return found[0] ? toPatient(found[0], this.ctx) : null
      }
    }
  }

  async testConnection(): Promise<{ ok: true; detail: string }> {
    const { apiKey } = await this.deps.credentials()
    await this.list(this.assume.tasksPath, [], heimTask, 1)
    const mode = apiKey?.startsWith('test_') ? ' in test mode (no practitioner is sent)' : ''
    return { ok: true, detail: `Connected to Heim${mode}.` }
  }
}
