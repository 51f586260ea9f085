/**
 * The local cache of each connection's data. Reads for the UI come from here when the vendor is
 * slow or away; the outbox writes optimistic changes here, and the vendor's answers overwrite them.
 */
import { randomUUID } from 'node:crypto'
import type {
  Appointment,
  AppointmentStatus,
  AppointmentType,
  Location,
  Patient,
  PatientChanges,
  Practitioner,
} from '../../shared/model'
import type { Statement } from 'better-sqlite3-multiple-ciphers'
import type { Db } from '../store/database'

export interface AppointmentRow {
  id: string
  connection_id: string
  ref: string | null
  patient_id: string | null
  patient_ref: string | null
  practitioner_ref: string | null
  appointment_type_ref: string | null
  location_ref: string | null
  start: string | null
  end: string | null
  status: AppointmentStatus
  arrived_at: string | null
  vendor_status: string | null
  note: string | null
  client_ref: string | null
  updated_at: string | null
  fetched_at: string
}

export interface PatientRow {
  id: string
  connection_id: string
  ref: string | null
  given_name: string
  family_name: string
  birth_date: string
  nhs_number: string | null
  phone: string | null
  email: string | null
  postcode: string | null
  updated_at: string | null
  fetched_at: string
  /** When whole passes of the clinic system's list stopped listing the patient (migration 13). */
  gone_at?: string | null
}

/** An appointment row with its patient's columns (null when the patient is not in the cache). */
export interface AppointmentWithPatientRow extends AppointmentRow {
  p_given: string | null
  p_family: string | null
  p_birth: string | null
  p_nhs: string | null
  p_phone: string | null
  p_ref: string | null
}

/** An unfinished outbox row's state, by the entity it changes (`appointment:<id>`). */
/**
 * The statements a day's read is made of, shared with the day reader's own connection
 * (`day-read-repo.ts`). Appointments come in start order, then rowid: the order of the
 * (connection_id, start) index, so a read in chunks needs no sort.
 */
export const DAY_SQL = {
  appointments: `SELECT a.*, p.given_name AS p_given, p.family_name AS p_family, p.birth_date AS p_birth,
                        p.nhs_number AS p_nhs, p.phone AS p_phone, p.ref AS p_ref
                 FROM appointments a
                 LEFT JOIN patients p ON p.id = coalesce(
                   a.patient_id,
                   (SELECT id FROM patients WHERE connection_id = a.connection_id AND ref = a.patient_ref))
                 WHERE a.connection_id = ? AND a.start >= ? AND a.start < ? ORDER BY a.start, a.rowid`,
  fetchedAt: `SELECT max(fetched_at) AS at FROM appointments WHERE connection_id = ?`,
  unsentStates: `SELECT entity_key AS key, state FROM outbox WHERE connection_id = ? AND (? IS NULL OR entity_key = ?)
                   AND state IN ('pending','sending','needs-attention')`,
  practitionerNames: `SELECT ref, name FROM practitioners WHERE connection_id = ? ORDER BY name`,
} as const

export interface UnsentState {
  key: string
  state: 'pending' | 'sending' | 'needs-attention'
}

interface QueuedBooking {
  id: string
  start: string | null
  patientRef: string | null
  clientRef: string
}

/**
 * The queued booking a listed appointment is: by the client reference the vendor keeps, or, where
 * it keeps none, by patient and start.
 */
/**
 * Lets the event loop go round once before going on: timers, and I/O such as an IPC message, run
 * first. One setImmediate alone is not enough from inside an I/O callback (where a vendor's answer
 * or a request lands): it runs in the same round, before the timers and the I/O that came meanwhile.
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)))

function queuedBookingFor(queued: QueuedBooking[], a: Appointment): string | undefined {
  if (queued.length === 0) return undefined
  const match = a.clientRef
    ? queued.find((q) => q.clientRef === a.clientRef)
    : queued.find((q) => !!a.patientRef && q.patientRef === a.patientRef && q.start === a.start)
  return match?.id
}

/**
 * A row to the model; optional fields only when set. Assigned one by one, not spread: the day book
 * maps thousands of rows per read, and a spread per field made that the read's slowest part.
 */
