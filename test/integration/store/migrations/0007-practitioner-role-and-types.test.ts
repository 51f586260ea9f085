import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'

describe('migration 7: practitioner role and the types they provide', () => {
  it('keeps every practitioner, unknown role and no type link, and takes only a JSON list of types', () => {
    const store = storeAtVersion(6)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    db.prepare(
      `INSERT INTO practitioners (connection_id, ref, name, fetched_at) VALUES ('riverside', 'dr-1', 'Dr Amara Okafor', ?)`,
    ).run(AT)

    store.migrateTo(7)

    expect(db.prepare(`SELECT ref, name, role, appointment_type_refs FROM practitioners`).all()).toEqual([
      { ref: 'dr-1', name: 'Dr Amara Okafor', role: null, appointment_type_refs: null },
    ])
    db.prepare(
      `UPDATE practitioners SET role = 'GP', appointment_type_refs = '["gp-15","gp-30"]' WHERE ref = 'dr-1'`,
    ).run()
    expect(db.prepare(`SELECT role, appointment_type_refs FROM practitioners`).get()).toEqual({
      role: 'GP',
      appointment_type_refs: '["gp-15","gp-30"]',
    })
    expect(() =>
      db.prepare(`UPDATE practitioners SET appointment_type_refs = 'gp-15' WHERE ref = 'dr-1'`).run(),
    ).toThrow(/CHECK constraint failed|malformed JSON/)
  })
})
