import { afterEach, describe, expect, it } from 'vitest'
import { searchPatients } from '../../../../src/main/search'
import {
  insertConnection,
  insertPatients,
  storeAtVersion,
  type PatientRow,
} from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'
const GONE_AT = '2026-03-04T10:00:00.000Z'
const PATIENTS: PatientRow[] = [
  ['p1', 'Siobhán', "O'Brien", '1971-08-16'],
  ['p2', 'Zoë', 'Jones-Smith', '1984-02-29'],
  ['p3', 'Mary', 'Jones', '1990-12-01'],
]

describe('migration 13: patients missing from the list', () => {
  it('keeps every patient listed and in search, and counts each change of who is gone', () => {
    const store = storeAtVersion(12)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    const insert = insertPatients(db, 'riverside', PATIENTS, AT)
    db.prepare(`UPDATE patients SET nhs_number = '9434765919' WHERE id = 'p3'`).run()
    const index = () => ({
      keys: db.prepare(`SELECT count(*) FROM patient_name_terms`).pluck().get(),
      rows: db.prepare(`SELECT * FROM patient_search_rows ORDER BY rid`).all(),
    })
    const indexed = index()

    store.migrateTo(13)

    // Every patient cached before is listed: missed by no pass, gone from nobody's search.
    expect(
      db.prepare(`SELECT id, ref, fetched_at, missed_passes, gone_at FROM patients ORDER BY id`).all(),
    ).toEqual(
      PATIENTS.map(([id]) => ({ id, ref: `S-${id}`, fetched_at: AT, missed_passes: 0, gone_at: null })),
    )
    expect(index()).toEqual(indexed)
    const version = db.prepare(`SELECT version FROM patients_gone_version`).pluck()
    expect(version.get()).toBe(0)
    const ids = (text: string) =>
      searchPatients(db, { text, today: '2026-03-30', limit: 50 })
        .results.map((h) => h.id)
        .sort()
    expect(ids('jones')).toEqual(['p2', 'p3'])

    // A patient gone: the counter moves, search leaves it out whichever way it is asked for, and
    // its row and name index stay (appointments still name it).
    db.prepare(`UPDATE patients SET missed_passes = 2, gone_at = ? WHERE id = 'p3'`).run(GONE_AT)
    expect(version.get()).toBe(1)
    expect(ids('jones')).toEqual(['p2'])
    expect(ids('mary jones')).toEqual([])
    expect(ids('943 476 5919')).toEqual([])
    expect(ids('01/12/1990')).toEqual([])
    expect(index()).toEqual(indexed)
    // Other writes to the patient, or to anyone, leave the counter alone.
    db.prepare(`UPDATE patients SET phone = '+447700900001' WHERE id = 'p3'`).run()
    db.prepare(`UPDATE patients SET missed_passes = 1 WHERE id = 'p1'`).run()
    insert(['p4', 'Ann', 'Jones', '2001-01-01'])
    expect(version.get()).toBe(1)
    expect(ids('jones')).toEqual(['p2', 'p4'])
    // Listed again: offered again.
    db.prepare(`UPDATE patients SET missed_passes = 0, gone_at = NULL WHERE id = 'p3'`).run()
    expect(version.get()).toBe(2)
    expect(ids('jones')).toEqual(['p2', 'p3', 'p4'])
    // A gone patient's row deleted (its rowid may come back with someone else): counted; another's not.
    db.prepare(`UPDATE patients SET gone_at = ? WHERE id = 'p4'`).run(GONE_AT)
    db.prepare(`DELETE FROM patients WHERE id = 'p4'`).run()
    expect(version.get()).toBe(4)
    db.prepare(`DELETE FROM patients WHERE id = 'p2'`).run()
    expect(version.get()).toBe(4)

    // Search reads the gone patients from their own small index, never the whole table.
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM patients WHERE gone_at IS NOT NULL`)
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('patients_gone')
    // An instant in the one UTC form, and a count that never goes below nothing.
    expect(() =>
      db.prepare(`UPDATE patients SET gone_at = '2026-03-04 10:00' WHERE id = 'p1'`).run(),
    ).toThrow(/CHECK constraint failed/)
    expect(() => db.prepare(`UPDATE patients SET missed_passes = -1 WHERE id = 'p1'`).run()).toThrow(
      /CHECK constraint failed/,
    )
  })
})
