/**
 * What a receptionist does to appointments. Each action is one local transaction (optimistic
 * change, outbox row, audit row) and returns at once; the outbox sends it when the vendor answers.
 */
import { type Clock, systemClock } from '../../shared/clock'
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import type { ActionResult, AppointmentView } from '../../shared/contract'
import type { AppointmentStatus, SyncState } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import { zoneLabelIfNeeded } from '../../shared/instant'
import {
  type Delivery,
  type DeliveryState,
  deliveryMessage,
  deliveryState,
  deliveryTail,
} from '../../shared/delivery'
import { type AppointmentRow, type CacheRepo, toAppointment, type UnsentState } from '../cache/cache-repo'
import type { Logger } from '../log/logger'
import type { OutboxKind } from '../sync/executor'
import type { OutboxRepo, Undo } from '../sync/outbox-repo'
import type { SyncEngine } from '../sync/sync-engine'
import type { OperationName, VendorAdapter } from '../vendors/types'
import type { ConnectionsRepo } from '../store/connections-repo'

export interface BookInput {
  connectionId: string
  patientId: string
  appointmentTypeRef: string
  practitionerRef?: string
  locationRef?: string
  start: string
  end: string
  slotToken?: string
  note?: string
  /** The person has seen that the patient already has an appointment then. */
  confirmOverlap?: boolean
}

/** Which statuses each action may start from (design note: booked → arrived → …; no undo yet). */
const allowedFrom: Record<
  'reschedule' | 'cancel' | 'markArrived' | 'markNoShow' | 'updateNote',
  AppointmentStatus[]
> = {
  reschedule: ['booked', 'pending', 'proposed'],
  // Every status but cancelled: no clinic system takes a change to a cancelled appointment.
  updateNote: ['booked', 'pending', 'proposed', 'arrived', 'checked-in', 'fulfilled', 'noshow'],
  cancel: ['booked', 'pending', 'proposed', 'arrived'],
  markArrived: ['booked'],
  markNoShow: ['booked'],
}

/** "…it cannot be ___ now": each action in words, en-GB spelling. */
const refusedAs: Record<keyof typeof allowedFrom, string> = {
  reschedule: 'moved',
  cancel: 'cancelled',
  markArrived: 'checked in',
  markNoShow: 'marked as a no-show',
  updateNote: 'given another note',
}

/**
 * Waits up to `ms` for the first attempt at sending a new outbox row, then says what is known:
 * the confirmation reports that attempt, not a connection state that may be stale.
 */
export async function firstAttempt(
  outbox: OutboxRepo,
  seq: number,
  attempt: Promise<void>,
  ms: number,
): Promise<DeliveryState> {
  let timer: NodeJS.Timeout | undefined
  const finished = await Promise.race([
    attempt.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    }),
  ])
  clearTimeout(timer)
  const row = outbox.get(seq)
  return deliveryState({ state: row.state, attempts: row.attempts, error: row.lastError }, finished)
}

/** No appointment is longer: a longer one is a typing slip, and would block its practitioner. */
const LONGEST_APPOINTMENT_MS = 12 * 3_600_000

export class AppointmentsService {
  /** How long an action waits for its first sending attempt before answering "sending…". */
  firstAttemptMs = 1_000
  /** How long an arrival or no-show waits before it is sent, so a slip can be undone unsent. */
  undoWindowMs = 5_000

