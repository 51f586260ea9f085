/**
 * The patient search index's SQL (a repository): the statements search runs, prepared once per
 * database, and the writes that keep patients and their name index in step (triggers from
 * migration 3 do the indexing).
 */
import { randomUUID } from 'node:crypto'
import type { Statement } from 'better-sqlite3-multiple-ciphers'
import type { Patient, Vendor } from '../../shared/model'
import { compactNhsNumber, isValidNhsNumber } from '../../shared/nhs-number'
import { toE164 } from '../../shared/phone'
import type { Sweep } from '../store/background-writer'
import type { Db } from '../store/database'
import {
  patientNameIndexRebuildSql,
  patientNameWordsRebuildSql,
  patientSearchRowsRebuildSql,
  SEARCH_ROW_COLUMNS,
} from './name-index-sql'

export interface Row {
  rid: number
  id: string
  connection_id: string
  ref: string | null
  given_name: string
  family_name: string
  birth_date: string
  nhs_number: string | null
  phone: string | null
  postcode: string | null
}

export interface TermRow {
  term: string
  doc: number
}

const ROW = `rowid AS rid, ${SEARCH_ROW_COLUMNS.join(', ')}`
// Qualified: json_each has an `id` column of its own.
const SEARCH_ROW = `r.rid, ${SEARCH_ROW_COLUMNS.map((c) => `r.${c}`).join(', ')}`

export interface Statements {
  connections: Statement<[], { id: string; vendor: Vendor }>
  hasPatients: Statement<[string], { has: number }>
  byRowid: Statement<[number], Row>
  byRowids: Statement<[string], Row>
  byKeys: Statement<[string], Row>
  byNhs: Statement<[string], Row>
  byPhone: Statement<[string], Row>
  byBirthDate: Statement<[string], Row>
  byPostcode: Statement<[string], Row>
  terms: Statement<[string, string, number], TermRow>
  termsIn: Statement<[string, string, string, number], TermRow>
  nameMatches: Statement<[string], { rowid: number }>
  nameWordsVersion: Statement<[], number>
  nameWords: Statement<[], string>
  goneVersion: Statement<[], number>
  goneRowids: Statement<[], number>
  upsert: Statement<unknown[], { id: string }>
  idByRef: Statement<[string, string], { id: string }>
}

/** The columns a refresh takes from the vendor: written when any of them differs from the copy. */
const VENDOR_COLUMNS = [
  'ref',
  'given_name',
  'family_name',
  'birth_date',
  'nhs_number',
  'phone',
  'email',
  'postcode',
  'updated_at',
]

// Never INSERT OR REPLACE: REPLACE deletes without firing the delete trigger, leaving the name index stale.
// Listed, a patient is no longer missing from the list (migration 13): its marks are cleared.
const UPSERT_SET = [
  ...[...VENDOR_COLUMNS, 'fetched_at'].map((c) => `${c} = excluded.${c}`),
  'missed_passes = 0',
  'gone_at = NULL',
].join(', ')

// A patient the vendor sends as the copy already has it is not written at all: a refresh over an
// unchanged list then commits nothing, so SQLite keeps every other connection's page cache (a commit
// by another connection makes each drop its whole cache, and a receptionist's next searches read and
// decrypt their pages again), and the file and its WAL do not grow. So `fetched_at` is when the
// row's values last came from the vendor, not when the vendor was last asked.
// A patient a complete pass missed is written too, to clear that mark.
const CHANGED = `(${VENDOR_COLUMNS.map((c) => `patients.${c} IS NOT excluded.${c}`).join(' OR ')}
  OR patients.missed_passes <> 0)`

/**
 * One patient from a refresh: matched by its local id, else by its vendor ref in the same
 * connection, and written only if something in it changed. Positional parameters, in the order
 * `patientUpsertRow` gives them; the background writer (store/background-writer.ts) runs it in its
 * own thread.
 */
// A patient whose edit at the desk is not yet sent keeps it: the vendor's older values would undo
// on screen what the receptionist just typed (the edit's own answer updates the row once sent).
// (By connection and entity key: the outbox's `outbox_entity` index, not a scan for every row.)
const NO_UNSENT_EDIT = `NOT EXISTS (SELECT 1 FROM outbox o WHERE o.connection_id = patients.connection_id
  AND o.entity_key = 'patient:' || patients.id AND o.state IN ('pending', 'sending', 'needs-attention'))`
