/**
 * The outbox table: every write a receptionist makes, durable before the UI returns. A row moves
 * pending → sending → done; a retryable failure puts it back to pending with a later
 * next_attempt_at; a permanent one to needs-attention. A row left in `sending` (a crash, or an
 * answer that never came) is ambiguous: it is reconciled with the vendor before any resend.
 *
 * Every transition is a compare-and-set on (state, attempts): `attempts` goes up with every claim,
 * so it is the row's version. A transition that finds the row changed under it returns false (or
 * null) and its caller does nothing further. docs/architecture.md has the state table.
 */
import { randomUUID } from 'node:crypto'
import { systemClock } from '../../shared/clock'
import type { Db } from '../store/database'
import {
  readWrite,
  type OutboxWrite,
  type QueueSubject,
  type UnreadableWrite,
} from '../../shared/outbox-rows'

/** Columns holding ids the clinic system gave a record: a rollback never takes them back. */
const LEARNT_IDS = new Set(['ref', 'client_ref', 'patient_ref'])

export type OutboxState = 'pending' | 'sending' | 'done' | 'needs-attention' | 'discarded'

export interface OutboxError {
  kind: string
  /** For the receptionist. */
  message: string
  /** The write may be at the vendor: a retry reconciles before it sends again. */
  reconcileFirst?: boolean
  /** Outcomes in a row that could not say whether the write was applied. */
  unconfirmed?: number
  /** When the last request for this row may have left: a resend waits until it has settled. */
  sentAt?: string
  /** Sent again after a reconcile found nothing: once done, look for a duplicate (`checkDuplicate`). */
  resent?: boolean
  /** The vendor's Retry-After: not even "Send now" goes before this instant. */
  notBefore?: string
  /** The vendor's own text, secret shapes redacted; stays in the encrypted store (see queue.ts). */
  vendorMessage?: string
  /** HTTP status and vendor error code: what the queue panel and the log may show. */
  status?: number
  vendorCode?: string
  fields?: { field?: string; message: string }[]
  /** Nearest free slots, when a booking lost its slot. */
  alternatives?: unknown[]
}

/** How to put the cache back as it was before this row's optimistic change. */
export interface Undo {
  table: 'appointments' | 'patients'
  id: string
  before: Record<string, unknown> | null
}

interface RowBase {
  seq: number
  connectionId: string
  entityKey: string
  clientRef: string
  state: OutboxState
  attempts: number
  nextAttemptAt: string
  lastError: OutboxError | null
  undo: Undo | null
  actor: string
  createdAt: string
  updatedAt: string
}

/** A row as read back: its kind and payload parsed into the union, or `unreadable`. */
export type OutboxRow = RowBase & (OutboxWrite | UnreadableWrite)

/** The kind as stored, for the audit log and the queue (an unreadable row keeps its own). */
export const storedKindOf = (row: OutboxRow): string =>
  row.kind === 'unreadable' ? row.storedKind : row.kind

interface Raw {
  seq: number
  connection_id: string
  entity_key: string
  kind: string
  payload: string
  client_ref: string
  state: OutboxState
  attempts: number
  next_attempt_at: string
  last_error: string | null
  undo: string | null
  actor: string
  created_at: string
  updated_at: string
}

const toRow = (r: Raw): OutboxRow => ({
  seq: r.seq,
  connectionId: r.connection_id,
  entityKey: r.entity_key,
  clientRef: r.client_ref,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error ? (JSON.parse(r.last_error) as OutboxError) : null,
  undo: r.undo ? (JSON.parse(r.undo) as Undo) : null,
  actor: r.actor,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  ...readWrite(r.kind, r.payload),
})

export interface NewOutboxRow {
  connectionId: string
  entityKey: string
  kind: string
  payload: Record<string, unknown> & { deps?: string[] }
  undo: Undo | null
  actor: string
}

