import { afterEach, describe, expect, it } from 'vitest'
import {
  patientSearchRowsRebuildSql,
  searchRowDelete,
  searchRowInsert,
} from '../../../../src/main/search/name-index-sql'
import { rebuildPatientNameIndex } from '../../../../src/main/search'
import { migration0012 } from '../../../../src/main/store/migrations/0012-patient-search-rows'
import type { Db } from '../../../../src/main/store/database'
import {
  insertConnection,
  insertPatients,
  storeAtVersion,
  type PatientRow,
} from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'
const PATIENTS: PatientRow[] = [
  ['p1', 'Siobhán', "O'Brien", '1971-08-16'],
  ['p2', 'Zoë', 'Jones-Smith', '1984-02-29'],
  ['p3', 'Mary Anne', 'Łukasiewicz', '1990-12-01'],
  ['p4', 'Siobhan', 'KAUR', '1955-05-05'],
  ['p5', 'Ōtani', 'Érdi-Ćosić', '2001-07-04'],
  ['p6', 'Jürgen', 'Großmann', '1948-11-30'],
]

const COLUMNS = `id, connection_id, ref, given_name, family_name, birth_date, nhs_number, phone, postcode`

/** Each patient's search row, and the row `patients` holds for it, both by rowid. */
function copies(db: Db) {
  return {
    rows: db.prepare(`SELECT rid, ${COLUMNS} FROM patient_search_rows ORDER BY rid`).all(),
    patients: db.prepare(`SELECT rowid AS rid, ${COLUMNS} FROM patients ORDER BY rowid`).all(),
  }
}

/** Each search row's key, and the key migration 3's name index stores after the patient's surname term. */
function keys(db: Db) {
  const terms = db
    .prepare(`SELECT term, doc FROM patient_name_terms WHERE term >= '1' AND term < '2' ORDER BY doc`)
    .all() as { term: string; doc: number }[]
  return {
    rows: db.prepare(`SELECT rid AS doc, k FROM patient_search_rows ORDER BY rid`).all(),
    index: terms.map((t) => ({ doc: t.doc, k: t.term.slice(1) })),
  }
}

describe('migration 12: the patient search rows', () => {
  it('copies each cached patient under its name index key, and follows every later write', () => {
    const store = storeAtVersion(11)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    insertConnection(db, 'hillside', 'heim', AT)
    const insert = insertPatients(db, 'riverside', PATIENTS, AT)
    insertPatients(db, 'hillside', [['h1', 'Ann', 'Ng', '1999-09-09']], AT)
    db.prepare(`UPDATE patients SET phone = '+447700900001', nhs_number = '9434765919' WHERE id = 'p4'`).run()

    store.migrateTo(12)

    const both = copies(db)
    expect(both.rows).toHaveLength(PATIENTS.length + 1)
    expect(both.rows).toEqual(both.patients)
    // The key is the one search reads from the index's terms, diacritics, capitals and all
    // ("Érdi-Ćosić" → erdicosic, "Großmann" → grossmann, "KAUR" → kaur).
    const k = keys(db)
    expect(k.rows).toEqual(k.index)
    expect(k.rows).toContainEqual({ doc: 5, k: 'erdicosic0otani020010704' })
    expect(k.rows).toContainEqual({ doc: 6, k: 'grossmann0jurgen019481130' })

    // The triggers keep it in step with each kind of write: a new patient, a changed phone, a
    // changed surname (a new key), a removed patient, a removed connection's patients.
    insert(['p7', 'Ann', "D'Arcy", '2001-01-01'])
    db.prepare(`UPDATE patients SET phone = '+447700900002', postcode = 'SW1A 1AA' WHERE id = 'p1'`).run()
    db.prepare(`UPDATE patients SET family_name = 'Byrne', ref = 'S-p2b' WHERE id = 'p2'`).run()
    db.prepare(`UPDATE patients SET birth_date = '1990-12-02' WHERE id = 'p3'`).run()
    db.prepare(`DELETE FROM patients WHERE id = 'p4'`).run()
    db.prepare(`DELETE FROM connections WHERE id = 'hillside'`).run()
    const after = copies(db)
    expect(after.rows).toHaveLength(PATIENTS.length)
    expect(after.rows).toEqual(after.patients)
    expect(keys(db).rows).toEqual(keys(db).index)

    // The re-copy after a VACUUM gives the same rows.
    const before = db.prepare(`SELECT * FROM patient_search_rows ORDER BY k, rid`).all()
    rebuildPatientNameIndex(db)
    expect(db.prepare(`SELECT * FROM patient_search_rows ORDER BY k, rid`).all()).toEqual(before)
  })

  it('is written by the same statements the search module re-runs after a VACUUM', () => {
    expect(migration0012.sql).toContain(searchRowInsert('new').trim())
    expect(migration0012.sql).toContain(searchRowDelete('old').trim())
    expect(migration0012.sql).toContain(searchRowInsert('patients', 'FROM patients').trim())
    expect(patientSearchRowsRebuildSql).toContain(searchRowInsert('patients', 'FROM patients'))
  })
})
