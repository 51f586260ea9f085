import { afterEach, describe, expect, it } from 'vitest'
import { nameIndexInsert, patientNameIndexRebuildSql } from '../../../../src/main/search/name-index-sql'
import { migration0003 } from '../../../../src/main/store/migrations/0003-patient-name-index'
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
  ['p3', 'Łucja', 'Łukasiewicz', '1990-12-01'],
  ['p4', 'Mary Anne', 'Mac Giolla Íosa', '1955-05-05'],
]

describe('migration 3: the patient name index', () => {
  it('indexes the patients already in the cache, and every patient written afterwards', () => {
    const store = storeAtVersion(2)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    const insert = insertPatients(db, 'riverside', PATIENTS, AT)

    store.migrateTo(3)

    const idsMatching = (query: string) =>
      (
        db
          .prepare(
            `SELECT p.id FROM patient_names JOIN patients p ON p.rowid = patient_names.rowid
             WHERE patient_names MATCH ? ORDER BY p.id`,
          )
          .all(query) as { id: string }[]
      ).map((r) => r.id)
    expect(idsMatching('family:obrien*')).toEqual(['p1'])
    expect(idsMatching('family:brien*')).toEqual(['p1'])
    expect(idsMatching('family:jonessmith')).toEqual(['p2'])
    expect(idsMatching('given:zoe')).toEqual(['p2'])
    expect(idsMatching('family:lukasiewicz')).toEqual(['p3'])
    expect(idsMatching('family:iosa')).toEqual(['p4'])
    // Ordered keys: surname, then given name, then date of birth, in one term.
    const terms = (prefix: string) =>
      (
        db
          .prepare(`SELECT term FROM patient_name_terms WHERE term >= ? AND term < ? ORDER BY term`)
          .all(prefix, `${prefix}\uffff`) as { term: string }[]
      ).map((r) => r.term)
    expect(terms('1obrien')).toEqual(['1obrien0siobhan019710816'])
    expect(terms('2smith')).toEqual(['2smith0jonessmith0zoe019840229'])

    // The triggers keep the index in step with later writes.
    insert(['p5', 'Ann', "D'Arcy", '2001-01-01'])
    db.prepare(`UPDATE patients SET family_name = 'Byrne' WHERE id = 'p1'`).run()
    db.prepare(`DELETE FROM patients WHERE id = 'p2'`).run()
    expect(idsMatching('family:darcy')).toEqual(['p5'])
    expect(idsMatching('family:obrien*')).toEqual([])
    expect(idsMatching('family:byrne')).toEqual(['p1'])
    expect(idsMatching('given:zoe')).toEqual([])
  })

  it('is indexed by the same statements the search module re-runs after a VACUUM', () => {
    expect(migration0003.sql).toContain(nameIndexInsert('new'))
    expect(migration0003.sql).toContain(patientNameIndexRebuildSql)
  })
})
