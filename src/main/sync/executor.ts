/**
 * Turns outbox rows into adapter calls, and vendor answers into cache updates. Payloads name local
 * ids; they are resolved to vendor refs at send time, so a booking made offline for a patient
 * registered offline goes out with the patient's vendor id once that create has landed.
 */
import { type Clock, systemClock } from '../../shared/clock'
import type {
  Appointment,
  AppointmentStatus,
  Connection,
  Patient,
  PatientChanges,
  Slot,
} from '../../shared/model'
import { type CacheRepo, withChanges } from '../cache/cache-repo'
import { VendorError } from '../vendors/errors'
import type { VendorAdapter } from '../vendors/types'
import { sameInstant } from '../vendors/normalise'
import type {
  CheckDuplicatePayload,
  OutboxKind,
  ReschedulePayload,
  UpdatePatientPayload,
} from '../../shared/outbox-rows'
import { storedKindOf, type OutboxRow } from './outbox-repo'
import type { Completion, OutboxExecutor } from './worker'

export type {
  BookPayload,
  CancelPayload,
  CreatePatientPayload,
  MarkPayload,
  OutboxKind,
  ReschedulePayload,
  UpdatePatientPayload,
} from '../../shared/outbox-rows'

/** The status each status-changing write leaves an appointment in. */
const targetStatus: Partial<Record<OutboxKind, AppointmentStatus>> = {
  cancel: 'cancelled',
  markArrived: 'arrived',
  markNoShow: 'noshow',
}

const missing = (what: string) =>
  new VendorError('invalid', `This change needs ${what}, which Frontdesk does not have yet.`)

export class VendorExecutor implements OutboxExecutor {
  constructor(
    private readonly connection: Connection,
    private readonly adapter: () => VendorAdapter,
    private readonly cache: CacheRepo,
    private readonly clock: Clock = systemClock,
  ) {}

  private op<K extends keyof VendorAdapter>(name: K): NonNullable<VendorAdapter[K]> {
    const adapter = this.adapter()
    const fn = adapter[name]
    if (typeof fn !== 'function') {
      throw new VendorError('invalid', `This clinic system cannot do that through its API (${String(name)}).`)
    }
    return (fn as (...a: unknown[]) => unknown).bind(adapter) as NonNullable<VendorAdapter[K]>
  }

  private patientRef(patientId: string): string {
    const row = this.cache.patientRow(patientId)
    if (!row) throw missing('the patient record')
    if (!row.ref) throw missing('the patient to be registered at the clinic system first')
    return row.ref
  }

  private appointmentRef(appointmentId: string): string {
    const row = this.cache.appointmentRow(appointmentId)
    if (!row?.ref) throw missing('the appointment to be at the clinic system first')
    return row.ref
  }

  /**
   * The cache update once the vendor has an appointment for this row. A later change to the same
   * appointment (a move, a cancellation, an arrival) may still be waiting to be sent: the desk's
   * copy already shows it, and the vendor's answer to this earlier write must not undo it there
   * (a cancelled appointment would read as booked again and could be checked in).
   */
  private adoptAppointment(row: OutboxRow, appointmentId: string, a: Appointment): Completion {
    return {
      apply: () => {
        const local = this.cache.appointmentRow(appointmentId)
        const later = local && this.cache.hasUnsentChange(this.connection.id, appointmentId)
        const adopted: Appointment = later
          ? {
              ...a,
              status: local.status,
              start: local.start ?? a.start,
              end: local.end ?? a.end,
              ...(local.practitioner_ref ? { practitionerRef: local.practitioner_ref } : {}),
              // A note edited at the desk and not sent yet is the note the desk means.
              ...(local.note !== null ? { note: local.note } : {}),
            }
          : a
        if (a.ref) this.cache.dropCopiesOf(this.connection.id, a.ref, appointmentId)
        this.cache.putAppointment(appointmentId, { ...adopted, clientRef: row.clientRef }, local?.patient_id)
        if (a.ref) this.cache.recordIdMap(this.connection.id, 'appointment', appointmentId, a.ref)
      },
      detail: `${storedKindOf(row)} ${a.ref ?? ''}`.trim(),
    }
  }

  private adoptPatient(row: OutboxRow, patientId: string, p: Patient): Completion {
    return {
      apply: () => {
        this.cache.upsertPatient({ ...p, id: patientId })
        if (p.ref) this.cache.recordIdMap(this.connection.id, 'patient', patientId, p.ref)
      },
      detail: `createPatient ${p.ref ?? ''}`.trim(),
    }
  }