export function toAppointment(r: AppointmentRow): Appointment {
  const a: Appointment = { id: r.id, connectionId: r.connection_id, status: r.status }
  if (r.ref) a.ref = r.ref
  if (r.patient_id) a.patientId = r.patient_id
  if (r.patient_ref) a.patientRef = r.patient_ref
  if (r.practitioner_ref) a.practitionerRef = r.practitioner_ref
  if (r.appointment_type_ref) a.appointmentTypeRef = r.appointment_type_ref
  if (r.location_ref) a.locationRef = r.location_ref
  if (r.start) a.start = r.start
  if (r.end) a.end = r.end
  if (r.arrived_at) a.arrivedAt = r.arrived_at
  if (r.vendor_status) a.vendorStatus = r.vendor_status
  if (r.note) a.note = r.note
  if (r.client_ref) a.clientRef = r.client_ref
  if (r.updated_at) a.updatedAt = r.updated_at
  return a
}

/**
 * A patient with a correction's values as the copy holds them (an address keeps only its postcode):
 * shown at the desk when the correction is made, and kept over the vendor's answer once it is sent.
 */
export const withChanges = (p: Patient, c: PatientChanges): Patient => ({
  ...p,
  ...(c.phone ? { phone: c.phone } : {}),
  ...(c.email ? { email: c.email } : {}),
  ...(c.nhsNumber ? { nhsNumber: c.nhsNumber } : {}),
  ...(c.address ? { postcode: c.address.postcode } : {}),
})

export const toPatient = (r: PatientRow): Patient => ({
  id: r.id,
  connectionId: r.connection_id,
  givenName: r.given_name,
  familyName: r.family_name,
  birthDate: r.birth_date,
  ...(r.ref ? { ref: r.ref } : {}),
  ...(r.nhs_number ? { nhsNumber: r.nhs_number } : {}),
  ...(r.phone ? { phone: r.phone } : {}),
  ...(r.email ? { email: r.email } : {}),
  ...(r.postcode ? { postcode: r.postcode } : {}),
  ...(r.updated_at ? { updatedAt: r.updated_at } : {}),
  ...(r.gone_at ? { goneAt: r.gone_at } : {}),
})

export class CacheRepo {
  constructor(
    readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Day lists being written in turns (`replaceAppointments`). */
  private readonly listsWriting = new Set<{
    connectionId: string
    from: string
    to: string
    done: Promise<void>
  }>()

  /** Statements compiled once: a day's list from the clinic system runs several per appointment. */
  private readonly statements = new Map<string, Statement>()

  private statement(sql: string): Statement {
    let s = this.statements.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.statements.set(sql, s)
    }
    return s
  }

  private iso() {
    return this.now().toISOString()
  }

  appointmentRow(id: string): AppointmentRow | undefined {
    return this.statement(`SELECT * FROM appointments WHERE id = ?`).get(id) as AppointmentRow | undefined
  }

  patientRow(id: string): PatientRow | undefined {
    return this.statement(`SELECT * FROM patients WHERE id = ?`).get(id) as PatientRow | undefined
  }

  patientByRef(connectionId: string, ref: string): PatientRow | undefined {
    return this.statement(`SELECT * FROM patients WHERE connection_id = ? AND ref = ?`).get(
      connectionId,
      ref,
    ) as PatientRow | undefined
  }

  /** Local id for a vendor patient, creating the cache row when the vendor's patient is new to us. */
  upsertPatient(p: Patient): string {
    // One transaction (IMMEDIATE on this connection): the background writer's thread commits to
    // the same file, and between a plain look-up and insert it could add this patient first.
    return this.db.transaction(() => this.upsertPatientNow(p))()
  }