/** An audit log entry as the outbox writes it (the list the screen reads is the contract's AuditEntry). */
export interface NewAuditRecord {
  actor: string
  connectionId?: string
  entity?: string
  entityId?: string
  action: string
  change?: unknown
  outcome: string
  detail?: string
  /** The outbox row the entry is about: an entry after the queued one is shown with its change. */
  seq?: number
}

const UNFINISHED = `('pending','sending','needs-attention')`

/** What `eligible` needs of each waiting row to decide the order. */
interface Key {
  seq: number
  entity_key: string
  state: OutboxState
  next_attempt_at: string
  payload: string
  /** 1 when a send of it was turned away (offline, 429, 503): it waits for the clinic system. */
  refused: number
}

/** A row added by the outbox itself, due later (the duplicate check after a resend). */
export interface FollowUp {
  kind: 'checkDuplicate'
  payload: Record<string, unknown>
  dueAt: Date
}

export class OutboxRepo {
  private readonly stmts
  private readonly listeners = new Set<(connectionId: string) => void>()
  private readonly changedConnections = new Set<string>()
  constructor(
    readonly db: Db,
    /** "Now" for every timestamp and due time the outbox writes; the worker reads it too. */
    readonly now: () => Date = () => systemClock.now(),
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO outbox (connection_id, entity_key, kind, payload, client_ref, state, attempts, next_attempt_at, undo, actor, created_at, updated_at)
         VALUES (@connectionId, @entityKey, @kind, @payload, @clientRef, 'pending', 0, @due, @undo, @actor, @now, @now)`,
      ),
      audit: db.prepare(
        `INSERT INTO audit_log (at, actor, connection_id, entity, entity_id, action, change, outcome, detail, outbox_seq)
         VALUES (@at, @actor, @connectionId, @entity, @entityId, @action, @change, @outcome, @detail, @seq)`,
      ),
      unfinished: db.prepare(
        `SELECT * FROM outbox WHERE connection_id = ? AND state IN ${UNFINISHED} ORDER BY seq`,
      ),
      unfinishedKeys: db.prepare(
        `SELECT seq, entity_key, state, next_attempt_at, payload, last_error IS NOT NULL AS refused FROM outbox
         WHERE connection_id = ? AND state IN ${UNFINISHED} ORDER BY seq`,
      ),
      counts: db.prepare(
        `SELECT sum(state IN ('pending','sending') AND kind != 'checkDuplicate') AS pending,
                sum(state = 'needs-attention') AS attention,
                min(CASE WHEN state IN ('pending','sending') AND kind != 'checkDuplicate' THEN created_at END) AS oldest
         FROM outbox WHERE connection_id = ? AND state IN ${UNFINISHED}`,
      ),
      bySeq: db.prepare(`SELECT * FROM outbox WHERE seq = ?`),
      // Compare-and-set: only the row as the caller read it (same state, same attempts) changes.
      setState: db.prepare(
        `UPDATE outbox SET state = @state, attempts = @attempts, next_attempt_at = @nextAttemptAt,
           last_error = @lastError, updated_at = @now
         WHERE seq = @seq AND state = @fromState AND attempts = @fromAttempts`,
      ),
    }
  }

  private iso() {
    return this.now().toISOString()
  }

  audit(entry: NewAuditRecord) {
    this.stmts.audit.run({
      at: this.iso(),
      actor: entry.actor,
      connectionId: entry.connectionId ?? null,
      entity: entry.entity ?? null,
      entityId: entry.entityId ?? null,
      action: entry.action,
      change: entry.change === undefined ? null : JSON.stringify(entry.change),
      outcome: entry.outcome,
      detail: entry.detail ?? null,
      seq: entry.seq ?? null,
    })
  }

  /**
   * The one transaction a receptionist's action is: the optimistic change to the cache, the
   * outbox row with its client reference (made once, never changed), and the audit row.
   */
  enqueue(
    row: NewOutboxRow,
    applyLocally: () => void,
    audit: Omit<NewAuditRecord, 'outcome' | 'actor'>,
  ): OutboxRow {
    const clientRef = randomUUID()
    const seq = this.db.transaction(() => {
      applyLocally()
      const info = this.stmts.insert.run({
        connectionId: row.connectionId,
        entityKey: row.entityKey,
        kind: row.kind,
        payload: JSON.stringify(row.payload),
        clientRef,
        undo: row.undo ? JSON.stringify(row.undo) : null,
        actor: row.actor,
        now: this.iso(),
        due: this.iso(),
      })
      const seq = Number(info.lastInsertRowid)
      this.audit({ ...audit, actor: row.actor, connectionId: row.connectionId, outcome: 'queued', seq })
      return seq
    })()
    this.changed(row.connectionId)
    return this.get(seq)
  }

  /**
   * Listens to every change of a row's state (and every new row): one call per connection per
   * turn of the event loop, after the transaction that made it has committed.
   */
  onChange(listener: (connectionId: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(connectionId: string) {
    if (this.listeners.size === 0) return
    const first = this.changedConnections.size === 0
    this.changedConnections.add(connectionId)
    if (!first) return
    queueMicrotask(() => {
      const ids = [...this.changedConnections]
      this.changedConnections.clear()
      for (const id of ids) for (const l of this.listeners) l(id)
    })
  }

  has(seq: number): boolean {
    return this.stmts.bySeq.get(seq) !== undefined
  }

  get(seq: number): OutboxRow {
    const raw = this.stmts.bySeq.get(seq) as Raw | undefined
    if (!raw) throw new Error(`No outbox row ${seq}`)
    return toRow(raw)
  }

  unfinished(connectionId: string): OutboxRow[] {
    return (this.stmts.unfinished.all(connectionId) as Raw[]).map(toRow)
  }

  /**
   * The rows that may go now, in the order they were made. A row waits while an earlier unfinished
   * row has its entity (or an entity it depends on, e.g. the offline-created patient of a booking),
   * so one record's changes never overtake each other. A stuck row (needs-attention, or one being
   * reconciled) holds back only its own record; a row the clinic system turned away (back to
   * pending, due later) holds back every later row, so nothing overtakes it. `limit` stops
   * at that many (the worker wants only the next one), so a long queue is not read whole each time.
   */
  eligible(connectionId: string, at: Date = this.now(), limit = Infinity): OutboxRow[] {
    const blocked = new Set<string>()
    const out: number[] = []
    const due = at.getTime()
    for (const r of this.stmts.unfinishedKeys.iterate(connectionId) as IterableIterator<Key>) {
      const entityWaits = blocked.has(r.entity_key)
      blocked.add(r.entity_key)
      const notDue = Date.parse(r.next_attempt_at) > due
      // Waiting for the clinic system (offline, 429, 503): everything made after it waits too. A row
      // held on purpose (its seconds for Undo, a duplicate check) has no error and holds only its record.
      if (!entityWaits && notDue && r.state === 'pending' && r.refused === 1) break
      if (entityWaits || r.state === 'needs-attention' || notDue) continue
      // Only a row that could go needs its dependencies read.
      const deps = r.payload.includes('"deps"')
        ? ((JSON.parse(r.payload) as { deps?: string[] }).deps ?? [])
        : []
      if (deps.some((k) => k !== r.entity_key && blocked.has(k))) continue
      out.push(r.seq)
      if (out.length >= limit) break
    }
    return out.map((seq) => this.get(seq))
  }

  /**
   * Claims a due row for one reconcile-and-send step, durably, before any request leaves: state
   * `sending`, attempts + 1, and an in-flight lease (next_attempt_at) so no other worker takes it
   * meanwhile. After a crash the row is found here and reconciled. Null when the race was lost.
   */
  claim(row: OutboxRow, leaseMs: number, sendNow: boolean): OutboxRow | null {
    const ok = this.update(row, {
      state: 'sending',
      attempts: row.attempts + 1,
      nextAttemptAt: this.later(leaseMs),
      lastError: sendNow
        ? { ...(row.lastError ?? { kind: 'none', message: '' }), sentAt: this.iso() }
        : row.lastError,
    })
    return ok ? this.get(row.seq) : null
  }

  /** A claimed row that was reconciled and not found is about to be sent again: stamp when. */
  markSent(row: OutboxRow): OutboxRow | null {
    const ok = this.update(row, {
      state: row.state,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt,
      lastError: { ...(row.lastError ?? { kind: 'none', message: '' }), sentAt: this.iso(), resent: true },
    })
    return ok ? this.get(row.seq) : null
  }

  /**
   * Rows left `sending` with a lease in the future were in flight in a process that has gone (the
   * profile lock means no other live process has them): due now, to be reconciled.
   */
  recoverInFlight(connectionId: string): number {
    const at = this.iso()
    return this.db
      .prepare(
        `UPDATE outbox SET next_attempt_at = @at WHERE connection_id = @id AND state = 'sending' AND next_attempt_at > @at`,
      )
      .run({ id: connectionId, at }).changes
  }

  /**
   * The answer may or may not have been applied: stay in `sending`, reconcile when due. `counts`
   * is false when nothing was learnt either way (offline while reconciling), so it does not bring
   * the row closer to needs-attention.
   */
  markAmbiguous(row: OutboxRow, delayMs: number, error: OutboxError, counts = true): boolean {
    const before = row.lastError?.unconfirmed ?? 0
    return this.update(row, {
      state: 'sending',
      attempts: row.attempts,
      nextAttemptAt: this.later(delayMs),
      lastError: {
        ...error,
        reconcileFirst: true,
        unconfirmed: counts ? before + 1 : before,
        ...(row.lastError?.sentAt ? { sentAt: row.lastError.sentAt } : {}),
        ...(row.lastError?.resent ? { resent: true } : {}),
      },
    })
  }

  /** Reconciled, nothing found yet, but a slow vendor may still commit it: look again later. */
  markSettling(row: OutboxRow, delayMs: number): boolean {
    return this.update(row, {
      state: 'sending',
      attempts: row.attempts,
      nextAttemptAt: this.later(delayMs),
      lastError: row.lastError,
    })
  }

  /** Definitely not applied (refused before it was read, or never left): back to pending. */
  markRetry(row: OutboxRow, delayMs: number, error: OutboxError): boolean {
    return this.update(row, {
      state: 'pending',
      attempts: row.attempts,
      nextAttemptAt: this.later(delayMs),
      // A resend turned away keeps its mark: the first request may still land, so once this one is
      // done the look for a duplicate is still due.
      lastError: row.lastError?.resent ? { ...error, resent: true } : error,
    })
  }

  markAttention(row: OutboxRow, error: OutboxError): boolean {
    return this.db.transaction(() => {
      const ok = this.update(row, {
        state: 'needs-attention',
        attempts: row.attempts,
        nextAttemptAt: row.nextAttemptAt,
        lastError: error,
      })
      if (!ok) return false
      this.audit({
        actor: row.actor,
        connectionId: row.connectionId,
        entity: row.entityKey.split(':')[0]!,
        entityId: row.entityKey.split(':')[1]!,
        action: storedKindOf(row),
        outcome: 'needs-attention',
        detail: error.message,
        seq: row.seq,
      })
      return true
    })()
  }

  /**
   * Done, with the cache updated from the vendor's answer in the same transaction. False (and
   * nothing applied) when the row is no longer as this worker claimed it.
   */
  markDone(row: OutboxRow, applyResult: () => void, detail: string, followUp?: FollowUp): boolean {
    return this.db.transaction(() => {
      const ok = this.update(row, {
        state: 'done',
        attempts: row.attempts,
        nextAttemptAt: row.nextAttemptAt,
        lastError: null,
      })
      if (!ok) return false
      applyResult()
      if (followUp) {
        // Same record: it holds back only that record's later changes (a client reference of its own).
        this.stmts.insert.run({
          connectionId: row.connectionId,
          entityKey: row.entityKey,
          kind: followUp.kind,
          payload: JSON.stringify(followUp.payload),
          clientRef: randomUUID(),
          undo: null,
          actor: row.actor,
          now: this.iso(),
          due: followUp.dueAt.toISOString(),
        })
      }
      this.audit({
        actor: row.actor,
        connectionId: row.connectionId,
        entity: row.entityKey.split(':')[0]!,
        entityId: row.entityKey.split(':')[1]!,
        action: storedKindOf(row),
        outcome: 'sent',
        detail,
        seq: row.seq,
      })
      return true
    })()
  }

  /**
   * A receptionist's "try again": from needs-attention, due now. A row that may be at the vendor
   * goes back to `sending`, so it is reconciled before it is sent again; any other to `pending`.
   */
  retry(seq: number) {
    const row = this.get(seq)
    if (row.state !== 'needs-attention') return row
    const reconcileFirst = row.lastError?.reconcileFirst === true
    this.update(row, {
      state: reconcileFirst ? 'sending' : 'pending',
      attempts: 0,
      nextAttemptAt: this.iso(),
      lastError: row.lastError ? { ...row.lastError, unconfirmed: 0 } : null,
    })
    return this.get(seq)
  }

  /**
   * Discard a change that will not be sent: this row and every later unfinished row of the same
   * entity, their local changes rolled back newest first. A row that may already be at the vendor
   * (`sending`) cannot be discarded.
   */
  discard(seq: number, actor: string): OutboxRow[] {
    return this.db.transaction(() => {
      const row = this.get(seq)
      if (row.state === 'sending')
        throw new Error('This change may already have reached the clinic system; it cannot be discarded.')
      if (row.state === 'done' || row.state === 'discarded') return []
      // A duplicate check follows a write that is done; it changed nothing here, and later changes
      // to the record do not depend on it: it goes alone.
      const chain =
        row.kind === 'checkDuplicate'
          ? [row]
          : this.unfinished(row.connectionId).filter((r) => r.entityKey === row.entityKey && r.seq >= row.seq)
      if (chain.some((r) => r.state === 'sending')) {
        throw new Error('A later change to this record may already have reached the clinic system.')
      }
      // A resend turned away for a while: its first request may still land, and only the look for a
      // duplicate after the resend would find it. Discarded, it would land as a booking nobody knows.
      if (chain.some((r) => r.state === 'pending' && r.lastError?.resent === true)) {
        throw new Error(
          'This change was sent once with no answer and may still reach the clinic system, so it cannot be discarded: Frontdesk sends it again and then removes any duplicate. To take a booking back, cancel it once it is sent.',
        )
      }
      for (const r of [...chain].reverse()) {
        if (r.undo) this.restore(r.undo)
        const ok = this.update(r, {
          state: 'discarded',
          attempts: r.attempts,
          nextAttemptAt: r.nextAttemptAt,
          lastError: r.lastError,
        })
        if (!ok) throw new Error('This change was being sent meanwhile; look at the queue again.')
        this.audit({
          actor,
          connectionId: r.connectionId,
          entity: r.entityKey.split(':')[0]!,
          entityId: r.entityKey.split(':')[1]!,
          action: storedKindOf(r),
          outcome: 'discarded',
          seq: r.seq,
        })
      }
      return chain
    })()
  }

  /**
   * Makes waiting rows due now: a person's "Send now" (one row, or the connection's whole queue),
   * or the clinic system answering again (`onlyOffline`: rows that waited only because it was
   * away). Only `pending` rows: one in `sending` is reconciled on its own schedule. Never before
   * the vendor's Retry-After.
   */
  dueNow(connectionId: string, opts: { seq?: number; onlyOffline?: boolean } = {}): number {
    const changes = this.db
      .prepare(
        `UPDATE outbox SET next_attempt_at = max(@now, coalesce(json_extract(last_error, '$.notBefore'), @now))
         WHERE connection_id = @id AND state = 'pending' AND next_attempt_at > @now
           AND (@seq IS NULL OR seq = @seq)
           AND (@onlyOffline = 0 OR json_extract(last_error, '$.kind') = 'offline')
           -- The duplicate check waits for the resend to settle; looking early could miss the duplicate.
           AND kind != 'checkDuplicate'`,
      )
      .run({
        id: connectionId,
        now: this.iso(),
        seq: opts.seq ?? null,
        onlyOffline: opts.onlyOffline ? 1 : 0,
      }).changes
    if (changes > 0) this.changed(connectionId)
    return changes
  }

  /**
   * Who and when a row is about, from Frontdesk's copy: the patient (the row's own new patient, or
   * the appointment's), the appointment's time, practitioner and type. For the queue screen.
   */
  subjectOf(row: OutboxRow): QueueSubject {
    const [entity, id] = row.entityKey.split(':') as [string, string | undefined]
    const appointment =
      entity === 'appointment' && id
        ? (this.db
            .prepare(
              `SELECT a.patient_id, a.patient_ref, a.start, a."end", a.practitioner_ref, a.appointment_type_ref,
                      pr.name AS practitioner_name, t.name AS type_name
               FROM appointments a
               LEFT JOIN practitioners pr ON pr.connection_id = a.connection_id AND pr.ref = a.practitioner_ref
               LEFT JOIN appointment_types t ON t.connection_id = a.connection_id AND t.ref = a.appointment_type_ref
               WHERE a.id = ?`,
            )
            .get(id) as
            | {
                patient_id: string | null
                patient_ref: string | null
                start: string | null
                end: string | null
                practitioner_ref: string | null
                appointment_type_ref: string | null
                practitioner_name: string | null
                type_name: string | null
              }
            | undefined)
        : undefined
    const patientId = entity === 'patient' ? id : (appointment?.patient_id ?? undefined)
    const patient = (
      patientId
        ? this.db.prepare(`SELECT * FROM patients WHERE id = ?`).get(patientId)
        : appointment?.patient_ref
          ? this.db
              .prepare(`SELECT * FROM patients WHERE connection_id = ? AND ref = ?`)
              .get(row.connectionId, appointment.patient_ref)
          : undefined
    ) as
      | {
          given_name: string
          family_name: string
          birth_date: string
          nhs_number: string | null
          ref: string | null
        }
      | undefined
    // A new patient not in the copy any more (discarded meanwhile) is still named by its own row.
    const created = row.kind === 'createPatient' ? row.payload.patient : undefined
    const subject: QueueSubject = {}
    if (patient)
      subject.patient = {
        givenName: patient.given_name,
        familyName: patient.family_name,
        birthDate: patient.birth_date,
        ...(patient.nhs_number ? { nhsNumber: patient.nhs_number } : {}),
        ...(patient.ref ? { ref: patient.ref } : {}),
      }
    else if (created)
      subject.patient = {
        givenName: created.givenName,
        familyName: created.familyName,
        birthDate: created.birthDate,
        ...(created.nhsNumber ? { nhsNumber: created.nhsNumber } : {}),
      }
    if (appointment) {
      const a: NonNullable<QueueSubject['appointment']> = {}
      if (appointment.start) a.start = appointment.start
      if (appointment.end) a.end = appointment.end
      if (appointment.practitioner_ref) a.practitionerRef = appointment.practitioner_ref
      if (appointment.practitioner_name) a.practitionerName = appointment.practitioner_name
      if (appointment.appointment_type_ref) a.appointmentTypeRef = appointment.appointment_type_ref
      if (appointment.type_name) a.appointmentTypeName = appointment.type_name
      subject.appointment = a
    }
    return subject
  }

  /** A new row not due before `until` (same transaction as its enqueue): the undo window. */
  holdNew(seq: number, until: Date) {
    this.db
      .prepare(`UPDATE outbox SET next_attempt_at = ? WHERE seq = ? AND state = 'pending' AND attempts = 0`)
      .run(until.toISOString(), seq)
  }

  /** How many rows each connection has in each state, for the support bundle. */
  countsByState(): { id: string; state: string; n: number }[] {
    return this.db
      .prepare('SELECT connection_id AS id, state, count(*) AS n FROM outbox GROUP BY connection_id, state')
      .all() as { id: string; state: string; n: number }[]
  }

  /** Every row that recorded an error, newest first, for the support bundle. */
  errors(): { id: string; kind: string; state: string; error: string; at: string }[] {
    return this.db
      .prepare(
        `SELECT connection_id AS id, kind, state, last_error AS error, updated_at AS at FROM outbox
         WHERE last_error IS NOT NULL ORDER BY updated_at DESC, seq DESC`,
      )
      .all() as { id: string; kind: string; state: string; error: string; at: string }[]
  }

  counts(connectionId: string): { pending: number; needsAttention: number; oldestPendingAt: string | null } {
    // Finished rows add nothing to these sums, so only unfinished ones are read (through outbox_work).
    const r = this.stmts.counts.get(connectionId) as {
      pending: number | null
      attention: number | null
      oldest: string | null
    }
    return { pending: r.pending ?? 0, needsAttention: r.attention ?? 0, oldestPendingAt: r.oldest }
  }

  /** Earliest time a waiting row becomes due, for the worker's timer. */
  nextDueAt(connectionId: string): Date | null {
    const r = this.db
      .prepare(
        `SELECT min(next_attempt_at) AS at FROM outbox WHERE connection_id = ? AND state IN ('pending','sending')`,
      )
      .get(connectionId) as { at: string | null }
    return r.at ? new Date(r.at) : null
  }

  /**
   * Puts a record back as it was before the change: a created one goes; an edited one is written
   * over in place, never deleted and inserted again (which would unlink a patient's appointments,
   * `ON DELETE SET NULL`), and the clinic system's ids learnt since the snapshot are kept (a
   * booking sent meanwhile stays linked to the booking at the vendor).
   */
  private restore(undo: Undo) {
    if (!undo.before) {
      this.db.prepare(`DELETE FROM ${undo.table} WHERE id = ?`).run(undo.id)
      return
    }
    const cols = Object.keys(undo.before).filter((c) => c !== 'postcode_key')
    const set = cols
      .filter((c) => c !== 'id')
      .map((c) => (LEARNT_IDS.has(c) ? `${c} = coalesce(excluded.${c}, ${c})` : `${c} = excluded.${c}`))
    this.db
      .prepare(
        `INSERT INTO ${undo.table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})
         ON CONFLICT(id) DO UPDATE SET ${set.join(', ')}`,
      )
      .run(Object.fromEntries(cols.map((c) => [c, undo.before![c]])))
  }

  private later(ms: number) {
    return new Date(this.now().getTime() + ms).toISOString()
  }

  /** The one write of a row's state: true when exactly this row, as read, changed. */
  private update(
    row: OutboxRow,
    s: { state: OutboxState; attempts: number; nextAttemptAt: string; lastError: OutboxError | null },
  ): boolean {
    const ok =
      this.stmts.setState.run({
        seq: row.seq,
        fromState: row.state,
        fromAttempts: row.attempts,
        state: s.state,
        attempts: s.attempts,
        nextAttemptAt: s.nextAttemptAt,
        lastError: s.lastError ? JSON.stringify(s.lastError) : null,
        now: this.iso(),
      }).changes === 1
    if (ok) this.changed(row.connectionId)
    return ok
  }
}