  /**
   * The cache update once the vendor has a patient's edit: the vendor's record, with the edited
   * values kept where the vendor's answer does not show them (an address line, or a phone the
   * vendor lists beside the old one), so the desk sees what was typed.
   */
  private adoptEdit(patientId: string, changes: PatientChanges, p: Patient): Completion {
    return {
      apply: () => {
        this.cache.upsertPatient({ ...withChanges(p, changes), id: patientId })
      },
      detail: `updatePatient ${p.ref ?? ''}`.trim(),
    }
  }

  async send(row: OutboxRow): Promise<Completion> {
    switch (row.kind) {
      case 'createPatient': {
        const p = row.payload
        const created = await this.op('createPatient')({ ...p.patient, clientRef: row.clientRef })
        return this.adoptPatient(row, p.patientId, created)
      }
      case 'updatePatient': {
        const p = row.payload
        const updated = await this.op('updatePatient')({
          clientRef: row.clientRef,
          ref: this.patientRef(p.patientId),
          changes: p.changes,
        })
        return this.adoptEdit(p.patientId, p.changes, updated)
      }
      case 'book': {
        const p = row.payload
        const booked = await this.op('book')({
          clientRef: row.clientRef,
          patientRef: this.patientRef(p.patientId),
          appointmentTypeRef: p.appointmentTypeRef,
          start: p.start,
          end: p.end,
          ...(p.practitionerRef ? { practitionerRef: p.practitionerRef } : {}),
          ...(p.locationRef ? { locationRef: p.locationRef } : {}),
          ...(p.slotToken ? { slotToken: p.slotToken } : {}),
          ...(p.note ? { note: p.note } : {}),
        })
        return this.adoptAppointment(row, p.appointmentId, booked)
      }
      case 'reschedule': {
        const p = row.payload
        const moved = await this.op('reschedule')({
          clientRef: row.clientRef,
          ref: this.appointmentRef(p.appointmentId),
          start: p.start,
          end: p.end,
          ...(p.slotToken ? { slotToken: p.slotToken } : {}),
          ...(p.practitionerRef ? { practitionerRef: p.practitionerRef } : {}),
        })
        return this.adoptAppointment(row, p.appointmentId, moved)
      }
      case 'cancel': {
        const p = row.payload
        // Cancel and rebook: the old appointment goes only once the new one is in the clinic system.
        if (p.rebookedAs && !this.cache.appointmentRow(p.rebookedAs)?.ref)
          throw new VendorError(
            'invalid',
            `The new booking did not reach ${this.connection.label}, so this appointment was kept. ` +
              'Discard this cancellation to keep it, or book again and cancel it yourself.',
          )
        const a = await this.op('cancel')({
          clientRef: row.clientRef,
          ref: this.appointmentRef(p.appointmentId),
          reason: p.reason,
        })
        return this.adoptAppointment(row, p.appointmentId, a)
      }
      case 'markArrived':
      case 'markNoShow': {
        const p = row.payload
        const a = await this.op(row.kind)({
          clientRef: row.clientRef,
          ref: this.appointmentRef(p.appointmentId),
          at: p.at,
        })
        return this.adoptAppointment(row, p.appointmentId, a)
      }
      case 'updateNote': {
        const p = row.payload
        const a = await this.op('updateNote')({
          clientRef: row.clientRef,
          ref: this.appointmentRef(p.appointmentId),
          note: p.note,
        })
        return this.adoptAppointment(row, p.appointmentId, a)
      }
      case 'checkDuplicate':
        return this.undoDuplicates(row, row.payload)
      case 'unreadable':
        throw new VendorError('invalid', `Frontdesk cannot read this queued change (${row.problem}).`)
    }
  }

  /**
   * Bookings this write made besides the one Frontdesk keeps: same client reference (or, where the
   * vendor keeps none, same patient and start), not cancelled. Looked for where the write was aimed
   * and where the kept one stands now (a move queued behind the booking may have gone first).
   * Reads only.
   */
  private async extraBookings(p: Extract<CheckDuplicatePayload, { write: 'book' }>): Promise<Appointment[]> {
    const adapter = this.adapter()
    const kept = this.cache.appointmentRow(p.appointmentId)
    if (!kept?.ref || !kept.start || !adapter.listAppointments) return []
    const hour = 3600_000
    const aimed = {
      start: p.start ?? kept.start,
      practitionerRef: (p.start ? p.practitionerRef : kept.practitioner_ref) ?? undefined,
    }
    const now = { start: kept.start, practitionerRef: kept.practitioner_ref ?? undefined }
    const moved = !sameInstant(aimed.start, now.start) || aimed.practitionerRef !== now.practitionerRef
    const places = moved ? [aimed, now] : [aimed]
    const seen = new Map<string, Appointment>()
    for (const at of places) {
      const listed = await adapter.listAppointments({
        from: new Date(Date.parse(at.start) - hour).toISOString(),
        to: new Date(Date.parse(at.start) + hour).toISOString(),
        ...(at.practitionerRef ? { practitionerRef: at.practitionerRef } : {}),
      })
      for (const a of listed) if (a.ref && !seen.has(a.ref)) seen.set(a.ref, a)
    }
    const patientRef = kept.patient_id ? this.cache.patientRow(kept.patient_id)?.ref : undefined
    return [...seen.values()].filter(
      (a) =>
        a.ref !== kept.ref &&
        a.status !== 'cancelled' &&
        (a.clientRef
          ? a.clientRef === p.clientRef
          : !!patientRef &&
            a.patientRef === patientRef &&
            places.some((at) => sameInstant(a.start, at.start))),
    )
  }