  private upsertPatientNow(p: Patient): string {
    const existing = p.ref ? this.patientByRef(p.connectionId, p.ref) : undefined
    const id = existing?.id ?? p.id ?? randomUUID()
    this.statement(
      `INSERT INTO patients (id, connection_id, ref, given_name, family_name, birth_date, nhs_number, phone, email, postcode, updated_at, fetched_at)
         VALUES (@id, @connectionId, @ref, @givenName, @familyName, @birthDate, @nhsNumber, @phone, @email, @postcode, @updatedAt, @fetchedAt)
         ON CONFLICT(id) DO UPDATE SET ref = excluded.ref, given_name = excluded.given_name, family_name = excluded.family_name,
           birth_date = excluded.birth_date, nhs_number = excluded.nhs_number, phone = excluded.phone, email = excluded.email,
           postcode = excluded.postcode, updated_at = excluded.updated_at, fetched_at = excluded.fetched_at`,
    ).run({
      id,
      connectionId: p.connectionId,
      ref: p.ref ?? null,
      givenName: p.givenName,
      familyName: p.familyName,
      birthDate: p.birthDate,
      nhsNumber: p.nhsNumber ?? null,
      phone: p.phone ?? null,
      email: p.email ?? null,
      postcode: p.postcode ?? null,
      updatedAt: p.updatedAt ?? null,
      fetchedAt: this.iso(),
    })
    return id
  }

  /** Writes an appointment under a local id (new or existing), resolving its patient to a local id. */
  putAppointment(id: string, a: Appointment, patientId?: string | null) {
    const pid =
      patientId ??
      a.patientId ??
      (a.patientRef ? this.patientByRef(a.connectionId, a.patientRef)?.id : undefined)
    const pref = a.patientRef ?? (pid ? this.patientRow(pid)?.ref : undefined)
    this.statement(
      `INSERT INTO appointments (id, connection_id, ref, patient_id, patient_ref, practitioner_ref, appointment_type_ref, location_ref,
           start, end, status, arrived_at, vendor_status, note, client_ref, updated_at, fetched_at)
         VALUES (@id, @connectionId, @ref, @patientId, @patientRef, @practitionerRef, @appointmentTypeRef, @locationRef,
           @start, @end, @status, @arrivedAt, @vendorStatus, @note, @clientRef, @updatedAt, @fetchedAt)
         ON CONFLICT(id) DO UPDATE SET ref = excluded.ref,
           -- Another patient named by the clinic system: never the old one's id (the day book joins
           -- by the new patient's vendor id until that patient is in the copy).
           patient_id = CASE WHEN excluded.patient_ref IS NOT NULL AND excluded.patient_ref IS NOT patient_ref
             THEN excluded.patient_id ELSE coalesce(excluded.patient_id, patient_id) END,
           patient_ref = coalesce(excluded.patient_ref, patient_ref),
           practitioner_ref = excluded.practitioner_ref, appointment_type_ref = excluded.appointment_type_ref,
           location_ref = excluded.location_ref, start = excluded.start, end = excluded.end, status = excluded.status,
           -- The vendor's arrival time where it keeps one; else the desk's, while still arrived.
           arrived_at = coalesce(excluded.arrived_at, CASE WHEN excluded.status = 'arrived' THEN arrived_at END),
           vendor_status = excluded.vendor_status, note = coalesce(excluded.note, note),
           client_ref = coalesce(excluded.client_ref, client_ref), updated_at = excluded.updated_at, fetched_at = excluded.fetched_at`,
    ).run({
      id,
      connectionId: a.connectionId,
      ref: a.ref ?? null,
      patientId: pid ?? null,
      patientRef: pref ?? null,
      practitionerRef: a.practitionerRef ?? null,
      appointmentTypeRef: a.appointmentTypeRef ?? null,
      locationRef: a.locationRef ?? null,
      start: a.start ?? null,
      end: a.end ?? null,
      status: a.status,
      arrivedAt: a.arrivedAt ?? null,
      vendorStatus: a.vendorStatus ?? null,
      note: a.note ?? null,
      clientRef: a.clientRef ?? null,
      updatedAt: a.updatedAt ?? null,
      fetchedAt: this.iso(),
    })
  }

  /** Now on the cache's clock: taken before asking a vendor for a list (see `replaceAppointments`). */
  instant(): string {
    return this.iso()
  }

