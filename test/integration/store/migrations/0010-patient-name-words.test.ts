import { afterEach, describe, expect, it } from 'vitest'
import { nameWordsInsert, patientNameWordsRebuildSql } from '../../../../src/main/search/name-index-sql'
import { migration0010 } from '../../../../src/main/store/migrations/0010-patient-name-words'
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
  ['p4', 'Siobhan', 'Kaur', '1955-05-05'],
]

describe('migration 10: the patient name words', () => {
  it('lists each name word of the patients already cached once, and follows every later write', () => {
    const store = storeAtVersion(9)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    const insert = insertPatients(db, 'riverside', PATIENTS, AT)

    store.migrateTo(10)

    const words = () =>
      db.prepare(`SELECT term, doc FROM patient_name_vocab ORDER BY term`).all() as {
        term: string
        doc: number
      }[]
    // Namespaced as migration 3's keys (1 surname compacted, 2 later surname words, 3 given names),
    // folded the same way, each word once with the number of patients who have it.
    expect(words()).toEqual([
      { term: '1jonessmith', doc: 1 },
      { term: '1kaur', doc: 1 },
      { term: '1lukasiewicz', doc: 1 },
      { term: '1obrien', doc: 1 },
      { term: '2brien', doc: 1 },
      { term: '2smith', doc: 1 },
      { term: '3anne', doc: 1 },
      { term: '3mary', doc: 1 },
      { term: '3maryanne', doc: 1 },
      { term: '3siobhan', doc: 2 },
      { term: '3zoe', doc: 1 },
    ])

    // The triggers keep it in step: a new patient, a changed surname, a removed patient; each
    // moves the version, a write that leaves the names alone does not.
    const version = () => db.prepare(`SELECT version FROM patient_name_words_version`).pluck().get() as number
    const v0 = version()
    db.prepare(`UPDATE patients SET phone = '+447700900123' WHERE id = 'p4'`).run()
    expect(version()).toBe(v0)
    insert(['p5', 'Ann', "D'Arcy", '2001-01-01'])
    db.prepare(`UPDATE patients SET family_name = 'Byrne' WHERE id = 'p1'`).run()
    db.prepare(`DELETE FROM patients WHERE id = 'p2'`).run()
    const terms = () => words().map((w) => w.term)
    expect(terms()).toContain('1darcy')
    expect(terms()).toContain('1byrne')
    expect(terms()).not.toContain('1obrien')
    expect(terms()).not.toContain('1jonessmith')
    expect(terms()).not.toContain('3zoe')
    expect(words().find((w) => w.term === '3siobhan')?.doc).toBe(2)
    expect(version()).toBe(v0 + 3)

    // The re-index after a VACUUM gives the same vocabulary (its statements alone: the module's
    // re-index also re-copies migration 12's search rows, not yet made at this version).
    const before = words()
    db.exec(patientNameWordsRebuildSql)
    expect(words()).toEqual(before)
    expect(version()).toBe(v0 + 4)
  })

  it('is written by the same statements the search module re-runs after a VACUUM', () => {
    expect(migration0010.sql).toContain(nameWordsInsert('new'))
    expect(patientNameWordsRebuildSql).toContain(nameWordsInsert('patients', 'FROM patients'))
    expect(migration0010.sql).toContain(nameWordsInsert('patients', 'FROM patients'))
  })
})