export const PATIENT_UPSERT_SQL = `INSERT INTO patients (id, connection_id, ref, given_name, family_name, birth_date,
         nhs_number, phone, email, postcode, updated_at, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET ${UPSERT_SET} WHERE ${CHANGED} AND ${NO_UNSENT_EDIT}
       ON CONFLICT (connection_id, ref) DO UPDATE SET ${UPSERT_SET} WHERE ${CHANGED} AND ${NO_UNSENT_EDIT}`

/** The parameters of `PATIENT_UPSERT_SQL` for one patient: NHS number compacted, phone in E.164. */
export function patientUpsertRow(p: Patient, fetchedAt: string): unknown[] {
  const nhs = p.nhsNumber && isValidNhsNumber(p.nhsNumber) ? compactNhsNumber(p.nhsNumber) : null
  const phone = p.phone ? (toE164(p.phone) ?? p.phone) : null
  return [
    p.id ?? randomUUID(),
    p.connectionId,
    p.ref ?? null,
    p.givenName,
    p.familyName,
    p.birthDate,
    nhs,
    phone,
    p.email ?? null,
    p.postcode ?? null,
    p.updatedAt ?? null,
    fetchedAt,
  ]
}

/**
 * The patients of a connection a complete pass of its patient list did not list (`@listed`, a JSON
 * array of the vendor ids it did): read through the `(connection_id, ref)` index alone, outside
 * any write transaction (250,000 patients: about 170 ms, in the background writer's thread).
 * `PATIENTS_MISSED_SQL` then marks those it may, as one short write.
 */
export const PATIENTS_UNLISTED_SQL = `SELECT rowid FROM patients
  WHERE connection_id = @connectionId AND ref IS NOT NULL
    AND ref NOT IN (SELECT value FROM json_each(@listed))`

/** Whether an outbox row is still to be sent (or waits for a person): what a queued change needs. */
const UNSENT = `o.connection_id = @connectionId AND o.state IN ('pending', 'sending', 'needs-attention')`

/**
 * Local ids of the connection's patients that a change still in the outbox needs: the row's own
 * patient (a registration or an edit), the patient its payload names (a booking) or waits for
 * (`deps`), and the patient of an appointment it changes. Any of them may be missing from the list
 * only because the change has not reached the clinic system yet.
 */
const NEEDED_BY_QUEUE = `
  SELECT substr(o.entity_key, 9) FROM outbox o WHERE ${UNSENT} AND o.entity_key LIKE 'patient:%'
  UNION ALL
  SELECT CASE WHEN json_valid(o.payload) THEN o.payload ->> '$.patientId' END FROM outbox o WHERE ${UNSENT}
  UNION ALL
  SELECT substr(d.value, 9) FROM outbox o,
    json_each(CASE WHEN json_valid(o.payload) THEN o.payload ELSE '{}' END, '$.deps') d
    WHERE ${UNSENT} AND d.value LIKE 'patient:%'
  UNION ALL
  SELECT coalesce(a.patient_id,
      (SELECT p.id FROM patients p WHERE p.connection_id = a.connection_id AND p.ref = a.patient_ref))
    FROM outbox o JOIN appointments a ON a.id = substr(o.entity_key, 13)
    WHERE ${UNSENT} AND o.entity_key LIKE 'appointment:%'`

/**
 * One more missed pass for each patient `PATIENTS_UNLISTED_SQL` found (`@candidates`, their
 * rowids as JSON), and `gone_at` once it reaches `@passes` in a row; checked again here, inside
 * the write, since the receptionist may have written meanwhile. Never a patient a queued change
 * needs, one written since the pass began (`@startedAt`: registered here, or fetched for a day's
 * appointment, after the pass went by), one the clinic system never had (no vendor id), or one
 * already gone. Answers each marked patient's `gone_at`.
 */
