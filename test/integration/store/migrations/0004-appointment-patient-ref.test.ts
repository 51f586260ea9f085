import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'

describe("migration 4: appointments remember their patient's vendor id", () => {
  it("fills each appointment's patient_ref from its cached patient", () => {
    const store = storeAtVersion(3)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    db.prepare(
      `INSERT INTO patients (id, connection_id, ref, given_name, family_name, birth_date, fetched_at) VALUES
         ('p1', 'riverside', 'S-101', 'Siobhán', 'O''Brien', '1971-08-16', ?),
         ('p2', 'riverside', NULL, 'Tom', 'Hughes', '1990-01-02', ?)`,
    ).run(AT, AT)
    const appt = db.prepare(
      `INSERT INTO appointments (id, connection_id, ref, patient_id, start, end, status, fetched_at)
       VALUES (?, 'riverside', ?, ?, '2026-03-02T09:00:00.000Z', '2026-03-02T09:15:00.000Z', 'booked', ?)`,
    )
    appt.run('a1', 'A-1', 'p1', AT)
    appt.run('a2', 'A-2', 'p1', AT)
    appt.run('a3', 'A-3', 'p2', AT) // a patient registered here, not yet at the vendor
    appt.run('a4', 'A-4', null, AT) // a block with no patient

    store.migrateTo(4)

    expect(db.prepare(`SELECT id, patient_id, patient_ref FROM appointments ORDER BY id`).all()).toEqual([
      { id: 'a1', patient_id: 'p1', patient_ref: 'S-101' },
      { id: 'a2', patient_id: 'p1', patient_ref: 'S-101' },
      { id: 'a3', patient_id: 'p2', patient_ref: null },
      { id: 'a4', patient_id: null, patient_ref: null },
    ])
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM appointments WHERE connection_id = ? AND patient_ref = ?`)
      .all('riverside', 'S-101') as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('appointments_patient_ref')
  })
})