  /**
   * The vendor's list for a window replaces what we held for it, except rows still waiting to be
   * sent, and rows written since `listedAt` (when the list was asked for): a booking sent while a
   * refresh was still reading its day (e.g. fetching that day's patients one by one) is not in that
   * list, and must not vanish from the patient's card until the next refresh brings it back.
   *
   * In turns: a transaction writes the appointments it gets through within `budgetMs`, then the
   * event loop runs (a packed day is thousands of rows, and every IPC answer would wait behind it).
   * Each row's checks run in the transaction that writes it; the rows the list no longer holds go
   * in a last one, after every row of the list is in.
   */
  replaceAppointments(
    connectionId: string,
    from: string,
    to: string,
    list: Appointment[],
    listedAt?: string,
    // Less than a read's turn: each turn's commit comes on top (writing the WAL, and at times a checkpoint).
    budgetMs = 4,
  ): Promise<void> {
    const done = this.writeList(connectionId, from, to, list, listedAt, budgetMs)
    const writing = { connectionId, from, to, done }
    this.listsWriting.add(writing)
    const settled = () => void this.listsWriting.delete(writing)
    done.then(settled, settled)
    return done
  }

  /**
   * The day lists being written over [from, to) for the connection, as one promise that settles
   * when they have (written or failed); null when there are none. A day read waits for it, so it
   * shows a list whole, never half way through its turns.
   */
  listsWritingOver(connectionId: string, from: string, to: string): Promise<unknown> | null {
    const over = [...this.listsWriting].filter(
      (w) => w.connectionId === connectionId && w.from < to && from < w.to,
    )
    return over.length ? Promise.allSettled(over.map((w) => w.done)) : null
  }

  private async writeList(
    connectionId: string,
    from: string,
    to: string,
    list: Appointment[],
    listedAt: string | undefined,
    budgetMs: number,
  ): Promise<void> {
    const newer = (id: string) =>
      !!listedAt &&
      !!this.statement(`SELECT 1 FROM appointments WHERE id = ? AND fetched_at >= ?`).get(id, listedAt)
    const keep = new Set<string>()
    const put = (a: Appointment, queuedBookings: QueuedBooking[]) => {
      const existing = a.ref
        ? (this.statement(`SELECT id FROM appointments WHERE connection_id = ? AND ref = ?`).get(
            connectionId,
            a.ref,
          ) as { id: string } | undefined)
        : undefined
      if (existing && (this.hasUnsentChange(connectionId, existing.id) || newer(existing.id))) {
        keep.add(existing.id)
        return
      }
      // The vendor already holds a booking still queued here (its answer was lost): the queued
      // appointment takes the vendor's id when the queue finds it, so no second copy is made now.
      const queued = existing ? undefined : queuedBookingFor(queuedBookings, a)
      if (queued) {
        keep.add(queued)
        return
      }
      const id = existing?.id ?? randomUUID()
      keep.add(id)
      this.putAppointment(id, a)
    }
    let next = 0
    while (next < list.length) {
      const turnStart = performance.now()
      this.db.transaction(() => {
        const queuedBookings = this.queuedBookings(connectionId)
        do put(list[next++]!, queuedBookings)
        while (next < list.length && performance.now() - turnStart < budgetMs)
      })()
      if (next < list.length) await nextTurn()
    }
    this.db.transaction(() => {
      const stale = this.statement(
        `SELECT id FROM appointments WHERE connection_id = ? AND start >= ? AND start < ? AND ref IS NOT NULL`,
      ).all(connectionId, from, to) as { id: string }[]
      for (const { id } of stale) {
        if (!keep.has(id) && !this.hasUnsentChange(connectionId, id) && !newer(id)) {
          this.statement(`DELETE FROM appointments WHERE id = ?`).run(id)
        }
      }
    })()
  }

  /** Bookings still in the queue that have no vendor id yet: a handful at most, read once a turn. */
  private queuedBookings(connectionId: string): QueuedBooking[] {
    return this.statement(
      `SELECT ap.id, ap.start, coalesce(ap.patient_ref, p.ref) AS patientRef, o.client_ref AS clientRef
         FROM outbox o
         JOIN appointments ap ON o.entity_key = 'appointment:' || ap.id
         LEFT JOIN patients p ON p.id = ap.patient_id
         WHERE o.connection_id = ? AND o.kind = 'book' AND o.state IN ('pending','sending','needs-attention')
           AND ap.ref IS NULL`,
    ).all(connectionId) as QueuedBooking[]
  }

