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
const UPSERT_SET = [...VENDOR_COLUMNS, 'fetched_at'].map((c) => `${c} = excluded.${c}`).join(', ')

// A patient the vendor sends as the copy already has it is not written at all: a refresh over an
// unchanged list then commits nothing, so SQLite keeps every other connection's page cache (a commit
// by another connection makes each drop its whole cache, and a receptionist's next searches read and
// decrypt their pages again), and the file and its WAL do not grow. So `fetched_at` is when the
// row's values last came from the vendor, not when the vendor was last asked.
const CHANGED = `(${VENDOR_COLUMNS.map((c) => `patients.${c} IS NOT excluded.${c}`).join(' OR ')})`

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

const statements = new WeakMap<Db, Statements>()

/** The search statements for a database, prepared once. */
export function prepared(db: Db): Statements {
  let st = statements.get(db)
  if (st) return st
  st = {
    connections: db.prepare('SELECT id, vendor FROM connections'),
    hasPatients: db.prepare('SELECT EXISTS (SELECT 1 FROM patients WHERE connection_id = ?) AS has'),
    byRowid: db.prepare(`SELECT ${ROW} FROM patients WHERE rowid = ?`),
    // Rowids as a JSON array: one statement for a match set read whole (three hundred rows, warm:
    // 1.3 ms, against 3.0 ms as single reads).
    byRowids: db.prepare(`SELECT ${ROW} FROM patients WHERE rowid IN (SELECT value FROM json_each(?))`),
    // Hits by their name index keys, `[[key, rowid], …]` as JSON: hits in key order lie together
    // here (migration 12), and one statement reads them all (fifty gets cost twice as much).
    byKeys: db.prepare(
      `SELECT ${SEARCH_ROW} FROM json_each(?) j CROSS JOIN patient_search_rows r
       ON r.k = j.value ->> 0 AND r.rid = j.value ->> 1`,
    ),
    byNhs: db.prepare(`SELECT ${ROW} FROM patients WHERE nhs_number = ?`),
    byPhone: db.prepare(`SELECT ${ROW} FROM patients WHERE phone = ?`),
    byBirthDate: db.prepare(`SELECT ${ROW} FROM patients WHERE birth_date = ?`),
    byPostcode: db.prepare(`SELECT ${ROW} FROM patients WHERE postcode_key = ? AND postcode IS NOT NULL`),
    // The vocabulary is read in term order, so LIMIT stops the scan early.
    terms: db.prepare('SELECT term, doc FROM patient_name_terms WHERE term >= ? AND term < ? LIMIT ?'),
    termsIn: db.prepare(
      `SELECT v.term, v.doc FROM patient_name_terms v CROSS JOIN patients p ON p.rowid = v.doc
       WHERE v.term >= ? AND v.term < ? AND p.connection_id IN (SELECT value FROM json_each(?)) LIMIT ?`,
    ),
    nameMatches: db.prepare('SELECT rowid FROM patient_names WHERE patient_names MATCH ?'),
    nameWordsVersion: db.prepare<[], number>('SELECT version FROM patient_name_words_version').pluck(),
    nameWords: db.prepare<[], string>('SELECT term FROM patient_name_vocab').pluck(),
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
}