  /** Patients with the same name and date of birth as the registered one that Frontdesk does not know. */
  private async extraPatients(patientId: string): Promise<{ kept: string; extra: Patient[]; name: string }> {
    const adapter = this.adapter()
    const kept = this.cache.patientRow(patientId)
    if (!kept?.ref || !adapter.findPatients) return { kept: kept?.ref ?? '', extra: [], name: '' }
    const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()
    const found = await adapter.findPatients({ text: kept.family_name, limit: 50 })
    const extra = found.filter(
      (p) =>
        !!p.ref &&
        p.ref !== kept.ref &&
        same(p.givenName, kept.given_name) &&
        same(p.familyName, kept.family_name) &&
        p.birthDate === kept.birth_date &&
        // A record Frontdesk already had is another person of that name, not this write's twin.
        !this.cache.patientByRef(this.connection.id, p.ref),
    )
    return { kept: kept.ref, extra, name: `${kept.given_name} ${kept.family_name}` }
  }

  /**
   * The look after a resend: a booking made twice is cancelled at the vendor (Frontdesk keeps the
   * one it has); a patient registered twice cannot be deleted through any vendor's API, so a person
   * is asked to merge the two records, with both ids.
   */
  private async undoDuplicates(row: OutboxRow, p: CheckDuplicatePayload): Promise<Completion> {
    const label = this.connection.label
    if (p.write === 'createPatient') {
      const { kept, extra, name } = await this.extraPatients(p.patientId)
      if (extra.length > 0) {
        const ids = [kept, ...extra.map((x) => x.ref!)].join(' and ')
        throw new VendorError(
          'conflict',
          `${name} was registered twice in ${label} (the first attempt reached it late): records ${ids}. Merge them in ${label}, keeping ${kept} (the one Frontdesk uses), then discard this item.`,
        )
      }
      return { apply: () => {}, detail: `no duplicate of patient ${kept}` }
    }
    const extra = await this.extraBookings(p)
    if (extra.length === 0) return { apply: () => {}, detail: 'no duplicate booking' }
    const kept = this.cache.appointmentRow(p.appointmentId)?.ref ?? ''
    if (!this.adapter().cancel) {
      throw new VendorError(
        'conflict',
        `This booking is in ${label} twice (the first attempt reached it late): ${[kept, ...extra.map((a) => a.ref)].join(' and ')}. Cancel ${extra.map((a) => a.ref).join(', ')} in ${label}, then discard this item.`,
      )
    }
    for (const a of extra) {
      await this.op('cancel')({
        clientRef: row.clientRef,
        ref: a.ref!,
        reason: `Made twice by Frontdesk (a lost answer was resent); ${kept} is kept.`,
      })
    }
    return {
      apply: () => {},
      detail: `duplicate booking ${extra.map((a) => a.ref).join(', ')} cancelled; ${kept} kept`,
    }
  }