  /**
   * Before a queued appointment takes the vendor's id: a copy of the same vendor appointment saved
   * under another local id (by a version that listed it before the queue found it) goes, unless a
   * change to that copy is itself waiting to be sent, which a person must then sort out.
   */
  dropCopiesOf(connectionId: string, ref: string, keepId: string) {
    const copies = this.statement(
      `SELECT id FROM appointments WHERE connection_id = ? AND ref = ? AND id <> ?`,
    ).all(connectionId, ref, keepId) as { id: string }[]
    for (const { id } of copies) {
      if (!this.hasUnsentChange(connectionId, id))
        this.statement(`DELETE FROM appointments WHERE id = ?`).run(id)
    }
  }

  hasUnsentChange(connectionId: string, appointmentId: string): boolean {
    return !!this.statement(
      `SELECT 1 FROM outbox WHERE connection_id = ? AND entity_key = ? AND state IN ('pending','sending','needs-attention') LIMIT 1`,
    ).get(connectionId, `appointment:${appointmentId}`)
  }

  replaceReference(
    connectionId: string,
    practitioners: Practitioner[] | null,
    types: AppointmentType[] | null,
    locations: Location[] | null,
  ) {
    const at = this.iso()
    this.db.transaction(() => {
      if (practitioners) {
        this.statement(`DELETE FROM practitioners WHERE connection_id = ?`).run(connectionId)
        const ins = this.statement(
          `INSERT INTO practitioners (connection_id, ref, name, role, appointment_type_refs, fetched_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        for (const p of practitioners)
          ins.run(
            connectionId,
            p.ref,
            p.name,
            p.role ?? null,
            p.appointmentTypeRefs ? JSON.stringify(p.appointmentTypeRefs) : null,
            at,
          )
      }
      if (types) {
        this.statement(`DELETE FROM appointment_types WHERE connection_id = ?`).run(connectionId)
        const ins = this.statement(
          `INSERT INTO appointment_types (connection_id, ref, name, length_minutes, fetched_at) VALUES (?, ?, ?, ?, ?)`,
        )
        for (const t of types) ins.run(connectionId, t.ref, t.name, t.lengthMinutes, at)
      }
      if (locations) {
        this.statement(`DELETE FROM locations WHERE connection_id = ?`).run(connectionId)
        const ins = this.statement(
          `INSERT INTO locations (connection_id, ref, name, postcode, fetched_at) VALUES (?, ?, ?, ?, ?)`,
        )
        for (const l of locations) ins.run(connectionId, l.ref, l.name, l.postcode ?? null, at)
      }
    })()
  }

  /**
   * A day's appointments with their patients, linked by local id or (when the patient reached the
   * cache after the appointment) by the vendor's id, in one query: a busy day holds thousands.
   */
  appointmentsStarting(connectionId: string, from: string, to: string): AppointmentWithPatientRow[] {
    return this.statement(DAY_SQL.appointments).all(connectionId, from, to) as AppointmentWithPatientRow[]
  }

  /** The unfinished outbox states of a connection's appointments (or of one appointment). */
  unsentStates(connectionId: string, appointmentId?: string): UnsentState[] {
    return this.statement(DAY_SQL.unsentStates).all(
      connectionId,
      appointmentId ?? null,
      `appointment:${appointmentId ?? ''}`,
    ) as UnsentState[]
  }

  /** A practitioner's live appointments overlapping [start, end), but `exceptId`. */
  practitionerOverlapping(
    connectionId: string,
    practitionerRef: string,
    start: string,
    end: string,
    exceptId = '',
  ): AppointmentRow[] {
    return this.statement(
      `SELECT * FROM appointments WHERE connection_id = ? AND practitioner_ref = ? AND start < ? AND end > ?
           AND status NOT IN ('cancelled','noshow') AND id != ?`,
    ).all(connectionId, practitionerRef, end, start, exceptId) as AppointmentRow[]
  }

  /** The patient's own live appointments overlapping [start, end), by local or vendor id. */
  patientOverlapping(
    patient: { id: string; connection_id: string; ref: string | null },
    start: string,
    end: string,
  ): AppointmentRow[] {
    return this.statement(
      `SELECT * FROM appointments WHERE (patient_id = ? OR (connection_id = ? AND patient_ref = ?))
           AND start < ? AND end > ? AND status NOT IN ('cancelled','noshow') ORDER BY start`,
    ).all(patient.id, patient.connection_id, patient.ref, end, start) as AppointmentRow[]
  }

  /** Every appointment of a patient, by local id or vendor id, in time order. */
  patientAppointments(patientId: string, connectionId: string, ref: string | null): AppointmentRow[] {
    return this.statement(
      `SELECT * FROM appointments WHERE patient_id = ? OR (connection_id = ? AND patient_ref = ?) ORDER BY start`,
    ).all(patientId, connectionId, ref) as AppointmentRow[]
  }

  /**
   * Patients born that day, or with that NHS number: the candidates for a duplicate check. A record
   * the clinic system no longer lists (gone) is none: the person may be registered again.
   */
  patientsBornOnOrNumbered(connectionId: string, birthDate: string, nhsNumber: string | null): PatientRow[] {
    return this.statement(
      `SELECT * FROM patients WHERE connection_id = ? AND (birth_date = ? OR (? IS NOT NULL AND nhs_number = ?))
           AND gone_at IS NULL ORDER BY family_name, given_name`,
    ).all(connectionId, birthDate, nhsNumber, nhsNumber) as PatientRow[]
  }

  /** Every cached patient's names, for redacting them from a support bundle. */
  allPatientNames(): { given: string; family: string }[] {
    return this.statement('SELECT given_name AS given, family_name AS family FROM patients').all() as {
      given: string
      family: string
    }[]
  }

  setAppointmentTimes(id: string, start: string, end: string, practitionerRef: string | null) {
    this.statement(`UPDATE appointments SET start = ?, end = ?, practitioner_ref = ? WHERE id = ?`).run(
      start,
      end,
      practitionerRef,
      id,
    )
  }

  /** A note set at the desk; empty (not null) when cleared, so a vendor list without notes keeps it cleared. */
  setAppointmentNote(id: string, note: string) {
    this.statement(`UPDATE appointments SET note = ? WHERE id = ?`).run(note, id)
  }

  /** A status set at the desk; `arrivedAt` is kept only with an arrival (cleared by any other status). */
  setAppointmentStatus(id: string, status: AppointmentStatus, arrivedAt?: string) {
    this.statement(`UPDATE appointments SET status = ?, arrived_at = ? WHERE id = ?`).run(
      status,
      status === 'arrived' ? (arrivedAt ?? null) : null,
      id,
    )
  }

  /** A connection's practitioners' names by vendor id, in name order. */
  practitionerNames(connectionId: string): { ref: string; name: string }[] {
    return this.statement(DAY_SQL.practitionerNames).all(connectionId) as { ref: string; name: string }[]
  }

  /** A connection's practitioners with their roles (the vendor's words, where it has them). */
  practitionerRoles(connectionId: string): { ref: string; name: string; role: string | null }[] {
    return this.statement(
      `SELECT ref, name, role FROM practitioners WHERE connection_id = ? ORDER BY name`,
    ).all(connectionId) as { ref: string; name: string; role: string | null }[]
  }

  /** A connection's appointment types with their lengths, in name order. */
  appointmentTypes(connectionId: string): { ref: string; name: string; lengthMinutes: number }[] {
    return this.statement(
      `SELECT ref, name, length_minutes AS lengthMinutes FROM appointment_types WHERE connection_id = ? ORDER BY name`,
    ).all(connectionId) as { ref: string; name: string; lengthMinutes: number }[]
  }

  /** A connection's locations, in name order. */
  locationNames(connectionId: string): { ref: string; name: string }[] {
    return this.statement(`SELECT ref, name FROM locations WHERE connection_id = ? ORDER BY name`).all(
      connectionId,
    ) as { ref: string; name: string }[]
  }

  recordIdMap(connectionId: string, entity: 'patient' | 'appointment', localId: string, ref: string) {
    this.statement(
      `INSERT INTO id_map (connection_id, entity, local_id, ref, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(connection_id, entity, local_id) DO UPDATE SET ref = excluded.ref`,
    ).run(connectionId, entity, localId, ref, this.iso())
  }
}