export const PATIENTS_MISSED_SQL = `WITH needed(id) AS (${NEEDED_BY_QUEUE})
  UPDATE patients SET missed_passes = missed_passes + 1,
    gone_at = CASE WHEN missed_passes + 1 >= @passes THEN @now END
  WHERE rowid IN (SELECT value FROM json_each(@candidates))
    AND connection_id = @connectionId AND ref IS NOT NULL AND gone_at IS NULL
    AND fetched_at < @startedAt
    AND id NOT IN (SELECT id FROM needed WHERE id IS NOT NULL)
  RETURNING gone_at`

/** The parameters of `PATIENTS_MISSED_SQL` and `PATIENTS_UNLISTED_SQL` besides the lists. */
export interface MissedPass {
  connectionId: string
  /** When the pass read its first page. */
  startedAt: string
  /** When it ended: a newly gone patient's `gone_at`. */
  now: string
  /** Missed passes in a row after which a patient is gone. */
  passes: number
}

/** How many patients a pass marked missing, and how many of them are now gone. */
export interface MissedCount {
  missed: number
  gone: number
}

/** The same marking as `markUnlisted`, run by the background writer in its thread (its `sweep`). */
export const unlistedSweep = (pass: MissedPass, expected: number): Sweep => ({
  select: PATIENTS_UNLISTED_SQL,
  update: PATIENTS_MISSED_SQL,
  params: { ...pass },
  expected,
})

/** What the sweep's update returned (each marked patient's `gone_at`), counted. */
export const countMissed = (returned: readonly (readonly unknown[])[]): MissedCount => ({
  missed: returned.length,
  gone: returned.filter((r) => r[0] !== null).length,
})

/** Marks the patients a complete pass did not list (`PATIENTS_MISSED_SQL`), on this connection. */
export function markUnlisted(db: Db, pass: MissedPass, listed: Iterable<string>): MissedCount {
  const candidates = db
    .prepare<[Record<string, unknown>], number>(PATIENTS_UNLISTED_SQL)
    .pluck()
    .all({ connectionId: pass.connectionId, listed: JSON.stringify([...listed]) })
  if (candidates.length === 0) return { missed: 0, gone: 0 }
  const marked = db.transaction(() =>
    db
      .prepare<[Record<string, unknown>], { gone_at: string | null }>(PATIENTS_MISSED_SQL)
      .all({ ...pass, candidates: JSON.stringify(candidates) }),
  )()
  return { missed: marked.length, gone: marked.filter((m) => m.gone_at !== null).length }
}

const statements = new WeakMap<Db, Statements>()

/** The search statements for a database, prepared once. */
export function prepared(db: Db): Statements {
  let st = statements.get(db)
  if (st) return st
  st = {
    connections: db.prepare('SELECT id, vendor FROM connections'),
    hasPatients: db.prepare('SELECT EXISTS (SELECT 1 FROM patients WHERE connection_id = ?) AS has'),
    // A gone patient (migration 13) is never a hit, whichever way it would be found.
    byRowid: db.prepare(`SELECT ${ROW} FROM patients WHERE rowid = ? AND gone_at IS NULL`),
    // Rowids as a JSON array: one statement for a match set read whole (three hundred rows, warm:
    // 1.3 ms, against 3.0 ms as single reads).
    byRowids: db.prepare(
      `SELECT ${ROW} FROM patients WHERE rowid IN (SELECT value FROM json_each(?)) AND gone_at IS NULL`,
    ),
    // Hits by their name index keys, `[[key, rowid], …]` as JSON: hits in key order lie together
    // here (migration 12), and one statement reads them all (fifty gets cost twice as much).
    byKeys: db.prepare(
      `SELECT ${SEARCH_ROW} FROM json_each(?) j CROSS JOIN patient_search_rows r
       ON r.k = j.value ->> 0 AND r.rid = j.value ->> 1`,
    ),
    byNhs: db.prepare(`SELECT ${ROW} FROM patients WHERE nhs_number = ? AND gone_at IS NULL`),
    byPhone: db.prepare(`SELECT ${ROW} FROM patients WHERE phone = ? AND gone_at IS NULL`),
    byBirthDate: db.prepare(`SELECT ${ROW} FROM patients WHERE birth_date = ? AND gone_at IS NULL`),
    byPostcode: db.prepare(
      `SELECT ${ROW} FROM patients WHERE postcode_key = ? AND postcode IS NOT NULL AND gone_at IS NULL`,
    ),
    // The vocabulary is read in term order, so LIMIT stops the scan early.
    terms: db.prepare('SELECT term, doc FROM patient_name_terms WHERE term >= ? AND term < ? LIMIT ?'),
    termsIn: db.prepare(
      `SELECT v.term, v.doc FROM patient_name_terms v CROSS JOIN patients p ON p.rowid = v.doc
       WHERE v.term >= ? AND v.term < ? AND p.connection_id IN (SELECT value FROM json_each(?)) LIMIT ?`,
    ),
    nameMatches: db.prepare('SELECT rowid FROM patient_names WHERE patient_names MATCH ?'),
    nameWordsVersion: db.prepare<[], number>('SELECT version FROM patient_name_words_version').pluck(),
    nameWords: db.prepare<[], string>('SELECT term FROM patient_name_vocab').pluck(),
    goneVersion: db.prepare<[], number>('SELECT version FROM patients_gone_version').pluck(),
    goneRowids: db.prepare<[], number>('SELECT rowid FROM patients WHERE gone_at IS NOT NULL').pluck(),
    upsert: db.prepare(`${PATIENT_UPSERT_SQL} RETURNING id`),
    idByRef: db.prepare('SELECT id FROM patients WHERE connection_id = ? AND ref = ?'),
  }
  statements.set(db, st)
  return st
}