  constructor(
    private readonly connections: ConnectionsRepo,
    private readonly cache: CacheRepo,
    private readonly outbox: OutboxRepo,
    private readonly sync: SyncEngine,
    private readonly adapterFor: (connectionId: string) => VendorAdapter,
    private readonly actor: () => string,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Each appointment's sync state, for a whole connection in one query (or for one appointment). */
  syncStates(connectionId: string, appointmentId?: string): Map<string, SyncState> {
    return syncStatesOf(this.cache.unsentStates(connectionId, appointmentId))
  }

  view(row: AppointmentRow, states = this.syncStates(row.connection_id, row.id)): AppointmentView {
    const view = toAppointment(row) as AppointmentView
    view.sync = states.get(row.id) ?? 'synced'
    return view
  }

  get(appointmentId: string): AppointmentView {
    const row = this.cache.appointmentRow(appointmentId)
    if (!row)
      throw new AppFailure('not-found', 'That appointment is not in Frontdesk any more.', 'appointmentId')
    return this.view(row)
  }

  private requireOperation(connectionId: string, op: OperationName) {
    const adapter = this.adapterFor(connectionId)
    if (!adapter.capabilities.operations.includes(op)) {
      const note = adapter.capabilities.notes[op]
      throw new AppFailure(
        'vendor-rejected',
        note ?? `${this.connections.get(connectionId).label} cannot do this through its system's API.`,
      )
    }
  }

  private overlapping(
    connectionId: string,
    practitionerRef: string,
    start: string,
    end: string,
    except?: string,
  ) {
    return this.cache.practitionerOverlapping(connectionId, practitionerRef, start, end, except)
  }

  /** The patient's own live appointments that overlap [start, end): a second booking by mistake? */
  private patientOverlapping(
    patient: { id: string; connection_id: string; ref: string | null },
    start: string,
    end: string,
  ) {
    return this.cache.patientOverlapping(patient, start, end)
  }

  /**
   * Times no desk means, refused here as well as on screen (the renderer can send anything the
   * contract allows): an end before the start, a start on a day already gone in the clinic's zone
   * (yesterday's date typed for tomorrow's; earlier today stays open, to enter the day's work after
   * an outage), or a length no appointment has, which would show the practitioner busy for days.
   */
  private checkTimes(connectionId: string, start: string, end: string) {
    const from = Date.parse(start)
    const to = Date.parse(end)
    if (!(from < to)) {
      throw new AppFailure('invalid-input', 'The appointment must end after it starts.', 'end')
    }
    const zone = this.connections.get(connectionId).timeZone
    const today = DateTime.fromJSDate(this.clock.now(), { zone }).startOf('day')
    if (from < today.toMillis()) {
      throw new AppFailure('invalid-input', 'That day has passed: choose today or a day to come.', 'start')
    }
    if (to - from > LONGEST_APPOINTMENT_MS) {
      throw new AppFailure(
        'invalid-input',
        `An appointment lasts at most ${LONGEST_APPOINTMENT_MS / 3_600_000} hours: check the end time.`,
        'end',
      )
    }
  }

  /** A time in the clinic's zone; on a clock-change day with the zone's name, as 01:30 happens twice (or not at all). */
  private localTime(instant: string, c: { timeZone: string; locale: string }, format = 'HH:mm'): string {
    const text = DateTime.fromISO(instant, { zone: c.timeZone }).setLocale(c.locale).toFormat(format)
    const zone = zoneLabelIfNeeded(instant, c.timeZone, c.locale)
    return zone ? `${text} ${zone}` : text
  }

  /** The appointment's patient in Frontdesk's copy, by local id or the clinic system's id. */
  private patientOf(row: AppointmentRow) {
    return row.patient_id
      ? this.cache.patientRow(row.patient_id)
      : row.patient_ref
        ? this.cache.patientByRef(row.connection_id, row.patient_ref)
        : undefined
  }

  /**
   * Whose appointment a change was, for its audit entry: the local id and the name as shown then
   * (the log must say whom a check-in, no-show or cancellation was for even if the record goes),
   * or the clinic system's id alone when Frontdesk does not know the patient.
   */
  private auditPatient(row: AppointmentRow): Record<string, string> {
    const p = this.patientOf(row)
    if (p) return { patientId: p.id, patientName: `${p.given_name} ${p.family_name}` }
    return row.patient_ref ? { patientRef: row.patient_ref } : {}
  }

  /**
   * Which appointment a change was, for its audit entry: its time when the change was made, so a
   * check-in, note or cancellation still names the time the desk saw after the appointment moves.
   */
  private auditTime(row: AppointmentRow): Record<string, string> {
    return row.start ? { start: row.start, ...(row.end ? { end: row.end } : {}) } : {}
  }

  /** What was done, for the confirmation: "Booked: Ada Lovelace, 12 Mar 09:30". */
  private describe(kind: OutboxKind, row: AppointmentRow): string {
    const connection = this.connections.get(row.connection_id)
    const patient = this.patientOf(row)
    const who = patient ? `${patient.given_name} ${patient.family_name}` : 'the patient'
    const when = row.start ? this.localTime(row.start, connection, 'd LLL HH:mm') : ''
    const done: Record<OutboxKind, string> = {
      book: 'Booked',
      reschedule: 'Moved',
      cancel: 'Cancelled',
      markArrived: 'Checked in',
      markNoShow: 'Marked as no-show',
      createPatient: 'Registered',
      updatePatient: 'Details changed',
      updateNote: 'Note changed',
    }
    return `${done[kind]}: ${who}${when ? `, ${when}` : ''}`
  }

  private async commit(
    kind: OutboxKind,
    connectionId: string,
    appointmentId: string,
    payload: Record<string, unknown>,
    undo: Undo,
    apply: () => void,
    change: unknown,
    holdMs = 0,
    actor = this.actor(),
  ): Promise<ActionResult> {
    const queued = this.outbox.db.transaction(() => {
      const q = this.outbox.enqueue(
        { connectionId, entityKey: `appointment:${appointmentId}`, kind, payload, undo, actor },
        apply,
        { entity: 'appointment', entityId: appointmentId, action: kind, change },
      )
      if (holdMs > 0) this.hold(q.seq, holdMs)
      return q
    })()
    const attempt = this.sync.drain(connectionId)
    this.sync.emitQueue(connectionId)
    const what = this.describe(kind, this.cache.appointmentRow(appointmentId)!)
    const label = this.connections.get(connectionId).label
    if (holdMs > 0) {
      // Not sent yet on purpose: the confirmation says so, and the renderer follows the row.
      const online = this.sync.state(connectionId).online
      const state: DeliveryState = online ? 'sending' : 'waiting'
      const delivery: Delivery = { seq: queued.seq, connectionId, label, what, state }
      const tail = online
        ? `sent to ${label} in ${Math.round(holdMs / 1000)} s unless you undo it.`
        : `${deliveryTail(state, label)}. Until then it can be undone.`
      return {
        appointment: this.view(this.cache.appointmentRow(appointmentId)!),
        message: `${what} — ${tail}`,
        queued: true,
        delivery,
        undoUntil: new Date(this.clock.now().getTime() + holdMs).toISOString(),
      }
    }
    const state = await firstAttempt(this.outbox, queued.seq, attempt, this.firstAttemptMs)
    const delivery: Delivery = { seq: queued.seq, connectionId, label, what, state }
    const row = this.cache.appointmentRow(appointmentId)!
    return { appointment: this.view(row), message: deliveryMessage(delivery), queued: true, delivery }
  }

  /** A new row not due before `ms` from now (same transaction as its enqueue): the undo window. */
  private hold(seq: number, ms: number) {
    this.outbox.holdNew(seq, new Date(this.clock.now().getTime() + ms))
  }

  /**
   * "Check this time" for a typed time (offline booking): the same practitioner check Book makes,
   * on the local copy, so a clash is told before the confirmation rather than on Book.
   */
  checkTime(input: { connectionId: string; practitionerRef: string; start: string; end: string }): {
    clash: string | null
  } {
    this.checkTimes(input.connectionId, input.start, input.end)
    const clash = this.overlapping(input.connectionId, input.practitionerRef, input.start, input.end)
    if (!clash.length) return { clash: null }
    const connection = this.connections.get(input.connectionId)
    const times = clash
      .map((a) => `${this.localTime(a.start!, connection)}–${this.localTime(a.end!, connection)}`)
      .join(', ')
    return {
      clash: `That practitioner already has an appointment then (${times}). Choose another time.`,
    }
  }

  /**
   * `replacing`: an appointment this booking takes the place of (rebook), so no clash with it;
   * `actor`: who made that rebook.
   */
  book(input: BookInput, replacing?: string, actor = this.actor()): Promise<ActionResult> {
    this.requireOperation(input.connectionId, 'book')
    this.checkTimes(input.connectionId, input.start, input.end)
    this.knownPractitioner(input.connectionId, input.practitionerRef, null)
    this.knownLocation(input.connectionId, input.locationRef)
    const patient = this.cache.patientRow(input.patientId)
    if (!patient || patient.connection_id !== input.connectionId) {
      throw new AppFailure(
        'not-found',
        'Choose the patient again: that record is not in this clinic.',
        'patientId',
      )
    }
    // A record its clinic system no longer lists (deleted, or merged into another) takes no new
    // booking: the person is most likely picking a stale copy of someone now held under another record.
    if (patient.gone_at) {
      const label = this.connections.get(input.connectionId).label
      throw new AppFailure(
        'conflict',
        `${patient.given_name} ${patient.family_name} is no longer in ${label}'s patient list (deleted or merged there): find the patient again, or look them up in ${label}.`,
        'patientId',
      )
    }
    if (input.practitionerRef) {
      const clash = this.overlapping(
        input.connectionId,
        input.practitionerRef,
        input.start,
        input.end,
        replacing,
      )
      if (clash.length) {
        throw new AppFailure(
          'conflict',
          'That practitioner already has an appointment at that time. Choose another slot.',
          'start',
        )
      }
    }
    const already = this.patientOverlapping(patient, input.start, input.end).filter((a) => a.id !== replacing)
    if (already.length > 0 && !input.confirmOverlap) {
      const connection = this.connections.get(input.connectionId)
      const times = already
        .map((a) => `${this.localTime(a.start!, connection)}–${this.localTime(a.end!, connection)}`)
        .join(', ')
      throw new AppFailure(
        'needs-confirmation',
        `${patient.given_name} ${patient.family_name} already has an appointment then (${times}). ` +
          'Book a second one only if that is intended.',
        'confirmOverlap',
      )
    }
    const id = randomUUID()
    const { confirmOverlap: _confirmed, ...sent } = input
    const payload = { ...sent, appointmentId: id, deps: [`patient:${input.patientId}`] }
    delete (payload as Partial<BookInput>).connectionId
    return this.commit(
      'book',
      input.connectionId,
      id,
      payload,
      { table: 'appointments', id, before: null },
      () =>
        this.cache.putAppointment(
          id,
          {
            connectionId: input.connectionId,
            status: 'booked',
            appointmentTypeRef: input.appointmentTypeRef,
            start: input.start,
            end: input.end,
            ...(input.practitionerRef ? { practitionerRef: input.practitionerRef } : {}),
            ...(input.locationRef ? { locationRef: input.locationRef } : {}),
            ...(input.note ? { note: input.note } : {}),
          },
          input.patientId,
        ),
      {
        start: input.start,
        end: input.end,
        practitionerRef: input.practitionerRef,
        patientId: input.patientId,
        ...(already.length > 0 ? { confirmedOverlapWith: already.map((a) => a.id) } : {}),
      },
      0,
      actor,
    )
  }

  private existing(appointmentId: string, action: keyof typeof allowedFrom): AppointmentRow {
    const row = this.cache.appointmentRow(appointmentId)
    if (!row)
      throw new AppFailure('not-found', 'That appointment is not in Frontdesk any more.', 'appointmentId')
    this.requireOperation(row.connection_id, action)
    if (!allowedFrom[action].includes(row.status)) {
      throw new AppFailure(
        'conflict',
        `This appointment is ${row.status}; it cannot be ${refusedAs[action]} now.`,
      )
    }
    return row
  }

  /**
   * Cancel and reschedule need to know whose appointment it is: one whose patient is not in
   * Frontdesk's copy (Hero's "Unknown patient") could be anyone's, so it is left to the clinic system.
   */
  private knownPatient(row: AppointmentRow, action: 'cancel' | 'reschedule') {
    const known =
      (row.patient_id && this.cache.patientRow(row.patient_id)) ||
      (row.patient_ref && this.cache.patientByRef(row.connection_id, row.patient_ref))
    if (!known)
      throw new AppFailure(
        'conflict',
        `Frontdesk does not know whose appointment this is, so it cannot be ${refusedAs[action]} here: do it in ${this.connections.get(row.connection_id).label}.`,
      )
  }

  /**
   * A move to another practitioner names one of this clinic system's own (a lane dragged across
   * into another clinic system's, or a stale choice, must not reach the vendor as someone unknown).
   * Skipped while Frontdesk has not yet read the clinic system's practitioners.
   */
  private knownPractitioner(connectionId: string, ref: string | undefined, current: string | null) {
    if (!ref || ref === current) return
    const known = this.cache.practitionerNames(connectionId)
    if (known.length && !known.some((p) => p.ref === ref))
      throw new AppFailure(
        'invalid-input',
        `That practitioner is not in ${this.connections.get(connectionId).label}: choose one of its own.`,
        'practitionerRef',
      )
  }

  /** The same for a location: one from another clinic system must not reach the vendor. */
  private knownLocation(connectionId: string, ref: string | undefined) {
    if (!ref) return
    const known = this.cache.locationNames(connectionId)
    if (known.length && !known.some((l) => l.ref === ref))
      throw new AppFailure(
        'invalid-input',
        `That location is not in ${this.connections.get(connectionId).label}: choose one of its own.`,
        'locationRef',
      )
  }

  reschedule(input: {
    appointmentId: string
    start: string
    end: string
    slotToken?: string
    practitionerRef?: string
  }) {
    const row = this.existing(input.appointmentId, 'reschedule')
    this.knownPatient(row, 'reschedule')
    this.checkTimes(row.connection_id, input.start, input.end)
    const practitionerRef = input.practitionerRef ?? row.practitioner_ref
    this.knownPractitioner(row.connection_id, input.practitionerRef, row.practitioner_ref)
    if (
      practitionerRef &&
      this.overlapping(row.connection_id, practitionerRef, input.start, input.end, row.id).length
    ) {
      throw new AppFailure(
        'conflict',
        'That practitioner already has an appointment at that time. Choose another slot.',
        'start',
      )
    }
    return this.commit(
      'reschedule',
      row.connection_id,
      row.id,
      { ...input },
      { table: 'appointments', id: row.id, before: { ...row } },
      () => this.cache.setAppointmentTimes(row.id, input.start, input.end, practitionerRef),
      {
        from: { start: row.start, end: row.end },
        to: { start: input.start, end: input.end },
        ...this.auditPatient(row),
      },
    )
  }

  cancel(input: { appointmentId: string; reason: string }) {
    const row = this.existing(input.appointmentId, 'cancel')
    this.knownPatient(row, 'cancel')
    return this.setStatus(
      'cancel',
      row,
      'cancelled',
      { appointmentId: row.id, reason: input.reason },
      { reason: input.reason },
    )
  }

  /**
   * Cancel and rebook in one step: the new appointment is booked, and the old one cancelled only
   * once the new one is in the clinic system. The cancel row depends on the booking's record
   * (`deps`), so the outbox holds it while the booking waits or needs a person; if the booking is
   * discarded instead, the executor refuses the cancel (`rebookedAs`), so the patient never ends up
   * with neither appointment. Both rows are made before this answers; the booking's is made
   * first, so a crash between the two leaves both appointments, never neither.
   */
  async rebook(input: {
    appointmentId: string
    reason: string
    booking: Omit<BookInput, 'connectionId' | 'patientId'>
  }): Promise<ActionResult> {
    const old = this.existing(input.appointmentId, 'cancel')
    this.knownPatient(old, 'cancel')
    const patient = this.patientOf(old)!
    // Both rows are this person's, read once: while the booking's first attempt is awaited the
    // desk may change hands or lock itself, and the cancel must be neither someone else's nor lost.
    const actor = this.actor()
    const booked = await this.book(
      { ...input.booking, connectionId: old.connection_id, patientId: patient.id },
      old.id,
      actor,
    )
    const newId = booked.appointment.id!
    await this.setStatus(
      'cancel',
      this.cache.appointmentRow(old.id)!,
      'cancelled',
      { appointmentId: old.id, reason: input.reason, rebookedAs: newId, deps: [`appointment:${newId}`] },
      { reason: input.reason, rebookedAs: newId },
      actor,
    )
    const connection = this.connections.get(old.connection_id)
    const was = old.start ? ` in place of ${this.localTime(old.start, connection, 'd LLL HH:mm')}` : ''
    // The toast follows the booking; its words say what it replaces, whatever state they reach.
    const delivery = {
      ...booked.delivery,
      what: `${booked.delivery.what.replace(/^Booked:/, 'Rebooked:')}${was}`,
    }
    return {
      ...booked,
      delivery,
      message: `${deliveryMessage(delivery)} The old appointment is cancelled once the new one is in ${connection.label}.`,
    }
  }

  /**
   * Arrival and no-show belong to the appointment's own day in the clinic's zone, and a no-show to
   * after its start: a click on tomorrow's 08:30 must not mark it (there is no undo at the vendor).
   */
  private onItsDay(row: AppointmentRow, action: 'markArrived' | 'markNoShow') {
    const what = action === 'markArrived' ? 'An arrival' : 'A no-show'
    if (!row.start)
      throw new AppFailure('conflict', `${what} can only be recorded for an appointment with a time.`)
    const connection = this.connections.get(row.connection_id)
    const zone = connection.timeZone
    const now = DateTime.fromJSDate(this.clock.now(), { zone }).setLocale(connection.locale)
    const start = DateTime.fromISO(row.start, { zone }).setLocale(connection.locale)
    if (start.toISODate() !== now.toISODate()) {
      throw new AppFailure(
        'conflict',
        `${what} can only be recorded on the day of the appointment: this one is on ${start.toFormat('cccc d LLLL')}, and today at ${connection.label} is ${now.toFormat('cccc d LLLL')}.`,
      )
    }
    if (action === 'markNoShow' && now < start) {
      throw new AppFailure(
        'conflict',
        `A no-show can only be recorded once the appointment has started: it starts at ${start.toFormat('HH:mm')}, and it is ${now.toFormat('HH:mm')} at ${connection.label}.`,
      )
    }
  }

  markArrived(input: { appointmentId: string }) {
    const row = this.existing(input.appointmentId, 'markArrived')
    this.onItsDay(row, 'markArrived')
    const at = this.clock.now().toISOString()
    return this.setStatus('markArrived', row, 'arrived', { appointmentId: row.id, at }, { at })
  }

  /**
   * Takes back an arrival or no-show. While its outbox row is unsent (the undo window, or offline)
   * the row is withdrawn and the appointment is booked again, with nothing sent. Once the clinic
   * system has it, only a vendor that can take it back could (none documents how: `undoStatus`
   * is absent from every adapter, with the reason in its notes). Refused while it is being sent,
   * or when a later change to the appointment is waiting (withdrawing would take that too).
   */
  undoStatus(input: { appointmentId: string }): ActionResult {
    const row = this.cache.appointmentRow(input.appointmentId)
    if (!row)
      throw new AppFailure('not-found', 'That appointment is not in Frontdesk any more.', 'appointmentId')
    if (row.status !== 'arrived' && row.status !== 'noshow')
      throw new AppFailure(
        'conflict',
        `This appointment is ${row.status}; there is no arrival or no-show to undo.`,
      )
    const what = row.status === 'arrived' ? 'arrival' : 'no-show'
    const label = this.connections.get(row.connection_id).label
    const waiting = this.outbox
      .unfinished(row.connection_id)
      .filter((r) => r.entityKey === `appointment:${row.id}`)
    const last = waiting.at(-1)
    const mark = last && (last.kind === 'markArrived' || last.kind === 'markNoShow') ? last : undefined
    if (!mark) {
      if (last)
        throw new AppFailure(
          'conflict',
          `A later change to this appointment is waiting to be sent; the ${what} cannot be undone before it. See the queue.`,
        )
      this.requireOperation(row.connection_id, 'undoStatus')
      throw new AppFailure('vendor-rejected', `${label} already has the ${what}; put it right there.`)
    }
    if (mark.state === 'sending')
      throw new AppFailure(
        'conflict',
        `The ${what} is being sent to ${label} right now, so it can no longer be withdrawn.`,
      )
    const who = this.describe(mark.kind, row).replace(/^[^:]*: /, '')
    try {
      this.outbox.discard(mark.seq, this.actor())
    } catch (err) {
      throw new AppFailure('conflict', err instanceof Error ? err.message : String(err))
    }
    this.sync.emitQueue(row.connection_id)
    const message = `Undone: ${what} of ${who} — nothing was sent to ${label}.`
    return {
      appointment: this.view(this.cache.appointmentRow(row.id)!),
      message,
      queued: false,
      delivery: { seq: mark.seq, connectionId: row.connection_id, label, what: message, state: 'sent' },
    }
  }

  /**
   * Replaces the appointment's note ("Interpreter needed (Polish)"); empty clears it. Not on a
   * cancelled appointment (`allowedFrom`), and not a note it already has.
   */
  updateNote(input: { appointmentId: string; note: string }) {
    const row = this.existing(input.appointmentId, 'updateNote')
    const note = input.note.trim()
    if (note === (row.note ?? '').trim())
      throw new AppFailure('invalid-input', 'That is the note it already has: nothing to change.', 'note')
    return this.commit(
      'updateNote',
      row.connection_id,
      row.id,
      { appointmentId: row.id, note },
      { table: 'appointments', id: row.id, before: { ...row } },
      () => this.cache.setAppointmentNote(row.id, note),
      { noteBefore: row.note ?? '', note, ...this.auditPatient(row), ...this.auditTime(row) },
    )
  }

  markNoShow(input: { appointmentId: string }) {
    const row = this.existing(input.appointmentId, 'markNoShow')
    this.onItsDay(row, 'markNoShow')
    const at = this.clock.now().toISOString()
    return this.setStatus('markNoShow', row, 'noshow', { appointmentId: row.id, at }, { at })
  }

  private setStatus(
    kind: OutboxKind,
    row: AppointmentRow,
    status: AppointmentStatus,
    payload: Record<string, unknown>,
    change: Record<string, unknown>,
    actor = this.actor(),
  ) {
    return this.commit(
      kind,
      row.connection_id,
      row.id,
      payload,
      { table: 'appointments', id: row.id, before: { ...row } },
      () =>
        this.cache.setAppointmentStatus(
          row.id,
          status,
          typeof payload.at === 'string' ? payload.at : undefined,
        ),
      { from: row.status, to: status, ...change, ...this.auditPatient(row), ...this.auditTime(row) },
      kind === 'markArrived' || kind === 'markNoShow' ? this.undoWindowMs : 0,
      actor,
    )
  }
}

/** Each appointment's sync state from its unfinished outbox rows: needs attention beats sending beats queued. */
export function syncStatesOf(rows: readonly UnsentState[]): Map<string, SyncState> {
  const rank: Record<string, number> = { pending: 1, sending: 2, 'needs-attention': 3 }
  const names: Record<string, SyncState> = {
    pending: 'queued',
    sending: 'sending',
    'needs-attention': 'needs-attention',
  }
  const best = new Map<string, string>()
  for (const r of rows) {
    if (!r.key.startsWith('appointment:')) continue
    const id = r.key.slice('appointment:'.length)
    const now = best.get(id)
    if (!now || rank[r.state]! > rank[now]!) best.set(id, r.state)
  }
  return new Map([...best].map(([id, state]) => [id, names[state]!]))
}