  /**
   * Was this write applied? Creates are found by their client reference (or the vendor's match);
   * changes to an existing appointment by reading it back and comparing with the intended state.
   */
  async reconcile(row: OutboxRow): Promise<Completion | null> {
    const adapter = this.adapter()
    if (row.kind === 'unreadable') return null
    if (row.kind === 'checkDuplicate') {
      // Done when no extra is left (a cancel whose answer was lost may have landed).
      const p = row.payload
      const left =
        p.write === 'book'
          ? (await this.extraBookings(p)).length
          : (await this.extraPatients(p.patientId)).extra.length
      return left === 0 ? { apply: () => {}, detail: 'no duplicate left' } : null
    }
    if (row.kind === 'book') {
      if (!adapter.findWrite) return null
      const p = row.payload
      const patient = this.cache.patientRow(p.patientId)
      const found = await adapter.findWrite({
        kind: 'book',
        clientRef: row.clientRef,
        hint: {
          ...(patient?.ref ? { patientRef: patient.ref } : {}),
          ...(p.practitionerRef ? { practitionerRef: p.practitionerRef } : {}),
          appointmentTypeRef: p.appointmentTypeRef,
          ...(p.slotToken ? { slotToken: p.slotToken } : {}),
          start: p.start,
        },
      })
      return found ? this.adoptAppointment(row, p.appointmentId, found as Appointment) : null
    }
    if (row.kind === 'createPatient') {
      if (!adapter.findWrite) return null
      const { patient: np, patientId } = row.payload
      const found = await adapter.findWrite({
        kind: 'createPatient',
        clientRef: row.clientRef,
        hint: { givenName: np.givenName, familyName: np.familyName, birthDate: np.birthDate },
      })
      return found ? this.adoptPatient(row, patientId, found as Patient) : null
    }
    if (row.kind === 'updatePatient') {
      // Applied when the vendor's record already holds every new value.
      const p = row.payload
      const ref = this.cache.patientRow(p.patientId)?.ref
      if (!ref || !adapter.getPatient) return null
      const current = await adapter.getPatient(ref)
      return editApplied(p.changes, current) ? this.adoptEdit(p.patientId, p.changes, current) : null
    }
    const p = row.payload
    const ref = this.cache.appointmentRow(p.appointmentId)?.ref
    if (!ref || !adapter.getAppointment) return null
    const current = await adapter.getAppointment(ref)
    const applied =
      row.kind === 'reschedule'
        ? moveApplied(row.payload, current)
        : row.kind === 'updateNote'
          ? (current.note ?? '') === row.payload.note.trim()
          : targetStatus[row.kind] === current.status
    return applied ? this.adoptAppointment(row, p.appointmentId, current) : null
  }

  /** The five free slots nearest the one that was lost, same type and practitioner where it mattered. */
  async alternatives(row: OutboxRow): Promise<Slot[]> {
    const adapter = this.adapter()
    if (!adapter.findSlots || (row.kind !== 'book' && row.kind !== 'reschedule')) return []
    const p = row.payload
    const wanted = Date.parse(p.start)
    const day = 24 * 3600_000
    const appointmentTypeRef =
      row.kind === 'book'
        ? row.payload.appointmentTypeRef
        : this.cache.appointmentRow(p.appointmentId)?.appointment_type_ref
    const slots = await adapter.findSlots({
      from: new Date(Math.max(this.clock.now().getTime(), wanted - day)).toISOString(),
      to: new Date(wanted + 2 * day).toISOString(),
      ...(appointmentTypeRef ? { appointmentTypeRef } : {}),
    })
    return slots
      .filter((s) => s.start !== p.start)
      .sort((a, b) => Math.abs(Date.parse(a.start) - wanted) - Math.abs(Date.parse(b.start) - wanted))
      .slice(0, 5)
  }

  describe(row: OutboxRow, error: VendorError): string {
    const what: Record<string, string> = {
      book: 'The booking',
      reschedule: 'The move',
      cancel: 'The cancellation',
      markArrived: 'The check-in',
      markNoShow: 'The no-show',
      createPatient: 'The new patient',
      updatePatient: "The patient's new details",
      updateNote: 'The new note',
    }
    // The duplicate check's words are already for a person.
    if (row.kind === 'checkDuplicate') return error.message
    const subject = what[storedKindOf(row)] ?? 'This change'
    if (error.kind === 'conflict')
      return `${subject} was refused: that time is no longer free. ${error.message}`
    if (error.kind === 'not-found')
      return `${subject} could not be sent: the clinic system no longer has that record.`
    return `${subject} was refused by the clinic system: ${error.message}`
  }
}

/**
 * Does the vendor's appointment already stand where this move puts it: start, end and, when the
 * move names one, clinician? A move to another clinician at the same time, or to a new end only,
 * starts where it did, so the start alone would count a move that never arrived as made.
 */
export function moveApplied(m: ReschedulePayload, a: Appointment): boolean {
  return (
    sameInstant(a.start, m.start) &&
    (!a.end || sameInstant(a.end, m.end)) &&
    (!m.practitionerRef || a.practitionerRef === m.practitionerRef)
  )
}

/**
 * Does the vendor's record already hold every value this edit sets? A new address never counts as
 * found: no vendor's read shows the address line, and a move within one postcode (another flat in
 * the same building) would look applied by its postcode. Sending it again is harmless, the only
 * vendor that takes an address (Healthie) replaces the client's address in place.
 */
export function editApplied(c: UpdatePatientPayload['changes'], p: Patient): boolean {
  return (
    (!c.phone || p.phone === c.phone) &&
    (!c.email || (p.email ?? '').toLowerCase() === c.email.toLowerCase()) &&
    (!c.nhsNumber || p.nhsNumber === c.nhsNumber) &&
    !c.address
  )
}