const vocabularies = new WeakMap<Db, { version: number; words: Set<string> }>()

/**
 * Every name word some patient has, namespaced as the index (`1smith`, `2smith`, `3john`), for
 * checking hundreds of near-misses a keystroke in memory. Read again only after a write has moved
 * migration 10's version counter (the version first: a write landing between the two reads is then
 * read again next time, never missed).
 */
export function nameWords(db: Db): ReadonlySet<string> {
  const st = prepared(db)
  const version = st.nameWordsVersion.get() ?? 0
  const held = vocabularies.get(db)
  if (held?.version === version) return held.words
  const words = new Set(st.nameWords.all())
  vocabularies.set(db, { version, words })
  return words
}

const goneSets = new WeakMap<Db, { version: number; rowids: Set<number> }>()

/**
 * The rowids of the patients no longer in their clinic system's list (migration 13), which the
 * name index still holds: search passes over them. Few, and read again only after a write has
 * moved the version counter (the version first, as `nameWords` does).
 */
export function goneRowids(db: Db): ReadonlySet<number> {
  const st = prepared(db)
  const version = st.goneVersion.get() ?? 0
  const held = goneSets.get(db)
  if (held?.version === version) return held.rowids
  const rowids = new Set(st.goneRowids.all())
  goneSets.set(db, { version, rowids })
  return rowids
}

/**
 * Writes a batch of patients from a cache refresh in one transaction: a patient is matched by its
 * local id, else by its vendor ref in the same connection. Triggers keep the name index in step.
 * Returns the local id of each patient, in order.
 */
export function upsertPatients(db: Db, patients: readonly Patient[], fetchedAt: string): string[] {
  const st = prepared(db)
  return db.transaction(() =>
    patients.map((p) => {
      const row = patientUpsertRow(p, fetchedAt)
      // No row back when the patient was kept as it is (unchanged, or an unsent edit): it is the
      // one by ref.
      const written = st.upsert.get(...row) as { id: string } | undefined
      return (
        written?.id ??
        (st.idByRef.get(p.connectionId, p.ref ?? '') as { id: string } | undefined)?.id ??
        (row[0] as string)
      )
    }),
  )()
}

/**
 * Re-indexes every patient's name and name words and re-copies their search rows; needed only after
 * a VACUUM (see migrations 3, 10 and 12).
 */
export function rebuildPatientNameIndex(db: Db): void {
  db.transaction(() =>
    db.exec(patientNameIndexRebuildSql + patientNameWordsRebuildSql + patientSearchRowsRebuildSql),
  )()
  // The gone patients' rowids may have changed too: search reads them again.
  goneSets.delete(db)
}
